"""The whole loop on a real X server: input from xdotool → sitting → a reminder on the bus →
no input → a natural break, with `movebreak status --json` showing each state.

This is issue 3's own check, with shorter durations (the config's minimum is 10 s).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from desktop import wait_until

CONFIG = (
    '[reminders]\nremind_after = "12s"\nrepeat_after = "2m"\n'
    'wait_for_pause = "0s"\n'  # the Typist never pauses for 3 s
    '[tracking]\npoll_every = "1s"\nnatural_break_after = "10s"\n'
    "[working_hours]\nalways = true\n"
)


class Typist:
    """Moves the pointer every half second, as a person at the desk would."""

    def __init__(self, desktop) -> None:
        self.desktop = desktop
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        x = 100
        while not self._stop.wait(0.5):
            x = 300 if x == 100 else 100
            self.desktop.xdotool("mousemove", str(x), "200")

    def __enter__(self) -> "Typist":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def status(desktop) -> dict:
    done = subprocess.run([sys.executable, "-m", "movebreak", "status", "--json"], env=desktop.env(),
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def export(desktop) -> dict:
    done = subprocess.run([sys.executable, "-m", "movebreak", "export"], env=desktop.env(),
                          capture_output=True, text=True, timeout=30)
    return json.loads(done.stdout)


@pytest.mark.gui
def test_input_reminder_then_natural_break_under_xvfb(desktop):
    (desktop.home / "config").mkdir(parents=True, exist_ok=True)
    (desktop.home / "config" / "config.toml").write_text(CONFIG)
    with Typist(desktop):
        app = desktop.run_app("run", "--no-tray")
        sitting = wait_until(lambda: (s := status(desktop))["state"] == "sitting" and s, timeout=20,
                             message="the app never reported sitting")
        assert sitting["idle_seconds"] is not None and sitting["idle_seconds"] < 2
        note = desktop.notifications.wait_for(1, timeout=30)[0]
        assert note["summary"].endswith("sitting — time to move")
        assert status(desktop)["state"] == "reminding"
    started_idle = time.monotonic()
    # No more input: after natural_break_after the user counts as away and the break is recorded.
    away = wait_until(lambda: (s := status(desktop))["state"] == "away" and s, timeout=30,
                      message="the app never reported away")
    assert time.monotonic() - started_idle >= 9
    assert away["continuous_sitting_minutes"] == 0
    with Typist(desktop):
        wait_until(lambda: status(desktop)["state"] in ("sitting", "reminding"), timeout=20,
                   message="the app never saw the user come back")
    data = export(desktop)
    naturals = [a for a in data["activities"] if a["kind"] == "natural"]
    assert len(naturals) == 1 and naturals[0]["minutes"] >= 10 / 60
    assert [r["outcome"] for r in data["reminders"]] == ["taken"]  # they got up
    assert len(data["sitting_spans"]) == 2
    assert app.poll() is None, desktop.log()
