"""Shared fixtures: small handbooks written into tmp_path, and the sample."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_POLICIES = ROOT / "policies"

SETTINGS = """\
organisation:
  name: Testing School
roles:
  - id: all-staff
    name: All staff
  - id: teacher
    name: Teacher
    includes: [all-staff]
  - id: dsl
    name: Designated safeguarding lead
    aliases: [DSL, safeguarding lead]
    includes: [teacher]
  - id: governing-board
    name: Governing board
categories:
  - id: safeguarding
    title: Safeguarding
legislation:
  - id: kcsie
    title: Keeping children safe in education
"""

VERSION = """\
policy: demo
version: "{version}"
title: Demo policy
category: safeguarding
status: {status}
effective: {effective}
approval:
  body: Governing board
  date: {approved}
owner: governing-board
review:
  lead: dsl
  next: 2030-01-01
scope:
  roles: [all-staff]
legislation: [kcsie]
sections:
  - id: reporting
    title: Reporting
    clauses:
      - id: report-concerns
        obligation: {obligation}
        text: Staff report every concern to the safeguarding lead.
        responsible: [dsl]
        deadline: the same day
      - id: keep-records
        obligation: must
        applies_to: [teacher]
        text: Teachers keep a written record of what they saw.
"""


def version_text(version="1", status="adopted", effective="2024-09-01", approved="2024-07-01", obligation="should") -> str:
    return VERSION.format(version=version, status=status, effective=effective, approved=approved, obligation=obligation)


def write_handbook(root: Path, files: dict[str, str] | None = None, *, settings: str = SETTINGS) -> Path:
    """Write a handbook under ``root/policies``; ``files`` maps relative paths to text."""
    policies = root / "policies"
    policies.mkdir(parents=True, exist_ok=True)
    (policies / "handbook.yaml").write_text(settings, encoding="utf-8")
    for name, text in (files if files is not None else {"demo/v1.yaml": version_text()}).items():
        path = policies / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return policies


@pytest.fixture
def handbook_dir(tmp_path: Path):
    """A factory: ``handbook_dir(files)`` writes a handbook and returns its folder."""
    return lambda files=None, **kwargs: write_handbook(tmp_path, files, **kwargs)


# Browser fixtures live in tests/browser.py; importing the fixture here makes it
# available to every test module.
from tests.browser import browser  # noqa: E402,F401
