"""Load a handbook: discover files, parse, validate, check, build the model.

``load_handbook`` never raises for bad input: it returns the model (or
``None``) and every problem it found, sorted by file and position.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..dates import DateOrder
from ..errors import Problem
from ..model import Handbook, PolicyVersion
from .assemble import build_handbook, build_version, version_settings
from .cache import ParseCache
from .checks import (
    Registry, check_policies, check_policy_history, check_settings, check_version, role_lookalikes, structure_warnings,
)
from .discover import discover
from .schema import Schemas
from .yaml_source import YamlFile

EMPTY_SETTINGS = "file is empty: handbook.yaml needs organisation, roles and categories (copy the sample's to start)"

__all__ = ["LoadResult", "ParseCache", "Schemas", "load_handbook"]


@dataclass(frozen=True)
class LoadResult:
    handbook: Handbook | None
    problems: tuple[Problem, ...] = field(default=())
    #: Likely mistakes that do not stop the build (their messages start with "warning:").
    warnings: tuple[Problem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.handbook is not None and not self.problems


def load_handbook(root: Path, schemas: Schemas | None = None, cache: ParseCache | None = None) -> LoadResult:
    """Load ``root`` (the policies folder) into a :class:`Handbook`.

    Callers that load big handbooks pause the garbage collector around it
    (``speed.collector.collector_paused``): parsing makes hundreds of thousands of
    small dicts, lists and tuples, none in a cycle, and the collector's
    repeated passes over them were a tenth of the load time.

    Args:
        root: the policies folder.
        schemas: compiled validators (default: the cache's, or loaded now).
        cache: keeps each file's parse and schema check while the file is
            unchanged, for repeated loads (``mkdocs serve``, validate then build).
    """
    cache = cache if cache is not None else ParseCache(schemas)
    schemas = schemas or cache.validators()
    files, problems = discover(Path(root))
    misses_before = cache.misses

    settings: YamlFile | None = None
    warnings: list[Problem] = []
    # Every file that could be parsed is checked, whether or not it passed
    # the schema: one run reports every problem (the checks read only the
    # values that are well-formed, see checks.py).
    if files.settings is not None:
        settings, parsed, found = cache.read(files.settings, files.shown(files.settings), schemas.handbook, empty=EMPTY_SETTINGS)
        problems += parsed + found
        if settings is not None:
            problems += check_settings(settings)
            warnings = role_lookalikes(settings)
    # A list of handbook.yaml with a broken entry is not used to check
    # references (they would all look unknown): one mistake, one message.
    registry = Registry(settings.data if settings is not None else None)

    policy_ids = frozenset(path.parent.name for path in files.versions)
    ahead = _ChecksAhead(settings, registry, policy_ids, cache, model_wanted=settings is not None and not problems)
    parsed_docs: list[tuple[Path, YamlFile]] = []
    for path, (doc, parsed, found) in zip(files.versions, cache.read_all(files.versions, files.shown, schemas.policy, ahead=ahead)):
        problems += parsed + found
        if doc is not None:
            parsed_docs.append((path, doc))

    # Nothing parsed afresh and the same files as last time: the cross-file
    # checks and the model would come out the same (``policybook build``
    # validates, then MkDocs' plugin loads again; serve rebuilds after a
    # change to mkdocs.yml or docs/).
    loaded = (os.path.abspath(files.root), tuple(map(files.shown, files.versions)), tuple(problems), id(schemas))
    if cache.misses == misses_before and cache.last_load is not None and cache.last_load[0] == loaded:
        return cache.last_load[1]
    result = _check_and_assemble(files, settings, registry, policy_ids, parsed_docs, problems, warnings, cache)
    cache.last_load = (loaded, result)
    return result


def _check_and_assemble(files, settings, registry, policy_ids, docs, problems, warnings, cache: ParseCache) -> LoadResult:
    by_policy: dict[str, list[tuple[Path, YamlFile]]] = {}
    for path, doc in docs:
        problems += cache.derive("checked", doc, _checked_inputs(path, settings, policy_ids),
                                 lambda: _checked(doc, path, registry, policy_ids))
        by_policy.setdefault(path.parent.name, []).append((path, doc))
    for versions in by_policy.values():
        problems += check_policy_history(versions, registry.date_order)
    across, more_warnings = check_policies(by_policy)
    problems += across
    warnings = (*warnings, *more_warnings)

    if problems or settings is None:
        return LoadResult(None, tuple(sorted(set(problems))), tuple(sorted(warnings)))
    # Alternatives and placeholders are read as the schema shapes them: only
    # once every file has passed it (files with problems are checked too).
    warnings = tuple(sorted([*warnings, *(warning for _, doc in docs for warning in cache.derive(
        "structure", doc, (), lambda: _structure(doc)))]))
    if not docs:
        return LoadResult(None, (Problem(files.shown(files.root), 1, 1, "no policies found: add policies/<policy-id>/v1.yaml"),), warnings)

    return LoadResult(build_handbook(settings, [doc for _, doc in docs], partial(_version, cache)), warnings=warnings)


def _checked_inputs(path: Path, settings: YamlFile | None, policy_ids: frozenset[str]) -> tuple:
    # The registry is made from handbook.yaml's document: the same object while the file is unchanged.
    return path, settings, policy_ids


def _checked(doc: YamlFile, path: Path, registry: Registry, policy_ids: frozenset[str]) -> tuple[Problem, ...]:
    return tuple(check_version(doc, path, registry, policy_ids))


def _structure(doc: YamlFile) -> tuple[Problem, ...]:
    return tuple(structure_warnings(doc))


def _version(cache: ParseCache, doc: YamlFile, default_months: int, order: DateOrder | None) -> PolicyVersion:
    return cache.derive("version", doc, (default_months, order), lambda: build_version(doc, default_months, order))


class _ChecksAhead:
    """Each version file's own checks, worked out as it is parsed (a :class:`~.cache.WorkAhead`).

    ``check_version`` and, for a file with no problem, ``structure_warnings``
    run where the file is parsed, so on both cores when the parse is shared
    (``speed.parallel.fork_map``): they need only handbook.yaml and the policy
    ids, known before the parse, and only their few problems come back. The
    model of a file with no problem is built here as its parse arrives, while
    the child parses others: a pickled version costs as much to load as to
    build, so the child does not build them. Both were a serial stretch
    after the parse, with the second core idle (issue 21).

    Every result is one ``_check_and_assemble`` would make: it finds them
    through ``ParseCache.derive``, and makes any that is missing (an error,
    which then surfaces where it always has).
    """

    def __init__(self, settings: YamlFile | None, registry: Registry, policy_ids: frozenset[str], cache: ParseCache,
                 *, model_wanted: bool) -> None:
        self.settings = settings
        self.registry = registry
        self.policy_ids = policy_ids
        self.cache = cache
        # No model comes of a load with a problem: once one is seen, none is built ahead.
        self.model_settings = _made_or_none(lambda: version_settings(settings)) if model_wanted else None

    def work_out(self, path: Path, doc: YamlFile, problems: list[Problem]) -> dict[str, object]:
        checked = _made_or_none(lambda: _checked(doc, path, self.registry, self.policy_ids))
        if checked is None:
            return {}
        if problems or checked:  # the structure is read only once a file has passed every check
            return {"checked": checked}
        structure = _made_or_none(lambda: _structure(doc))
        return {"checked": checked} if structure is None else {"checked": checked, "structure": structure}

    def inputs(self, what: str, path: Path) -> object:
        return _checked_inputs(path, self.settings, self.policy_ids) if what == "checked" else ()

    def meanwhile(self, path: Path, doc: YamlFile, problems: list[Problem], worked_out: dict[str, object]) -> None:
        if problems or worked_out.get("checked") != ():
            self.model_settings = None
        if self.model_settings is not None:
            _made_or_none(lambda: _version(self.cache, doc, *self.model_settings))


def _made_or_none(make):
    """``make()``, or ``None`` if it raised: the load makes it again in its own time and the error surfaces there."""
    try:
        return make()
    except Exception:
        return None
