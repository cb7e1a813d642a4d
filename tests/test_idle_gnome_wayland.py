"""The GNOME Wayland probe against fake Mutter/ScreenSaver services on a real private bus."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from jeepney.io.blocking import open_dbus_connection

from movebreak.idle.gnome_wayland import GnomeWaylandProbe
from notification_server import own_name, serve

pytestmark = pytest.mark.gui


class FakeGnomeShell:
    """Owns org.gnome.Mutter.IdleMonitor and org.gnome.ScreenSaver; values set by the test."""

    def __init__(self, address: str) -> None:
        self.idle_ms = 4200
        self.locked = False
        self._conn = open_dbus_connection(address)
        own_name(self._conn, "org.gnome.Mutter.IdleMonitor")
        own_name(self._conn, "org.gnome.ScreenSaver")
        self._stop = threading.Event()
        handlers = {
            ("org.gnome.Mutter.IdleMonitor", "GetIdletime"): lambda m: ("t", (self.idle_ms,)),
            ("org.gnome.ScreenSaver", "GetActive"): lambda m: ("b", (self.locked,)),
        }
        self._thread = threading.Thread(target=serve, args=(self._conn, handlers, self._stop, 0.05), daemon=True)
        self._thread.start()

    def quit(self) -> None:
        if not self._stop.is_set():
            self._stop.set()
            self._thread.join(timeout=5)
            self._conn.close()


@pytest.fixture
def shell(private_bus):
    fake = FakeGnomeShell(private_bus.address)
    yield fake
    fake.quit()


@pytest.fixture
def probe(private_bus):
    probe = GnomeWaylandProbe({"DBUS_SESSION_BUS_ADDRESS": private_bus.address}, fallback_lock=lambda: None)
    yield probe
    probe.close()


def test_idle_time_and_lock_come_from_the_shell(shell, probe):
    assert probe.idle() == timedelta(milliseconds=4200)
    shell.idle_ms = 15
    assert probe.idle() == timedelta(milliseconds=15)
    assert probe.locked() is False
    shell.locked = True
    assert probe.locked() is True
    assert probe.describe() == "GNOME idle via org.gnome.Mutter.IdleMonitor: OK"


def test_shell_going_away_gives_none_and_lock_falls_back(shell, private_bus):
    probe = GnomeWaylandProbe({"DBUS_SESSION_BUS_ADDRESS": private_bus.address}, fallback_lock=lambda: True)
    assert probe.idle() is not None
    shell.quit()
    assert probe.idle() is None
    assert "org.gnome.Mutter.IdleMonitor answered org.freedesktop.DBus.Error.ServiceUnknown" in probe.problem
    assert probe.locked() is True  # from the fallback (logind in real use)
    probe.close()


def test_bus_going_away_gives_none(shell, private_bus, processes, probe):
    assert probe.idle() is not None
    shell.quit()
    processes.stop_pid(private_bus.pid)
    assert probe.idle() is None
    assert probe.problem.startswith("session bus error")


def test_no_session_bus_says_so():
    probe = GnomeWaylandProbe({})
    assert probe.idle() is None and probe.locked() is None
    assert "DBUS_SESSION_BUS_ADDRESS is not set" in probe.describe()


def test_module_prints_the_shell_idle_time(shell, private_bus):
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": private_bus.address}
    done = subprocess.run([sys.executable, "-m", "movebreak.idle.gnome_wayland", "--once"], env=env,
                          capture_output=True, text=True, timeout=10)
    assert (done.returncode, done.stdout, done.stderr) == (0, "4.2\n", "")
