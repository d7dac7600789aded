"""Load a handbook: discover files, parse, validate, check, build the model.

``load_handbook`` never raises for bad input: it returns the model (or
``None``) and every problem it found, sorted by file and position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..model import Handbook
from .assemble import build_handbook
from .checks import Registry, check_policy_history, check_settings, check_version
from .discover import discover
from .schema import Schemas, schema_problems
from .yaml_source import YamlFile, read_yaml

EMPTY_SETTINGS = "file is empty: handbook.yaml needs organisation, roles and categories (copy the sample's to start)"

__all__ = ["LoadResult", "Schemas", "load_handbook"]


@dataclass(frozen=True)
class LoadResult:
    handbook: Handbook | None
    problems: tuple[Problem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.handbook is not None and not self.problems


def load_handbook(root: Path, schemas: Schemas | None = None) -> LoadResult:
    """Load ``root`` (the policies folder) into a :class:`Handbook`."""
    schemas = schemas or Schemas.load()
    files, problems = discover(Path(root))

    settings: YamlFile | None = None
    settings_valid = False
    if files.settings is not None:
        settings, found = read_yaml(files.settings, files.shown(files.settings), empty=EMPTY_SETTINGS)
        problems += found
        if settings is not None:
            found = schema_problems(settings, schemas.handbook)
            problems += found
            if not found:
                settings_valid = True
                problems += check_settings(settings)
    # References into a broken handbook.yaml would all look unknown: check
    # them only once it is valid, so one mistake gives one message.
    registry = Registry(settings.data if settings_valid else None)

    valid: list[tuple[Path, YamlFile]] = []
    for path in files.versions:
        doc, found = read_yaml(path, files.shown(path))
        problems += found
        if doc is None:
            continue
        found = schema_problems(doc, schemas.policy)
        problems += found
        if not found:
            valid.append((path, doc))

    policy_ids = {path.parent.name for path in files.versions}
    by_policy: dict[str, list[tuple[Path, YamlFile]]] = {}
    for path, doc in valid:
        problems += check_version(doc, path, registry, policy_ids)
        by_policy.setdefault(path.parent.name, []).append((path, doc))
    for docs in by_policy.values():
        problems += check_policy_history(docs)

    if problems or settings is None:
        return LoadResult(None, tuple(sorted(set(problems))))
    if not valid:
        return LoadResult(None, (Problem(files.shown(files.root), 1, 1, "no policies found: add policies/<policy-id>/v1.yaml"),))
    return LoadResult(build_handbook(settings, [doc for _, doc in valid]))
