"""The Store: the history file, its transactions and its queries.

Opening, the schema, the side-file guard and the reading of rows are mixins from the
modules next to this one; they share the Store's state.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from movebreak.records import Activity, BreakKind, Pause, Reminder, SittingSpan, TrackedSpan
from movebreak.store.opening import Opening
from movebreak.store.rows import (
    Command,
    RowReading,
    _activity,
    _command,
    _moment,
    _pause,
    _reminder,
    _span,
    from_db,
    to_db,
)
from movebreak.store.schema import SchemaChecks
from movebreak.store.sidefiles import SideFileGuard


class Store(Opening, SchemaChecks, SideFileGuard, RowReading):
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

    # --- checks ----------------------------------------------------------------------------------------

    def integrity_check(self) -> str:
        return self._query("PRAGMA integrity_check")[0][0]
