"""``policybook new``: a small, ready handbook for an organisation's own policies.

The files under ``handbook/`` are copied as they are, but for a few
``${name}`` fields (the organisation and dates, so that the starter's
policies are in force and not overdue on the day it is made). The JSON
Schemas are copied beside them, so the ``$schema`` comment line of every
YAML file finds them in any editor, with or without Policybook installed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources
from pathlib import Path

from ..dates import PolicyDate
from ..load.schema import schema_folder

__all__ = ["StarterError", "write_starter"]

_FIELD = re.compile(r"\$\{(\w+)\}")
#: Entries a fresh folder may already hold: ``git init`` or an empty clone.
_ALLOWED_BEFORE = {".git"}


class StarterError(Exception):
    """The folder cannot take a new handbook; the message names the fix."""


def write_starter(directory: Path, *, organisation: str, today: dt.date) -> list[Path]:
    """Write the starter handbook into ``directory`` and return the files written.

    Raises:
        StarterError: ``directory`` is a file or already holds something.
    """
    if directory.exists() and not directory.is_dir():
        raise StarterError(f"{directory} is a file: give the name of a new folder")
    if directory.is_dir():
        present = sorted(p.name for p in directory.iterdir() if p.name not in _ALLOWED_BEFORE)
        if present:
            shown = ", ".join(present[:5]) + (", ..." if len(present) > 5 else "")
            raise StarterError(f"{directory} is not empty (it holds {shown}): "
                               "give the name of a new folder, or empty this one first")
    fields = {
        # A JSON string is a YAML double-quoted scalar: any name is written safely.
        "organisation": json.dumps(organisation, ensure_ascii=False),
        "site_name": json.dumps(organisation, ensure_ascii=False),
        "today": today.isoformat(),
        "a_year_ago": _add_years(today, -1).isoformat(),
        "in_one_year": _add_years(today, 1).isoformat(),
        "in_two_years": _add_years(today, 2).isoformat(),
        # Approximate dates, as real records give them ("reviewed with staff in March 2026").
        "this_month": _month(today),
        "half_a_year_ago": _month(PolicyDate.of_day(today).plus_months(-6).start),
    }
    written = []
    source = resources.files(__name__).joinpath("handbook")
    for relative, text in _files(source):
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_FIELD.sub(lambda m: fields[m.group(1)], text), encoding="utf-8")
        written.append(target)
    for schema in sorted(schema_folder().iterdir(), key=lambda p: p.name):
        if schema.name.endswith(".schema.json"):
            target = directory / "schema" / schema.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(schema.read_text(encoding="utf-8"), encoding="utf-8")
            written.append(target)
    return written


def _files(folder, prefix: str = ""):
    """``(relative path, text)`` of every starter file, in a stable order."""
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name == "__pycache__":
            continue
        # Packaging drops dot-files, so the starter keeps its .gitignore as gitignore.
        name = ".gitignore" if entry.name == "gitignore" else entry.name
        if entry.is_dir():
            yield from _files(entry, f"{prefix}{name}/")
        else:
            yield f"{prefix}{name}", entry.read_text(encoding="utf-8")


def _month(day: dt.date) -> str:
    """``March 2026``: a date to the month, as the policies' dates accept it."""
    return f"{day:%B %Y}"


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)
