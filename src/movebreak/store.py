"""The history: one SQLite file in WAL mode, written in short transactions.

The running app and CLI commands share the file. Every write is one ``BEGIN IMMEDIATE``
transaction, so a crash or kill loses nothing that was committed, and readers never see
half a write. Times are stored as fixed-width UTC ISO-8601 text, which sorts correctly.
Schema changes are numbered, named steps recorded in ``schema_migrations``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from movebreak.errors import MovebreakError
from movebreak.i18n import _
from movebreak.records import (
    Activity,
    BreakKind,
    Intensity,
    Pause,
    Reminder,
    ReminderOutcome,
    SittingSpan,
    TrackedSpan,
)

BUSY_TIMEOUT_MS = 15_000
SIDE_FILES = ("", "-wal", "-shm")  # the history and SQLite's two WAL-mode side files

log = logging.getLogger("movebreak")
# What a hand-edited row can make the conversion to a record raise: it is skipped, never fatal.
MAX_ROWS_TOLD = 10  # unreadable rows named one by one; the rest in one more line
ROW_ERRORS = (ValueError, TypeError, OverflowError, AttributeError, RecursionError)


class HistoryFilesChanged(MovebreakError):
    """The history's -wal or -shm file (or the history itself) was removed, replaced or cut
    short under an open connection: a write through it may not reach the file at that path."""


def to_db(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime reached the store")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def from_db(text: str | None) -> datetime | None:
    """A stored time; one without an offset (a hand edit) is read as UTC, like every stored time."""
    if text is None:
        return None
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


# --- migrations --------------------------------------------------------------------------


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: executescript() would commit the open transaction."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _initial(db: sqlite3.Connection) -> None:
    _run_script(
        db,
        """
        CREATE TABLE sitting_spans (
            id INTEGER PRIMARY KEY,
            start_utc TEXT NOT NULL,
            end_utc TEXT NOT NULL,
            closed INTEGER NOT NULL DEFAULT 0,
            CHECK (end_utc >= start_utc)
        );
        CREATE INDEX sitting_spans_end ON sitting_spans(end_utc);
        CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            at_utc TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('reminder-break', 'natural', 'logged')),
            exercise_id TEXT,
            minutes REAL NOT NULL CHECK (minutes >= 0),
            intensity TEXT CHECK (intensity IN ('moderate', 'strength', 'mobility')),
            note TEXT,
            created_utc TEXT NOT NULL
        );
        CREATE INDEX activities_at ON activities(at_utc);
        CREATE TABLE reminders (
            id INTEGER PRIMARY KEY,
            at_utc TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('taken', 'snoozed', 'skipped', 'ignored')),
            sitting_minutes REAL NOT NULL DEFAULT 0,
            snooze_minutes REAL,
            exercise_id TEXT
        );
        CREATE INDEX reminders_at ON reminders(at_utc);
        CREATE TABLE pauses (
            id INTEGER PRIMARY KEY,
            start_utc TEXT NOT NULL,
            end_utc TEXT,
            reason TEXT
        );
        CREATE TABLE tracked_spans (
            id INTEGER PRIMARY KEY,
            start_utc TEXT NOT NULL,
            end_utc TEXT NOT NULL
        );
        CREATE INDEX tracked_spans_end ON tracked_spans(end_utc);
        CREATE TABLE commands (
            id INTEGER PRIMARY KEY,
            created_utc TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL DEFAULT '{}',
            done_utc TEXT
        );
        CREATE TABLE app_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_utc TEXT NOT NULL
        );
        """
    )


def _open_span_index(db: sqlite3.Connection) -> None:
    # Finding the open span scanned every span (13 ms on a 10-year history, at every start).
    db.execute("CREATE INDEX IF NOT EXISTS sitting_spans_open ON sitting_spans(end_utc) WHERE closed = 0")


def _command_results(db: sqlite3.Connection) -> None:
    # The running app answers each CLI command, so the CLI says only what really happened.
    db.execute("ALTER TABLE commands ADD COLUMN result TEXT")


MIGRATIONS: tuple[tuple[int, str, Callable[[sqlite3.Connection], None]], ...] = (
    (1, "initial history schema", _initial),
    (2, "index for the open sitting span", _open_span_index),
    (3, "the running app's answer to a CLI command", _command_results),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


@dataclass(frozen=True)
class Command:
    """A request from a CLI command to the running app (snooze, for example)."""

    id: int
    created: datetime
    kind: str
    payload: dict[str, Any]


class Store:
    """The history file. Safe to share between threads of one process and between processes."""

    # Told once per unreadable row (one line); None: the log gets it. The CLI sets its stderr here.
    on_problem: Callable[[str], None] | None = None

    def __init__(self, path: Path | str, *, now: Callable[[], datetime] | None = None,
                 durable: bool = False, readonly: bool = False, repair: bool = True) -> None:
        """``durable``: a CLI command's store; a write is acknowledged only once it is synced
        through the -wal and -shm at their paths (see ``_confirm_durable``). ``readonly``: a
        command that only reads (summary, export, status); when the usual opening fails (a full
        disk: SQLite cannot make its -shm) the file is opened read-only instead. ``repair=False``:
        a file that looks damaged is never moved aside (a CLI command while the app runs: the
        app may be repairing a -wal cut short under it, and the file itself is whole)."""
        self._repair = repair
        self.path = path
        self.recovered_from: Path | None = None  # where a broken file was moved aside, if it was
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._lock = threading.RLock()
        self._depth = 0  # open transaction() blocks (nested ones join the outermost)
        self._durable = durable
        self._is_file = str(path) != ":memory:"
        self._db = self._open_for_reading() if readonly and self._is_file else self._open()
        self._seen = self._side_files()
        self._data_version = self._read_data_version()

    # --- opening ------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return db

    def _open(self) -> sqlite3.Connection:
        is_file = str(self.path) != ":memory:"
        if is_file:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._create_private(Path(self.path))
        db = None
        try:
            db = self._connect()
            self._prepare(db)
            return db
        except MovebreakError:
            if db is not None:
                db.close()
            raise
        except sqlite3.DatabaseError as error:
            if not is_file or not _looks_corrupt(error) or not self._repair:
                if db is not None:
                    db.close()
                raise
        try:
            if db is not None:
                db.close()
        except Exception:
            pass
        self.recovered_from = _move_aside(Path(self.path), self._now())
        self._create_private(Path(self.path))
        db = self._connect()
        self._prepare(db)
        return db

    def _open_for_reading(self) -> sqlite3.Connection:
        """As usual (a current history is opened without writing, and the last connection
        tidies the -wal and -shm away); read-only when that fails, as on a full disk."""
        try:
            return self._open()
        except sqlite3.OperationalError:
            db = self._open_readonly()
            if db is None:
                raise
            return db

    def _open_readonly(self) -> sqlite3.Connection | None:
        """A read-only connection for a command that only reads, or None when the file needs
        the usual opening (missing, empty, damaged, to migrate). On a full disk SQLite cannot
        make the -shm it needs; with no -wal content the history file alone is the whole
        history, so it is then read as an immutable file."""
        path = Path(self.path)
        try:
            if path.stat().st_size == 0:
                return None
        except FileNotFoundError:
            return None
        uri = path.absolute().as_uri()
        for options, last in (("mode=ro", False), ("mode=ro&immutable=1", True)):
            db = None
            try:
                db = sqlite3.connect(f"{uri}?{options}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                     isolation_level=None, check_same_thread=False)
                db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                if self._schema_is_current(db):
                    return db
                db.close()
                return None
            except MovebreakError:
                if db is not None:
                    db.close()
                raise
            except sqlite3.OperationalError:
                if db is not None:
                    db.close()
                if last or _has_content(Path(f"{path}-wal")):
                    raise  # the -wal holds part of the history: reading around it would be wrong
            except sqlite3.DatabaseError:  # damaged: the usual opening keeps it aside
                if db is not None:
                    db.close()
                return None
        return None

    def _schema_is_current(self, db: sqlite3.Connection) -> bool:
        """Every migration applied (read only; raises when the file is from a newer movebreak)."""
        self._refuse_newer(db)
        has_table = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").fetchone()
        if not has_table:
            return False
        applied = {row[0] for row in db.execute("SELECT version FROM schema_migrations")}
        return all(version in applied for version, _name, _step in MIGRATIONS)

    @staticmethod
    def _create_private(path: Path) -> None:
        """The history and SQLite's side files are movebreak's own: never a link, a pipe or
        another user's file (SQLite would follow a link and write to where it leads).

        An existing history is only looked at (lstat), never opened here: closing a descriptor
        of it would drop the POSIX locks this process's other SQLite connections hold on it."""
        from movebreak.storage_files import check_own_file, ensure_own_file

        if check_own_file(path):
            if sys.platform != "win32" and os.lstat(path).st_mode & 0o077:
                os.chmod(path, 0o600)  # a regular file of the user's (checked above), in their 0700 folder
        else:
            ensure_own_file(path)
        for suffix in ("-wal", "-shm", "-journal"):
            check_own_file(path.with_name(path.name + suffix))

    def _prepare(self, db: sqlite3.Connection) -> None:
        self._refuse_newer(db)  # before WAL mode changes a byte of a file we must leave alone
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(self.path) != ":memory:" and mode.lower() != "wal":
            raise MovebreakError(_("{path}: could not switch the history to WAL mode", path=self.path))
        # A CLI write is acknowledged on its own, so its commit waits for the disk; the app's
        # many small heartbeats keep NORMAL (a power cut may lose the last tick, never corrupt).
        db.execute(f"PRAGMA synchronous = {'FULL' if self._durable else 'NORMAL'}")
        db.execute("PRAGMA foreign_keys = ON")
        self._migrate(db)

    def _newer_error(self, found: int) -> MovebreakError:
        return MovebreakError(_(
            "{path}: this history was written by a newer movebreak (schema {found}, this version "
            "knows {known}); update movebreak, the file was left untouched",
            path=self.path, found=found, known=SCHEMA_VERSION))

    def _refuse_newer(self, db: sqlite3.Connection) -> None:
        """A read-only look at the schema version; raises when the file is from a newer movebreak."""
        has_table = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").fetchone()
        if has_table:
            newest = db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] or 0
            if newest > SCHEMA_VERSION:
                raise self._newer_error(newest)

    def _migrate(self, db: sqlite3.Connection) -> None:
        if self._schema_is_current(db):
            return  # nothing to write: opening a current history needs no write lock or free space
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_utc TEXT NOT NULL)"
            )
            applied = {row[0] for row in db.execute("SELECT version FROM schema_migrations")}
            newest = max(applied, default=0)
            if newest > SCHEMA_VERSION:
                raise self._newer_error(newest)
            for version, name, step in MIGRATIONS:
                if version in applied:
                    continue
                step(db)
                db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_utc) VALUES (?, ?, ?)",
                    (version, name, to_db(self._now())),
                )
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()

    # --- the side files: removed, replaced or cut short under an open connection -------------

    def _side_files(self) -> dict[str, tuple[int, int, int] | None]:
        """(device, inode, size) of the history and its -wal and -shm, None for a missing one."""
        if not self._is_file:
            return {}
        seen: dict[str, tuple[int, int, int] | None] = {}
        for suffix in SIDE_FILES:
            try:
                info = os.stat(f"{self.path}{suffix}")
            except OSError:
                seen[suffix] = None
                continue
            seen[suffix] = (info.st_dev, info.st_ino, info.st_size)
        return seen

    def files_changed(self) -> str | None:
        """The path of a file this connection uses that was removed, replaced by another file
        or (the -wal) cut short since it was last checked; None when all is as it was. A few
        stat() calls: cheap enough for every write and every tick."""
        now = self._side_files()
        for suffix, before in self._seen.items():
            after = now.get(suffix)
            if before is None:
                continue
            if after is None or after[:2] != before[:2] or (suffix == "-wal" and after[2] < before[2]):
                return f"{self.path}{suffix}"
        return None

    def check_files(self) -> None:
        """The running app's check at each tick (and each write): when a side file changed,
        save what this connection holds into the history file and open it again."""
        with self._lock:
            if self._depth:
                return
            if self._db is None:
                self._open_again()
                return
            changed = self.files_changed()
            if changed is not None:
                if self._durable:
                    raise HistoryFilesChanged(_(
                        "{path} was removed or replaced while the history was open; nothing was "
                        "written, please try again", path=changed))
                self._reopen(changed)

    def _reopen(self, changed: str) -> None:
        """Checkpoint through the old connection (it still reads the -wal it has open, even an
        unlinked one) so the history file holds everything committed, close it, open a new one.
        The old one must be closed first: SQLite shares one -shm per file within a process, so
        only then does the new connection make a fresh -wal and -shm at the paths."""
        saved = self._checkpoint("TRUNCATE")
        _close_quietly(self._db)
        self._db = None
        if not saved:
            # A -wal cut short under its -shm: the index still lists frames that are gone, and
            # every reader (this app, a CLI command) would find the history "malformed". The
            # index is SQLite's cache of the -wal; without it the next opening rebuilds it.
            _remove_quietly(Path(f"{self.path}-shm"))
        self._open_again()
        if saved:
            log.warning("%s was removed, replaced or cut short while movebreak ran; everything it had "
                        "written was saved into %s and the history was opened again", changed, self.path)
            return
        log.error("%s was removed, replaced or cut short while movebreak ran; what was only in it "
                  "could not be read back; the history was opened again from %s", changed, self.path)
        raise HistoryFilesChanged(_(
            "{path} was removed or cut short while movebreak ran; the history was opened again, "
            "writes not yet in {history} are written again", path=changed, history=self.path))

    def _open_again(self) -> None:
        try:
            self._db = self._open()
        except Exception as error:
            raise HistoryFilesChanged(_("{path}: the history could not be opened again ({reason})",
                                        path=self.path, reason=error)) from error
        self._seen = self._side_files()
        self._data_version = -1

    def _checkpoint(self, mode: str) -> bool:
        """True when every committed frame of the -wal is now in the history file."""
        try:
            busy, frames, done = self._db.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
        except sqlite3.Error:
            return False
        return busy == 0 and frames == done

    def checkpoint(self) -> bool:
        """Copy what the -wal holds into the history file, where that can be done now without
        waiting (the app does it after writing a break, a reminder or a pause: then a -wal cut
        short later cannot take them along). True when all of it is in the file."""
        with self._lock:
            if not self._is_file or self._db is None or self._depth:
                return False
            return self._checkpoint("PASSIVE")

    def _after_commit(self) -> None:
        if not self._is_file:
            return
        if self._durable:
            self._confirm_durable()
            return
        changed = self.files_changed()
        if changed is not None:
            self._reopen(changed)
        else:
            self._seen = self._side_files()  # the -wal grew

    def _confirm_durable(self) -> None:
        """A CLI write is acknowledged only when the -wal and -shm it went through are still the
        ones at their paths (commits are synced: synchronous FULL). When one was swapped
        underneath, the commit can land in a file nobody will read: not acknowledged."""
        self._checkpoint("PASSIVE")  # in the history file too, where it can: a later cut -wal loses nothing
        changed = self.files_changed()
        if changed is None:
            return
        raise HistoryFilesChanged(_(
            "{path} was removed or replaced while this command wrote; the change may not be saved "
            "(check with: movebreak export)", path=changed))

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ---------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; committed when the block ends, rolled back on error.

        A transaction opened inside another (on the same thread) joins it: the app writes a
        tick's heartbeats and snapshots in one commit, and any error rolls back all of them."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._db
                finally:
                    self._depth -= 1
                return
            self.check_files()
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._db
                self._depth = 0
                self._db.execute("COMMIT")
            except BaseException:
                self._depth = 0
                # A failed COMMIT (disk full, read-only file system) can leave the transaction
                # open, or SQLite may already have rolled it back; either way the connection
                # must be usable for the next write, and the first error is the one to raise.
                self._rollback_quietly()
                raise
            self._after_commit()

    def _rollback_quietly(self) -> None:
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            if self._db is None:
                self.check_files()
            return self._db.execute(sql, params).fetchall()

    def schema_versions(self) -> list[tuple[int, str]]:
        return [(row[0], row[1]) for row in self._query("SELECT version, name FROM schema_migrations ORDER BY version")]

    def _read_data_version(self) -> int:
        return self._query("PRAGMA data_version")[0][0]

    def changed_elsewhere(self) -> bool:
        """True when another connection (a CLI command) wrote since the last call."""
        version = self._read_data_version()
        changed = version != self._data_version
        self._data_version = version
        return changed

    # --- sitting spans ----------------------------------------------------------------------

    def save_span(self, span: SittingSpan, *, closed: bool = False) -> SittingSpan:
        """Insert a new span or move the end of an existing one (the heartbeat)."""
        with self.transaction() as db:
            if span.id is None:
                cursor = db.execute(
                    "INSERT INTO sitting_spans (start_utc, end_utc, closed) VALUES (?, ?, ?)",
                    (to_db(span.start), to_db(span.end), int(closed)),
                )
                return replace(span, id=cursor.lastrowid)
            db.execute(
                "UPDATE sitting_spans SET start_utc = ?, end_utc = ?, closed = ? WHERE id = ?",
                (to_db(span.start), to_db(span.end), int(closed), span.id),
            )
            return span

    def open_span(self) -> SittingSpan | None:
        rows = self._query(
            "SELECT id, start_utc, end_utc FROM sitting_spans WHERE closed = 0 ORDER BY end_utc DESC LIMIT 1"
        )
        spans = self._records("sitting_spans", rows, _span)
        return spans[0] if spans else None

    def close_open_spans(self) -> None:
        with self.transaction() as db:
            db.execute("UPDATE sitting_spans SET closed = 1 WHERE closed = 0")

    def spans_between(self, start: datetime, end: datetime) -> list[SittingSpan]:
        rows = self._query(
            "SELECT id, start_utc, end_utc FROM sitting_spans WHERE end_utc > ? AND start_utc < ? ORDER BY start_utc",
            (to_db(start), to_db(end)),
        )
        return self._records("sitting_spans", rows, _span)

    # --- activities ---------------------------------------------------------------------------

    def add_activity(self, activity: Activity) -> Activity:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO activities (at_utc, kind, exercise_id, minutes, intensity, note, created_utc)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    to_db(activity.at),
                    activity.kind.value,
                    activity.exercise_id,
                    activity.duration.total_seconds() / 60,
                    activity.intensity.value if activity.intensity else None,
                    activity.note,
                    to_db(self._now()),
                ),
            )
            return replace(activity, id=cursor.lastrowid)

    def activities_between(self, start: datetime, end: datetime) -> list[Activity]:
        rows = self._query(
            "SELECT id, at_utc, kind, exercise_id, minutes, intensity, note FROM activities"
            " WHERE at_utc >= ? AND at_utc < ? ORDER BY at_utc, id",
            (to_db(start - timedelta(days=1)), to_db(end)),
        )
        return [activity for activity in self._records("activities", rows, _activity) if activity.end > start]

    def set_activity_kind(self, activity_id: int, kind: BreakKind) -> None:
        with self.transaction() as db:
            db.execute("UPDATE activities SET kind = ? WHERE id = ?", (kind.value, activity_id))

    def activities_after_id(self, last_id: int) -> list[Activity]:
        rows = self._query(
            "SELECT id, at_utc, kind, exercise_id, minutes, intensity, note FROM activities WHERE id > ? ORDER BY id",
            (last_id,),
        )
        return self._records("activities", rows, _activity)

    def last_activity_id(self) -> int:
        return self._query("SELECT COALESCE(MAX(id), 0) FROM activities")[0][0]

    def last_break_end(self) -> datetime | None:
        rows = self._query("SELECT id, at_utc, minutes FROM activities ORDER BY at_utc DESC LIMIT 20")
        ends = self._records("activities", rows, lambda row: from_db(row[1]) + timedelta(minutes=row[2]))
        return max(ends, default=None)

    # --- reminders ------------------------------------------------------------------------------

    def add_reminder(self, reminder: Reminder) -> Reminder:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO reminders (at_utc, outcome, sitting_minutes, snooze_minutes, exercise_id)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    to_db(reminder.at),
                    reminder.outcome.value,
                    reminder.sitting.total_seconds() / 60,
                    reminder.snooze.total_seconds() / 60 if reminder.snooze is not None else None,
                    reminder.exercise_id,
                ),
            )
            return replace(reminder, id=cursor.lastrowid)

    def reminders_between(self, start: datetime, end: datetime) -> list[Reminder]:
        rows = self._query(
            "SELECT id, at_utc, outcome, sitting_minutes, snooze_minutes, exercise_id FROM reminders"
            " WHERE at_utc >= ? AND at_utc < ? ORDER BY at_utc, id",
            (to_db(start), to_db(end)),
        )
        return self._records("reminders", rows, _reminder)

    # --- pauses ----------------------------------------------------------------------------------

    def add_pause(self, pause: Pause) -> Pause:
        """Start a pause; an earlier open-ended or overlapping pause ends where this one starts."""
        with self.transaction() as db:
            db.execute(
                "UPDATE pauses SET end_utc = ? WHERE start_utc <= ? AND (end_utc IS NULL OR end_utc > ?)",
                (to_db(pause.start), to_db(pause.start), to_db(pause.start)),
            )
            cursor = db.execute(
                "INSERT INTO pauses (start_utc, end_utc, reason) VALUES (?, ?, ?)",
                (to_db(pause.start), to_db(pause.end) if pause.end else None, pause.reason),
            )
            return replace(pause, id=cursor.lastrowid)

    def end_pauses(self, at: datetime) -> int:
        """End every pause that covers ``at`` (resume); returns how many were ended."""
        with self.transaction() as db:
            cursor = db.execute(
                "UPDATE pauses SET end_utc = ? WHERE start_utc <= ? AND (end_utc IS NULL OR end_utc > ?)",
                (to_db(at), to_db(at), to_db(at)),
            )
            return cursor.rowcount

    def active_pause(self, at: datetime) -> Pause | None:
        rows = self._query(
            "SELECT id, start_utc, end_utc, reason FROM pauses WHERE start_utc <= ? AND (end_utc IS NULL OR end_utc > ?)"
            " ORDER BY start_utc DESC LIMIT 1",
            (to_db(at), to_db(at)),
        )
        pauses = self._records("pauses", rows, _pause)
        return pauses[0] if pauses else None

    def pauses_between(self, start: datetime, end: datetime) -> list[Pause]:
        rows = self._query(
            "SELECT id, start_utc, end_utc, reason FROM pauses WHERE start_utc < ? AND (end_utc IS NULL OR end_utc > ?)"
            " ORDER BY start_utc",
            (to_db(end), to_db(start)),
        )
        return self._records("pauses", rows, _pause)

    # --- tracked time ------------------------------------------------------------------------------

    def save_tracked(self, span: TrackedSpan) -> TrackedSpan:
        with self.transaction() as db:
            if span.id is None:
                cursor = db.execute(
                    "INSERT INTO tracked_spans (start_utc, end_utc) VALUES (?, ?)", (to_db(span.start), to_db(span.end))
                )
                return replace(span, id=cursor.lastrowid)
            db.execute("UPDATE tracked_spans SET end_utc = ? WHERE id = ?", (to_db(span.end), span.id))
            return span

    def tracked_between(self, start: datetime, end: datetime) -> list[TrackedSpan]:
        rows = self._query(
            "SELECT id, start_utc, end_utc FROM tracked_spans WHERE end_utc > ? AND start_utc < ? ORDER BY start_utc",
            (to_db(start), to_db(end)),
        )
        return self._records("tracked_spans", rows,
                             lambda row: TrackedSpan(_moment(row[1]), _moment(row[2]), row[0]))

    # --- commands from the CLI to the running app -------------------------------------------------

    def enqueue_command(self, kind: str, payload: dict[str, Any] | None = None) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO commands (created_utc, kind, payload) VALUES (?, ?, ?)",
                (to_db(self._now()), kind, json.dumps(payload or {})),
            )
            return cursor.lastrowid

    def take_commands(self) -> list[Command]:
        """The pending commands, marked done in the same transaction (each is taken once)."""
        with self.transaction() as db:
            rows = db.execute(
                "SELECT id, created_utc, kind, payload FROM commands WHERE done_utc IS NULL ORDER BY id"
            ).fetchall()
            if rows:
                db.execute(
                    "UPDATE commands SET done_utc = ? WHERE done_utc IS NULL AND id <= ?",
                    (to_db(self._now()), rows[-1][0]),
                )
        return self._records("commands", rows, _command)

    def answer_command(self, command_id: int, result: dict[str, Any]) -> None:
        """The running app's answer to a command it took (read by the waiting CLI)."""
        with self.transaction() as db:
            db.execute("UPDATE commands SET result = ? WHERE id = ?", (json.dumps(result), command_id))

    def command_answer(self, command_id: int) -> tuple[bool, dict[str, Any] | None]:
        """(taken by the app, its answer or None while there is none)."""
        rows = self._query("SELECT done_utc, result FROM commands WHERE id = ?", (command_id,))
        if not rows:
            return False, None
        done, result = rows[0]
        try:
            answer = json.loads(result) if result is not None else None
        except ValueError:
            answer = None
        return done is not None, answer if isinstance(answer, dict) else None

    def withdraw_command(self, command_id: int) -> bool:
        """Take back a command the app has not taken yet; False when it already had."""
        with self.transaction() as db:
            cursor = db.execute(
                "UPDATE commands SET done_utc = ?, result = ? WHERE id = ? AND done_utc IS NULL",
                (to_db(self._now()), json.dumps({"withdrawn": True}), command_id),
            )
            return cursor.rowcount == 1

    # --- small app state (the running app's status snapshot) ---------------------------------------

    def put_state(self, key: str, value: Any) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO app_state (key, value, updated_utc) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_utc = excluded.updated_utc",
                (key, json.dumps(value), to_db(self._now())),
            )

    def get_state(self, key: str) -> tuple[Any, datetime] | None:
        rows = self._query("SELECT key, value, updated_utc FROM app_state WHERE key = ?", (key,))
        states = self._records("app_state", rows, lambda row: (json.loads(row[1]), _moment(row[2])))
        return states[0] if states else None

    # --- rows a hand edit broke ----------------------------------------------------------------------

    def _records(self, table: str, rows: list[tuple], build: Callable[[tuple], Any]) -> list[Any]:
        """Each row as a record; a row that cannot be one (garbage text, an impossible date,
        1e300 minutes, an unknown kind) is left out and named once, so the rest still shows."""
        records = []
        for row in rows:
            try:
                records.append(build(row))
            except ROW_ERRORS as error:
                self._bad_row(table, row[0], error)
        return records

    def _bad_row(self, table: str, row_id: Any, error: BaseException) -> None:
        reported = self.__dict__.setdefault("_reported_rows", set())
        if (table, row_id) in reported:
            return
        reported.add((table, row_id))
        if len(reported) > MAX_ROWS_TOLD:
            return
        reason = " ".join(str(error).split()) or type(error).__name__
        message = _("{path}: row {id} of table {table} cannot be read ({reason}); it is left out",
                    path=self.path, id=row_id, table=table, reason=reason)
        if len(reported) == MAX_ROWS_TOLD:
            message = _("{path}: row {id} of table {table} and more rows cannot be read; they are left out",
                        path=self.path, id=row_id, table=table)
        if self.on_problem is not None:
            self.on_problem(message)
        else:
            log.warning("%s", message)

    # --- checks ----------------------------------------------------------------------------------------

    def integrity_check(self) -> str:
        return self._query("PRAGMA integrity_check")[0][0]


def _moment(text: Any) -> datetime:
    """A stored time that must be there (NOT NULL, unless a hand edit removed it)."""
    if text is None:
        raise ValueError("no time")
    return from_db(text)


def _activity(row: tuple) -> Activity:
    aid, at, kind, exercise, minutes, intensity, note = row
    activity = Activity(
        at=_moment(at),
        kind=BreakKind(kind),
        duration=timedelta(minutes=minutes),
        exercise_id=exercise,
        intensity=Intensity(intensity) if intensity else None,
        note=note,
        id=aid,
    )
    activity.end  # noqa: B018 - raises OverflowError for an end past year 9999
    return activity


def _span(row: tuple) -> SittingSpan:
    return SittingSpan(_moment(row[1]), _moment(row[2]), row[0])


def _reminder(row: tuple) -> Reminder:
    rid, at, outcome, sitting, snooze, exercise = row
    return Reminder(
        at=_moment(at),
        outcome=ReminderOutcome(outcome),
        sitting=timedelta(minutes=sitting),
        snooze=timedelta(minutes=snooze) if snooze is not None else None,
        exercise_id=exercise,
        id=rid,
    )


def _pause(row: tuple) -> Pause:
    pid, start, end, reason = row
    pause = Pause(_moment(start), from_db(end), reason, pid)
    if pause.end is not None and pause.end < pause.start:
        raise ValueError("the pause ends before it starts")
    return pause


def _command(row: tuple) -> Command:
    cid, created, kind, payload = row
    data = json.loads(payload)
    if not isinstance(data, dict):
        raise ValueError("the payload is not a JSON object")
    return Command(cid, _moment(created), kind, data)


def is_storage_fault(error: BaseException) -> bool:
    """A write failed because of the machine (disk full, read-only, locked, I/O, a side file
    damaged under the app: "database disk image is malformed"), not a bug. A constraint that
    refused a row (IntegrityError) is a bug and is not one."""
    return isinstance(error, (sqlite3.OperationalError, OSError, HistoryFilesChanged)) \
        or type(error) is sqlite3.DatabaseError


def check_side_files(path: Path, *, wait: float = 2.0, wake: Callable[[], None] | None = None) -> None:
    """For a CLI command while the app runs: the app always has the history's -wal and -shm
    open, so a missing one was removed under it. A new connection would make fresh ones and
    write where the app never reads (its breaks were lost when the app stopped). The app puts
    them back at its next tick; a missing one that stays missing for ``wait`` seconds (longer
    than the app's start or stop) is refused."""
    import time

    deadline = time.monotonic() + wait
    while True:
        missing = [f"{path}{suffix}" for suffix in ("-wal", "-shm") if not os.path.exists(f"{path}{suffix}")]
        if not missing and wal_cut_short(path):
            missing = [f"{path}-wal"]
        if not missing or not os.path.exists(path):
            return
        if wake is not None:
            wake()  # the app puts them back at its next tick: let that be now
            wake = None
        if time.monotonic() >= deadline:
            raise HistoryFilesChanged(_(
                "{path} is missing while movebreak runs (removed?); movebreak restores it within a "
                "minute, try again then", path=missing[0]))
        time.sleep(0.05)


def wal_cut_short(path: Path | str) -> bool:
    """True when the -shm index lists more -wal frames than the -wal still holds: the -wal
    was cut short under an open connection. A writer going through such an index puts its
    frames after a hole, and a checkpoint copies the hole's zeros into the history file, so
    nobody may write until the app has opened the history again (which rebuilds the index).

    Only for a process with no connection to the history: closing any descriptor of the
    -shm drops every POSIX lock the process holds on it, SQLite's included (another process
    could then take the index for unused and reset it under this one's memory map: SIGBUS).

    The index header is SQLite's documented wal-index format, in native byte order:
    page size (u16) at byte 14, the last valid frame (u32) at byte 16."""
    import struct

    try:
        with open(f"{path}-shm", "rb") as stream:
            header = stream.read(48)
        wal_size = os.stat(f"{path}-wal").st_size
    except OSError:
        return False
    if len(header) < 48 or header[12] == 0:  # not initialised: nothing is listed
        return False
    page_size, frames = struct.unpack_from("=HI", header, 14)
    page_size = 65536 if page_size == 1 else page_size
    return frames > 0 and wal_size < 32 + frames * (page_size + 24)


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _close_quietly(db: sqlite3.Connection) -> None:
    try:
        db.close()
    except sqlite3.Error:
        pass


def _looks_corrupt(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return any(sign in text for sign in ("not a database", "malformed", "file is encrypted", "disk image"))


def _move_aside(path: Path, now: datetime) -> Path:
    """Keep a broken history under a timestamped name; never delete it."""
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    counter = 1
    while os.path.lexists(target):  # never replace anything, not even a dangling link
        target = path.with_name(f"{path.name}.broken-{stamp}-{counter}")
        counter += 1
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if os.path.lexists(side):  # renaming moves a link itself, never what it leads to
            os.replace(side, target.with_name(target.name + suffix))
    return target
