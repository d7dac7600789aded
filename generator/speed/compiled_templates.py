"""Compiled templates kept on disk between runs of ``policybook``.

Each build compiles every template it renders, Policybook's and the theme's:
about 0.6 of the sample handbook's 1.7 s (benchmarks/RESULTS.md, issue 15,
eighth session). Jinja can keep the compiled code in a bytecode cache; this
one keeps it in Jinja's per-user temporary folder, the cache Jinja itself
creates with owner-only permissions and refuses when anyone else owns it.

A cached template is used only when its source is unchanged (Jinja compares
a checksum of the source) and it was compiled by the same Jinja, Python and
environment settings: the compiled code depends on the delimiters, the
extensions, autoescaping and how each filter and test is called, so those
go into the file names and two environments never share a file. A cache
that cannot be used never fails a build: it compiles as without one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's per-user cache folder, with names kept apart per environment and every failure ignored."""

    setting = ""
    """The ``POLICYBOOK_TEMPLATE_CACHE`` it was made for."""

    def load_bytecode(self, bucket: Bucket) -> None:
        path = self._path(bucket)
        if path is None:
            return
        try:
            with open(path, "rb") as file:
                bucket.load_bytecode(file)
        except Exception:  # noqa: BLE001 - missing, unreadable or damaged: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        path = self._path(bucket)
        if path is None:
            return
        try:
            # Written aside, then renamed: a build's forked child may read the file meanwhile.
            file = tempfile.NamedTemporaryFile("wb", dir=self.directory, suffix=".tmp", delete=False)
        except OSError:  # the folder has gone or is read-only: the next run compiles again
            return
        try:
            with file:
                bucket.write_bytecode(file)
            os.replace(file.name, path)
        except OSError:  # a full disk
            with contextlib.suppress(OSError):
                os.remove(file.name)

    def _path(self, bucket: Bucket) -> str | None:
        settings = _settings_key(bucket.environment)
        return None if settings is None else os.path.join(self.directory, f"policybook-{settings}-{bucket.key}.cache")


#: ``off``, or the folder to keep compiled templates in (default: Jinja's folder for this user).
CACHE_VARIABLE = "POLICYBOOK_TEMPLATE_CACHE"


def cache_setting() -> str:
    """``POLICYBOOK_TEMPLATE_CACHE`` as set now (``""`` when unset)."""
    return os.environ.get(CACHE_VARIABLE, "").strip()


def template_cache() -> CompiledTemplates | None:
    """The cache ``POLICYBOOK_TEMPLATE_CACHE`` names, or ``None`` when it is ``off`` or cannot be made."""
    setting = cache_setting()
    if setting.lower() == "off":
        return None
    try:
        if setting:
            os.makedirs(setting, exist_ok=True)
        cache = CompiledTemplates(setting or None)
    except (OSError, RuntimeError):  # no safe temporary folder: build without
        return None
    cache.setting = setting
    return cache


def _settings_key(env: jinja2.Environment) -> str | None:
    """A short hash of what ``env`` compiles with, or ``None`` when that cannot be told."""
    if not isinstance(env.autoescape, bool):
        return None  # a function decides per template name: not something to key on
    settings = (
        jinja2.__version__, env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
        env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
        env.keep_trailing_newline, env.optimized, env.is_async, env.autoescape, sorted(env.extensions),
        _calls(env.filters), _calls(env.tests), _call(env.finalize) if env.finalize else None,
        # Policybook's environment compiles printed values its own way (render._CodeGenerator).
        f"{env.code_generator_class.__module__}.{env.code_generator_class.__qualname__}",
    )
    return hashlib.sha1(repr(settings).encode()).hexdigest()[:16]


def _calls(functions: dict) -> list:
    """Each name with how the compiled code calls it (with the context, the environment, or neither)."""
    return sorted((name, _call(function)) for name, function in functions.items())


def _call(function) -> str:
    # Jinja's pass_context, pass_environment and pass_eval_context mark a function so.
    kind = getattr(function, "jinja_pass_arg", None)
    return getattr(kind, "name", "-")
