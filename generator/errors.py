"""Problems found in a handbook, and the exception that carries them.

Errors are values: loaders return every problem they find rather than raising
at the first, so an author sees all mistakes in one run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One mistake in one file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        # Author text quoted in a message (or a file name) must not drive the
        # terminal with escape codes, or forge extra lines of output.
        return _printable(f"{self.path}:{self.line}:{self.column}: {self.message}")


def _printable(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text)


class PolicybookError(Exception):
    """Raised at a boundary (CLI, MkDocs plugin) when problems stop the work."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(sorted(problems))
        super().__init__(format_problems(self.problems))


def format_problems(problems) -> str:
    """Render problems one per line, followed by a count."""
    lines = [str(p) for p in problems]
    count = len(lines)
    lines.append(f"{count} problem{'s' if count != 1 else ''} found.")
    return "\n".join(lines)


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as authors know it: relative to the project when possible."""
    path = Path(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(Path(base).resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()
