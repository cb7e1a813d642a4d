"""Resource faults while the app runs: a full disk, a read-only data folder, a notifier that dies.

The disk faults are real: the history lives on a small tmpfs (mounting one needs root, which
CI has; elsewhere these tests skip and say why). Filling it makes SQLite fail with
SQLITE_FULL; remounting it read-only makes writes fail with "attempt to write a readonly
database" / a disk I/O error, on the connection the app already has open.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from movebreak import config as config_module
from movebreak.clock import SimulatedClock
from movebreak.exercises.catalogue import load_catalogue
from movebreak.records import BreakKind
from movebreak.running.core import AppCore
from movebreak.store import Store
from test_app_core import AT_ONCE, BERLIN, START, RecordingNotifier, ScriptedProbe

MIN = timedelta(minutes=1)


class RecordingUI:
    def __init__(self) -> None:
        self.notices: list[str] = []
        self.reminders: list = []

    def show_reminder(self, view) -> None:
        self.reminders.append(view)

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def refresh(self) -> None:
        pass


@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", str(mount_point)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs (needs root): {result.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def make_core(folder: Path):
    clock = SimulatedClock(START)
    store = Store(folder / "history.sqlite3", now=clock.now)
    cfg = config_module.parse_text(AT_ONCE, folder / "config.toml")
    catalogue, _problems = load_catalogue(None)
    probe = ScriptedProbe(clock)
    notifier = RecordingNotifier()
    core = AppCore(settings=cfg.app_settings(), store=store, clock=clock, tz=BERLIN, probe=probe, notifier=notifier,
                   catalogue=catalogue, language="en", rng=random.Random(3))
    core.ui = RecordingUI()

    def work(duration: timedelta) -> None:
        end = clock.now() + duration
        while clock.now() < end:
            clock.advance(timedelta(seconds=10))
            probe.touch()
            core.tick()

    return clock, store, core, notifier, work


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as stream:  # unbuffered: close() has nothing left to fail on
        try:
            while True:
                stream.write(b"\0" * 65536)
                stream.flush()
        except OSError:
            pass
    return filler


def stored_sitting(path: Path) -> timedelta:
    from datetime import datetime

    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT start_utc, end_utc FROM sitting_spans ORDER BY start_utc").fetchall()
    spans = [(datetime.fromisoformat(s), datetime.fromisoformat(e)) for s, e in rows]
    for (_s1, e1), (s2, _e2) in zip(spans, spans[1:]):
        assert e1 <= s2, "spans overlap"
    return sum((e - s for s, e in spans), timedelta())


def fault_episode(small_disk: Path, make_fault, clear_fault, *, needs_store: bool = False):
    clock, store, core, notifier, work = make_core(small_disk)
    work(10 * MIN)
    saved_before = stored_sitting(small_disk / "history.sqlite3")
    make_fault(store) if needs_store else make_fault()
    work(40 * MIN)  # a reminder falls due while nothing can be written
    assert len(notifier.sent) == 1 and len(core.ui.reminders) == 1, "reminders go on"
    problems = [n for n in core.ui.notices if "cannot write the history" in n]
    assert len(problems) == 1, core.ui.notices  # told once, not every tick
    assert core.storage_problem is not None
    break_taken = core.log_break(minutes=4)
    assert break_taken.kind is BreakKind.REMINDER
    work(5 * MIN)
    assert len(core.unsaved) > 0
    assert stored_sitting(small_disk / "history.sqlite3") >= saved_before  # nothing saved was lost
    clear_fault(store) if needs_store else clear_fault()
    work(timedelta(seconds=10))
    assert len(core.unsaved) == 0
    assert core.storage_problem is None
    assert any("can write the history again" in n for n in core.ui.notices)
    core.shutdown()
    store.close()
    with Store(small_disk / "history.sqlite3") as check:
        activities = check.activities_between(START - MIN, clock.now() + MIN)
        reminders = check.reminders_between(START - MIN, clock.now() + MIN)
    assert [a.kind for a in activities] == [BreakKind.REMINDER]
    assert [r.outcome.value for r in reminders] == ["taken"]
    sitting = stored_sitting(small_disk / "history.sqlite3")
    truth = 10 * MIN + 40 * MIN + 5 * MIN + timedelta(seconds=10)
    assert truth - 4 * MIN - timedelta(seconds=20) <= sitting <= truth  # the break cut 4 min out
    return len(core.ui.notices)


def test_a_full_disk_keeps_reminders_going_and_saves_everything_when_space_returns(small_disk):
    filler: list[Path] = []
    fault_episode(small_disk, lambda: filler.append(fill(small_disk)), lambda: filler[0].unlink())


def test_a_history_that_turns_read_only_mid_run_is_reported_once_and_caught_up_later(tmp_path):
    """Linux refuses to remount a file system read-only while the app holds the file open for
    writing (EBUSY), so the fault is brought in at the SQLite level: the store's connection is
    swapped for a real read-only connection to the same file (``mode=ro``), whose writes fail
    with SQLite's own "attempt to write a readonly database"."""
    swapped = {}

    def read_only(store: Store) -> None:
        swapped["db"] = store._db
        store._db = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True, isolation_level=None,
                                    check_same_thread=False)

    def writable(store: Store) -> None:
        store._db.close()
        store._db = swapped["db"]

    folder = tmp_path / "data"
    folder.mkdir()
    fault_episode(folder, read_only, writable, needs_store=True)


def test_a_read_only_data_folder_at_start_is_one_clear_line_not_a_traceback(small_disk):
    home = small_disk / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text('[tracking]\npoll_every = "1s"\n')
    from test_run_terminal import run_cli

    assert run_cli(home, "log", "--minutes", "3").returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        result = run_cli(home, "run", "--no-tray")
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Read-only file system" in lines[0], result.stderr
    assert run_cli(home, "export").stdout.count('"minutes"') >= 1  # what was saved is still there


def test_a_notifier_that_dies_mid_run_does_not_stop_reminders(tmp_path):
    clock, store, core, notifier, work = make_core(tmp_path)

    class Gone(RecordingNotifier):
        def send(self, title, body, *, timeout):
            raise ConnectionError("org.freedesktop.Notifications went away")

    core.notifier = Gone()
    work(46 * MIN)
    assert len(core.ui.reminders) == 1  # the terminal/tray still shows it
    work(11 * MIN)
    assert len(core.ui.reminders) == 2  # and the repeat comes too
    store.close()


def test_shutdown_with_the_disk_still_full_says_what_could_not_be_saved(small_disk):
    clock, store, core, notifier, work = make_core(small_disk)
    work(2 * MIN)
    fill(small_disk)
    work(2 * MIN)
    assert core.shutdown() == len(core.unsaved) > 0  # what could not be saved is counted, never hidden
    store.close()


def _cli_home(small_disk: Path) -> Path:
    home = small_disk / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(
        '[reminders]\nremind_after = "10s"\n[tracking]\npoll_every = "1s"\n[working_hours]\nalways = true\n')
    return home


def _one_line_naming(result, path: Path) -> None:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(path) in lines[0], result.stderr


def test_a_full_disk_still_lets_summary_export_and_status_read_the_history(small_disk):
    from test_run_terminal import run_cli

    home = _cli_home(small_disk)
    assert run_cli(home, "log", "--minutes", "20", "--kind", "moderate", "--note", "kept").returncode == 0
    fill(small_disk)
    for args in (("summary",), ("summary", "--json"), ("export",), ("export", "--format", "csv"), ("status",)):
        result = run_cli(home, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr == "", (args, result.stderr)
    assert "kept" in run_cli(home, "export").stdout
    assert "20/150" in run_cli(home, "status").stdout
    target = small_disk / "summary.html"
    _one_line_naming(run_cli(home, "summary", "--html", str(target)), target)
    _one_line_naming(run_cli(home, "log", "--minutes", "5"), home / "data" / "history.sqlite3")
    assert "kept" in run_cli(home, "export").stdout  # and nothing was harmed


def test_a_full_disk_while_the_app_runs_still_lets_status_read_and_the_log_says_it_once(small_disk):
    from test_run_terminal import App, run_cli

    home = _cli_home(small_disk)
    assert run_cli(home, "log", "--minutes", "20", "--kind", "moderate").returncode == 0
    app = App(home, "--no-tray")
    try:
        app.wait_for("running in terminal mode")
        log_file = home / "logs" / "movebreak.log"
        with open(log_file, "ab") as stream:  # the log's last page full: its next line needs a new one
            stream.write(b"#" * (-log_file.stat().st_size % 4096))
        fill(small_disk)
        app.wait_for("cannot write the history")
        status = run_cli(home, "status")
        assert status.returncode == 0 and "20/150" in status.stdout, status.stderr
    finally:
        out, err = app.interrupt()
    assert "--- Logging error ---" not in err and "Traceback" not in err, err
    told = [line for line in err.splitlines() if "log cannot be written" in line]
    assert len(told) == 1 and str(log_file) in told[0], err
