"""A whole simulated day through the engine, every figure asserted.

Saturday 23:30 (outside working hours) someone sits 45 min past midnight, leaves the laptop on
through the DST night, and works Sunday (working hours 08-18 every day, day starts 04:00):
sit 50 min -> reminder, snooze twice, log an exercise, an ignored reminder and its repeat,
a skip, lunch away 40 min, a meeting with no input for 20 min, the laptop suspended 2 h, a
pause, and a locked screen at the end. Ticks every 10 s on a SimulatedClock.
"""

from __future__ import annotations

import time as wallclock
from datetime import time, timedelta

import pytest

from movebreak.engine.events import (
    AwayDetected,
    AwayReason,
    BreakLogged,
    NaturalBreak,
    PauseEnded,
    PauseStarted,
    ReminderDue,
    ReminderResolved,
)
from movebreak.engine.settings import EngineSettings
from movebreak.engine.state import EngineState
from movebreak.records import Activity, BreakKind, Intensity, ReminderOutcome
from test_engine_sim import EVERY_DAY, Desk, local, minutes

# (saturday, sunday, the night's natural break 00:15 -> 08:00 in real (UTC) time)
DST_NIGHTS = [
    pytest.param("2024-10-26", "2024-10-27", timedelta(hours=8, minutes=45), id="october-fall-back"),
    pytest.param("2024-03-30", "2024-03-31", timedelta(hours=6, minutes=45), id="march-spring-forward"),
]


@pytest.mark.parametrize(("sat", "sun", "night"), DST_NIGHTS)
def test_a_whole_workday_after_a_dst_night(sat, sun, night):
    started = wallclock.perf_counter()
    S = lambda hhmm: local(sun, hhmm)  # noqa: E731  Sunday local time
    settings = EngineSettings(working_hours=EVERY_DAY, day_starts_at=time(4, 0))
    desk = Desk(local(sat, "23:30"), settings)

    # Saturday night: 45 min of sitting, outside working hours -> no reminder.
    desk.work_until(S("00:15"))
    status = desk.engine.status(desk.now)
    assert status.state is EngineState.OUTSIDE_HOURS
    assert status.continuous_sitting == minutes(45)
    assert desk.of(ReminderDue) == []
    # The night: laptop on, no input, through the DST change.
    desk.rest_until(S("03:59"))
    assert desk.engine.status(desk.now).sitting_today == minutes(45)  # still Saturday's day (starts 04:00)
    assert desk.engine.status(desk.now).state is EngineState.AWAY
    desk.rest_until(S("08:00"))
    assert desk.engine.status(desk.now).sitting_today == timedelta(0)

    # 08:00 at the desk; 45 min -> reminder at 08:45.
    desk.work_until(S("08:50"))
    desk.act("snooze")  # 08:50, default 10 min
    assert desk.engine.status(desk.now).state is EngineState.SNOOZED
    assert desk.engine.next_deadline() == S("09:00")
    desk.work_until(S("09:02"))
    desk.act("snooze", minutes(5))  # until 09:07
    desk.work_until(S("09:07"))
    # Squats at the desk, 09:07-09:10, then logged.
    desk.rest_until(S("09:10"))
    logged = Activity(S("09:07"), BreakKind.LOGGED, minutes(3), "squats", Intensity.STRENGTH)
    desk.events += desk.engine.log_break(logged)
    assert desk.engine.status(desk.now).continuous_sitting == timedelta(0)

    # 09:10-10:06 work; reminder 09:55 is ignored, comes again 10:05; then away 10:06-10:20.
    desk.work_until(S("10:06"))
    desk.rest_until(S("10:20"))
    # 10:20-12:00 work; reminder 11:05 skipped at 11:06 -> next one 45 min of sitting later.
    desk.work_until(S("11:06"))
    desk.act("skip")
    assert desk.engine.next_deadline() == S("11:51")
    desk.work_until(S("12:00"))
    desk.rest_until(S("12:40"))  # lunch
    desk.work_until(S("13:00"))
    desk.rest_until(S("13:20"))  # meeting, no input
    desk.work_until(S("14:00"))
    desk.suspend(timedelta(hours=2))  # lid closed 14:00-16:00
    desk.work_until(S("16:46"))
    desk.act("pause", S("17:16"))
    assert desk.engine.status(desk.now).state is EngineState.PAUSED
    desk.work_until(S("17:20"))
    desk.locked = True
    desk.rest_until(S("17:30"))
    desk.locked = False
    desk.work(timedelta(0))
    elapsed = wallclock.perf_counter() - started

    # -- spans (the night's first, then Sunday's)
    assert desk.spans() == [
        (local(sat, "23:30"), S("00:15")),
        (S("08:00"), S("09:07")),
        (S("09:10"), S("10:06")),
        (S("10:20"), S("12:00")),
        (S("12:40"), S("13:00")),
        (S("13:20"), S("14:00")),
        (S("16:00"), S("17:20")),
        (S("17:30"), S("17:30")),
    ]
    # -- natural breaks: (start, length)
    assert [(e.activity.at, e.activity.duration) for e in desk.of(NaturalBreak)] == [
        (S("00:15"), night),
        (S("10:06"), minutes(14)),
        (S("12:00"), minutes(40)),
        (S("13:00"), minutes(20)),
        (S("14:00"), timedelta(hours=2)),
        (S("17:20"), minutes(10)),
    ]
    assert all(e.activity.kind is BreakKind.NATURAL for e in desk.of(NaturalBreak))
    # -- reminders sent
    assert [(e.at, e.sitting, e.snoozes_used, e.can_snooze, e.repeat) for e in desk.of(ReminderDue)] == [
        (S("08:45"), minutes(45), 0, True, False),
        (S("09:00"), minutes(60), 1, True, False),
        (S("09:07"), minutes(67), 2, True, False),
        (S("09:55"), minutes(45), 0, True, False),
        (S("10:05"), minutes(55), 0, True, True),
        (S("11:05"), minutes(45), 0, True, False),
        (S("11:51"), minutes(91), 0, True, False),
        (S("12:01"), minutes(101), 0, True, True),  # left at 12:00, not yet a break at 12:01
        (S("16:45"), minutes(45), 0, True, False),
        (S("17:16"), minutes(76), 0, True, False),
    ]
    # -- and exactly one outcome each, in order
    outcomes = [(e.reminder.at, e.reminder.outcome, e.reminder.snooze) for e in desk.of(ReminderResolved)]
    assert outcomes == [
        (S("08:45"), ReminderOutcome.SNOOZED, minutes(10)),
        (S("09:00"), ReminderOutcome.SNOOZED, minutes(5)),
        (S("09:07"), ReminderOutcome.TAKEN, None),  # the logged squats
        (S("09:55"), ReminderOutcome.IGNORED, None),
        (S("10:05"), ReminderOutcome.TAKEN, None),  # got up at 10:06, seen at 10:11
        (S("11:05"), ReminderOutcome.SKIPPED, None),
        (S("11:51"), ReminderOutcome.IGNORED, None),
        (S("12:01"), ReminderOutcome.TAKEN, None),  # lunch: the break is seen at 12:05
        (S("16:45"), ReminderOutcome.SKIPPED, None),  # paused while it was pending
        (S("17:16"), ReminderOutcome.TAKEN, None),  # locked and left
    ]
    assert sorted(at for at, _, _ in outcomes) == [e.at for e in desk.of(ReminderDue)]
    # -- the logged exercise answers the 09:07 reminder
    assert [e.activity for e in desk.of(BreakLogged)] == [
        Activity(S("09:07"), BreakKind.REMINDER, minutes(3), "squats", Intensity.STRENGTH)
    ]
    assert logged.kind is BreakKind.LOGGED  # the caller's record is not changed in place
    # -- suspend and lock
    assert [(e.start, e.end, e.reason) for e in desk.of(AwayDetected)] == [
        (S("14:00"), S("16:00"), AwayReason.SUSPEND),
        (S("17:20"), S("17:30"), AwayReason.LOCK),
    ]
    # -- pause 16:46-17:16
    assert [(e.pause.start, e.pause.end) for e in desk.of(PauseStarted)] == [(S("16:46"), S("17:16"))]
    assert [(e.pause.start, e.pause.end) for e in desk.of(PauseEnded)] == [(S("16:46"), S("17:16"))]
    # -- the day's total: 67 + 56 + 100 + 20 + 40 + 80 min
    status = desk.engine.status(desk.now)
    assert status.sitting_today == minutes(363)
    assert status.state is EngineState.SITTING
    assert status.continuous_sitting == timedelta(0)
    assert elapsed < 1.0, f"the simulated day took {elapsed:.3f} s"
