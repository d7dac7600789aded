"""Find the handbook's YAML files and refuse anything out of place."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, display_path

SETTINGS_FILE = "handbook.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
NOT_REGULAR = "not a regular file or folder (a pipe, socket or device): remove it"
LINK_LOOP = "a link that leads back to itself (a loop of links): remove it"
LINK_BROKEN = "a link to a file or folder that does not exist: remove it, or copy the file in"


@dataclass(frozen=True, slots=True)
class SourceFiles:
    """The settings file and the policy version files, in a stable order."""

    root: Path
    settings: Path | None
    versions: tuple[Path, ...]
    #: Display names worked out during discovery (each file resolved once, not twice).
    names: dict = field(default_factory=dict, compare=False)

    def shown(self, path: Path) -> str:
        name = self.names.get(path)
        return name if name is not None else display_path(path, self.root.parent)


def discover(root: Path) -> tuple[SourceFiles, list[Problem]]:
    """List ``root/handbook.yaml`` and ``root/<policy>/<version>.yaml``."""
    root = Path(root)
    problems: list[Problem] = []
    shown = lambda path: display_path(path, root.parent)  # noqa: E731
    if not root.is_dir():
        return SourceFiles(root, None, ()), [Problem(shown(root), 1, 1, "policies folder not found: create it, or pass the right path")]
    resolved_root = root.resolve()
    base = root.parent.resolve()
    names: dict[Path, str] = {}

    settings = root / SETTINGS_FILE
    if not settings.is_file():
        problems.append(Problem(shown(settings), 1, 1, f"{SETTINGS_FILE} not found: every handbook needs one (organisation, roles, categories)"))
        settings = None

    versions: list[Path] = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        broken = _broken_link(entry)
        if broken:
            problems.append(Problem(f"{shown(root)}/{entry.name}", 1, 1, broken))
            continue
        if not _inside(entry.resolve(), resolved_root):
            problems.append(Problem(shown(entry), 1, 1, "links outside the policies folder are refused: copy the file in instead"))
            continue
        if not entry.is_file() and not entry.is_dir():
            problems.append(Problem(shown(entry), 1, 1, NOT_REGULAR))
            continue
        if entry.is_file():
            if entry.name != SETTINGS_FILE and entry.suffix in YAML_SUFFIXES:
                problems.append(Problem(
                    shown(entry), 1, 1,
                    f"policy files live in a folder named after the policy: move it to {root.name}/<policy-id>/v<version>.yaml",
                ))
            continue
        for file in sorted(entry.iterdir()):
            if file.name.startswith("."):
                continue
            broken = _broken_link(file)
            if broken:
                problems.append(Problem(f"{shown(entry)}/{file.name}", 1, 1, broken))
                continue
            resolved = file.resolve()
            if not _inside(resolved, resolved_root):
                problems.append(Problem(shown(file), 1, 1, "links outside the policies folder are refused: copy the file in instead"))
            elif not file.is_file() and not file.is_dir():
                problems.append(Problem(shown(file), 1, 1, NOT_REGULAR))
            elif file.is_dir():
                problems.append(Problem(shown(file), 1, 1, "folders inside a policy folder are not read: keep one file per version"))
            elif file.suffix in YAML_SUFFIXES:
                versions.append(file)
                if resolved.is_relative_to(base):
                    names[file] = resolved.relative_to(base).as_posix()
            else:
                problems.append(Problem(shown(file), 1, 1, "not a YAML file: policy versions are <policy-id>/v<version>.yaml"))
    return SourceFiles(root, settings, tuple(versions), names), problems


def _inside(resolved: Path, resolved_root: Path) -> bool:
    """Whether a resolved path lies inside the resolved policies folder."""
    return resolved == resolved_root or resolved.is_relative_to(resolved_root)


def _broken_link(path: Path) -> str | None:
    """Why a symbolic link cannot be followed, or ``None``.

    Checked before ``resolve``, which raises on a loop of links (an internal
    error before this) or, in newer Pythons, quietly stops at the loop.
    """
    if not path.is_symlink():
        return None
    try:
        os.stat(path)
    except OSError as error:
        return LINK_LOOP if error.errno == errno.ELOOP else LINK_BROKEN
    return None
