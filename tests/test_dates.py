"""Dates with a precision: parsing, ordering, and when something "by" them falls due."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from policybook.dates import DateOrder, PolicyDate, Precision, parse_date
from policybook.model import Handbook, Organisation, Policy, PolicyVersion, Review, Scope, Status
from policybook.views.schedule import build_schedule, next_review
from tests.conftest import ROOT


def parsed(text) -> PolicyDate:
    found, reason = parse_date(text)
    assert found is not None, reason
    return found


@pytest.mark.parametrize("text, precision, start, end", [
    ("2026-09-01", Precision.DAY, dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
    ("18 January 2017", Precision.DAY, dt.date(2017, 1, 18), dt.date(2017, 1, 18)),
    ("18th January 2017", Precision.DAY, dt.date(2017, 1, 18), dt.date(2017, 1, 18)),
    ("18 th January 2017", Precision.DAY, dt.date(2017, 1, 18), dt.date(2017, 1, 18)),
    ("1st Sept 2016", Precision.DAY, dt.date(2016, 9, 1), dt.date(2016, 9, 1)),
    ("January 2018", Precision.MONTH, dt.date(2018, 1, 1), dt.date(2018, 1, 31)),
    ("february 2024", Precision.MONTH, dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("Spring 2016", Precision.TERM, dt.date(2016, 1, 1), dt.date(2016, 3, 31)),
    ("Summer term 2026", Precision.TERM, dt.date(2026, 4, 1), dt.date(2026, 7, 31)),
    ("autumn term 2016", Precision.TERM, dt.date(2016, 9, 1), dt.date(2016, 12, 31)),
    ("2016", Precision.YEAR, dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
    (2016, Precision.YEAR, dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
])
def test_each_form_keeps_its_precision(text, precision, start, end):
    found = parsed(text)
    assert (found.precision, found.start, found.end) == (precision, start, end)
    assert found.exact is (precision is Precision.DAY)


def test_a_date_is_shown_as_written_with_its_precision():
    assert parsed("2026-09-01").label == "1 September 2026"
    assert parsed("18th  January 2017").label == "18 January 2017"
    assert parsed("18th  January 2017").written == "18th January 2017"
    assert parsed("january 2018").label == "January 2018"
    assert parsed("Spring 2016").label == "Spring term 2016"
    assert parsed(2016).label == "2016"


@pytest.mark.parametrize("text, words", [
    ("06.05.18", ["6 May 2018", "5 June 2018", "2018-05-06"]),
    ("01/07/2024", ["1 July 2024", "7 January 2024", "2024-07-01"]),
    ("18.01.17", ["18 January 2017", "2017-01-18"]),
])
def test_numbers_only_dates_are_refused_with_their_readings(text, words):
    found, reason = parse_date(text)
    assert found is None
    for word in words:
        assert word in reason


def test_the_unambiguous_numeric_date_names_its_only_reading():
    reason = parse_date("18.01.17")[1]
    assert "5 June" not in reason and "could be" not in reason


def test_the_refusal_names_the_setting_that_reads_them():
    for text in ("06.05.18", "18.01.17"):
        assert "date_order: day-first (or month-first) in handbook.yaml" in parse_date(text)[1]


@pytest.mark.parametrize("text, order, day", [
    ("06.05.18", DateOrder.DAY_FIRST, dt.date(2018, 5, 6)),
    ("06.05.18", DateOrder.MONTH_FIRST, dt.date(2018, 6, 5)),
    ("06/05/2018", DateOrder.DAY_FIRST, dt.date(2018, 5, 6)),
    ("6/5/2018", DateOrder.MONTH_FIRST, dt.date(2018, 6, 5)),
    ("31.12.69", DateOrder.DAY_FIRST, dt.date(2069, 12, 31)),   # 00-69: this century
    ("01.01.70", DateOrder.DAY_FIRST, dt.date(1970, 1, 1)),     # 70-99: the last
])
def test_a_handbooks_date_order_reads_numbers_only_dates(text, order, day):
    found, reason = parse_date(text, order)
    assert found is not None, reason
    assert (found.start, found.end, found.precision, found.written) == (day, day, Precision.DAY, text)


def test_a_numbers_only_date_orders_as_the_day_it_means():
    read = [parse_date(t, DateOrder.DAY_FIRST)[0] for t in ("12.01.18", "01.12.17", "2018-01-05")]
    assert [d.written for d in sorted(read)] == ["01.12.17", "2018-01-05", "12.01.18"]


def test_a_date_that_is_not_real_in_the_handbooks_order_says_which_order():
    found, reason = parse_date("13/05/2018", DateOrder.MONTH_FIRST)
    assert found is None and "read month-first" in reason and "date_order" in reason
    assert parse_date("13/05/2018", DateOrder.DAY_FIRST)[0].start == dt.date(2018, 5, 13)


@pytest.mark.parametrize("text", ["next September", "Winter 2016", "2024-02-30", "31 June 2020", "Smarch 2020", "", True, 12.5, None])
def test_what_is_not_a_date(text):
    found, reason = parse_date(text)
    assert found is None and reason


def test_dates_order_by_their_first_day_then_their_last():
    dates = [parsed(t) for t in ("2017", "January 2017", "Spring term 2017", "2016-12-31", "2017-01-01")]
    assert [d.written for d in sorted(dates)] == ["2016-12-31", "2017-01-01", "January 2017", "Spring term 2017", "2017"]


def test_a_month_moves_by_whole_months_and_stays_a_month():
    moved = parsed("January 2018").plus_months(12)
    assert (moved.start, moved.end, moved.label) == (dt.date(2019, 1, 1), dt.date(2019, 1, 31), "January 2019")
    term = parsed("Spring 2016").plus_months(12)
    assert (term.end, term.label) == (dt.date(2017, 3, 31), "Spring term 2017")
    assert parsed("2025-01-31").plus_months(1).start == dt.date(2025, 2, 28)


def _version(**review):
    effective = review.pop("effective", None)
    return PolicyVersion(
        policy_id="p", version="1", title="P", category="c", status=Status.ADOPTED, owner="o", scope=Scope(("a",)),
        sections=(), review=Review(lead=None, cycle_months=12, **review), effective=effective,
    )


def test_a_review_by_a_month_falls_due_at_its_end():
    handbook = Handbook(Organisation("School"), (), (), (), 12, (Policy("p", (_version(next=parsed("January 2018")),)),))
    (row,) = build_schedule(handbook, dt.date(2018, 1, 20)).rows
    assert (row.due, row.days_left, row.state) == (dt.date(2018, 1, 31), 11, "due-soon")
    (row,) = build_schedule(handbook, dt.date(2018, 2, 1)).rows
    assert row.state == "overdue"


def test_the_review_cycle_keeps_the_effective_dates_precision():
    assert next_review(_version(effective=parsed("September 2016"))).label == "September 2017"
    assert next_review(_version(effective=parsed("2016-09-01"))) == PolicyDate.of_day(dt.date(2017, 9, 1))


REFERENCE = ROOT.parent / "shared" / "reference"
_MONTH_WORD = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December|Spring|Summer|Autumn)\b")


def test_the_dates_of_a_real_review_record_are_accepted():
    """Every date in the review record and signatories of a real policy reads, with its precision."""
    source = REFERENCE / "000_d78c35f856c7d530.txt"
    if not source.is_file():
        pytest.skip("the reference documents (../shared/reference) are not here")
    record = source.read_text(encoding="utf-8").split("1. Introduction")[0]
    cells = [cell.strip() for line in record.splitlines() for cell in re.split(r"\t|:\s", line)]
    dates = [cell for cell in cells if _MONTH_WORD.search(cell) and re.search(r"\d{4}$", cell)]
    assert len(dates) >= 5, dates
    found = {text: parsed(text) for text in dates}
    assert {date.precision for date in found.values()} == {Precision.DAY, Precision.MONTH}
    # "Date of next review: January 2018" falls due at the end of that month.
    assert found["January 2018"].end == dt.date(2018, 1, 31)
    assert found["18 th January 2017"].start == dt.date(2017, 1, 18)
