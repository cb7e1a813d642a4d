"""A hostile review of the weekly accounting and the reminder gate: DST gaps and folds in the
working hours, and a quiet reason that flips on and off while the user types."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from movebreak.engine.gate import DueGate, Verdict
from movebreak.engine.settings import WorkingHours
from movebreak.records import Activity, BreakKind, Intensity, SittingSpan, TrackedSpan
from movebreak.summary.accounting import HourState, IsoWeek, SummaryRules, build_week
from movebreak.summary.render_html import render_html

BERLIN = ZoneInfo("Europe/Berlin")
MIN = timedelta(minutes=1)
SECOND = timedelta(seconds=1)


def every_day(start: time, end: time) -> WorkingHours:
    return WorkingHours({weekday: (start, end) for weekday in range(7)})


def watched_week(week: IsoWeek, hours: WorkingHours, activities=()):
    """A week watched and sat through from end to end, with ``activities``."""
    days = week.days(BERLIN)
    span = (days[0].start, days[-1].end)
    return build_week(week, BERLIN, spans=[SittingSpan(*span)], tracked=[TrackedSpan(*span)],
                      activities=activities, rules=SummaryRules(working_hours=hours), now=span[1])


def test_the_hour_the_autumn_fold_repeats_is_one_slot_of_the_grid():
    # before: Sunday 2026-10-25 had slots [2, 2, 3, ..., 17]; the grid kept only the second 02,
    # so a walk in the first 02 (CEST) vanished from it while the day said "of 17 hours"
    walk = Activity(datetime(2026, 10, 25, 0, 40, tzinfo=timezone.utc), BreakKind.LOGGED, 10 * MIN, None,
                    Intensity.MODERATE)  # 02:40 CEST, the first time the clock reads 02:40
    week = watched_week(IsoWeek(2026, 43), every_day(time(2, 30), time(18)), [walk])
    sunday = week.days[6]
    assert sunday.date == date(2026, 10, 25)
    assert [slot.hour for slot in sunday.hours] == list(range(2, 18))
    assert sunday.hours[0].state is HourState.MOVED
    assert (sunday.hours_moved, sunday.hours_tracked, sunday.work_tracked) == (1, 16, timedelta(hours=16, minutes=30))
    page = render_html(week)
    cells = page.count('data-key="hour" data-date="2026-10-25"')
    assert cells == 16 and 'data-date="2026-10-25" data-hour="2" data-value="moved"' in page


def test_working_hours_inside_the_spring_gap_are_no_working_time():
    # before: 02:00-02:30 on 2026-03-29 (the clock skips 02:00-03:00) counted 03:00-03:30 CEST as
    # 30 working minutes, although the engine (WorkingHours.contains) sees none that day
    hours = every_day(time(2), time(2, 30))
    week = watched_week(IsoWeek(2026, 13), hours)
    sunday = week.days[6]
    assert sunday.date == date(2026, 3, 29)
    assert (sunday.work_tracked, sunday.hours) == (timedelta(0), ())
    assert not any(hours.contains(datetime(2026, 3, 29, 0, 0, tzinfo=timezone.utc) + minute * MIN, BERLIN)
                   for minute in range(0, 4 * 60))
    saturday = week.days[5]
    assert saturday.work_tracked == 30 * MIN and [slot.hour for slot in saturday.hours] == [2]


def test_working_hours_ending_inside_the_spring_gap_end_where_the_clock_jumps():
    week = watched_week(IsoWeek(2026, 13), every_day(time(1), time(2, 30)))
    sunday = week.days[6]
    assert sunday.work_tracked == 60 * MIN  # 01:00-02:00 CET, then the clock reads 03:00
    assert [slot.hour for slot in sunday.hours] == [1]


def test_half_hour_zones_show_their_own_clock_hours_each_once():
    for zone in ("America/St_Johns", "Asia/Kathmandu", "Pacific/Kiritimati", "Pacific/Pago_Pago"):
        tz = ZoneInfo(zone)
        week = IsoWeek(2026, 48)
        days = week.days(tz)
        summary = build_week(week, tz, tracked=[TrackedSpan(days[0].start, days[-1].end)],
                             rules=SummaryRules(working_hours=every_day(time(8, 30), time(17, 15))), now=days[-1].end)
        for day in summary.days:
            assert [slot.hour for slot in day.hours] == list(range(8, 18)), zone
            assert day.work_tracked == timedelta(hours=8, minutes=45), zone


# ------------------------------------------------------------------ the gate


T0 = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)
TYPING = timedelta(0)
PAUSED = 10 * SECOND


def test_unknown_idle_and_no_wait_never_wait():
    assert DueGate(3 * SECOND, 60 * SECOND).decide(T0, None, None) is Verdict.SEND
    assert DueGate(timedelta(0), 60 * SECOND).decide(T0, TYPING, None) is Verdict.SEND


def test_quiet_flipping_every_tick_never_lets_it_out_while_quiet_and_sends_on_the_first_quiet_free_pause():
    gate = DueGate(3 * SECOND, 60 * SECOND)
    flips = [gate.decide(T0 + n * SECOND, TYPING, "call" if n % 2 == 0 else None) for n in range(120)]
    assert flips == [Verdict.HOLD, Verdict.WAIT] * 60  # never sent in a quiet tick
    assert gate.decide(T0 + 120 * SECOND, PAUSED, None) is Verdict.SEND  # the first quiet-free tick with a pause
    assert gate.sent() == ("call", 119 * SECOND)  # from the first hold until the last one ended (119 s)


def test_a_hold_broken_for_one_tick_of_typing_keeps_its_reason_and_start():
    # pinned: quiet on at T0, off for one tick while the user types (WAIT), on again, then off
    # with a pause: the reminder was kept back all along, so held_for runs from T0 and the
    # reason of the last hold is said; the one WAIT tick does not start a new hold
    gate = DueGate(3 * SECOND, 60 * SECOND)
    assert gate.decide(T0, TYPING, "fullscreen") is Verdict.HOLD
    assert gate.decide(T0 + 30 * SECOND, TYPING, None) is Verdict.WAIT
    assert gate.holding is False and gate.held_since == T0
    assert gate.decide(T0 + 60 * SECOND, TYPING, "call") is Verdict.HOLD
    assert gate.decide(T0 + 90 * SECOND, TYPING, None) is Verdict.WAIT  # the wait starts afresh at 90 s
    assert gate.decide(T0 + 149 * SECOND, TYPING, None) is Verdict.WAIT
    assert gate.decide(T0 + 150 * SECOND, TYPING, None) is Verdict.SEND  # at most 60 s after the hold ended
    assert gate.sent() == ("call", 90 * SECOND)  # held from T0 until the last hold ended
    assert (gate.held_since, gate.held_reason, gate.due_since) == (None, None, None)


def test_with_day_starting_at_four_the_small_hours_count_as_the_working_hours_they_are():
    # before: hours 00:00-06:00 with day_starts_at 04:00 rated only 04:00-06:00; the engine reminds
    # (and the sitting happens) in Tuesday's 00:00-04:00 too, which no day counted as working time
    week = IsoWeek(2026, 48)
    days = week.days(BERLIN, time(4))
    span = (days[0].start, days[-1].end)
    summary = build_week(week, BERLIN, spans=[SittingSpan(*span)], tracked=[TrackedSpan(*span)], now=span[1],
                         rules=SummaryRules(day_starts_at=time(4), working_hours=every_day(time(0), time(6))))
    monday = summary.days[0]
    assert monday.work_sitting == timedelta(hours=6)  # Mon 04:00-06:00 and Tue 00:00-04:00
    assert sorted(slot.hour for slot in monday.hours) == [0, 1, 2, 3, 4, 5]
    assert summary.totals.work_sitting == timedelta(hours=42) and summary.totals.hours_tracked == 42


def test_working_hours_always_rates_the_whole_day_as_the_engine_reminds_all_day():
    # before: always = true still rated the table under it (Mon-Fri 08-18): a Saturday had no
    # working time and a Monday evening's sitting was "off hours"
    week = IsoWeek(2026, 48)
    days = week.days(BERLIN)
    span = (days[0].start, days[-1].end)
    summary = build_week(week, BERLIN, tracked=[TrackedSpan(*span)], now=span[1],
                         rules=SummaryRules(working_hours=WorkingHours(always=True)))
    assert [day.work_tracked for day in summary.days] == [timedelta(hours=24)] * 7
    assert len(summary.days[5].hours) == 24


def test_sitting_and_tracked_time_after_now_do_not_count_like_activities_after_now():
    # before: after the clock was set back to Monday 12:00, Monday 09:00-17:00 counted 8:00 of
    # sitting (and tracked time) while the walk from 11:30 to 12:30 counted only its first 30 min
    week = IsoWeek(2026, 48)
    monday = week.days(BERLIN)[0].start
    now = monday + timedelta(hours=11)  # Monday 12:00 in Berlin
    span = (monday + timedelta(hours=8), monday + timedelta(hours=16))  # 09:00-17:00
    walk = Activity(now - 30 * MIN, BreakKind.LOGGED, 60 * MIN, None, Intensity.MODERATE)
    summary = build_week(week, BERLIN, spans=[SittingSpan(*span)], tracked=[TrackedSpan(*span)], activities=[walk],
                         rules=SummaryRules(working_hours=WorkingHours()), now=now)
    first = summary.days[0]
    assert (first.sitting, first.tracked, first.moderate) == (150 * MIN, 180 * MIN, 30 * MIN)
    assert first.work_sitting <= first.work_tracked <= first.tracked
