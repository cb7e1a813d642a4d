"""Crash safety: SIGKILL at random moments never loses an acknowledged write or corrupts the file."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from test_run_terminal import FAST, headless_env, run_cli

HELPERS = Path(__file__).parent / "reliability_helpers"
KILLS_PER_DRIVER = 100  # two drivers in parallel: 200 kills


def test_200_sigkills_of_a_real_app_core_lose_no_acknowledged_break(tmp_path):
    """Each driver forks a real AppCore + Store process per cycle and SIGKILLs it mid-write."""
    drivers = [
        subprocess.Popen([sys.executable, str(HELPERS / "crash_driver.py"), str(tmp_path / f"history-{n}.sqlite3"),
                          str(KILLS_PER_DRIVER), str(n + 11)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for n in range(2)
    ]
    results = []
    for driver in drivers:
        out, err = driver.communicate(timeout=120)
        assert driver.returncode == 0, out + err
        results.append(json.loads(out.splitlines()[-1]))
    assert sum(r["killed_by_sigkill"] for r in results) >= 200
    assert all(r["failures"] == [] for r in results)
    assert sum(r["breaks"] for r in results) > 20  # breaks really were being written
    assert sum(r["snoozes"] for r in results) > 5  # and reminders answered
    assert max(r["worst_lag_s"] for r in results) <= 0.02  # at most one 20 ms tick of sitting
    print("crash drivers:", results)


def test_sigkill_of_the_real_app_process_keeps_cli_breaks_and_a_sound_file(tmp_path):
    """`movebreak run --no-tray`, killed at random moments while it ticks and the CLI logs breaks."""
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(FAST)
    rng = random.Random(5)
    logged = 0
    for _cycle in range(4):
        app = subprocess.Popen([sys.executable, "-m", "movebreak", "run", "--no-tray"], env=headless_env(home),
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 20
            database = home / "data" / "history.sqlite3"
            while time.monotonic() < deadline and not _has_spans(database):
                time.sleep(0.1)
            result = run_cli(home, "log", "--minutes", "1")
            assert result.returncode == 0, result.stderr
            logged += 1
            time.sleep(rng.uniform(0.0, 1.2))
        finally:
            app.send_signal(signal.SIGKILL)
            app.wait(timeout=10)
        assert app.returncode == -signal.SIGKILL
        with sqlite3.connect(database) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert db.execute("SELECT COUNT(*) FROM activities").fetchone()[0] == logged
            assert db.execute("SELECT COUNT(*) FROM sitting_spans WHERE end_utc < start_utc").fetchone()[0] == 0
    status = run_cli(home, "status", "--json")
    assert status.returncode == 0 and "Traceback" not in status.stderr
    assert json.loads(status.stdout)["running"] is False  # the lock died with the process


def _has_spans(database: Path) -> bool:
    if not database.exists():
        return False
    try:
        with sqlite3.connect(database, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM sitting_spans").fetchone()[0] > 0
    except sqlite3.Error:
        return False
