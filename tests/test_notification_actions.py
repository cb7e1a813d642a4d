"""The reminder's buttons, one reminder at a time, and urgency: a real AppCore with the real
Linux notifier against the real recording notification server (a process of its own) on a
private D-Bus. The server emits ActionInvoked / NotificationClosed when the test asks, as a
desktop does when the user clicks; the test checks what the app did."""

from __future__ import annotations

import io
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from desktop import start_notification_server, wait_until
from movebreak import config as config_module
from movebreak.clock import SimulatedClock
from movebreak.exercises.catalogue import load_catalogue
from movebreak.notify import make_notifier
from movebreak.records import BreakKind, ReminderOutcome
from movebreak.running.core import AppCore
from movebreak.store import Store
from test_app_core import BERLIN, START, ScriptedProbe

pytestmark = pytest.mark.gui  # needs dbus-daemon: skipped without it, required under MOVEBREAK_REQUIRE_GUI=1

CONFIG = ('[reminders]\nremind_after = "10s"\nrepeat_after = "60s"\nsnooze_limit = {limit}\n'
          'wait_for_pause = "0s"\nquiet_during = []\n'  # reminders at once: this file tests what follows
          '[tracking]\npoll_every = "1s"\n[working_hours]\nalways = true\n')
LISTENER = "movebreak-notify-actions"


@dataclass
class RecordingUI:
    """What the tray would be told (it has the actions window: ``open_window``)."""

    shown: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    opened: threading.Event = field(default_factory=threading.Event)

    def show_reminder(self, view) -> None:
        self.shown.append(view)

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def refresh(self) -> None:
        pass

    def open_window(self) -> None:
        self.opened.set()


class App:
    """A running core on the private bus, driven by a simulated clock."""

    def __init__(self, tmp_path, bus, server, *, snooze_limit: int = 3) -> None:
        self.server = server
        self.clock = SimulatedClock(START)
        self.store = Store(tmp_path / "history.sqlite3", now=self.clock.now)
        self.catalogue, problems = load_catalogue(None)
        assert problems == []
        self.probe = ScriptedProbe(self.clock)
        self.notifier = make_notifier({"DBUS_SESSION_BUS_ADDRESS": bus.address}, platform="linux",
                                      stream=io.StringIO())
        cfg = config_module.parse_text(CONFIG.format(limit=snooze_limit), tmp_path / "config.toml")
        self.core = AppCore(settings=cfg.app_settings(), store=self.store, clock=self.clock, tz=BERLIN,
                            probe=self.probe, notifier=self.notifier, catalogue=self.catalogue, language="en",
                            rng=random.Random(7))
        self.ui = RecordingUI()
        self.core.ui = self.ui

    def tick(self, seconds: float = 1) -> None:
        self.clock.advance(timedelta(seconds=seconds))
        self.probe.touch()
        self.core.tick()

    def until_notified(self, count: int, *, limit: timedelta = timedelta(minutes=10)) -> list[dict]:
        """Sit (simulated time) until the server has ``count`` notifications."""
        end = self.clock.now() + limit
        while len(self.server.received()) < count:
            assert self.clock.now() < end, f"no notification #{count} within {limit}: {self.server.received()}"
            self.tick()
        return self.server.wait_for(count)

    def activities(self):
        return self.store.activities_between(START - timedelta(days=1), self.clock.now() + timedelta(days=1))

    def reminders(self):
        return self.store.reminders_between(START - timedelta(days=1), self.clock.now() + timedelta(days=1))

    def close(self) -> None:
        channel = getattr(self.notifier.primary, "channel", None)
        if channel is not None:
            channel.close()
        self.store.close()


@pytest.fixture
def server(private_bus, processes, tmp_path):
    return start_notification_server(processes, private_bus, tmp_path / "n.jsonl")


@pytest.fixture
def app(private_bus, server, tmp_path):
    running = App(tmp_path, private_bus, server)
    yield running
    running.close()


def listeners() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == LISTENER]


def test_a_reminder_has_done_snooze_and_another_exercise_where_the_server_offers_actions(app):
    assert listeners() == []  # nothing listens before a reminder was sent
    (note,) = app.until_notified(1)
    assert note["actions"] == ["default", "Open movebreak", "done", "Done", "snooze", "Snooze 5 min",
                               "another", "Another exercise"]
    assert note["hints"]["urgency"] == 1 and note["replaces_id"] == 0
    assert len(listeners()) == 1


def test_done_logs_the_suggested_exercise_as_the_trays_break_does(app):
    (note,) = app.until_notified(1)
    suggested = app.core.current_reminder.exercise_id
    assert suggested is not None
    app.server.click("done")
    (activity,) = wait_until(app.activities, timeout=5)
    assert (activity.exercise_id, activity.kind) == (suggested, BreakKind.REMINDER)
    assert [r.outcome for r in app.reminders()] == [ReminderOutcome.TAKEN]
    assert app.store.get_state("status")[0]["state"] != "reminding"
    assert wait_until(app.server.closed) == [note["id"]]  # answered: off the screen


def test_snooze_shows_in_the_status_within_a_second(app):
    app.until_notified(1)
    clicked = time.monotonic()
    app.server.click("snooze")
    wait_until(lambda: app.store.get_state("status")[0]["state"] == "snoozed", timeout=1.0,
               message="the snooze did not reach the status snapshot (what `movebreak status` reads) within 1 s")
    assert time.monotonic() - clicked < 1.0
    status = app.core.engine.status(app.clock.now())
    assert status.snoozed_until == app.clock.now() + timedelta(minutes=5)  # the first snooze option
    assert [r.outcome for r in wait_until(app.reminders)] == [ReminderOutcome.SNOOZED]
    assert app.activities() == []


def test_no_snooze_button_once_the_snooze_limit_is_reached(private_bus, server, tmp_path):
    app = App(tmp_path, private_bus, server, snooze_limit=1)
    try:
        (first,) = app.until_notified(1)
        assert "snooze" in first["actions"]
        app.core.snooze()  # from the tray (the CLI's snooze reaches the same engine call)
        assert app.server.closed() == [first["id"]]  # snoozed another way: off the screen
        second = app.until_notified(2, limit=timedelta(minutes=15))[-1]
        assert "snooze" not in second["actions"] and "done" in second["actions"]
        assert second["replaces_id"] == 0  # the first one was closed; this is a new one
    finally:
        app.close()


def test_another_exercise_replaces_the_notification_with_a_different_exercise(app):
    (first,) = app.until_notified(1)
    before = app.core.current_reminder.exercise_id
    app.server.click("another")
    second = app.server.wait_for(2)[-1]
    after = app.core.current_reminder.exercise_id
    assert second["replaces_id"] == first["id"] and second["id"] == first["id"]
    assert after != before and second["body"] != first["body"]
    assert app.ui.shown[-1].exercise_id == after
    assert app.server.closed() == [] and app.activities() == []
    app.server.click("done")  # Done on the replaced notification logs the new exercise
    (activity,) = wait_until(app.activities, timeout=5)
    assert activity.exercise_id == after


def test_an_ignored_reminder_repeats_in_place_with_urgency_critical(app):
    (first,) = app.until_notified(1)
    second = app.until_notified(2, limit=timedelta(minutes=3))[-1]
    assert first["hints"]["urgency"] == 1
    assert second["hints"]["urgency"] == 2
    assert second["replaces_id"] == first["id"]
    assert app.server.closed() == []  # replaced, not closed and shown again
    assert [r.outcome for r in app.reminders()] == [ReminderOutcome.IGNORED]


@pytest.mark.parametrize("how", ["tray break", "cli break", "skip", "pause"])
def test_a_reminder_answered_another_way_is_closed(app, how):
    (note,) = app.until_notified(1)
    if how == "tray break":
        app.core.log_break()
    elif how == "cli break":  # what `movebreak log` writes; the app follows it at its next tick
        from movebreak.usecases.breaks import new_break

        other = Store(app.store.path, now=app.clock.now)
        try:
            other.add_activity(new_break(app.clock.now()))
        finally:
            other.close()
        app.tick()
    elif how == "skip":
        app.core.skip()
    else:
        app.core.pause(timedelta(minutes=30))
    assert app.server.closed() == [note["id"]]
    assert app.core.reminders.showing is None


def test_dismissing_the_notification_logs_nothing(app):
    (note,) = app.until_notified(1)
    app.server.emit("NotificationClosed", note["id"], 2)  # dismissed by the user
    wait_until(lambda: app.core.reminders.showing is None, timeout=5)
    assert app.activities() == [] and app.reminders() == []
    assert app.core.current_reminder is not None  # still due: the engine decides, not the server
    repeat = app.until_notified(2, limit=timedelta(minutes=3))[-1]
    assert repeat["replaces_id"] == 0  # the dismissed one is gone: a new notification


def test_a_click_on_the_body_opens_the_window(app):
    app.until_notified(1)
    app.server.click("default")
    assert app.ui.opened.wait(5)
    assert app.activities() == []


def test_a_server_that_signals_only_the_sender_reaches_the_app(app):
    """dunst and KDE send ActionInvoked only to the connection that asked for the notification."""
    app.until_notified(1)
    app.server.click("done", unicast=True)
    assert len(wait_until(app.activities, timeout=5)) == 1


def test_signals_about_other_notifications_or_from_others_change_nothing(app, private_bus):
    from jeepney import DBusAddress, new_signal
    from jeepney.io.blocking import open_dbus_connection

    (note,) = app.until_notified(1)
    app.server.emit("ActionInvoked", note["id"] + 41, "done")  # not ours
    with open_dbus_connection(private_bus.address) as impostor:  # ours, but not from the server
        emitter = DBusAddress("/org/freedesktop/Notifications", interface="org.freedesktop.Notifications")
        impostor.send(new_signal(emitter, "ActionInvoked", "us", (note["id"], "done")))
    app.server.click("another")  # a real one after them: once it shows, the others were handled
    app.server.wait_for(2)
    assert app.activities() == []


def test_without_the_actions_capability_a_plain_notification_and_no_listener(private_bus, processes, tmp_path):
    server = start_notification_server(processes, private_bus, tmp_path / "plain.jsonl", capabilities=("body",))
    app = App(tmp_path, private_bus, server)
    try:
        (note,) = app.until_notified(1)
        assert note["actions"] == [] and note["hints"]["urgency"] == 1
        assert listeners() == [] and app.notifier.primary.channel is None
        app.core.log_break()
        assert app.server.closed() == [note["id"]]  # one at a time still holds
    finally:
        app.close()


def test_the_listener_sleeps_while_idle(app):
    """It blocks in recv: no wake-ups, so no context switches, between reminders."""
    app.until_notified(1)
    (thread,) = listeners()

    def switches() -> int:
        with open(f"/proc/self/task/{thread.native_id}/status", encoding="ascii") as status:
            return sum(int(line.split()[1]) for line in status if "ctxt_switches" in line)

    # the messages that follow a reminder (the server's replies, signals) may still be arriving on a
    # loaded machine: let them settle (a thread that polls never would), then measure idle time
    before = switches()
    for _ in range(20):
        time.sleep(0.1)
        now = switches()
        if now == before:
            break
        before = now
    time.sleep(0.5)  # idle time is what is measured here
    assert switches() == before


def test_a_new_notification_server_is_reached_on_the_same_connection(private_bus, processes, tmp_path, app):
    (first,) = app.until_notified(1)
    app.server.stop()  # the desktop's notification daemon restarts
    again = start_notification_server(processes, private_bus, tmp_path / "again.jsonl", name="notifications-2")
    app.server = again
    app.core.log_break()  # the close goes nowhere (the old server is gone); nothing breaks
    (note,) = app.until_notified(1, limit=timedelta(minutes=3))
    again.click("done")
    assert len(wait_until(lambda: len(app.activities()) == 2 and app.activities(), timeout=5)) == 2
    assert len(listeners()) == 1


def test_the_bus_going_away_is_survived_and_the_next_reminder_reconnects(private_bus, processes, tmp_path, app):
    app.until_notified(1)
    (thread,) = listeners()
    processes.stop_pid(private_bus.pid)
    thread.join(5)
    assert not thread.is_alive()  # the bus closed the connection: the listener ended quietly
    app.core.log_break()  # closing fails quietly
    app.tick(20)
    assert listeners() == []



def test_stopping_the_app_takes_its_reminder_off_the_screen(app):
    """Its buttons would answer nobody once the app is gone."""
    (note,) = app.until_notified(1)
    assert app.core.shutdown() == 0
    assert app.server.closed() == [note["id"]]


def test_a_server_that_answers_twice_like_mako_still_gets_the_buttons(private_bus, processes, tmp_path):
    """mako 1.7 answers GetCapabilities with its list and then an UnknownMethod error to the same
    call; the listening connection took the second answer and sent the reminder without buttons."""
    server = start_notification_server(processes, private_bus, tmp_path / "n.jsonl", double_reply=True)
    running = App(tmp_path, private_bus, server)
    try:
        (note,) = running.until_notified(1)
        assert "done" in note["actions"]
        server.click("done")
        assert wait_until(running.activities, timeout=5)
    finally:
        running.close()
