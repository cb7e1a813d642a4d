"""Which tray backend the app picks, on real private buses and real X servers.

Each combination: a StatusNotifierWatcher on the session bus, an XEmbed tray (trayer)
owning ``_NET_SYSTEM_TRAY_S0``, both, neither; and ``PYSTRAY_BACKEND`` overriding. The
rule: the chosen backend is one that really shows an icon here (issue 20).
"""

from __future__ import annotations

import pytest

from desktop import start_session_bus, start_xvfb
from movebreak.tray.backend import choose_backend
from test_tray_sni import start_watcher

pytestmark = pytest.mark.gui


@pytest.fixture
def watcher_bus(processes, tmp_path):
    bus = start_session_bus(processes, name="watcher-dbus")
    start_watcher(processes, bus, tmp_path)
    return bus


@pytest.fixture
def empty_bus(processes):
    return start_session_bus(processes, name="empty-dbus")


@pytest.fixture
def bare_x(processes):
    """An X server with no tray on it."""
    return start_xvfb(processes)


def env(*parts, **extra) -> dict[str, str]:
    environ: dict[str, str] = {}
    for part in parts:
        environ.update(part.env)
    environ.update(extra)
    return environ


def test_a_watcher_alone_gives_the_sni_tray_even_without_a_display(watcher_bus):
    choice = choose_backend(env(watcher_bus, WAYLAND_DISPLAY="wayland-1"), "linux")
    assert (choice.name, choice.usable, choice.has_menu) == ("sni", True, True)
    assert "StatusNotifierItem (watcher org.kde.StatusNotifierWatcher owned by :1." in choice.detail


def test_an_xembed_tray_alone_gives_the_xorg_tray(xvfb, tray, empty_bus):
    choice = choose_backend(env(xvfb, empty_bus), "linux")
    assert (choice.name, choice.usable, choice.has_menu) == ("xorg", True, False)


def test_with_both_the_sni_tray_wins(xvfb, tray, watcher_bus):
    choice = choose_backend(env(xvfb, watcher_bus), "linux")
    assert (choice.name, choice.usable) == ("sni", True)


def test_with_neither_there_is_no_tray_and_the_reason_names_both(bare_x, empty_bus):
    choice = choose_backend(env(bare_x, empty_bus), "linux")
    assert (choice.name, choice.usable) == (None, False)
    assert "no system tray is running" in choice.detail and "no StatusNotifierWatcher" in choice.detail


def test_with_neither_a_display_nor_a_watcher_the_reason_says_no_display(empty_bus):
    choice = choose_backend(env(empty_bus), "linux")
    assert not choice.usable and "no DISPLAY" in choice.detail and "StatusNotifierWatcher" in choice.detail


def test_pystray_backend_overrides_the_choice(xvfb, tray, watcher_bus, empty_bus):
    assert choose_backend(env(xvfb, watcher_bus, PYSTRAY_BACKEND="xorg"), "linux").name == "xorg"
    assert choose_backend(env(xvfb, empty_bus, PYSTRAY_BACKEND="sni"), "linux").usable is False
    assert choose_backend(env(watcher_bus, PYSTRAY_BACKEND="sni"), "linux").name == "sni"


def test_appindicator_is_not_chosen_where_no_watcher_could_show_it(xvfb, tray, empty_bus):
    choice = choose_backend(env(xvfb, empty_bus, PYSTRAY_BACKEND="appindicator"), "linux")
    assert (choice.name, choice.usable) == ("xorg", True)
    assert "PYSTRAY_BACKEND=appindicator left aside" in choice.detail
