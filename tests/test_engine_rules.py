"""Table-driven tests for each engine rule: working hours, breaks, snooze, repeat, skip, pause, lock, idle None."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from movebreak.engine.days import day_bounds, local_day, next_day_start
from movebreak.engine.events import (
    AwayDetected,
    AwayReason,
    BreakLogged,
    NaturalBreak,
    PauseEnded,
    PauseStarted,
    ReminderDue,
    ReminderResolved,
    SpanClosed,
)
from movebreak.engine.settings import EngineSettings, WorkingHours
from movebreak.engine.state import EngineState
from movebreak.errors import MovebreakError
from movebreak.records import Activity, BreakKind, ReminderOutcome
from test_engine_sim import ALWAYS, BERLIN, Desk, local, minutes

MONDAY = "2024-05-06"
SATURDAY = "2024-05-11"


def dues(desk):
    return [(e.at, e.sitting) for e in desk.of(ReminderDue)]


def outcomes(desk):
    return [(e.reminder.at, e.reminder.outcome) for e in desk.of(ReminderResolved)]


# ------------------------------------------------------------------ working hours


@pytest.mark.parametrize(
    ("day", "start", "until", "hours", "first_reminder"),
    [
        (MONDAY, "07:00", "08:30", WorkingHours(), "08:00"),  # 45 min at 07:45: held until 08:00
        (MONDAY, "07:15", "08:30", WorkingHours(), "08:00"),  # 45 min exactly at the start
        (MONDAY, "17:14", "18:30", WorkingHours(), "17:59"),  # last minute inside
        (MONDAY, "17:15", "19:00", WorkingHours(), None),  # 45 min at 18:00: end is exclusive
        (SATURDAY, "10:00", "11:00", WorkingHours(), None),  # weekend
        (SATURDAY, "10:00", "11:00", ALWAYS, "10:45"),
        (MONDAY, "09:00", "10:00", WorkingHours(days={0: (time(9, 50), time(10, 0))}), "09:50"),
    ],
)
def test_reminders_only_inside_working_hours(day, start, until, hours, first_reminder):
    desk = Desk(local(day, start), EngineSettings(working_hours=hours))
    desk.work(minutes(1))
    expected = None if first_reminder is None else local(day, first_reminder)
    if first_reminder is not None:
        assert desk.engine.next_deadline() == expected  # the one-shot job the app schedules
    desk.work_until(local(day, until))
    got = [at for at, _ in dues(desk)]
    assert got[:1] == ([] if expected is None else [expected])


def test_outside_hours_state_and_no_deadline_on_a_day_without_hours():
    desk = Desk(local(SATURDAY, "10:00"), EngineSettings(working_hours=WorkingHours(days={})))
    desk.work(minutes(50))
    assert desk.engine.status(desk.now).state is EngineState.OUTSIDE_HOURS
    assert desk.engine.next_deadline() is None


# ------------------------------------------------------------------ natural breaks


@pytest.mark.parametrize(
    ("no_input", "is_break"),
    [(minutes(4) + timedelta(seconds=50), False), (minutes(5), True), (minutes(30), True)],
)
def test_no_input_for_natural_break_after_ends_the_span_at_the_last_input(no_input, is_break):
    desk = Desk(local(MONDAY, "09:00"))
    desk.work(minutes(20))
    desk.rest(no_input)
    desk.work(minutes(10))
    if is_break:
        assert desk.spans() == [
            (local(MONDAY, "09:00"), local(MONDAY, "09:20")),
            (local(MONDAY, "09:20") + no_input, local(MONDAY, "09:30") + no_input),
        ]
        assert [(e.activity.at, e.activity.duration) for e in desk.of(NaturalBreak)] == [
            (local(MONDAY, "09:20"), no_input)
        ]
        assert desk.engine.status(desk.now).continuous_sitting == minutes(10)
    else:  # idle at the desk counts as sitting
        assert desk.spans() == [(local(MONDAY, "09:00"), desk.now)]
        assert desk.of(NaturalBreak) == []
        assert desk.engine.status(desk.now).continuous_sitting == minutes(30) + no_input


# ------------------------------------------------------------------ snooze


@pytest.mark.parametrize("limit", [0, 1, 3])
def test_snooze_limit_then_the_reminder_says_so(limit):
    desk = Desk(local(MONDAY, "09:00"), EngineSettings(working_hours=ALWAYS, snooze_limit=limit))
    desk.work(minutes(45))
    for _ in range(limit):
        desk.act("snooze", minutes(5))
        desk.work(minutes(5))
    flags = [(e.snoozes_used, e.can_snooze) for e in desk.of(ReminderDue)]
    assert flags == [(n, n < limit) for n in range(limit + 1)]
    assert desk.engine.status(desk.now).snooze_limit_reached
    with pytest.raises(MovebreakError, match="No more snoozes"):
        desk.act("snooze")
    assert "no snooze this time" in desk.of(ReminderDue)[-1].text()
    assert [o for _, o in outcomes(desk)] == [ReminderOutcome.SNOOZED] * limit


@pytest.mark.parametrize(
    ("reset_by", "snoozes_after"),
    [("break", 0), ("skip", 0), ("ignore", 2)],
)
def test_consecutive_snoozes_reset_by_a_break_or_skip_not_by_ignoring(reset_by, snoozes_after):
    desk = Desk(local(MONDAY, "09:00"))
    desk.work(minutes(45))
    desk.act("snooze", minutes(5))
    desk.work(minutes(5))
    desk.act("snooze", minutes(5))
    desk.work(minutes(5))
    if reset_by == "break":
        desk.rest(minutes(6))
        desk.work(minutes(45))
    elif reset_by == "skip":
        desk.act("skip")
        desk.work(minutes(45))
    else:
        desk.work(minutes(10))
    assert desk.of(ReminderDue)[-1].snoozes_used == snoozes_after


@pytest.mark.parametrize(("method", "message"), [("snooze", "no reminder to snooze"), ("skip", "no reminder to skip")])
def test_answering_without_a_reminder_is_a_clear_error(method, message):
    desk = Desk(local(MONDAY, "09:00"))
    desk.work(minutes(10))
    with pytest.raises(MovebreakError, match=message):
        desk.act(method)


def test_a_refusal_is_translated_where_it_is_shown_not_where_it_was_raised():
    from movebreak import i18n
    from movebreak.errors import Refusal

    desk = Desk(local(MONDAY, "09:00"))
    desk.work(minutes(10))
    with pytest.raises(Refusal) as refused:
        desk.act("snooze")
    assert str(refused.value) == "There is no reminder to snooze."
    with i18n.using("de"):  # the same error, shown by a German page or window
        assert str(refused.value) == i18n.load_table("de")["There is no reminder to snooze."]


# ------------------------------------------------------------------ repeat / ignored


@pytest.mark.parametrize("repeat_after", [minutes(5), minutes(10), minutes(20)])
def test_an_ignored_reminder_is_recorded_and_comes_again(repeat_after):
    desk = Desk(local(MONDAY, "09:00"), EngineSettings(working_hours=ALWAYS, repeat_after=repeat_after))
    desk.work(minutes(45) + 2 * repeat_after)
    first = local(MONDAY, "09:45")
    assert [(e.at, e.repeat) for e in desk.of(ReminderDue)] == [
        (first, False),
        (first + repeat_after, True),
        (first + 2 * repeat_after, True),
    ]
    assert outcomes(desk) == [
        (first, ReminderOutcome.IGNORED),
        (first + repeat_after, ReminderOutcome.IGNORED),
    ]


def test_an_ignored_reminder_after_working_hours_is_not_sent_again():
    desk = Desk(local(MONDAY, "17:00"), EngineSettings())
    desk.work(minutes(70))  # reminder 17:45, ignored 17:55, then 18:00 ends the hours
    assert outcomes(desk) == [(local(MONDAY, "17:45"), ReminderOutcome.IGNORED), (local(MONDAY, "17:55"), ReminderOutcome.IGNORED)]
    assert [at for at, _ in dues(desk)] == [local(MONDAY, "17:45"), local(MONDAY, "17:55")]
    assert desk.engine.next_deadline() == local("2024-05-07", "08:00")


# ------------------------------------------------------------------ taken


@pytest.mark.parametrize(
    ("how", "outcome"),
    [
        ("walk away", ReminderOutcome.TAKEN),
        ("lock and leave", ReminderOutcome.TAKEN),
        ("suspend", ReminderOutcome.TAKEN),
        ("log", ReminderOutcome.TAKEN),
        ("skip", ReminderOutcome.SKIPPED),
        ("pause", ReminderOutcome.SKIPPED),
    ],
)
def test_every_reminder_ends_in_exactly_one_outcome(how, outcome):
    desk = Desk(local(MONDAY, "09:00"))
    desk.work(minutes(46))
    if how == "walk away":
        desk.rest(minutes(6))
    elif how == "lock and leave":
        desk.locked = True
        desk.rest(minutes(6))
        desk.locked = False
    elif how == "suspend":
        desk.suspend(minutes(30))
    elif how == "log":
        desk.events += desk.engine.log_break(Activity(desk.now, BreakKind.LOGGED, minutes(2)))
    elif how == "skip":
        desk.act("skip")
    else:
        desk.act("pause", desk.now + minutes(30))
    desk.work(minutes(20))
    assert outcomes(desk) == [(local(MONDAY, "09:45"), outcome)]


def test_a_logged_break_cuts_its_time_out_of_the_open_span():
    desk = Desk(local(MONDAY, "09:00"))
    desk.work(minutes(30))
    desk.rest(minutes(4))  # stretching at the desk, 09:30-09:34
    desk.events += desk.engine.log_break(Activity(local(MONDAY, "09:30"), BreakKind.LOGGED, minutes(4)))
    desk.work(minutes(10))
    assert desk.spans() == [
        (local(MONDAY, "09:00"), local(MONDAY, "09:30")),
        (local(MONDAY, "09:34"), local(MONDAY, "09:44")),
    ]
    assert desk.engine.status(desk.now).continuous_sitting == minutes(10)
    assert [e.activity.kind for e in desk.of(BreakLogged)] == [BreakKind.LOGGED]  # no reminder to answer


def test_a_break_logged_before_the_open_span_leaves_the_span_alone():
    desk = Desk(local(MONDAY, "09:00"))
    desk.rest(minutes(20))  # away 09:00-09:20
    desk.work(minutes(10))
    closed_before = len(desk.of(SpanClosed))
    desk.events += desk.engine.log_break(Activity(local(MONDAY, "09:05"), BreakKind.LOGGED, minutes(10)))
    assert len(desk.of(SpanClosed)) == closed_before
    assert desk.spans()[-1] == (local(MONDAY, "09:20"), local(MONDAY, "09:30"))
    assert desk.engine.status(desk.now).continuous_sitting == minutes(10)


# ------------------------------------------------------------------ skip


def test_skip_restarts_the_countdown_but_not_the_sitting():
    desk = Desk(local(MONDAY, "09:00"))
    desk.work(minutes(50))
    desk.act("skip")
    desk.work(minutes(45))
    assert dues(desk) == [(local(MONDAY, "09:45"), minutes(45)), (local(MONDAY, "10:35"), minutes(95))]


# ------------------------------------------------------------------ pause


@pytest.mark.parametrize(
    ("now", "day_starts_at", "until"),
    [
        (("2024-05-06", "15:00"), time(0), ("2024-05-07", "00:00")),
        (("2024-05-06", "15:00"), time(4), ("2024-05-07", "04:00")),
        (("2024-05-07", "02:00"), time(4), ("2024-05-07", "04:00")),  # after midnight: still "today"
        (("2024-10-26", "15:00"), time(4), ("2024-10-27", "04:00")),  # 25-hour day ahead
        (("2024-03-30", "22:00"), time(0), ("2024-03-31", "00:00")),
        (("2024-03-30", "22:00"), time(4), ("2024-03-31", "04:00")),  # 23-hour day ahead
        (("2024-03-30", "22:00"), time(2, 30), ("2024-03-31", "03:30")),  # 02:30 does not exist that day
    ],
)
def test_pause_until_tomorrow_uses_day_starts_at_in_local_time(now, day_starts_at, until):
    settings = EngineSettings(working_hours=ALWAYS, day_starts_at=day_starts_at)
    desk = Desk(local(*now), settings)
    desk.work(minutes(1))
    desk.act("pause_until_tomorrow")
    expected = local(*until)
    assert [e.pause.end for e in desk.of(PauseStarted)] == [expected]
    assert desk.engine.status(desk.now).paused_until == expected
    assert next_day_start(desk.now, BERLIN, day_starts_at) == expected
    start, end = day_bounds(desk.now, BERLIN, day_starts_at)
    assert start <= desk.now < end == expected


@pytest.mark.parametrize("starts_at", [time(0), time(2, 30), time(4), time(23, 45)])
def test_a_day_calendar_remembering_its_last_day_matches_a_fresh_computation(starts_at):
    """The engine's DayCalendar remembers the last day it found; across a year of DST changes,
    walked in 53-minute steps forwards and then jumping back and forth, it answers exactly as
    computed from scratch. (It is the engine's own: engine/ keeps no module-level cache.)"""
    from movebreak.engine.days import DayCalendar

    calendar = DayCalendar(BERLIN, starts_at)
    moment = datetime(2024, 1, 1, tzinfo=timezone.utc)
    moments = [moment + timedelta(minutes=53 * step) for step in range(0, 366 * 24 * 60 // 53)]
    moments += moments[::-9001]  # back in time, across many days at once
    for moment in moments:
        remembered = calendar.bounds(moment)
        fresh = day_bounds(moment, BERLIN, starts_at)
        assert remembered == fresh and fresh[0] <= moment < fresh[1]
        assert calendar.next_start(moment) == next_day_start(moment, BERLIN, starts_at)


def test_engine_modules_keep_no_module_level_cache():
    import ast
    from pathlib import Path

    import movebreak.engine as engine_package

    for path in Path(engine_package.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        decorators = {ast.unparse(d) for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))
                      for d in node.decorator_list}
        assert not {d for d in decorators if "cache" in d}, path
        mutable = [ast.unparse(node) for node in tree.body
                   if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, (ast.Dict, ast.List, ast.Set))
                   and "__all__" not in ast.unparse(node)]
        assert mutable == [], (path, mutable)


def test_day_bounds_told_apart_by_fold_on_the_day_the_clocks_go_back():
    """02:30 happens twice on 2024-10-27 in Berlin; a remembered answer for one is not the other's."""
    moment = datetime(2024, 10, 27, 12, tzinfo=timezone.utc)
    first = day_bounds(moment, BERLIN, time(2, 30))
    second = day_bounds(moment, BERLIN, time(2, 30, fold=1))
    assert first[0] == datetime(2024, 10, 27, 0, 30, tzinfo=timezone.utc)
    assert second[0] == datetime(2024, 10, 27, 1, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("moment", "starts_at", "day"),
    [
        (("2024-05-07", "03:59"), time(4), "2024-05-06"),
        (("2024-05-07", "04:00"), time(4), "2024-05-07"),
        (("2024-10-27", "02:30"), time(0), "2024-10-27"),
        (("2024-05-07", "00:00"), time(0), "2024-05-07"),
    ],
)
def test_local_day_respects_day_starts_at(moment, starts_at, day):
    assert local_day(local(*moment), BERLIN, starts_at).isoformat() == day


@pytest.mark.parametrize("until", [minutes(30), None])
def test_pause_silences_reminders_until_it_ends_or_is_resumed(until):
    desk = Desk(local(MONDAY, "09:00"))
    desk.work(minutes(10))
    desk.act("pause", None if until is None else desk.now + until)
    desk.work(minutes(50))  # 09:10-10:00: sitting reaches 45 min at 09:45
    if until is None:
        assert desk.of(ReminderDue) == []
        assert desk.engine.next_deadline() is None
        assert desk.engine.status(desk.now).state is EngineState.PAUSED
        desk.act("resume")
        assert desk.engine.next_deadline() == desk.now  # tick now: the reminder is overdue
        desk.work(minutes(0))
        assert dues(desk) == [(local(MONDAY, "10:00"), minutes(60))]
        assert [e.pause.end for e in desk.of(PauseEnded)] == [local(MONDAY, "10:00")]
    else:
        assert [e.pause.end for e in desk.of(PauseEnded)] == [local(MONDAY, "09:40")]
        assert dues(desk)[0] == (local(MONDAY, "09:45"), minutes(45))


@pytest.mark.parametrize(
    ("call", "message"),
    [(lambda d: d.act("pause", d.now - minutes(1)), "must end in the future"), (lambda d: d.act("resume"), "not paused")],
)
def test_pause_errors(call, message):
    desk = Desk(local(MONDAY, "09:00"))
    desk.work(minutes(1))
    with pytest.raises(MovebreakError, match=message):
        call(desk)


# ------------------------------------------------------------------ locked screen, unknown idle


@pytest.mark.parametrize(
    ("locked_for", "is_break", "sitting_after"),
    [(minutes(2), False, minutes(30)), (minutes(6), True, minutes(10))],
)
def test_a_locked_screen_is_away_and_a_long_lock_is_a_break(locked_for, is_break, sitting_after):
    desk = Desk(local(MONDAY, "09:00"))
    desk.work(minutes(20))
    desk.locked = True
    desk.rest(locked_for)
    desk.locked = False
    desk.work(minutes(10))
    back = local(MONDAY, "09:20") + locked_for
    assert desk.spans() == [(local(MONDAY, "09:00"), local(MONDAY, "09:20")), (back, back + minutes(10))]
    assert [(e.start, e.end, e.reason) for e in desk.of(AwayDetected)] == [(local(MONDAY, "09:20"), back, AwayReason.LOCK)]
    assert bool(desk.of(NaturalBreak)) is is_break
    assert desk.engine.status(desk.now).continuous_sitting == sitting_after


@pytest.mark.parametrize("minutes_without_input_info", [30, 60])
def test_idle_unknown_counts_as_present_while_unlocked(minutes_without_input_info):
    desk = Desk(local(MONDAY, "09:00"), idle_known=False)
    desk.tick()  # the app's first tick at start
    desk.rest(minutes(minutes_without_input_info))  # no input, but the probe cannot tell
    assert desk.spans() == [(local(MONDAY, "09:00"), desk.now)]
    assert desk.of(NaturalBreak) == []
    assert [at for at, _ in dues(desk)][:1] == ([local(MONDAY, "09:45")] if minutes_without_input_info >= 45 else [])
    desk.locked = True
    desk.rest(minutes(1))
    assert desk.spans()[-1][1] == local(MONDAY, "09:00") + minutes(minutes_without_input_info)  # ends at the last unlocked tick


def test_reminder_text_is_translated():
    from movebreak import i18n

    desk = Desk(local(MONDAY, "09:00"))
    desk.work(minutes(45))
    try:
        i18n.set_language("de")
        assert desk.of(ReminderDue)[0].text().startswith("Du sitzt seit 45 Minuten")
        assert AwayReason.SUSPEND.describe() == "Der Computer war im Ruhezustand"
    finally:
        i18n.set_language("en")
