"""The quiet sources against real desktop parts: a notification server and a settings portal
on a private session bus (tests/quiet_server.py, its own process), and a real X window on
Xvfb made fullscreen the way a window manager does it (_NET_ACTIVE_WINDOW, _NET_WM_STATE)."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import pytest

from desktop import HERE, _read_ready_line
from movebreak.quiet import QuietSources

pytestmark = pytest.mark.gui

ALL = ("do-not-disturb", "fullscreen", "calls")
NOT_DETECTED = "the notification server has no Inhibited property and no GNOME settings portal here: not detected"


class FakeDesktop:
    """tests/quiet_server.py on ``bus``; ``set(...)`` rewrites the state it answers from."""

    def __init__(self, processes, bus, folder: Path, own: str, **state) -> None:
        self.state_file = folder / f"quiet-state-{own.replace(',', '-')}.json"
        self.set(**state)
        read_fd, write_fd = os.pipe()
        try:
            self.process = processes.start(
                f"quiet-server-{own}", [sys.executable, str(HERE / "quiet_server.py"), "--state", str(self.state_file),
                                        "--own", own, "--ready-fd", str(write_fd)],
                env={**os.environ, **bus.env}, pass_fds=(write_fd,))
        finally:
            os.close(write_fd)
        _read_ready_line(read_fd, self.process, "quiet server", lambda: processes.log(f"quiet-server-{own}"))

    def set(self, **state) -> None:
        self.state_file.write_text(json.dumps(state), encoding="utf-8")


def dnd_sources(bus, enabled=("do-not-disturb",)) -> QuietSources:
    return QuietSources(enabled, {"DBUS_SESSION_BUS_ADDRESS": bus.address}, platform="linux")


def test_the_notification_servers_inhibited_property_holds_reminders(private_bus, processes, tmp_path):
    server = FakeDesktop(processes, private_bus, tmp_path, "notifications", inhibited=False)
    sources = dnd_sources(private_bus)
    assert sources.check() is None
    server.set(inhibited=True)
    assert sources.check() == "do-not-disturb"
    server.set(inhibited=False)
    assert sources.check() is None
    [report] = sources.report()
    assert (report.source, report.works_here, report.detail) == (
        "do-not-disturb", True, "reads the notification server's Inhibited property")


def test_gnome_show_banners_off_read_through_the_portal_holds_reminders(private_bus, processes, tmp_path):
    portal = FakeDesktop(processes, private_bus, tmp_path, "portal", show_banners=True)
    sources = dnd_sources(private_bus)
    assert sources.check() is None
    portal.set(show_banners=False)
    assert sources.check() == "do-not-disturb"
    [report] = sources.report()
    assert report.works_here and report.detail == "reads GNOME's show-banners through the settings portal"


def test_either_place_saying_quiet_is_enough(private_bus, processes, tmp_path):
    both = FakeDesktop(processes, private_bus, tmp_path, "notifications,portal", inhibited=False, show_banners=True)
    sources = dnd_sources(private_bus)
    assert sources.check() is None
    both.set(inhibited=True, show_banners=True)
    assert sources.check() == "do-not-disturb"
    both.set(inhibited=False, show_banners=False)
    assert sources.check() == "do-not-disturb"
    assert "Inhibited property and GNOME's show-banners" in sources.report()[0].detail


def test_a_server_without_the_property_and_no_portal_is_not_known(private_bus, processes, tmp_path):
    FakeDesktop(processes, private_bus, tmp_path, "notifications", inhibited=None)
    sources = dnd_sources(private_bus)
    assert sources.check() is None
    [report] = sources.report()
    assert (report.works_here, report.detail) == (False, NOT_DETECTED)


def test_a_switched_off_source_is_not_asked(private_bus, processes, tmp_path):
    FakeDesktop(processes, private_bus, tmp_path, "notifications", inhibited=True)
    assert dnd_sources(private_bus, enabled=("calls",)).check() is None
    assert dnd_sources(private_bus, enabled=("calls", "do-not-disturb")).check() == "do-not-disturb"


def test_a_hanging_server_counts_as_not_quiet_and_is_logged_once(private_bus, processes, tmp_path, caplog):
    FakeDesktop(processes, private_bus, tmp_path, "notifications", inhibited=True, hang=True)
    sources = dnd_sources(private_bus)
    with caplog.at_level(logging.WARNING, logger="movebreak.quiet"):
        assert sources.check() is None
        assert sources.check() is None
    warnings = [record.getMessage() for record in caplog.records if record.name == "movebreak.quiet"]
    assert len(warnings) == 1 and warnings[0].startswith("quiet source do-not-disturb does not work"), warnings


# -- fullscreen on X11 -------------------------------------------------------------------------


class WindowManager:
    """Does what an EWMH window manager does for the tests: names the active window, sets its state."""

    def __init__(self, display: str) -> None:
        from Xlib import X
        from Xlib.display import Display

        self.x = Display(display)
        self.root = self.x.screen().root
        self.window = self.root.create_window(0, 0, 200, 100, 0, self.x.screen().root_depth, X.InputOutput)
        self.window.map()
        self.x.sync()

    def atom(self, name: str) -> int:
        return self.x.intern_atom(name)

    def activate(self, window_id: int) -> None:
        from Xlib import X, Xatom

        self.root.change_property(self.atom("_NET_ACTIVE_WINDOW"), Xatom.WINDOW, 32, [window_id], X.PropModeReplace)
        self.x.sync()

    def set_state(self, *names: str) -> None:
        from Xlib import X, Xatom

        self.window.change_property(self.atom("_NET_WM_STATE"), Xatom.ATOM, 32, [self.atom(n) for n in names],
                                    X.PropModeReplace)
        self.x.sync()

    def close(self) -> None:
        self.root.delete_property(self.atom("_NET_ACTIVE_WINDOW"))
        self.window.destroy()
        self.x.close()


@pytest.fixture
def wm(xvfb):
    manager = WindowManager(xvfb.display)
    yield manager
    manager.close()


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_fullscreen_active_window_holds_reminders(wm, xvfb):
    sources = QuietSources(["fullscreen"], {"DISPLAY": xvfb.display}, platform="linux")
    wm.activate(wm.window.id)
    wm.set_state("_NET_WM_STATE_ABOVE")
    assert sources.check() is None
    wm.set_state("_NET_WM_STATE_ABOVE", "_NET_WM_STATE_FULLSCREEN")
    assert sources.check() == "fullscreen"
    wm.activate(0)  # the focus went to no window
    assert sources.check() is None
    [report] = sources.report()
    assert report.works_here and report.detail == (
        f"reads whether the active window on X display {xvfb.display} is fullscreen (_NET_WM_STATE)")


def test_checks_share_one_x_connection_until_closed(wm, xvfb):
    wm.activate(wm.window.id)
    wm.set_state("_NET_WM_STATE_FULLSCREEN")
    before = open_fds()
    sources = QuietSources(["fullscreen"], {"DISPLAY": xvfb.display}, platform="linux")
    assert sources.check() == "fullscreen"
    assert open_fds() == before + 1
    for _ in range(5):
        assert sources.check() == "fullscreen"
    assert open_fds() == before + 1
    sources.close()
    assert open_fds() == before
    sources.report()  # doctor's one reading closes its connection again
    assert open_fds() == before


def test_an_x_server_going_away_is_not_quiet_logged_once_and_not_kept(processes, caplog):
    from desktop import start_xvfb

    x = start_xvfb(processes)
    manager = WindowManager(x.display)
    manager.activate(manager.window.id)
    manager.set_state("_NET_WM_STATE_FULLSCREEN")
    sources = QuietSources(["fullscreen"], {"DISPLAY": x.display}, platform="linux")
    assert sources.check() == "fullscreen"
    before = open_fds()
    processes.stop_pid(x.pid)
    with caplog.at_level(logging.WARNING, logger="movebreak.quiet"):
        assert sources.check() is None
        assert sources.check() is None
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["quiet source fullscreen does not work"]
    assert open_fds() == before - 1  # the dead connection is closed, not kept
    manager.x.display.socket.close()  # the test's own connection to the stopped server


def test_a_fullscreen_window_that_is_not_active_does_not_count(wm, xvfb):
    from Xlib import X

    other = wm.root.create_window(0, 0, 10, 10, 0, wm.x.screen().root_depth, X.InputOutput)
    wm.set_state("_NET_WM_STATE_FULLSCREEN")
    wm.activate(other.id)
    sources = QuietSources(["fullscreen"], {"DISPLAY": xvfb.display}, platform="linux")
    assert sources.check() is None
    other.destroy()  # the active window closed: BadWindow, not a crash
    wm.x.sync()
    assert sources.check() is None


def test_without_an_ewmh_window_manager_fullscreen_is_not_known(xvfb):
    from Xlib.display import Display

    x = Display(xvfb.display)
    x.screen().root.delete_property(x.intern_atom("_NET_ACTIVE_WINDOW"))
    x.sync()
    x.close()
    sources = QuietSources(["fullscreen"], {"DISPLAY": xvfb.display}, platform="linux")
    assert sources.check() is None
    [report] = sources.report()
    assert (report.works_here, report.detail) == (
        False, f"the window manager on {xvfb.display} does not set _NET_ACTIVE_WINDOW: not detected")


def test_under_wayland_only_xwayland_windows_are_seen(wm, xvfb):
    wm.activate(wm.window.id)
    wm.set_state("_NET_WM_STATE_FULLSCREEN")
    sources = QuietSources(["fullscreen"], {"DISPLAY": xvfb.display, "WAYLAND_DISPLAY": "wayland-0"}, platform="linux")
    assert sources.check() == "fullscreen"
    assert sources.report()[0].detail.endswith("under Wayland only X11 apps")
