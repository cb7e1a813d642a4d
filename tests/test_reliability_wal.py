"""The history's -wal / -shm removed, cut short or overwritten under the real running app.

Each fault is made with the real `movebreak run --no-tray` process running and real
`movebreak log` calls before and after it; then the app is stopped with Ctrl+C. Every `log`
that said "Logged" (exit 0) must be in the file; one that could not be made durable must
exit non-zero with one line naming the file.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from datetime import timedelta

from test_app_core import world  # noqa: F401  (a fixture)
from test_run_terminal import App, home, run_cli  # noqa: F401  (home is a fixture)


def _remove(*suffixes: str):
    def fault(database: Path) -> None:
        for suffix in suffixes:
            os.unlink(f"{database}{suffix}")
    return fault


def _truncate_wal(database: Path) -> None:
    os.truncate(f"{database}-wal", 0)


def _garbage_shm(database: Path) -> None:
    Path(f"{database}-shm").write_bytes(os.urandom(32768))


FAULTS = {
    "rm-wal": _remove("-wal"),
    "rm-shm": _remove("-shm"),
    "rm-both": _remove("-wal", "-shm"),
    "truncate-wal": _truncate_wal,
    "garbage-shm": _garbage_shm,
}


def _log(home: Path, note: str) -> bool:
    """One real `movebreak log`; True when it said the break was saved."""
    result = run_cli(home, "log", "--note", note)
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        assert "Logged" in result.stdout
        return True
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "history.sqlite3" in lines[0], result.stderr
    return False


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_side_file_damaged_under_the_running_app_loses_no_acknowledged_break(home, fault):
    database = home / "data" / "history.sqlite3"
    app = App(home, "--no-tray")
    acknowledged: list[str] = []
    try:
        app.wait_for("running in terminal mode")
        assert _log(home, "before")
        acknowledged.append("before")
        assert Path(f"{database}-wal").exists() and Path(f"{database}-shm").exists()
        FAULTS[fault](database)
        for number in range(4):  # the app ticks every second meanwhile
            if _log(home, f"after-{number}"):
                acknowledged.append(f"after-{number}")
        assert app.proc.poll() is None
    finally:
        out, err = app.interrupt()
    assert app.proc.returncode == 0
    assert "Traceback" not in err, err
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        notes = [row[0] for row in db.execute("SELECT note FROM activities WHERE note IS NOT NULL")]
    missing = [note for note in acknowledged if note not in notes]
    assert not missing, f"acknowledged but lost: {missing}"
    assert len(acknowledged) >= 3  # the app puts the files back: later calls work again
    assert len(notes) == len(set(notes))  # none written twice


def test_a_cli_write_whose_wal_is_removed_while_it_writes_is_not_acknowledged(tmp_path):
    from datetime import datetime, timedelta, timezone

    from movebreak.records import Activity, BreakKind
    from movebreak.store import HistoryFilesChanged, Store, is_storage_fault

    database = tmp_path / "history.sqlite3"
    at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    with Store(database) as app_side, Store(database, durable=True) as cli:
        app_side.add_activity(Activity(at, BreakKind.LOGGED, timedelta(minutes=5), note="app"))
        with pytest.raises(HistoryFilesChanged) as raised:
            with cli.transaction() as db:
                db.execute("INSERT INTO activities (at_utc, kind, minutes, created_utc) "
                           "VALUES ('2026-03-02T10:00:00.000000+00:00', 'logged', 5, '2026-03-02T10:00:00.000000+00:00')")
                os.unlink(f"{database}-wal")
        assert f"{database}-wal" in str(raised.value) and is_storage_fault(raised.value)
        with pytest.raises(HistoryFilesChanged):  # and it writes nothing more through it
            cli.add_activity(Activity(at, BreakKind.LOGGED, timedelta(minutes=5), note="cli"))
        app_side.check_files()  # the app's tick: saves what its connection holds, opens again
        app_side.add_activity(Activity(at, BreakKind.LOGGED, timedelta(minutes=5), note="after"))
    with sqlite3.connect(database) as db:
        notes = {row[0] for row in db.execute("SELECT note FROM activities")}
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {"app", "after"} <= notes and "cli" not in notes


def test_a_break_the_app_logged_survives_its_wal_cut_short_and_the_history_stays_whole(world, tmp_path):  # noqa: F811
    # The app copies a break into the history file as soon as it is committed; heartbeats
    # written after it are only in the -wal. Cutting the -wal then costs at most those.
    clock, store, core, probe, notifier, work = world
    work(timedelta(minutes=20))
    core.log_break(minutes=3)
    work(timedelta(minutes=2))  # more frames, only in the -wal
    database = tmp_path / "history.sqlite3"
    os.truncate(f"{database}-wal", 0)
    work(timedelta(minutes=2))  # the app notices at its next tick and opens the history again
    core.log_break(minutes=1)
    work(timedelta(seconds=30))
    assert core.shutdown() == 0
    store.close()
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        minutes = sorted(row[0] for row in db.execute("SELECT minutes FROM activities"))
        spans = db.execute("SELECT COUNT(*) FROM sitting_spans").fetchone()[0]
    assert minutes == [1.0, 3.0]
    assert spans >= 1
