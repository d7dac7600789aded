"""Staff and public editions from one source: nothing staff-only reaches the public build."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from policybook.cli import cli
from policybook.edition import Edition, public_edition, select_edition
from policybook.load import load_handbook
from policybook.model import Status
from tests.conftest import SETTINGS, write_handbook

TODAY = "2026-11-21"

# Each marker is planted in one kind of staff-only material.
MARKERS = {
    "STAFFPOLICYMARK": "a policy marked visibility: staff",
    "STAFFSECTIONMARK": "a section marked visibility: staff",
    "STAFFCLAUSEMARK": "a clause marked visibility: staff",
    "MINUTEMARK": "the approval minute reference",
    "MASTERCOPYMARK": "the organisation's master-copy note",
    "DRAFTMARK": "a draft version of a public policy",
    "STAFFKEYWORDMARK": "keywords of a staff-only clause",
    "STAFFDEFINITIONMARK": "a definition in a staff-only policy",
}

PUBLIC_V1 = """\
policy: open
version: "1"
title: Open policy
category: safeguarding
status: adopted
visibility: public
effective: 2024-09-01
approval:
  body: Governing board
  date: 2024-07-01
  minute: MINUTEMARK 12
owner: governing-board
review:
  lead: dsl
scope:
  roles: [all-staff]
related: [closed]
legislation: [kcsie]
sections:
  - id: reporting
    title: Reporting
    clauses:
      - id: report-concerns
        obligation: must
        text: Staff report every concern to the safeguarding lead.
        responsible: [dsl]
      - id: out-of-hours
        visibility: staff
        obligation: must
        keywords: [STAFFKEYWORDMARK]
        text: Out of hours ring the DSL on STAFFCLAUSEMARK 07700 900000.
      - id: keep-records
        obligation: must
        applies_to: [teacher]
        text: Teachers keep a written record of what they saw.
  - id: internal
    title: Internal arrangements
    visibility: staff
    clauses:
      - id: rota
        obligation: must
        applies_to: [dsl]
        text: The STAFFSECTIONMARK rota is kept in the office.
"""

PUBLIC_DRAFT = PUBLIC_V1.replace('version: "1"', 'version: "2"').replace("status: adopted", "status: draft").replace(
    "Teachers keep a written record", "Teachers keep a DRAFTMARK record")

STAFF_ONLY = """\
policy: closed
version: "1"
title: Closed STAFFPOLICYMARK policy
category: safeguarding
status: adopted
effective: 2024-09-01
approval:
  body: Governing board
  date: 2024-07-01
owner: governing-board
review:
  lead: dsl
scope:
  roles: [all-staff]
definitions:
  - term: Lockdown
    meaning: The STAFFDEFINITIONMARK procedure.
sections:
  - id: main
    title: Main
    clauses:
      - id: do-it
        obligation: must
        text: Staff follow the STAFFPOLICYMARK procedure.
"""

SETTINGS_WITH_MASTER = SETTINGS.replace(
    "  name: Testing School\n", "  name: Testing School\n  master_copy: Signed copies are in the MASTERCOPYMARK folder.\n")

MKDOCS_YML = """\
site_name: Testing School handbook
use_directory_urls: false
site_url: https://handbook.example.org/
theme:
  name: material
plugins:
  - search
  - policybook:
      policies_dir: policies
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("editions")
    write_handbook(root, {"open/v1.yaml": PUBLIC_V1, "open/v2.yaml": PUBLIC_DRAFT, "closed/v1.yaml": STAFF_ONLY},
                   settings=SETTINGS_WITH_MASTER)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "docs").mkdir()
    return root


def build(project: Path, edition: str, *extra: str) -> Path:
    target = project / f"site-{edition}{'-'.join(extra)}"
    result = CliRunner().invoke(cli, ["build", "-f", str(project / "mkdocs.yml"), "-d", str(target),
                                      "--today", TODAY, "--edition", edition, *extra])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return target


def markers_in(site: Path) -> dict[str, list[str]]:
    """Every marker found in any byte of any file, with the files it is in."""
    found: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            for marker in MARKERS:
                if marker.encode() in data:
                    found.setdefault(marker, []).append(path.relative_to(site).as_posix())
    return found


def test_public_edition_contains_no_staff_only_byte(project):
    public = build(project, "public")
    found = markers_in(public)
    assert not found, "\n".join(f"{m} ({MARKERS[m]}) in {files[:5]}" for m, files in found.items())
    # And what is public is there: the page, its public clauses, the sitemap.
    page = (public / "policies" / "open.html").read_text(encoding="utf-8")
    assert 'id="report-concerns"' in page and 'id="keep-records"' in page
    assert "policies/open.html" in (public / "sitemap.xml").read_text(encoding="utf-8")
    assert not (public / "policies" / "closed.html").exists()


def test_staff_edition_keeps_everything(project):
    staff = build(project, "staff")
    assert set(markers_in(staff)) == set(MARKERS), "the markers are planted where the staff build shows them"


def test_public_offline_edition_is_also_clean(project):
    site = build(project, "public", "--offline")
    assert (site / "search" / "search_index.js").is_file()
    assert not markers_in(site)


def test_public_edition_model_keeps_clause_numbers(project):
    handbook = load_handbook(project / "policies").handbook
    public = public_edition(handbook)
    assert [p.id for p in public.policies] == ["open"]
    (version,) = public.policy("open").versions
    assert version.status is Status.ADOPTED, "drafts are internal"
    assert [c.number for c in version.clauses] == ["1.1", "1.3"], "a hidden clause leaves a gap, numbers match the staff edition"
    assert version.approval.minute is None and version.related == ()
    assert public.organisation.master_copy is None
    assert select_edition(handbook, Edition.STAFF) is handbook


def test_plugin_config_defaults_and_public_site_name(project):
    from policybook.mkdocs_adapter.config import PolicybookConfig

    config = PolicybookConfig()
    config.load_dict({})
    errors, warnings = config.validate()
    assert not errors and not warnings
    assert config.edition == "staff" and config.public_site_name is None
    config = PolicybookConfig()
    config.load_dict({"edition": "parents"})
    errors, _ = config.validate()
    assert errors and errors[0][0] == "edition"
    public = project / "site-public"  # usually built by the first test of this module
    if not public.is_dir():
        public = build(project, "public")
    html = (public / "index.html").read_text(encoding="utf-8")
    title = html.split("<title>")[1].split("</title>")[0]
    assert title == "Testing School policies - Testing School policies"
    assert "staff" not in html.split('<header class="md-header')[1].split("</header>")[0].lower()


@pytest.mark.parametrize("value, ok", [("2026-11-21", True), (dt.date(2026, 11, 21), True), ("2026-13-01", False),
                                       ("21/11/2026", False), (20261121, False), ("20261121", False),
                                       ("2026-W47-6", False)])
def test_plugin_today_option_checks_itself(value, ok):
    from policybook.mkdocs_adapter.config import PolicybookConfig

    config = PolicybookConfig()
    config.load_dict({"today": value})
    errors, _ = config.validate()
    if ok:
        assert not errors and config.today == dt.date(2026, 11, 21)
    else:
        assert errors and errors[0][0] == "today" and "is not a date: write it as YYYY-MM-DD" in str(errors[0][1])


def test_plugin_today_is_a_plausible_date_as_today_on_the_command_line_is():
    from policybook.mkdocs_adapter.config import PolicybookConfig

    config = PolicybookConfig()
    config.load_dict({"today": dt.date(1850, 1, 1)})
    errors, _ = config.validate()
    assert errors and "1850-01-01 is not between 1900-01-01 and 2200-12-31" in str(errors[0][1])


@pytest.mark.parametrize("command", [["build", "-d", "SITE"], ["validate"], ["export", "OUT"]])
def test_an_impossible_unquoted_date_in_mkdocs_yml_is_located(tmp_path, monkeypatch, command):
    # YAML reads an unquoted 2026-13-01 as a date and fails with a bare
    # ValueError, in MkDocs' own loader too: it was an "Internal error".
    from tests.test_site_build import copy_project

    project = copy_project(tmp_path)
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - policybook:\n" in text
    (project / "mkdocs.yml").write_text(text.replace("  - policybook:\n", "  - policybook:\n      today: 2026-13-01\n", 1),
                                        encoding="utf-8")
    line = text[:text.index("  - policybook:\n")].count("\n") + 2
    monkeypatch.chdir(project)
    args = [str(tmp_path / arg) if arg.isupper() else arg for arg in command]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert f"mkdocs.yml:{line}:14: '2026-13-01' is not a date (month must be in 1..12): write it as YYYY-MM-DD" in result.output
    assert "Internal error" not in result.output
    assert not (tmp_path / "SITE").exists() and not (tmp_path / "OUT").exists()
