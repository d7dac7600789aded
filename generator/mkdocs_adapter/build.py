"""Build the site with MkDocs into a temporary folder and swap it in.

A failed build (bad YAML, a strict-mode warning, a crash) leaves the
previous site exactly as it was.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

log = logging.getLogger("policybook")


def build_site_atomically(config_file: Path, *, site_dir: Path | None = None, strict: bool = True,
                          today: str | None = None, preview_drafts: bool = False,
                          edition: str | None = None, offline: bool = False, cache=None) -> Path:
    """Run ``mkdocs build`` into a fresh folder and swap it for ``site_dir``.

    Args:
        cache: a :class:`~generator.load.ParseCache` of the files the caller
            already validated, handed to the plugin so nothing is parsed twice.
        edition: ``staff`` or ``public``; overrides the plugin's setting.
        offline: enable Material's offline plugin (added if mkdocs.yml lacks
            it), for a site opened from a shared drive over ``file://``.

    Returns:
        The path of the published site.

    Raises:
        mkdocs.exceptions.MkDocsException: the build failed; nothing changed.
        mkdocs.exceptions.Abort: ``site_dir`` is a folder the build must not replace.
    """
    config = load_config(str(config_file), strict=strict)
    target = Path(site_dir or config.site_dir).resolve()
    _refuse_unsafe_target(target, config)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        config.site_dir = str(staging)
        plugin = config.plugins.get("policybook")
        if plugin is not None:
            if today:
                plugin.config.today = today
            if preview_drafts:
                plugin.config.preview_drafts = True
            if cache is not None:
                plugin.cache = cache
            if edition:
                plugin.config.edition = edition
        if offline:
            _enable_offline(config)
        # As `mkdocs build` does: MkDocs keeps plugins that define these
        # events for the whole process, and they learn here that this is a build.
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


SITE_MARKERS = ("index.html", "404.html", "sitemap.xml")


def _refuse_unsafe_target(target: Path, config) -> None:
    """Refuse to replace a folder that holds sources, or that is not a built site.

    The swap replaces ``target`` wholesale, so ``-d .`` or ``-d docs`` would
    otherwise delete the project itself.
    """
    project = Path(config.config_file_path or ".").resolve().parent
    protected = [project, Path(config.docs_dir).resolve()]
    plugin = config.plugins.get("policybook")
    if plugin is not None:
        protected.append((project / plugin.config.policies_dir).resolve())
    for source in protected:
        contains_source = target == source or target in source.parents
        inside_source = source != project and source in target.parents
        if contains_source or inside_source:
            raise Abort(f"refusing to build into {target}: it holds or is inside the sources ({source}); choose a separate folder such as 'site'")
    if target.exists() and not target.is_dir():
        raise Abort(f"refusing to build into {target}: it is a file; choose a folder")
    if target.is_dir():
        visible = [entry.name for entry in target.iterdir() if not entry.name.startswith(".")]
        if visible and not any(name in visible for name in SITE_MARKERS):
            raise Abort(
                f"refusing to replace {target}: it is not empty and does not look like a built site "
                f"(no {', '.join(SITE_MARKERS)}); choose an empty or new folder"
            )


def _enable_offline(config) -> None:
    """Switch on Material's offline plugin before any build event runs."""
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    if offline is None:
        from material.plugins.offline.plugin import OfflinePlugin

        offline = OfflinePlugin()
        errors, _warnings = offline.load_config({"enabled": True})
        if errors:
            raise ValueError(f"offline plugin: {errors}")
        config.plugins["material/offline"] = offline
    offline.config.enabled = True
    # Offline pages must link to files, not folders (the plugin sets this too,
    # but only after other plugins have read it in their on_config).
    config.use_directory_urls = False


def _swap(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging`` using renames, so readers never see half a site.

    Hidden entries of the old site (``.git``, ``.nojekyll``...) are not ours:
    like ``mkdocs build``, we keep them, by moving them into the new site. On
    any failure they go back, so the caller may delete ``staging``.
    """
    kept: list[str] = []
    old = None
    try:
        if target.exists():
            for entry in sorted(target.iterdir()):
                if entry.name.startswith(".") and not (staging / entry.name).exists():
                    entry.rename(staging / entry.name)
                    kept.append(entry.name)
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            old.rmdir()
            target.rename(old)
        staging.rename(target)
    except BaseException:
        if old is not None and not target.exists():
            old.rename(target)
        for name in kept:
            (staging / name).rename(target / name)
        raise
    target.chmod(0o755)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
