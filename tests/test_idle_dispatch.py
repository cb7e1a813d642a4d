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
        ("linux", {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "KDE"}, "wayland"),
        ("linux", {"WAYLAND_DISPLAY": "wayland-1", "DISPLAY": ":1", "XDG_CURRENT_DESKTOP": "sway"}, "wayland"),
        ("linux", {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "Hyprland"}, "wayland"),
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


def test_a_wayland_session_without_gnome_never_reads_x11_idle_through_xwayland(tmp_path):
    """XWayland sees only the input X programs get: under Wayland its idle time would be wrong."""
    environ = {"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": str(tmp_path), "DISPLAY": ":0",
               "XDG_CURRENT_DESKTOP": "sway"}
    probe = make_probe(environ=environ, platform="linux")
    assert probe.idle() is None
    assert probe.describe() == (
        "Wayland idle via ext-idle-notify-v1 or org_kde_kwin_idle: not working — cannot connect to the Wayland "
        f"compositor at {tmp_path}/wayland-9: No such file or directory"
    )


def test_the_wayland_probe_is_told_the_pause_and_the_break_threshold():
    from datetime import timedelta

    probe = make_probe({"WAYLAND_DISPLAY": "w"}, "linux", pause=timedelta(seconds=4), away=timedelta(minutes=7))
    assert (probe.pause, probe.away) == (timedelta(seconds=4), timedelta(minutes=7))


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
        "m.make_probe({}, 'win32'); m.make_probe({}, 'darwin'); m.make_probe({'WAYLAND_DISPLAY': 'w'}, 'linux'); "
        "print(sorted(k for k in sys.modules if k.split('.')[0] in ('Xlib', 'jeepney', 'Quartz', 'plyer')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
