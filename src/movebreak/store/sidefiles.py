"""The history's -wal and -shm guard: a side file removed, replaced or cut short under an
open connection is noticed (a few stat() calls) and repaired, or the write is refused.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from movebreak.errors import MovebreakError
from movebreak.i18n import _

SIDE_FILES = ("", "-wal", "-shm")  # the history and SQLite's two WAL-mode side files

log = logging.getLogger("movebreak")


class HistoryFilesChanged(MovebreakError):
    """The history's -wal or -shm file (or the history itself) was removed, replaced or cut
    short under an open connection: a write through it may not reach the file at that path."""



class SideFileGuard:
    """The Store's watch on its side files (a mixin: it shares the Store's state; ``_open``
    comes from ``Opening``)."""

    path: Path | str
    _db: sqlite3.Connection | None
    _lock: threading.RLock
    _depth: int
    _durable: bool
    _is_file: bool
    _seen: dict[str, tuple[int, int, int] | None]
    _data_version: int

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
        result = self._checkpoint_result("TRUNCATE")
        saved = result is True
        _close_quietly(self._db)
        self._db = None
        if result is None:
            # The checkpoint could not read the -wal: cut short under its -shm, whose index still
            # lists frames that are gone, so every reader (this app, a CLI command) would find
            # the history "malformed". The index is SQLite's cache of the -wal; without it the
            # next opening rebuilds it. (A checkpoint merely kept back by a reader leaves the
            # -shm alone: that reader still has it mapped.)
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
        return self._checkpoint_result(mode) is True

    def _checkpoint_result(self, mode: str) -> bool | None:
        """True: every committed frame is in the history file; False: some wait (a reader holds
        them back); None: the checkpoint failed (the -wal could not be read)."""
        try:
            busy, frames, done = self._db.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
        except sqlite3.Error:
            return None
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
