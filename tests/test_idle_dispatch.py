"""make_probe picks one probe from the platform and session; importing stays cheap."""

from __future__ import annotations

import subprocess
import sys

import pytest

from movebreak.idle import IdleProbe, UnknownProbe, make_probe


@pytest.mark.parametrize(
    ("platform", "environ", "name"),
    [
        ("linux", {"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}, "x11"),
        ("linux", {"DISPLAY": ":0"}, "x11"),
        ("linux", {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}, "gnome-wayland"),
        ("linux", {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "GNOME"}, "gnome-wayland"),
        ("linux", {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "KDE"}, "unknown"),
        ("linux", {}, "unknown"),
        ("freebsd14", {"DISPLAY": ":0"}, "x11"),
        ("win32", {}, "windows"),
        ("darwin", {"DISPLAY": ":0"}, "macos"),
        ("sunos5", {}, "unknown"),
    ],
)
def test_one_probe_per_platform_and_session(platform, environ, name):
    probe = make_probe(environ=environ, platform=platform)
    assert probe.name == name
    assert isinstance(probe, IdleProbe)


def test_unknown_counts_the_user_present_and_says_so():
    probe = make_probe(environ={"WAYLAND_DISPLAY": "w", "XDG_CURRENT_DESKTOP": "sway"}, platform="linux")
    assert probe.idle() is None
    assert probe.describe() == (
        "No idle-time source (a Wayland session of sway has no idle-time interface movebreak can read): "
        "movebreak counts you as present while the session is unlocked"
    )


def test_unknown_probe_still_reports_lock():
    assert UnknownProbe("x", lock=lambda: True).locked() is True
    assert UnknownProbe("x").locked() is None


def test_logind_lock_without_a_system_bus_is_unknown(tmp_path):
    from movebreak.idle.logind import LogindLock

    lock = LogindLock({"DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/none"})
    assert lock() is None and lock.problem.startswith("no answer from logind")


def test_importing_the_package_and_dispatching_loads_no_os_library():
    code = (
        "import sys, movebreak.idle as m; m.make_probe({'DISPLAY': ':0'}, 'linux'); "
        "m.make_probe({}, 'win32'); m.make_probe({}, 'darwin'); "
        "print(sorted(k for k in sys.modules if k.split('.')[0] in ('Xlib', 'jeepney', 'Quartz', 'plyer')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
