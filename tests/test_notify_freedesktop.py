"""The Linux notifier against a real private bus and the real recording notification server."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from datetime import timedelta

import pytest

from desktop import start_notification_server
from movebreak.notify import FallbackNotifier, TerminalNotifier, make_notifier
from movebreak.notify.freedesktop import FreedesktopNotifier

pytestmark = pytest.mark.gui

TITLE = "47 min sitting — time to move"
BODY = "Step-up: step onto a sturdy step and down again, alternating legs — 2 min"


def test_reminder_arrives_on_the_bus_with_title_and_body(desktop):
    notifier = FreedesktopNotifier(desktop.env())
    assert notifier.send(TITLE, BODY, timeout=timedelta(seconds=8)) is True
    (note,) = desktop.notifications.wait_for(1)
    assert note["summary"] == TITLE
    assert note["body"] == BODY
    assert note["app_name"] == "movebreak"
    assert note["actions"] == []
    assert note["expire_timeout"] == 8000
    assert note["hints"] == {"urgency": 1}
    assert note["replaces_id"] == 0
    assert notifier.last_id == note["id"] and notifier.problem is None


def test_check_names_the_server(desktop):
    status = FreedesktopNotifier(desktop.env()).check()
    assert status.ok
    assert status.detail == "desktop notifications via movebreak-test-recorder 1.0 on D-Bus: OK"


def test_the_app_environment_reaches_the_server_from_another_process(desktop):
    """What the real app does: a separate process, only the desktop's environment."""
    code = (
        "from datetime import timedelta; from movebreak.notify import make_notifier; "
        f"n = make_notifier(); print(n.check().ok, n.send({TITLE!r}, {BODY!r}, timeout=timedelta(seconds=5)), n.last_route)"
    )
    done = subprocess.run([sys.executable, "-c", code], env=desktop.env(), capture_output=True, text=True, timeout=20)
    assert (done.returncode, done.stdout, done.stderr) == (0, "True True desktop\n", "")
    assert [(n["summary"], n["body"]) for n in desktop.notifications.wait_for(1)] == [(TITLE, BODY)]


def test_without_a_server_check_says_so_and_send_returns_false(private_bus, caplog):
    notifier = FreedesktopNotifier({"DBUS_SESSION_BUS_ADDRESS": private_bus.address})
    status = notifier.check()
    assert not status.ok
    assert status.detail.startswith("no notification server is running (nothing owns org.freedesktop.Notifications")
    with caplog.at_level(logging.WARNING, logger="movebreak.notify"):
        assert notifier.send(TITLE, BODY, timeout=timedelta(seconds=5)) is False
    assert "notification not shown: no notification server is running" in caplog.text
    assert not any(record.exc_info for record in caplog.records)  # a line, not a traceback


def test_server_going_away_mid_run_and_coming_back(private_bus, processes, tmp_path):
    env = {"DBUS_SESSION_BUS_ADDRESS": private_bus.address}
    server = start_notification_server(processes, private_bus, tmp_path / "first.jsonl")
    notifier = make_notifier(env, platform="linux", stream=io.StringIO())
    assert notifier.send(TITLE, "one", timeout=timedelta(seconds=5)) is True

    server.stop()  # the desktop's notification daemon crashes
    assert notifier.send(TITLE, "two", timeout=timedelta(seconds=5)) is False
    assert notifier.last_route == "terminal"
    assert notifier.check().detail.endswith("; reminders are written to the terminal instead")

    again = start_notification_server(processes, private_bus, tmp_path / "second.jsonl", name="notifications-2")
    assert notifier.send(TITLE, "three", timeout=timedelta(seconds=5)) is True
    assert [n["body"] for n in server.received()] == ["one"]
    assert [n["body"] for n in again.received()] == ["three"]


def test_bus_going_away_mid_run(private_bus, processes, tmp_path):
    env = {"DBUS_SESSION_BUS_ADDRESS": private_bus.address}
    start_notification_server(processes, private_bus, tmp_path / "n.jsonl")
    notifier = FreedesktopNotifier(env)
    assert notifier.send(TITLE, BODY, timeout=timedelta(seconds=5)) is True
    processes.stop_pid(private_bus.pid)
    assert notifier.send(TITLE, BODY, timeout=timedelta(seconds=5)) is False
    assert notifier.problem.startswith("cannot connect to the D-Bus session bus")
    assert not notifier.check().ok


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        ({}, "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"),
        ({"DBUS_SESSION_BUS_ADDRESS": "disabled:"}, "the session bus address disabled: has no unix: socket"),
        ({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"}, "cannot connect to the D-Bus session bus: FileNotFoundError"),
    ],
)
def test_no_usable_bus(environ, problem):
    notifier = FreedesktopNotifier(environ)
    assert notifier.send(TITLE, BODY, timeout=timedelta(seconds=5)) is False
    assert notifier.problem.startswith(problem)
    status = notifier.check()
    assert not status.ok and status.detail.startswith(problem)


def test_fallback_writes_to_the_terminal_only_when_the_desktop_fails(desktop, private_bus):
    shown = io.StringIO()
    with_server = FallbackNotifier(FreedesktopNotifier(desktop.env()), TerminalNotifier(shown))
    assert with_server.send(TITLE, BODY, timeout=timedelta(seconds=5)) is True
    assert with_server.last_route == "desktop" and shown.getvalue() == ""

    fallback = io.StringIO()
    without = FallbackNotifier(FreedesktopNotifier({"DBUS_SESSION_BUS_ADDRESS": private_bus.address}),
                               TerminalNotifier(fallback))
    assert without.send(TITLE, BODY, timeout=timedelta(seconds=5)) is False
    assert without.last_route == "terminal"
    assert fallback.getvalue() == f"[movebreak] {TITLE}\n[movebreak]   {BODY}\n"
    assert len(desktop.notifications.received()) == 1


def test_a_reminder_on_the_bus_carries_the_whole_exercise_and_its_pictogram(private_bus, processes, tmp_path):
    """The running core with the real notifier: every step, the safety line, and the exercise's
    pictogram as the spec's "image-path" hint (a file:// URI to a file that exists)."""
    import random
    from pathlib import Path
    from urllib.parse import unquote, urlparse
    from zoneinfo import ZoneInfo

    from movebreak import config as config_module
    from movebreak.clock import SimulatedClock
    from movebreak.exercises.catalogue import load_catalogue
    from movebreak.exercises.render import SAFETY_LINE
    from movebreak.running.core import AppCore
    from movebreak.store import Store
    from test_app_core import START, ScriptedProbe

    server = start_notification_server(processes, private_bus, tmp_path / "n.jsonl")
    notifier = make_notifier({"DBUS_SESSION_BUS_ADDRESS": private_bus.address}, platform="linux", stream=io.StringIO())
    clock = SimulatedClock(START)
    store = Store(tmp_path / "history.sqlite3", now=clock.now)
    catalogue, problems = load_catalogue(None)
    assert problems == []
    probe = ScriptedProbe(clock)
    cfg = config_module.parse_text('[tracking]\npoll_every = "10s"\n', tmp_path / "config.toml")
    core = AppCore(settings=cfg.app_settings(), store=store, clock=clock, tz=ZoneInfo("Europe/Berlin"), probe=probe,
                   notifier=notifier, catalogue=catalogue, language="en", rng=random.Random(7))
    try:
        while not server.received():
            clock.advance(timedelta(seconds=10))
            probe.touch()
            core.tick()
            assert clock.now() - START < timedelta(hours=2)
        (note,) = server.wait_for(1)
        exercise = catalogue.require(core.reminders.current.exercise_id)
        for number, step in enumerate(exercise.steps("en"), start=1):
            assert f"{number}. {step}" in note["body"].splitlines()
        assert exercise.mistake("en") in note["body"] and exercise.easier("en") in note["body"]
        assert note["body"].splitlines()[-1] == SAFETY_LINE
        uri = note["hints"]["image-path"]
        assert uri.startswith("file:///")
        picture = Path(unquote(urlparse(uri).path))
        assert picture == catalogue.picture_file(exercise).absolute() and picture.is_file()
        assert note["hints"]["urgency"] == 1
    finally:
        store.close()


def test_no_image_hint_without_a_picture_file(private_bus, processes, tmp_path):
    server = start_notification_server(processes, private_bus, tmp_path / "n.jsonl")
    notifier = FreedesktopNotifier({"DBUS_SESSION_BUS_ADDRESS": private_bus.address})
    assert notifier.send(TITLE, BODY, timeout=timedelta(seconds=5), image=tmp_path / "gone.svg") is True
    (note,) = server.wait_for(1)
    assert note["hints"] == {"urgency": 1}
