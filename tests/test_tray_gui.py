"""The real app in a real tray: Xvfb + trayer + a private D-Bus + a notification server.

Each test starts ``python -m movebreak run`` with test-sized durations (a reminder after
10 s of sitting, repeated every 10 s, polled every second) while xdotool keeps the X
server busy so the user counts as present.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import need

from desktop import REPO, desktop_env, wait_until, window_tree, xdotool

pytestmark = pytest.mark.gui

CONFIG = """\
language = "en"
[reminders]
remind_after = "10s"
repeat_after = "10s"
snooze_options = ["1m", "2m"]
wait_for_pause = "0s"  # the tests' typing never pauses for 3 s
[tracking]
poll_every = "1s"
natural_break_after = "10s"
[working_hours]
always = true
"""
TITLE = re.compile(r"^\d+ (s|min) sitting — time to move$")
ACTIONS_CLASS = "movebreakactions"


def tree(display: str) -> str:
    """The X window tree (desktop.window_tree decodes pystray's Latin-1 titles leniently and
    repeats the walk when a window goes away under it)."""
    return window_tree(display)


def write_config(home: Path) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text(CONFIG, encoding="utf-8")


@contextmanager
def busy(display: str, every: float = 1.0):
    """Press Shift every second: the idle probe sees a present user."""
    stop = threading.Event()

    def press() -> None:
        while not stop.is_set():
            subprocess.run(["xdotool", "key", "shift"], env={"DISPLAY": display}, capture_output=True, check=False)
            stop.wait(every)

    thread = threading.Thread(target=press, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def docked_icon(display: str, tray_owner: int) -> int:
    """The window id of an icon reparented into trayer (a window whose ancestor is trayer's panel), or 0.

    A window that goes away during the walk (an app exiting) is skipped, not an error."""
    from Xlib.display import Display
    from Xlib.error import BadDrawable, BadWindow

    connection = Display(display)
    try:
        root = connection.screen().root
        panels = [w for w in root.query_tree().children if (w.get_wm_class() or ("", ""))[1] == "trayer"
                  and w.get_wm_name() == "panel"]
        for panel in panels:
            stack = list(panel.query_tree().children)
            while stack:
                window = stack.pop()
                try:
                    cls = window.get_wm_class() or ("", "")
                    if "movebreak" in cls:
                        return window.id
                    stack.extend(window.query_tree().children)
                except (BadWindow, BadDrawable):
                    continue
        return 0
    finally:
        connection.close()


def windows_of_class(display: str, needle: str) -> list[int]:
    """Ids of mapped top-level windows whose WM_CLASS contains ``needle`` (case-insensitive)."""
    from Xlib import X
    from Xlib.display import Display

    connection = Display(display)
    try:
        found = []
        for window in connection.screen().root.query_tree().children:
            cls = window.get_wm_class() or ()
            if any(needle in part.lower() for part in cls) and \
                    window.get_attributes().map_state == X.IsViewable:
                found.append(window.id)
        return found
    finally:
        connection.close()


def status_json(env: dict[str, str]) -> dict:
    result = subprocess.run([sys.executable, "-m", "movebreak", "status", "--json"], env=env, cwd=REPO,
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def exercise_names() -> set[str]:
    from movebreak.exercises.catalogue import load_catalogue

    catalogue, _problems = load_catalogue(None)
    return {exercise.name("en") for exercise in catalogue.all()}


def assert_reminder(note: dict) -> None:
    assert TITLE.match(note["summary"]), note
    assert note["app_name"] == "movebreak"
    name = note["body"].split(" (", 1)[0]
    assert name in exercise_names(), note["body"]
    assert re.search(r"\(\d+ (min|s)[^)]*\):\n1\. \S", note["body"]), note["body"]  # the name, then every step numbered


def start(desktop, backend: str):
    write_config(desktop.home)
    began = time.monotonic()
    app = desktop.run_app("run", PYSTRAY_BACKEND=backend)

    def docked():
        if app.poll() is not None:
            raise AssertionError(f"the app exited with {app.returncode}; log:\n{desktop.log()}")
        return docked_icon(desktop.display, desktop.tray.owner)

    try:
        # Usually well under a second; generous for a loaded 2-core machine.
        icon = wait_until(docked, timeout=30)
    except AssertionError as error:
        raise AssertionError(f"the icon never docked ({error}); log:\n{desktop.log()}") from None
    return app, icon, time.monotonic() - began


def test_xorg_icon_docks_reminds_and_the_window_snoozes(desktop):
    with busy(desktop.display):
        app, icon, dock_seconds = start(desktop, "xorg")
        windows = tree(desktop.display)
        assert hex(icon) in windows and '"panel": ("panel" "trayer")' in windows
        # Docked is not yet painted: on a busy machine the first shot can be all black (~400 bytes).
        wait_until(lambda: desktop.screenshot("tray-docked").stat().st_size > 1000, timeout=10, interval=0.3,
                   message="the docked icon was never painted")

        note = desktop.notifications.wait_for(1, timeout=20)[0]
        assert_reminder(note)

        # Left-click: the actions window (pystray #151 fixed: the click arrives).
        desktop.xdotool("mousemove", "--window", str(icon), "8", "8", "click", "1")
        window = wait_until(lambda: windows_of_class(desktop.display, ACTIONS_CLASS),
                            timeout=5, message=f"no actions window; log:\n{desktop.log()}")
        assert ACTIONS_CLASS in tree(desktop.display).lower()
        time.sleep(0.5)  # let it draw before the screenshot
        desktop.screenshot("tray-actions-window")

        # Its Snooze button (key "s" invokes the first snooze option's button).
        desktop.xdotool("windowfocus", "--sync", str(window[0]), "key", "s")
        env = desktop.env()
        wait_until(lambda: status_json(env)["state"] == "snoozed", timeout=8, interval=0.3,
                   message=f"not snoozed; log:\n{desktop.log()}")
        before = len(desktop.notifications.received())
        time.sleep(3)  # repeat_after is 10 s: without the snooze another reminder would be due by now
        assert len(desktop.notifications.received()) == before
        assert app.poll() is None
        print(f"xorg: docked after {dock_seconds:.1f} s")


@pytest.mark.slow
def test_gtk_menu_snoozes_then_reminds_after_the_snooze(desktop):
    need(importlib.util.find_spec("gi") is not None,
         "PyGObject is not installed in this venv (pip install 'PyGObject<3.51', needs libgirepository1.0-dev "
         "libcairo2-dev pkg-config)")
    with busy(desktop.display):
        app, icon, dock_seconds = start(desktop, "gtk")
        first = desktop.notifications.wait_for(1, timeout=20)[0]
        assert_reminder(first)

        before_menu = set(desktop.xdotool("search", "--onlyvisible", "--name", "").split())
        desktop.xdotool("mousemove", "--window", str(icon), "8", "8", "click", "3")
        wait_until(lambda: set(desktop.xdotool("search", "--onlyvisible", "--name", "").split()) - before_menu,
                   timeout=5, message="the menu never opened")
        time.sleep(0.4)
        desktop.screenshot("tray-menu-open")
        # status line (insensitive), "I took a break", "Snooze" ▸ first option
        desktop.xdotool("key", "--delay", "150", "Down", "Down", "Right", "Return")
        snoozed_at = time.monotonic()
        env = desktop.env()
        state = wait_until(lambda: status_json(env)["state"] == "snoozed" and status_json(env), timeout=8,
                           interval=0.3, message=f"the menu did not snooze; log:\n{desktop.log()}")
        assert state["state"] == "snoozed"
        count = len(desktop.notifications.received())
        # No reminder during the 1 min snooze (repeat_after is 10 s), one after it.
        later = desktop.notifications.wait_for(count + 1, timeout=75)
        waited = time.monotonic() - snoozed_at
        assert waited >= 55, f"a reminder came {waited:.0f} s into a 1 min snooze"
        assert_reminder(later[count])
        assert app.poll() is None
        print(f"gtk: docked after {dock_seconds:.1f} s, reminder {waited:.0f} s after snoozing")


def test_without_a_notification_server_the_app_keeps_running_and_doctor_says_so(
        xvfb, tray, private_bus, processes, tmp_path, artifacts):
    home = tmp_path / "home"
    write_config(home)
    env = desktop_env(xvfb, private_bus, home, PYSTRAY_BACKEND="xorg")
    app = processes.start("movebreak", [sys.executable, "-m", "movebreak", "run"], env=env, cwd=REPO)
    with busy(xvfb.display):
        wait_until(lambda: docked_icon(xvfb.display, tray.owner), timeout=10,
                   message=f"no icon; log:\n{processes.log('movebreak')}\n{tree(xvfb.display)}")
        wait_until(lambda: "time to move" in processes.log("movebreak"), timeout=20,
                   message=f"no reminder in the terminal; log:\n{processes.log('movebreak')}")
    assert app.poll() is None, processes.log("movebreak")
    assert "Traceback" not in processes.log("movebreak")
    doctor = subprocess.run([sys.executable, "-m", "movebreak", "doctor"], env=env, cwd=REPO,
                            capture_output=True, text=True, timeout=30)
    line = next(line for line in doctor.stdout.splitlines() if "notifications" in line)
    assert line.startswith("FIX"), doctor.stdout


def test_actions_window_snooze_button_clicked_for_real(xvfb, monkeypatch):
    """The window in this process on Xvfb; xdotool clicks its Snooze button where Tk drew it."""
    need(importlib.util.find_spec("tkinter") is not None, "tkinter is not installed")
    from movebreak.tray.state import BreakChoice, TrayState
    from movebreak.tray.icon import IconKey
    from movebreak.tray.window import ActionsWindow

    monkeypatch.setenv("DISPLAY", xvfb.display)
    calls = []

    class Actions:
        def __getattr__(self, name):
            return lambda *args, **kwargs: calls.append((name, args, kwargs))

    state = TrayState("reminding", IconKey("due", 12), "Time to move · Sitting 45 min", "tip", True, True, False,
                      (5, 10), (BreakChoice("march-in-place", "March in place (2 min)"),))
    notices = []
    window = ActionsWindow(lambda: state, Actions(), notices.append, sys.platform)
    window.open()
    try:
        assert window.shown.wait(10), notices
        x, y = window.widgets["snooze-10"]
        xdotool(xvfb.display, "mousemove", str(x), str(y), "click", "1")
        wait_until(lambda: calls, timeout=5, message="the click did nothing")
        assert calls == [("snooze", (10,), {})]
        wait_until(lambda: not window.is_open, timeout=5, message="the window stayed open after snoozing")
        assert "movebreakactions" not in tree(xvfb.display).lower()
    finally:
        window.close()
    assert notices == []


def test_a_history_from_a_newer_version_ends_the_tray_app_with_one_line(desktop):
    """The icon goes up before the history opens; a history the app must refuse still ends it
    cleanly: one line naming the file, exit status 1, no icon left, the file untouched."""
    import hashlib
    import sqlite3

    from movebreak.store import SCHEMA_VERSION, Store

    write_config(desktop.home)
    history = desktop.home / "data" / "history.sqlite3"
    Store(history).close()
    with sqlite3.connect(history) as raw:
        raw.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', 'x')", (SCHEMA_VERSION + 1,))
    raw.close()
    before = hashlib.sha256(history.read_bytes()).hexdigest()
    app = desktop.run_app("run", PYSTRAY_BACKEND="xorg")
    try:
        returncode = app.wait(timeout=30)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"the app kept running; log:\n{desktop.log()}") from None
    log = desktop.log()
    assert returncode == 1, log
    problems = [line for line in log.splitlines() if "newer movebreak" in line]
    assert len(problems) == 1 and str(history) in problems[0], log
    assert "Traceback" not in log and "everything is saved" not in log
    assert hashlib.sha256(history.read_bytes()).hexdigest() == before
    # the X server drops a closed client's windows a moment after the process is gone
    wait_until(lambda: docked_icon(desktop.display, desktop.tray.owner) == 0, timeout=5,
               message="the icon stayed in the tray after the app ended")
