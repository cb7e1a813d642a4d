"""The history's schema: numbered, named migration steps recorded in ``schema_migrations``.

A history written by a newer movebreak (a higher schema version) is refused before a byte
of it changes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from movebreak.errors import MovebreakError
from movebreak.i18n import _
from movebreak.store.rows import to_db



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


def _all_intensities(db: sqlite3.Connection) -> None:
    # Light and vigorous join moderate, strength and mobility (WHO counts a vigorous minute twice).
    # SQLite cannot change a CHECK in place: copy the table into one with the wider CHECK.
    _run_script(
        db,
        """
        CREATE TABLE activities_v4 (
            id INTEGER PRIMARY KEY,
            at_utc TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('reminder-break', 'natural', 'logged')),
            exercise_id TEXT,
            minutes REAL NOT NULL CHECK (minutes >= 0),
            intensity TEXT CHECK (intensity IN ('light', 'moderate', 'vigorous', 'strength', 'mobility')),
            note TEXT,
            created_utc TEXT NOT NULL
        );
        INSERT INTO activities_v4 (id, at_utc, kind, exercise_id, minutes, intensity, note, created_utc)
            SELECT id, at_utc, kind, exercise_id, minutes, intensity, note, created_utc FROM activities;
        DROP TABLE activities;
        ALTER TABLE activities_v4 RENAME TO activities;
        CREATE INDEX activities_at ON activities(at_utc)
        """,
    )


MIGRATIONS: tuple[tuple[int, str, Callable[[sqlite3.Connection], None]], ...] = (
    (1, "initial history schema", _initial),
    (2, "index for the open sitting span", _open_span_index),
    (3, "the running app's answer to a CLI command", _command_results),
    (4, "light and vigorous intensities", _all_intensities),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


class SchemaChecks:
    """The Store's look at the schema and its migration (a mixin: it shares the Store's state)."""

    path: Path | str
    _now: Callable[[], datetime]

    def _schema_is_current(self, db: sqlite3.Connection) -> bool:
        """Every migration applied (read only; raises when the file is from a newer movebreak)."""
        self._refuse_newer(db)
        has_table = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").fetchone()
        if not has_table:
            return False
        applied = {row[0] for row in db.execute("SELECT version FROM schema_migrations")}
        return all(version in applied for version, _name, _step in MIGRATIONS)

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
