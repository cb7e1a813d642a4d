"""`movebreak run` as a real process on a machine without a display: terminal mode."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

FAST = (
    '[reminders]\nremind_after = "10s"\nrepeat_after = "60s"\n'
    '[tracking]\npoll_every = "1s"\nnatural_break_after = "60s"\n'
    "[working_hours]\nalways = true\n"
)


def headless_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
    env.update(MOVEBREAK_HOME=str(home), LANG="C", PYTHONUNBUFFERED="1")
    return env


class App:
    """The real app process; its stdout is read by a thread so waits can time out."""

    def __init__(self, home: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "movebreak", "run", *args],
                                     env=headless_env(home) if env is None else env,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        self.lines: "queue.Queue[str | None]" = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, fragment: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(0.01, left))
            except queue.Empty:
                line = None
            if line is not None:
                self.seen.append(line)
                if fragment in line:
                    return line
                continue
            if left <= 0 or self.proc.poll() is not None:
                raise AssertionError(f"no line with {fragment!r} in {self.seen!r}")

    def interrupt(self) -> tuple[str, str]:
        """Ctrl+C, then everything it printed after what was already read."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=20)
        rest = []
        while True:
            try:
                line = self.lines.get(timeout=5)
            except queue.Empty:
                break
            if line is None:
                break
            rest.append(line)
        return "\n".join(self.seen + rest), self.proc.stderr.read()


@pytest.fixture
def home(tmp_path) -> Path:
    root = tmp_path / "home"
    (root / "config").mkdir(parents=True)
    (root / "config" / "config.toml").write_text(FAST)
    return root


def run_cli(home: Path, *args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "movebreak", *args], env={**headless_env(home), **(env_extra or {})},
                          capture_output=True, text=True, timeout=30)


def test_headless_run_says_why_reminds_in_the_terminal_and_exits_cleanly_on_ctrl_c(home):
    app = App(home)
    try:
        assert "no DISPLAY" in app.wait_for("running in terminal mode")
        app.wait_for("sitting — time to move")
        exercise = app.wait_for("    ")  # the body: "<exercise> (<duration>):", then every step numbered
        assert "(" in exercise and "):" in exercise
        assert app.wait_for("    1. ").startswith("    1. ")  # each line of the whole exercise indented
        assert app.wait_for("    2. ").startswith("    2. ")
        data = json.loads(run_cli(home, "status", "--json").stdout)
        assert data["running"] is True
        assert data["state"] == "reminding"
        assert data["continuous_sitting_minutes"] >= 0.05
    finally:
        out, err = app.interrupt()
    assert app.proc.returncode == 0
    assert "everything is saved" in out
    assert "Traceback" not in err
    data = json.loads(run_cli(home, "export").stdout)
    assert len(data["sitting_spans"]) == 1


def test_a_second_instance_says_so_and_exits_0(home):
    first = App(home, "--no-tray")
    try:
        first.wait_for("running in terminal mode")
        second = run_cli(home, "run")
        assert second.returncode == 0
        assert f"already running (PID {first.proc.pid})" in second.stdout
    finally:
        first.interrupt()


def test_a_bad_config_value_is_reported_and_the_app_keeps_running(home):
    (home / "config" / "config.toml").write_text(FAST.replace('remind_after = "10s"', 'remind_after = "soon"'))
    app = App(home, "--no-tray")
    try:
        app.wait_for("running in terminal mode")
        assert app.proc.poll() is None
    finally:
        out, err = app.interrupt()
    assert "key 'reminders.remind_after'" in err and "using the default" in err
    assert app.proc.returncode == 0
    assert "Traceback" not in err


def test_snooze_from_the_cli_reaches_the_running_app(home):
    app = App(home, "--no-tray")
    try:
        app.wait_for("sitting — time to move")
        snoozed = run_cli(home, "snooze", "5")
        assert snoozed.returncode == 0, snoozed.stderr
        deadline = time.monotonic() + 10
        state = None
        while time.monotonic() < deadline and state != "snoozed":
            state = json.loads(run_cli(home, "status", "--json").stdout)["state"]
        assert state == "snoozed"
    finally:
        app.interrupt()
