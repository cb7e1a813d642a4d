"""Exact numbers for the seeded history and for each counting rule on its own."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from movebreak.records import Activity, BreakKind, Intensity, Reminder, ReminderOutcome, SittingSpan, TrackedSpan
from movebreak.summary import accounting, credit, day, timeline
from movebreak.summary.accounting import IsoWeek, SummaryRules, build_history, build_week, merge_spans
from test_summary_seed import BERLIN, EXERCISE_NAMES, SEEDED_WEEKS, W47, at, seeded_history

MIN = timedelta(minutes=1)


@pytest.fixture(scope="module")
def history():
    return seeded_history()


@pytest.fixture(scope="module")
def summaries(history):
    return {str(s.week): s for s in build_history(SEEDED_WEEKS, BERLIN, **history.kwargs())}


@pytest.fixture(scope="module")
def week47(summaries):
    return summaries["2026-W47"]


# date, sitting, tracked, longest, aerobic (moderate), strength min, mobility, strength day,
# breaks taken, natural, logged, snoozed, skipped, ignored
W47_DAYS = [
    (date(2026, 11, 16), 425, 540, 120, 25, 0, 10, False, 2, 1, 1, 1, 0, 0),  # 78.70 %: under the baseline
    (date(2026, 11, 17), 480, 540, 240, 0, 0, 0, False, 0, 0, 0, 2, 1, 2),
    (date(2026, 11, 18), 400, 480, 180, 0, 50, 0, True, 1, 0, 1, 0, 0, 0),  # two sessions, 50 strength min
    (date(2026, 11, 19), 330, 390, 210, 0, 0, 0, False, 0, 0, 0, 0, 0, 0),  # 120 min before midnight
    (date(2026, 11, 20), 210, 330, 90, 10, 0, 0, False, 1, 1, 0, 0, 0, 0),  # 90 min after midnight
    (date(2026, 11, 21), 0, 0, 0, 0, 0, 0, False, 0, 0, 0, 0, 0, 0),
    (date(2026, 11, 22), 0, 0, 0, 0, 0, 15, False, 0, 0, 1, 0, 0, 0),  # mobility only
]


@pytest.mark.parametrize("row", W47_DAYS, ids=[str(row[0]) for row in W47_DAYS])
def test_week47_day_by_day(week47, row):
    day = week47.days[W47_DAYS.index(row)]
    got = (
        day.date, day.sitting / MIN, day.tracked / MIN, day.longest_sitting / MIN, day.aerobic / MIN,
        day.strength / MIN, day.mobility / MIN, day.strength_day, day.breaks_taken, day.natural_breaks, day.logged_breaks,
        day.reminders_snoozed, day.reminders_skipped, day.reminders_ignored,
    )
    assert got == row


def test_week47_shares_and_baseline_rating(week47):
    shares = [None if d.sitting_share is None else round(d.sitting_share, 4) for d in week47.days]
    assert shares == [0.787, 0.8889, 0.8333, 0.8462, 0.6364, None, None]
    assert [d.at_or_under_baseline for d in week47.days] == [True, False, False, False, True, None, None]
    assert [d.strength_day for d in week47.days] == [False, False, True, False, False, False, False]


def test_week47_totals(week47):
    t = week47.totals
    assert (t.sitting / MIN, t.tracked / MIN, t.aerobic / MIN, t.strength / MIN, t.mobility / MIN) == (1845, 2280, 35, 50, 25)
    assert round(t.sitting_share, 4) == 0.8092
    assert t.longest_sitting == timedelta(hours=4)
    assert (t.strength_days, t.breaks_taken, t.natural_breaks, t.logged_breaks) == (1, 4, 2, 3)
    assert (t.reminders_snoozed, t.reminders_skipped, t.reminders_ignored) == (3, 1, 2)
    assert (t.days_at_or_under_baseline, t.rated_days) == (2, 5)
    assert (t.aerobic_goal_met, t.strength_goal_met, t.who_goals_met) == (False, False, False)


def test_week47_exercises_use_display_names_and_skip_natural_breaks(week47):
    tallies = [(e.name, e.count, e.duration / MIN) for e in week47.exercises]
    assert tallies == [
        ("", 1, 30.0),  # the logged gym session without an exercise id
        ("Squats", 1, 20.0),
        ("Brisk walk", 1, 15.0),
        ("Yoga flow <script>alert(1)</script>", 1, 15.0),
        ("Hip circles", 1, 10.0),
        ("March in place", 1, 10.0),
        ("Stairs", 1, 10.0),
    ]
    assert [e.note for e in week47.days[2].exercises] == [None, "Leg day <script>alert(1)</script>"]


@pytest.mark.parametrize(
    ("week", "activity", "strength_days", "met", "streak", "streak_before", "has_data"),
    [
        ("2026-W39", 0, 0, False, 0, 0, False),
        ("2026-W40", 0, 0, False, 0, 0, False),
        ("2026-W41", 50, 1, False, 0, 0, True),
        ("2026-W42", 150, 2, True, 1, 0, True),  # 3 x 50 min walks; the strength minutes are not aerobic
        ("2026-W43", 150, 2, True, 2, 1, True),  # the October DST week
        ("2026-W44", 150, 2, True, 3, 2, True),
        ("2026-W45", 0, 0, False, 0, 3, False),  # no data breaks the streak
        ("2026-W46", 150, 2, True, 1, 0, True),
        ("2026-W47", 35, 1, False, 0, 1, True),
    ],
)
def test_history_and_streak(summaries, week, activity, strength_days, met, streak, streak_before, has_data):
    s = summaries[week]
    assert (s.totals.aerobic / MIN, s.totals.strength_days, s.totals.who_goals_met) == (activity, strength_days, met)
    assert (s.streak, s.streak_before, s.totals.has_data) == (streak, streak_before, has_data)


def test_history_lists_earlier_weeks_oldest_first(summaries):
    assert [str(t.week) for t in summaries["2026-W47"].history] == [f"2026-W{n}" for n in range(39, 47)]
    assert summaries["2026-W39"].history == ()


def test_a_gap_in_the_weeks_given_breaks_the_streak(history):
    weeks = [IsoWeek(2026, 42), IsoWeek(2026, 44)]  # W43 left out
    result = build_history(weeks, BERLIN, **history.kwargs())
    assert [(s.streak, s.streak_before) for s in result] == [(1, 0), (1, 0)]


def test_empty_week_has_seven_zero_days(history):
    s = build_week(IsoWeek(2026, 45), BERLIN, **history.kwargs())
    assert len(s.days) == 7 and not s.totals.has_data
    assert all(d.sitting == d.tracked == d.aerobic == d.strength == timedelta(0) for d in s.days)
    assert all(d.sitting_share is None and d.at_or_under_baseline is None for d in s.days)
    assert (s.totals.sitting_share, s.totals.rated_days, s.streak, s.exercises) == (None, 0, 0, ())


def test_dst_week_seeded_numbers(summaries):
    days = summaries["2026-W43"].days
    assert [d.tracked / MIN for d in days] == [240] * 5 + [0, 0]
    assert [d.sitting / MIN for d in days] == [210] * 5 + [0, 0]


def test_fall_back_night_counts_real_minutes():
    sunday = date(2026, 10, 25)
    # 01:00 CEST to 04:00 CET is 4 real hours though the wall clock moved 3
    spans = [SittingSpan(at(sunday, "01:00"), at(sunday, "04:00"))]
    tracked = [TrackedSpan(at(date(2026, 10, 24), "00:00"), at(date(2026, 10, 27), "00:00"))]
    s = build_week(IsoWeek(2026, 43), BERLIN, spans=spans, tracked=tracked)
    assert [d.tracked / MIN for d in s.days[-2:]] == [1440, 1500]  # Sunday has 25 hours
    assert s.days[-1].sitting / MIN == 240
    assert s.totals.tracked / MIN == 2940  # Monday 26 Oct belongs to W44


def test_spring_forward_day_has_23_hours():
    tracked = [TrackedSpan(at(date(2026, 3, 28), "12:00"), at(date(2026, 3, 30), "12:00"))]
    s = build_week(IsoWeek(2026, 13), BERLIN, tracked=tracked)
    assert [d.tracked / MIN for d in s.days[-2:]] == [720, 1380]


@pytest.mark.parametrize(
    ("day_starts_at", "thursday", "friday"),
    [
        (time(0), (330, 390, 210), (210, 330, 90)),  # split at midnight
        (time(4), (420, 480, 210), (120, 240, 60)),  # the late session is all Thursday's
    ],
)
def test_span_across_midnight_is_split_at_the_day_boundary(history, day_starts_at, thursday, friday):
    kwargs = history.kwargs()
    kwargs["rules"] = SummaryRules(day_starts_at=day_starts_at, names=EXERCISE_NAMES)
    s = build_week(W47, BERLIN, **kwargs)
    thu, fri = s.days[3], s.days[4]
    assert (thu.sitting / MIN, thu.tracked / MIN, thu.longest_sitting / MIN) == thursday
    assert (fri.sitting / MIN, fri.tracked / MIN, fri.longest_sitting / MIN) == friday


def test_break_logged_later_counts_on_the_day_it_happened(history):
    s = build_week(W47, BERLIN, **history.kwargs())
    monday_walk = [e for e in s.days[0].exercises if e.exercise_id == "walk"]
    assert [(e.duration / MIN, e.kind) for e in monday_walk] == [(15, BreakKind.LOGGED)]
    assert not any(e.exercise_id == "walk" for d in s.days[1:] for e in d.exercises)


def _one_day(*activities: Activity, reminders: tuple[Reminder, ...] = ()):
    monday = W47.dates()[0]
    s = build_week(W47, BERLIN, activities=activities, reminders=reminders)
    assert s.days[0].date == monday
    return s.days[0]


MON = W47.dates()[0]


@pytest.mark.parametrize(
    ("activity", "aerobic", "mobility", "strength", "light"),
    [
        (Activity(at(MON, "10:00"), BreakKind.NATURAL, 30 * MIN), 0, 0, 0, 0),
        (Activity(at(MON, "10:00"), BreakKind.NATURAL, 30 * MIN, intensity=Intensity.MODERATE), 0, 0, 0, 0),
        (Activity(at(MON, "10:00"), BreakKind.NATURAL, 30 * MIN, intensity=Intensity.STRENGTH), 0, 0, 0, 0),
        (Activity(at(MON, "10:00"), BreakKind.LOGGED, 30 * MIN, intensity=Intensity.MOBILITY), 0, 30, 0, 0),
        (Activity(at(MON, "10:00"), BreakKind.REMINDER, 30 * MIN, intensity=Intensity.MOBILITY), 0, 30, 0, 0),
        (Activity(at(MON, "10:00"), BreakKind.LOGGED, 30 * MIN, intensity=Intensity.MODERATE), 30, 0, 0, 0),
        (Activity(at(MON, "10:00"), BreakKind.LOGGED, 30 * MIN, intensity=Intensity.VIGOROUS), 60, 0, 0, 0),
        (Activity(at(MON, "10:00"), BreakKind.LOGGED, 30 * MIN, intensity=Intensity.LIGHT), 0, 0, 0, 30),
        (Activity(at(MON, "10:00"), BreakKind.REMINDER, 5 * MIN, intensity=Intensity.STRENGTH), 0, 0, 5, 0),
        (Activity(at(MON, "10:00"), BreakKind.LOGGED, 30 * MIN), 0, 0, 0, 0),  # no intensity given
    ],
    ids=["natural", "natural-moderate", "natural-strength", "logged-mobility", "reminder-mobility",
         "logged-moderate", "logged-vigorous", "logged-light", "reminder-strength", "logged-unknown"],
)
def test_what_counts_as_activity(activity, aerobic, mobility, strength, light):
    day = _one_day(activity)
    assert (day.aerobic / MIN, day.mobility / MIN, day.strength / MIN, day.light / MIN) == (aerobic, mobility, strength, light)
    assert not day.strength_day  # 5 strength minutes are not the 10 a strength day needs


def test_two_strength_sessions_on_one_day_are_one_strength_day():
    first = Activity(at(MON, "10:00"), BreakKind.REMINDER, 10 * MIN, "squats", Intensity.STRENGTH)
    second = Activity(at(MON, "19:00"), BreakKind.LOGGED, 40 * MIN, None, Intensity.STRENGTH)
    s = build_week(W47, BERLIN, activities=[first, second])
    assert (s.days[0].strength / MIN, s.totals.strength_days, s.totals.aerobic / MIN) == (50, 1, 0)


@pytest.mark.parametrize(
    ("reminder_taken", "reminder_activities", "expected"),
    [(1, 1, 1), (2, 0, 2), (0, 2, 2), (3, 1, 3)],
    ids=["both-sides-once", "only-reminders", "only-activities", "more-reminders"],
)
def test_breaks_taken_counts_each_reminder_break_once(reminder_taken, reminder_activities, expected):
    reminders = tuple(Reminder(at(MON, f"1{n}:00"), ReminderOutcome.TAKEN) for n in range(reminder_taken))
    activities = [Activity(at(MON, f"1{n}:00"), BreakKind.REMINDER, 5 * MIN) for n in range(reminder_activities)]
    assert _one_day(*activities, reminders=reminders).breaks_taken == expected


def test_records_outside_the_week_are_ignored_and_an_activity_counts_where_it_happened():
    sunday_before = W47.dates()[0] - timedelta(days=1)
    s = build_week(
        W47, BERLIN,
        spans=[SittingSpan(at(sunday_before, "23:00"), at(MON, "01:00"))],
        activities=[Activity(at(sunday_before, "22:00"), BreakKind.LOGGED, 90 * MIN, intensity=Intensity.MODERATE)],
        reminders=[Reminder(at(sunday_before, "12:00"), ReminderOutcome.IGNORED)],
    )
    # the walk 22:00-23:30 on Sunday: its last 30 minutes were not sitting, and nothing of it is Monday's
    assert (s.days[0].sitting / MIN, s.totals.aerobic, s.totals.reminders_ignored) == (60, timedelta(0), 0)
    across = Activity(at(sunday_before, "23:45"), BreakKind.LOGGED, 30 * MIN, intensity=Intensity.MODERATE)
    s = build_week(W47, BERLIN, activities=[across])
    assert (s.days[0].moderate / MIN, s.days[0].exercises) == (15, ())  # 00:00-00:15 in W47; listed on Sunday


def test_merge_spans_unions_overlaps_and_touching_spans():
    base = at(MON, "08:00")
    spans = [(base, base + 60 * MIN), (base + 30 * MIN, base + 90 * MIN), (base + 90 * MIN, base + 100 * MIN),
             (base + 200 * MIN, base + 210 * MIN), (base + 5 * MIN, base + 5 * MIN)]
    assert merge_spans(spans) == [(base, base + 100 * MIN), (base + 200 * MIN, base + 210 * MIN)]


def test_accounting_reads_no_clock():
    for module in (accounting, day, credit, timeline):
        source = Path(module.__file__).read_text(encoding="utf-8")
        for forbidden in ("now(", "today(", "time.time", "monotonic", "open("):
            assert forbidden not in source, (module.__name__, forbidden)


def test_importing_the_summary_is_cheap():
    code = (
        "import sys, movebreak.summary\n"
        "heavy = [m for m in ('PIL', 'pystray', 'plyer', 'apscheduler', 'Xlib', 'jeepney') if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
