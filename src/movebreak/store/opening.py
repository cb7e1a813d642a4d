"""Opening the history: a private file in WAL mode, migrated; a damaged one is moved aside.

A command that only reads opens it read-only when the usual opening fails (a full disk:
SQLite cannot make its -shm).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from movebreak.errors import MovebreakError
from movebreak.i18n import _

BUSY_TIMEOUT_MS = 15_000


class Opening:
    """The Store's opening and closing of its connection (a mixin: it shares the Store's state).
    The schema steps come from ``SchemaChecks``."""

    path: Path | str
    recovered_from: Path | None
    _repair: bool
    _durable: bool
    _now: Callable[[], datetime]
    _lock: threading.RLock
    _db: sqlite3.Connection | None

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

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False



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
