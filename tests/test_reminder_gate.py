"""Issue 17 in the running app: a due reminder waits for a pause in typing and is held while the
quiet sources say so; the real AppCore on a real history file, a scripted idle probe, a
notifier that records, and quiet sources behind the interface the app uses (``check()``)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from movebreak import config as config_module
from movebreak.exercises.catalogue import load_catalogue
from movebreak.running.core import AppCore
from movebreak.store import Store
from test_app_core import BERLIN, MIN, START, RecordingNotifier, ScriptedProbe
from movebreak.clock import SimulatedClock

SECOND = timedelta(seconds=1)


class ScriptedQuiet:
    """What the quiet sources say now; counts how often the app asked."""

    def __init__(self) -> None:
        self.reason: str | None = None
        self.asked = 0

    def check(self) -> str | None:
        self.asked += 1
        return self.reason

    def in_call(self) -> bool:
        return self.reason == "call"


@pytest.fixture
def app(tmp_path):
    clock = SimulatedClock(START)
    store = Store(tmp_path / "history.sqlite3", now=clock.now)
    cfg = config_module.parse_text('[tracking]\npoll_every = "10s"\n', tmp_path / "config.toml")  # waits 3 s
    assert cfg.app_settings().engine.wait_for_pause == 3 * SECOND
    catalogue, _ = load_catalogue(None)
    probe, notifier, quiet = ScriptedProbe(clock), RecordingNotifier(), ScriptedQuiet()
    core = AppCore(settings=cfg.app_settings(), store=store, clock=clock, tz=BERLIN, probe=probe, notifier=notifier,
                   catalogue=catalogue, language="en", rng=random.Random(3), quiet=quiet)

    def run(duration: timedelta, *, typing: bool = True, step: timedelta = 10 * SECOND) -> None:
        end = clock.now() + duration
        while clock.now() < end:
            clock.advance(step)
            if typing:
                probe.touch()
            core.tick()

    yield clock, store, core, probe, notifier, quiet, run
    store.close()


def test_the_quiet_sources_are_not_asked_while_no_reminder_is_due(app):
    clock, store, core, probe, notifier, quiet, run = app
    run(44 * MIN)
    assert quiet.asked == 0 and notifier.sent == []


def test_a_due_reminder_waits_for_the_hands_to_leave_the_keyboard(app):
    clock, store, core, probe, notifier, quiet, run = app
    run(45 * MIN + 20 * SECOND)  # due at 45:00; typing on every tick
    assert notifier.sent == []
    run(10 * SECOND, typing=False)  # a 10 s pause
    assert len(notifier.sent) == 1
    assert core.status().state == "reminding"


def test_held_during_a_call_then_sent_when_it_ends_with_sitting_counted(app):
    clock, store, core, probe, notifier, quiet, run = app
    run(40 * MIN)
    quiet.reason = "call"
    run(15 * MIN, step=SECOND * 10)  # taking notes in a call: typing, pauses of 10 s, still held
    assert notifier.sent == []
    status = core.status()
    assert (status.state, status.held) == ("held", "call")
    assert status.continuous_sitting == 55 * MIN - 10 * SECOND  # since the first tick, at 00:10
    snapshot, _ = store.get_state("status")
    assert (snapshot["state"], snapshot["held"]) == ("held", "call")
    quiet.reason = None
    run(10 * SECOND, typing=False)
    assert len(notifier.sent) == 1
    assert core.status().state == "reminding"
    title, body = notifier.sent[0]
    exercise = core.catalogue.get(core.reminders.current.exercise_id)
    minutes = int(exercise.duration.total_seconds() // 60)
    assert title.startswith("55 min sitting through a call — stand up for ")  # what held it, and for how long to move
    assert title.endswith(f"{minutes} min") or title.endswith(" s")


def test_listening_in_a_call_without_typing_is_sitting_not_a_break(app):
    clock, store, core, probe, notifier, quiet, run = app
    run(40 * MIN)
    quiet.reason = "call"
    run(15 * MIN, typing=False)  # no key pressed for 15 min; the natural break would come after 5
    status = core.status()
    assert (status.state, status.held) == ("held", "call")
    assert status.continuous_sitting == 55 * MIN - 10 * SECOND
    quiet.reason = None
    run(10 * SECOND)  # the call ends, a hand on the mouse
    run(10 * SECOND, typing=False)  # and a pause
    assert notifier.sent[0][0].startswith("55 min sitting through a call")


def test_without_a_call_fifteen_minutes_without_input_are_a_break(app):
    clock, store, core, probe, notifier, quiet, run = app
    run(40 * MIN)
    quiet.reason = "fullscreen"  # a video in full screen is no sign of someone at the desk
    run(15 * MIN, typing=False)
    assert core.status().state == "away" and notifier.sent == []
