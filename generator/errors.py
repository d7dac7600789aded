"""Problems found in a handbook, and the exception that carries them.

Errors are values: loaders return every problem they find rather than raising
at the first, so an author sees all mistakes in one run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .terminal import printable
from .words import counted


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
        return printable(f"{self.path}:{self.line}:{self.column}: {self.message}", newlines=False)


class PolicybookError(Exception):
    """Raised at a boundary (CLI, MkDocs plugin) when problems stop the work."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(sorted(problems))
        super().__init__(format_problems(self.problems))


def format_problems(problems) -> str:
    """Render problems one per line, followed by a count."""
    lines = [str(p) for p in problems]
    lines.append(f"{counted(len(lines), 'problem')} found.")
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
