"""The desktop harness itself: real Xvfb, trayer, private bus and notification server."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.gui


def test_trayer_is_up_and_owns_the_tray_in_the_window_tree(desktop):
    tree = desktop.tree()
    assert '"panel": ("panel" "trayer")' in tree  # trayer's dock window
    assert desktop.tray.owner_hex in tree  # the _NET_SYSTEM_TRAY_S0 owner is a real window
    assert desktop.screenshot("harness-tray").stat().st_size > 0


def test_xvfb_takes_xdotool_input(desktop):
    desktop.xdotool("mousemove", "123", "45")
    location = desktop.xdotool("getmouselocation", "--shell")
    assert "X=123" in location and "Y=45" in location


def test_private_bus_has_the_recording_server_and_no_activation(desktop):
    config = desktop.bus.config.read_text()
    assert "<servicedir" not in config
    env = desktop.env()
    names = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
         "org.freedesktop.DBus.ListActivatableNames"],
        env=env, capture_output=True, text=True, timeout=10, check=True,
    ).stdout
    assert "org.freedesktop.Notifications" not in names  # nothing can be auto-started
    owner = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
         "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.Notifications"],
        env=env, capture_output=True, text=True, timeout=10, check=True,
    ).stdout
    assert "boolean true" in owner


def test_notify_send_from_the_app_environment_is_recorded(desktop):
    """The env handed to the app reaches this bus; the server records a real client's call."""
    from conftest import need_programs

    need_programs("notify-send")
    subprocess.run(["notify-send", "-a", "harness", "-t", "1500", "Hello", "from notify-send"],
                   env=desktop.env(), timeout=10, check=True)
    (note,) = desktop.notifications.wait_for(1)
    assert (note["app_name"], note["summary"], note["body"], note["expire_timeout"]) == (
        "harness", "Hello", "from notify-send", 1500)


def test_app_environment(desktop):
    env = desktop.env(EXTRA="1")
    assert env["DISPLAY"] == desktop.display
    assert env["DBUS_SESSION_BUS_ADDRESS"] == desktop.bus.address
    assert env["NO_AT_BRIDGE"] == "1"
    assert env["MOVEBREAK_HOME"] == str(desktop.home)
    assert "WAYLAND_DISPLAY" not in env and env["EXTRA"] == "1"


def test_spawned_process_sees_the_desktop_and_is_torn_down(desktop):
    proc = desktop.spawn("probe", [sys.executable, "-c",
                                   "import os; print(os.environ['DISPLAY'], os.environ['MOVEBREAK_HOME'], flush=True);"
                                   "import time; time.sleep(60)"])
    from desktop import wait_until

    wait_until(lambda: desktop.log("probe").strip(), timeout=5)
    assert desktop.log("probe").split() == [desktop.display, str(desktop.home)]
    assert desktop.processes.stop(proc) != 0 and proc.poll() is not None


def test_private_bus_fixture_is_empty(private_bus, processes):
    out = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
         "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.Notifications"],
        env={"DBUS_SESSION_BUS_ADDRESS": private_bus.address, "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=10, check=True,
    ).stdout
    assert "boolean false" in out
