"""Time faults: clock jumps, suspend, time zone changes, DST and restarts never make or lose sitting."""

from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from movebreak.engine.engine import Engine
from movebreak.engine.events import (
    AwayDetected,
    AwayReason,
    NaturalBreak,
    PauseEnded,
    ReminderDue,
    ReminderResolved,
    SpanClosed,
    SpanHeartbeat,
)
from movebreak.engine.settings import EngineSettings, WorkingHours
from movebreak.engine.state import EngineState, Restore, Sample
from movebreak.records import ReminderOutcome
from test_engine_sim import ALWAYS, BERLIN, Desk, local, minutes

MONDAY = "2024-05-06"
NINE = local(MONDAY, "09:00")


def total(spans):
    return sum((end - start for start, end in spans), timedelta(0))


def assert_no_overlap(spans):
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert start >= end


# ------------------------------------------------------------------ clock jumps


@pytest.mark.parametrize(
    ("jump", "boottime", "continuous", "away"),
    [
        (timedelta(hours=1), True, minutes(40), False),  # known jump: sitting goes on
        (minutes(3), True, minutes(40), False),
        (timedelta(hours=-1), True, minutes(40), False),
        (timedelta(hours=-1), False, minutes(40), False),  # backward: timeline keeps running
        (minutes(-3), False, minutes(40), False),
        (minutes(3), False, minutes(40), True),  # looks like a 3-min suspend: away, not a break
        (timedelta(hours=1), False, minutes(20), True),  # looks like a 1-h suspend: a break
    ],
)
def test_a_wall_clock_jump_neither_creates_nor_erases_sitting(jump, boottime, continuous, away):
    desk = Desk(NINE, boottime=boottime)
    desk.work(minutes(20))
    desk.jump(jump)
    desk.work(minutes(20))
    spans = desk.spans()
    assert total(spans) == minutes(40)  # exactly the monotonic time at the desk
    assert_no_overlap(spans)
    assert desk.engine.status(desk.now).continuous_sitting == continuous
    assert bool(desk.of(AwayDetected)) is away
    if not away:
        assert len(spans) == 1  # one span, the jump is invisible
        assert desk.of(SpanClosed) == []


def test_after_a_backward_jump_the_reminder_comes_after_45_real_minutes_and_deadlines_are_wall_time():
    desk = Desk(NINE)
    desk.work(minutes(20))
    desk.jump(timedelta(hours=-1))  # wall now 08:20
    desk.work(minutes(1))
    assert desk.engine.next_deadline() == desk.now + minutes(24)  # on the wall clock the app sleeps on
    desk.work(minutes(30))
    assert [(e.sitting) for e in desk.of(ReminderDue)] == [minutes(45)]
    assert desk.of(ReminderDue)[0].at == NINE + minutes(45)  # the timeline: never before earlier records


def test_a_break_realigns_the_timeline_with_the_wall_clock():
    desk = Desk(NINE)
    desk.work(minutes(20))
    desk.jump(timedelta(hours=-1))
    desk.work(minutes(10))  # timeline 09:30, wall 08:30
    desk.rest(timedelta(hours=2))  # a long break: wall 10:30
    desk.work(minutes(10))
    spans = desk.spans()
    assert spans[-1] == (local(MONDAY, "10:30"), local(MONDAY, "10:40"))  # wall time again
    assert_no_overlap(spans)
    assert total(spans) == minutes(40)


# ------------------------------------------------------------------ suspend


@pytest.mark.parametrize("boottime", [False, True])
@pytest.mark.parametrize(
    ("asleep", "is_break"),
    [(minutes(1), False), (minutes(4), False), (minutes(5), True), (timedelta(hours=2), True), (timedelta(days=3), True)],
)
def test_suspend_is_away_never_sitting(asleep, is_break, boottime):
    desk = Desk(NINE, boottime=boottime)
    desk.work(minutes(20))
    desk.suspend(asleep)
    desk.work(minutes(10))
    resumed = NINE + minutes(20) + asleep
    assert desk.spans() == [(NINE, NINE + minutes(20)), (resumed, resumed + minutes(10))]
    assert [(e.start, e.end, e.reason) for e in desk.of(AwayDetected)] == [
        (NINE + minutes(20), resumed, AwayReason.SUSPEND)
    ]
    assert [(e.activity.at, e.activity.duration) for e in desk.of(NaturalBreak)] == (
        [(NINE + minutes(20), asleep)] if is_break else []
    )
    assert desk.engine.status(desk.now).continuous_sitting == (minutes(10) if is_break else minutes(30))


def test_idle_before_a_suspend_joins_the_absence():
    desk = Desk(NINE)
    desk.work(minutes(20))
    desk.rest(minutes(3))  # idle at the desk, then the lid closes for 3 min
    desk.suspend(minutes(3))
    desk.work(minutes(1))
    assert [(e.activity.at, e.activity.duration) for e in desk.of(NaturalBreak)] == [(NINE + minutes(20), minutes(6))]
    assert desk.spans()[0] == (NINE, NINE + minutes(20))


# ------------------------------------------------------------------ time zones and DST


@pytest.mark.parametrize(
    ("zone", "state", "deadline"),
    [
        ("Europe/Berlin", EngineState.SITTING, local(MONDAY, "11:15")),
        ("America/New_York", EngineState.OUTSIDE_HOURS, local(MONDAY, "08:00", ZoneInfo("America/New_York"))),
        ("Asia/Tokyo", EngineState.OUTSIDE_HOURS, local("2024-05-07", "08:00", ZoneInfo("Asia/Tokyo"))),
    ],
)
def test_a_time_zone_change_moves_working_hours_not_sitting(zone, state, deadline):
    desk = Desk(local(MONDAY, "10:30"), EngineSettings())  # Mon-Fri 08-18 local
    desk.work(minutes(20))
    desk.events += desk.engine.set_timezone(ZoneInfo(zone))
    desk.work(minutes(20))  # 11:10 Berlin = 05:10 New York = 18:10 Tokyo
    status = desk.engine.status(desk.now)
    assert status.continuous_sitting == minutes(40)
    assert total(desk.spans()) == minutes(40)
    assert status.state is state
    assert desk.engine.next_deadline() == deadline


@pytest.mark.parametrize(
    ("day", "start", "real_hours"),
    [("2024-10-27", "01:30", 3), ("2024-03-31", "01:30", 1)],  # 01:30 -> 03:30 local
)
def test_sitting_through_a_dst_change_is_counted_in_real_time(day, start, real_hours):
    desk = Desk(local(day, start), EngineSettings(working_hours=WorkingHours(days={})))
    desk.work_until(local(day, "03:30"))
    assert desk.engine.status(desk.now).continuous_sitting == timedelta(hours=real_hours)
    assert desk.engine.status(desk.now).sitting_today == timedelta(hours=real_hours)


# ------------------------------------------------------------------ restart


def restarted(desk: Desk, gap: timedelta, clock_step: timedelta | None = None) -> Desk:
    """Kill the app now, start it ``gap`` later from the saved snapshot (through JSON)."""
    saved = Restore.from_dict(json.loads(json.dumps(desk.engine.snapshot().to_dict())))
    again = Desk(desk.now + gap + (clock_step or timedelta(0)), desk.settings, restore=saved)
    again.clock.mono = desk.clock.mono + 12345.0  # a new process: unrelated monotonic origin
    again.engine._mono = again.clock.mono  # the engine was created with that reading
    again.last_input = again.clock.mono
    return again


def test_snapshot_round_trips_through_json():
    desk = Desk(NINE)
    desk.work(minutes(50))
    desk.act("snooze", minutes(5))
    desk.act("pause", desk.now + minutes(30))
    snap = desk.engine.snapshot()
    assert Restore.from_dict(json.loads(json.dumps(snap.to_dict()))) == snap


@pytest.mark.parametrize(
    ("gap", "continues"),
    [(timedelta(seconds=30), True), (minutes(4), True), (minutes(5), False), (timedelta(hours=10), False)],
)
def test_a_restart_within_natural_break_after_continues_the_span(gap, continues):
    desk = Desk(NINE)
    desk.work(minutes(30))
    again = restarted(desk, gap)
    again.work(minutes(10))
    start = NINE + minutes(30) + gap
    if continues:
        assert again.spans() == [(NINE, start + minutes(10))]
        assert again.engine.status(again.now).continuous_sitting == minutes(40) + gap
    else:
        assert [(e.span.start, e.span.end) for e in again.of(SpanClosed)] == [(NINE, NINE + minutes(30))]
        assert [(e.start, e.end, e.reason) for e in again.of(AwayDetected)] == [(NINE + minutes(30), start, AwayReason.RESTART)]
        assert [(e.activity.at, e.activity.duration) for e in again.of(NaturalBreak)] == [(NINE + minutes(30), gap)]
        assert again.spans()[-1] == (start, start + minutes(10))
        assert again.engine.status(again.now).continuous_sitting == minutes(10)


@pytest.mark.parametrize(("gap", "outcome"), [(minutes(2), ReminderOutcome.IGNORED), (minutes(20), ReminderOutcome.TAKEN)])
def test_a_pending_reminder_survives_a_restart_and_still_gets_one_outcome(gap, outcome):
    desk = Desk(NINE)
    desk.work(minutes(46))
    again = restarted(desk, gap)
    again.work(minutes(15))
    assert [(e.reminder.at, e.reminder.outcome) for e in again.of(ReminderResolved)][:1] == [(NINE + minutes(45), outcome)]


def test_a_pause_survives_a_restart():
    desk = Desk(NINE)
    desk.work(minutes(10))
    desk.act("pause", NINE + minutes(60))
    again = restarted(desk, minutes(1))
    assert again.engine.status(again.now).state is EngineState.PAUSED
    again.work(minutes(60))
    assert [e.pause.end for e in again.of(PauseEnded)] == [NINE + minutes(60)]
    assert again.of(ReminderDue)[0].at == NINE + minutes(60)


def test_a_restart_with_the_clock_set_back_never_writes_before_the_last_heartbeat():
    desk = Desk(NINE)
    desk.work(minutes(30))
    again = restarted(desk, timedelta(0), clock_step=timedelta(hours=-2))
    again.work(minutes(10))
    beats = again.of(SpanHeartbeat)
    assert beats[0].span == desk.of(SpanHeartbeat)[-1].span  # continues from 09:30, not 07:30
    assert again.spans() == [(NINE, NINE + minutes(40))]


def test_engine_with_no_restore_starts_away_and_not_on_a_recorded_break():
    engine = Engine(EngineSettings(working_hours=ALWAYS), BERLIN, at=NINE, monotonic=0.0)
    assert engine.status(NINE).state is EngineState.AWAY
    events = engine.tick(Sample(NINE + timedelta(seconds=10), 10.0, timedelta(seconds=2)))
    assert [type(e) for e in events] == [SpanHeartbeat]
    assert events[0].span.start == NINE + timedelta(seconds=8)
