"""Issue 17 in the engine: a due reminder waits for a pause in typing (at most 60 s) and is held
while the desktop should stay quiet, with sitting counted all along; driven through whole
simulated hours with the Desk of test_engine_sim (1-second steps where the seconds matter)."""

from __future__ import annotations

from datetime import timedelta

from movebreak.engine.events import ReminderDue
from movebreak.engine.settings import EngineSettings
from movebreak.engine.state import EngineState
from movebreak.records import Activity, BreakKind
from test_engine_sim import ALWAYS, Desk, local, minutes

SECOND = timedelta(seconds=1)
START = local("2024-05-06", "09:00")


def desk(wait: timedelta = 3 * SECOND, step: timedelta = SECOND) -> Desk:
    return Desk(START, EngineSettings(working_hours=ALWAYS, wait_for_pause=wait), step=step)


def due_times(d: Desk) -> list:
    return [event.at for event in d.of(ReminderDue)]


def test_a_due_reminder_waits_for_a_pause_in_typing():
    d = desk()
    d.work(minutes(45) + 10 * SECOND)  # due at 09:45:00, typing on
    assert due_times(d) == [] and d.engine.next_deadline() == d.now + SECOND  # looking again each second
    d.rest(5 * SECOND)  # the hands leave the keyboard at 09:45:10
    assert due_times(d) == [START + minutes(45) + 13 * SECOND]  # the first tick with 3 s of no input


def test_typing_on_delays_it_at_most_a_minute():
    d = desk()
    d.work(minutes(47))
    assert due_times(d) == [START + minutes(46)]  # due 09:45:00, sent 60 s later, mid-typing after all


def test_without_waiting_it_comes_on_the_second_it_is_due():
    d = desk(wait=timedelta(0))
    d.work(minutes(46))
    assert due_times(d) == [START + minutes(45)]


def test_a_hold_keeps_the_reminder_back_and_sitting_counting_then_says_what_held_it():
    d = desk(wait=timedelta(0), step=10 * SECOND)
    d.work(minutes(40))
    d.quiet = "call"
    d.work(minutes(15))  # in a call 09:40-09:55; the reminder was due at 09:45
    assert due_times(d) == []
    status = d.engine.status(d.now)
    assert (status.state, status.held) == (EngineState.HELD, "call")
    assert status.continuous_sitting == minutes(55)
    assert d.engine.next_deadline() <= d.now + timedelta(seconds=30)  # looks again within a minute
    d.quiet = None
    d.work(10 * SECOND)  # the first tick without the call (work ticks at once, at 09:55:00)
    [sent] = d.of(ReminderDue)
    assert (sent.at, sent.held, sent.sitting) == (START + minutes(55), "call", minutes(55))
    assert sent.held_for == minutes(10)  # held from 09:45:00 until the call ended
    assert d.engine.status(d.now).state is EngineState.REMINDING


def test_a_break_during_a_hold_ends_it_and_nothing_is_sent():
    d = desk(wait=timedelta(0), step=10 * SECOND)
    d.quiet = "fullscreen"
    d.work(minutes(50))
    assert d.engine.status(d.now).state is EngineState.HELD
    d.events += d.engine.log_break(Activity(d.now - minutes(5), BreakKind.LOGGED, minutes(5)))
    d.quiet = None
    d.work(minutes(10))
    assert due_times(d) == []
    assert d.engine.status(d.now).state is EngineState.SITTING


def test_after_a_hold_it_still_waits_for_a_pause():
    d = desk()
    d.quiet = "do-not-disturb"
    d.work(minutes(50))
    d.quiet = None
    d.work(30 * SECOND)  # still typing when do-not-disturb ends at 09:50
    assert due_times(d) == []
    d.rest(4 * SECOND)
    [sent] = d.of(ReminderDue)
    assert sent.held == "do-not-disturb" and sent.at == START + minutes(50) + 33 * SECOND


def test_a_repeat_is_held_too():
    d = desk(wait=timedelta(0), step=10 * SECOND)
    d.work(minutes(46))
    assert len(due_times(d)) == 1
    d.quiet = "call"
    d.work(minutes(20))  # the ignored reminder would repeat at 09:55
    assert len(due_times(d)) == 1 and d.engine.status(d.now).state is EngineState.HELD
    d.quiet = None
    d.work(10 * SECOND)
    assert len(due_times(d)) == 2 and d.of(ReminderDue)[-1].repeat
