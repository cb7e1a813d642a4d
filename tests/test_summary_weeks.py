"""IsoWeek parsing and arithmetic, day windows across DST, and the range of records to load."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from movebreak.summary.accounting import IsoWeek, history_range

BERLIN = ZoneInfo("Europe/Berlin")
UTC = timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-W47", IsoWeek(2026, 47)),
        ("2026-w07", IsoWeek(2026, 7)),
        (" 2026W7 ", IsoWeek(2026, 7)),
        ("2026-W53", IsoWeek(2026, 53)),  # 2026 has 53 ISO weeks
        ("2020-W53", IsoWeek(2020, 53)),
    ],
)
def test_parse_accepts_iso_weeks(text, expected):
    assert IsoWeek.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "is not a week"),
        ("2026-47", "is not a week"),
        ("2026-W", "is not a week"),
        ("26-W47", "is not a week"),
        ("2026-W470", "is not a week"),
        ("2026-W00", "2026 has weeks 1 to 53, not week 0"),
        ("2027-W53", "2027 has weeks 1 to 52, not week 53"),
        ("2026-W54", "2026 has weeks 1 to 53, not week 54"),
    ],
)
def test_parse_rejects_bad_weeks_with_a_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        IsoWeek.parse(text)


def test_parse_rejects_a_non_string():
    with pytest.raises(ValueError, match="expected a week"):
        IsoWeek.parse(202647)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2026, 11, 16), IsoWeek(2026, 47)),  # Monday
        (date(2026, 11, 22), IsoWeek(2026, 47)),  # Sunday
        (date(2027, 1, 1), IsoWeek(2026, 53)),  # a Friday in the last ISO week of 2026
        (date(2025, 12, 29), IsoWeek(2026, 1)),  # a Monday of 2025 in ISO week 2026-W01
        (datetime(2026, 11, 16, 23, 30), IsoWeek(2026, 47)),
    ],
)
def test_containing(day, week):
    assert IsoWeek.containing(day) == week


def test_previous_and_next_cross_the_year():
    assert IsoWeek(2027, 1).previous() == IsoWeek(2026, 53)
    assert IsoWeek(2026, 53).next() == IsoWeek(2027, 1)
    assert IsoWeek(2026, 47).previous() == IsoWeek(2026, 46)
    assert str(IsoWeek(2026, 7)) == "2026-W07"
    assert IsoWeek(2026, 46) < IsoWeek(2026, 47) < IsoWeek(2027, 1)


@pytest.mark.parametrize(
    ("week", "hours"),
    [
        (IsoWeek(2026, 13), [24, 24, 24, 24, 24, 24, 23]),  # Sun 29 March: clocks go forward
        (IsoWeek(2026, 43), [24, 24, 24, 24, 24, 24, 25]),  # Sun 25 October: clocks go back
        (IsoWeek(2026, 47), [24] * 7),
    ],
)
def test_days_have_local_lengths_across_dst(week, hours):
    days = week.days(BERLIN)
    assert [d.date for d in days] == list(week.dates())
    assert [(d.end - d.start) / timedelta(hours=1) for d in days] == hours
    assert all(a.end == b.start for a, b in zip(days, days[1:]))
    assert days[0].start.astimezone(BERLIN).time() == time(0)


def test_days_start_at_day_starts_at():
    days = IsoWeek(2026, 47).days(BERLIN, time(4, 0))
    assert days[0].start == datetime(2026, 11, 16, 3, 0, tzinfo=UTC)  # 04:00 CET
    assert days[-1].end == datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def test_day_start_inside_the_spring_gap_is_resolved_forward():
    # 02:30 does not exist on 29 March 2026 in Berlin; fold=0 reads it with the old offset
    days = IsoWeek(2026, 13).days(BERLIN, time(2, 30))
    sunday = days[-1]
    assert sunday.start == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # = 03:30 CEST
    assert sunday.end == datetime(2026, 3, 30, 0, 30, tzinfo=UTC)  # 02:30 CEST on Monday
    assert sunday.end - sunday.start == timedelta(hours=23)


@pytest.mark.parametrize(
    ("weeks_back", "start", "end"),
    [
        (0, datetime(2026, 11, 15, 23, 0, tzinfo=UTC), datetime(2026, 11, 22, 23, 0, tzinfo=UTC)),
        # eight weeks back is Monday 21 Sept, still summer time (UTC+2)
        (8, datetime(2026, 9, 20, 22, 0, tzinfo=UTC), datetime(2026, 11, 22, 23, 0, tzinfo=UTC)),
    ],
)
def test_history_range(weeks_back, start, end):
    assert history_range(IsoWeek(2026, 47), BERLIN, weeks_back=weeks_back) == (start, end)


def test_history_range_honours_day_starts_at_and_rejects_negative():
    start, end = history_range(IsoWeek(2026, 47), BERLIN, weeks_back=1, day_starts_at=time(4))
    assert (start, end) == (datetime(2026, 11, 9, 3, 0, tzinfo=UTC), datetime(2026, 11, 23, 3, 0, tzinfo=UTC))
    with pytest.raises(ValueError):
        history_range(IsoWeek(2026, 47), BERLIN, weeks_back=-1)
