"""The review schedule: the page, the `review` command, and the build date."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from policybook.cli import cli
from policybook.load import load_handbook
from policybook.clock import build_date
from policybook.views.schedule import build_schedule
from tests.conftest import SAMPLE_POLICIES
from tests.test_site_build import built, read  # noqa: F401  (module fixture)


def test_schedule_buckets_on_a_hand_built_date():
    handbook = load_handbook(SAMPLE_POLICIES).handbook
    schedule = build_schedule(handbook, dt.date(2026, 11, 21))
    assert [r.version.policy_id for r in schedule.overdue] == ["acceptable-use"]
    assert {r.version.policy_id for r in schedule.bucket("due-soon")} == {"social-media", "code-of-conduct"}
    later = build_schedule(handbook, dt.date(2020, 1, 1))
    assert not later.overdue


def test_review_command_prints_owner_lead_and_cycle():
    result = CliRunner().invoke(cli, ["review", "-p", str(SAMPLE_POLICIES), "--today", "2026-11-21"])
    assert result.exit_code == 0, result.output
    assert "Review schedule as of 2026-11-21" in result.output
    assert "Overdue (1)" in result.output and "Due soon (2)" in result.output
    line = next(line for line in result.output.splitlines() if "Child Protection" in line)
    # A committee owns it; its review is due by the end of a month.
    assert "owner Pupils and Safeguarding Committee" in line and "review lead Designated safeguarding lead" in line
    assert "every 12 months, statutory" in line and "by September 2027 (due 2027-09-30)" in line


def test_review_fail_on_overdue_exit_codes():
    runner = CliRunner()
    overdue = runner.invoke(cli, ["review", "-p", str(SAMPLE_POLICIES), "--today", "2026-11-21", "--fail-on-overdue"])
    assert overdue.exit_code == 1
    assert "1 policy is overdue" in overdue.output
    fine = runner.invoke(cli, ["review", "-p", str(SAMPLE_POLICIES), "--today", "2025-01-01", "--fail-on-overdue"])
    assert fine.exit_code == 0, fine.output


def test_review_honours_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc).timestamp())))
    assert build_date() == dt.date(2026, 11, 21)
    assert build_date("2030-01-01") == dt.date(2030, 1, 1), "--today wins"
    result = CliRunner().invoke(cli, ["review", "-p", str(SAMPLE_POLICIES)])
    assert "as of 2026-11-21" in result.output


def test_schedule_page_shows_owner_lead_and_statutory_cycle(built):  # noqa: F811
    html = read(built, "review.html")
    assert "As of 21 November 2026" in html
    overdue = html.split('id="overdue"')[1].split('id="due-soon"')[0]
    assert "Acceptable Use of IT Policy" in overdue and "17 days overdue" in overdue
    row = next(r for r in html.split("<tr>") if "Child Protection" in r and r.startswith("<td>"))
    assert "Pupils and Safeguarding Committee" in row and "Designated safeguarding lead" in row and "12 months (statutory)" in row
    assert "September 2027: due by its end, 30 September 2027" in row
