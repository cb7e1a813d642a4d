"""Say only what happened: a snooze is reported as done only once the running app did it,
and "everything is saved" only when it is; a refused save shows at once.

The CLI and the app are real processes on a real history; the running core is driven with a
simulated clock where only its answers are checked.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import timedelta
from pathlib import Path

from movebreak.instance import InstanceLock
from movebreak.records import ReminderOutcome
from movebreak.store import Store
from test_app_core import MIN, START, world  # noqa: F401  (fixture)
from test_reliability_resources import fill, small_disk  # noqa: F401  (fixture)
from test_run_terminal import App, run_cli

SLOW_POLL = (
    '[reminders]\nremind_after = "10s"\nrepeat_after = "60s"\n'
    '[tracking]\npoll_every = "60s"\nnatural_break_after = "60s"\n'
    "[working_hours]\nalways = true\n[notifications]\nenabled = false\n"
)


def make_home(tmp_path: Path, config: str = SLOW_POLL) -> Path:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(config)
    return home


# --- the core's answer to a CLI command ---------------------------------------------------------


def answers(path: Path) -> list[dict]:
    with sqlite3.connect(path) as db:
        return [json.loads(row[0]) for row in db.execute("SELECT result FROM commands ORDER BY id")]


def test_the_core_answers_a_snooze_with_nothing_pending_with_a_refusal(world, tmp_path):  # noqa: F811
    clock, store, core, probe, notifier, work = world
    work(5 * MIN)
    with Store(tmp_path / "history.sqlite3", now=clock.now) as cli:
        cli.enqueue_command("snooze", {"minutes": 10})
    work(timedelta(seconds=10))
    assert answers(tmp_path / "history.sqlite3") == [{"ok": False, "message": "There is no reminder to snooze."}]
    assert core.status().state == "sitting"


def test_the_core_answers_a_snooze_of_a_pending_reminder_with_its_new_time(world, tmp_path):  # noqa: F811
    clock, store, core, probe, notifier, work = world
    work(46 * MIN)
    with Store(tmp_path / "history.sqlite3", now=clock.now) as cli:
        cli.enqueue_command("snooze", {"minutes": 10})
    work(timedelta(seconds=10))
    [answer] = answers(tmp_path / "history.sqlite3")
    status = core.status()
    assert answer == {"ok": True, "until": status.snoozed_until.isoformat()}
    assert status.state == "snoozed" and status.snoozed_until == clock.now() + 10 * MIN
    assert [r.outcome for r in store.reminders_between(START, clock.now())] == [ReminderOutcome.SNOOZED]


# --- the real CLI and app -----------------------------------------------------------------------------


def test_snooze_with_no_reminder_pending_says_so_and_fails_at_once_even_with_a_slow_poll(tmp_path):
    home = make_home(tmp_path)
    app = App(home, "--no-tray")
    try:
        app.wait_for("running in terminal mode")
        _wait_for_snapshot(home)
        began = time.monotonic()
        result = run_cli(home, "snooze", "5")
        took = time.monotonic() - began
        assert result.returncode == 1, result
        assert result.stderr.strip() == "movebreak: There is no reminder to snooze.", result.stderr
        assert "Snoozed" not in result.stdout
        assert took < 4, f"{took:.1f} s: the app was not woken, it answered at its 60 s poll"
        state = json.loads(run_cli(home, "status", "--json").stdout)["state"]
        assert state != "snoozed"
        # and the reminder still comes when due, not moved by a snooze that did not happen
        app.wait_for("sitting — time to move", timeout=20)
    finally:
        app.interrupt()


def test_snooze_of_a_pending_reminder_is_reported_with_its_new_time_after_the_app_did_it(tmp_path):
    home = make_home(tmp_path)
    app = App(home, "--no-tray")
    try:
        app.wait_for("sitting — time to move", timeout=20)
        result = run_cli(home, "snooze", "5")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("Snoozed for 5 min: the reminder comes again at "), result.stdout
        with sqlite3.connect(home / "data" / "history.sqlite3") as db:
            outcomes = [row[0] for row in db.execute("SELECT outcome FROM reminders")]
        assert outcomes == ["snoozed"]  # in the history before the CLI said it
        status = json.loads(run_cli(home, "status", "--json").stdout)
        assert status["state"] == "snoozed"
    finally:
        app.interrupt()


def test_a_snooze_no_app_answers_is_withdrawn_and_reported_as_not_done(tmp_path):
    # Something holds the app's lock but never answers (a hung app): the CLI waits one poll and
    # a few seconds, takes the command back and says nothing was snoozed.
    home = make_home(tmp_path, SLOW_POLL.replace('poll_every = "60s"', 'poll_every = "1s"'))
    (home / "data").mkdir(parents=True)
    with InstanceLock(home / "data" / "movebreak.lock") as lock:
        assert lock.acquire()
        result = run_cli(home, "snooze", "5")
    assert result.returncode == 1
    assert result.stderr.strip() == "movebreak: the running movebreak did not answer within 6 s; nothing was snoozed"
    with sqlite3.connect(home / "data" / "history.sqlite3") as db:
        rows = db.execute("SELECT done_utc, result FROM commands").fetchall()
    assert len(rows) == 1 and rows[0][0] is not None and json.loads(rows[0][1]) == {"withdrawn": True}
    # an app started later does not apply the withdrawn snooze
    with Store(home / "data" / "history.sqlite3") as store:
        assert store.take_commands() == []


def test_a_logged_break_wakes_the_app_which_takes_it_in_at_once(tmp_path):
    home = make_home(tmp_path)
    app = App(home, "--no-tray")
    try:
        app.wait_for("sitting — time to move", timeout=20)
        assert run_cli(home, "log", "--minutes", "3").returncode == 0
        deadline = time.monotonic() + 5
        state = None
        while time.monotonic() < deadline and state != "sitting":
            state = json.loads(run_cli(home, "status", "--json").stdout)["state"]
        assert state == "sitting"  # the reminder was answered by the break within seconds, not at the poll
    finally:
        app.interrupt()
    with sqlite3.connect(home / "data" / "history.sqlite3") as db:
        assert [row[0] for row in db.execute("SELECT outcome FROM reminders")] == ["taken"]


def _wait_for_snapshot(home: Path, timeout: float = 10) -> None:
    """Until the app has written its first status (it says there how to wake it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data = json.loads(run_cli(home, "status", "--json").stdout)
        if data["state"] not in ("not-running", "starting"):
            return
        time.sleep(0.05)
    raise AssertionError("the app wrote no status")


# --- "everything is saved" only when it is ---------------------------------------------------------


def test_stopping_with_a_full_disk_says_what_was_not_saved_never_everything_is_saved(small_disk):  # noqa: F811
    home = make_home(small_disk, SLOW_POLL.replace('poll_every = "60s"', 'poll_every = "1s"'))
    app = App(home, "--no-tray")
    try:
        app.wait_for("running in terminal mode")
        _wait_for_snapshot(home)
        filler = fill(small_disk)
        # the refused write shows in the terminal at once, not only in the log
        app.wait_for("cannot write the history", timeout=10)
        out, err = app.interrupt()
    finally:
        if app.proc.poll() is None:
            app.proc.kill()
    assert "everything is saved" not in out
    assert "records could not be saved" in err, err
    assert app.proc.returncode == 1
    os.unlink(filler)
