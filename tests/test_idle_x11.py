"""The X11 probe against a real Xvfb, driven by xdotool; and its ``python -m`` hand check."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from desktop import start_xvfb, wait_until, xdotool
from movebreak.idle.x11 import X11Probe

pytestmark = pytest.mark.gui

JUST_NOW = timedelta(milliseconds=500)  # xdotool's input → our query, with room for a slow CI box


@pytest.fixture
def probe(xvfb):
    probe = X11Probe(environ={"DISPLAY": xvfb.display})
    yield probe
    probe.close()


def test_idle_grows_without_input_and_drops_after_mouse_and_key(xvfb, probe):
    xdotool(xvfb.display, "mousemove", "200", "200")
    start = probe.idle()
    assert start is not None and start < JUST_NOW, probe.problem

    grown = wait_until(lambda: (v := probe.idle()) is not None and v >= start + timedelta(milliseconds=300) and v,
                       timeout=3, message="idle time did not grow without input")
    assert probe.problem is None

    xdotool(xvfb.display, "mousemove", "300", "310")
    after_mouse = probe.idle()
    assert after_mouse is not None and after_mouse < JUST_NOW and after_mouse < grown

    wait_until(lambda: probe.idle() >= after_mouse + timedelta(milliseconds=200), timeout=3)
    xdotool(xvfb.display, "key", "shift")
    after_key = probe.idle()
    assert after_key is not None and after_key < JUST_NOW


def test_lock_state_is_unknown_without_a_lock_source(probe):
    assert probe.locked() is None
    assert X11Probe(environ={"DISPLAY": ":0"}, lock=lambda: True).locked() is True


def test_describe_says_ok(probe):
    assert probe.describe() == "X11 idle via MIT-SCREEN-SAVER: OK"


def test_no_display_gives_a_reason_not_an_exception():
    probe = X11Probe(environ={})
    assert probe.idle() is None
    assert "DISPLAY is not set" in probe.problem
    assert probe.describe().startswith("X11 idle via MIT-SCREEN-SAVER: not working — DISPLAY is not set")


def test_x_server_going_away_mid_run_gives_none_and_says_why(processes):
    x = start_xvfb(processes)
    probe = X11Probe(environ={"DISPLAY": x.display})
    assert probe.idle() is not None
    processes.close()  # the X server goes away under a connected probe
    assert probe.idle() is None
    assert probe.problem  # says what broke
    assert probe.idle() is None  # reconnecting to a dead display also just says so
    assert "cannot connect to X display" in probe.problem


# -- python -m movebreak.idle.x11 ---------------------------------------------------------


def _module_env(display: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    if display:
        env["DISPLAY"] = display
    return env


def _read_lines(proc: subprocess.Popen, count: int, timeout: float = 5.0) -> list[str]:
    lines: list[str] = []
    buffer = b""
    deadline = time.monotonic() + timeout
    fd = proc.stdout.fileno()
    while len(lines) < count and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            buffer += chunk
            *done, buffer = buffer.split(b"\n")
            lines += [line.decode() for line in done]
    return lines


def test_module_prints_idle_seconds_in_a_loop_and_ctrl_c_ends_cleanly(xvfb):
    proc = subprocess.Popen(
        [sys.executable, "-m", "movebreak.idle.x11", "--interval", "0.1"],
        env=_module_env(xvfb.display), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        lines = _read_lines(proc, 3)
        assert len(lines) == 3, lines
        values = [float(line) for line in lines]
        assert all(v >= 0 for v in values) and values == sorted(values)  # no input: only grows
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert b"Traceback" not in err


def test_module_once_under_the_dispatcher_too(xvfb):
    for module in ("movebreak.idle.x11", "movebreak.idle"):
        env = _module_env(xvfb.display)
        env["XDG_SESSION_TYPE"] = "x11"
        done = subprocess.run([sys.executable, "-m", module, "--once"], env=env,
                              capture_output=True, text=True, timeout=10)
        assert (done.returncode, done.stderr) == (0, "")
        assert float(done.stdout.strip()) >= 0


@pytest.mark.parametrize(
    ("display", "expected"),
    [(None, "DISPLAY is not set"), (":4242", "cannot connect to X display :4242")],
)
def test_module_without_a_usable_display_prints_one_line_and_fails(display, expected):
    done = subprocess.run([sys.executable, "-m", "movebreak.idle.x11"], env=_module_env(display),
                          capture_output=True, text=True, timeout=10)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and expected in done.stderr
    assert done.stderr.startswith("movebreak.idle.x11: idle time unknown — ")
    assert "Traceback" not in done.stderr
