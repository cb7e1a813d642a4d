"""One running app per user: OS locks, which the OS drops when the process dies.

Because a lock belongs to the open file and not to the file's existence, a lock file
left behind by a crash never blocks the next start.

Two locks on POSIX: the data folder itself and ``movebreak.lock`` in it. The folder lock
is what keeps a second app out even when the lock file is deleted while the app runs (a
new lock file would be a new, unlocked file); the lock file holds the PID for ``status``.
On Windows a file that is open cannot be deleted, so the lock file alone is enough.

The lock file is movebreak's own: opened without following a link; a link, a pipe or
another user's file in its place is one line naming it, and nothing is followed or cut.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

from movebreak.storage_files import open_own_file


class InstanceLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._folder_fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another process holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        folder_fd = _lock_folder(self.path.parent)
        if folder_fd is False:
            return False
        try:
            fd = open_own_file(self.path, os.O_RDWR | os.O_CREAT)
        except BaseException:
            _close_folder(folder_fd)
            raise
        if not _try_lock(fd):
            os.close(fd)
            _close_folder(folder_fd)
            return False
        os.ftruncate(fd, 0)  # ours: a regular file, not a link, locked by us
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd, self._folder_fd = fd, folder_fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None
        _close_folder(self._folder_fd)
        self._folder_fd = None

    def __enter__(self) -> "InstanceLock":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def running_pid(path: Path) -> int | None:
    """The PID of the running app, -1 when one runs but its PID is unknown, None when none runs."""
    pid = _pid_from_lock_file(path)
    if pid is None and _folder_locked(path.parent):
        return -1  # the lock file was deleted or replaced while the app runs
    return pid


def _pid_from_lock_file(path: Path) -> int | None:
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None  # not ours: the app would have refused to start with it
        if _try_lock(fd):
            _unlock(fd)
            return None
        content = os.pread(fd, 32, 0) if hasattr(os, "pread") else b""
        try:
            return int(content.decode().strip() or 0) or -1
        except ValueError:
            return -1
    finally:
        os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _lock_folder(folder: Path) -> int | None | bool:
        return None

    def _folder_locked(folder: Path) -> bool:
        return False

    def _close_folder(fd: int | None) -> None:
        pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _open_folder(folder: Path) -> int | None:
        try:
            return os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError:
            return None

    def _lock_folder(folder: Path) -> int | None | bool:
        """The locked folder's descriptor; False when another process holds it; None when the
        file system cannot lock folders (then the lock file alone decides, as before)."""
        fd = _open_folder(folder)
        if fd is None:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except OSError as error:
            os.close(fd)
            return False if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN) else None

    def _folder_locked(folder: Path) -> bool:
        fd = _open_folder(folder)
        if fd is None:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        except OSError as error:
            return error.errno in (errno.EWOULDBLOCK, errno.EAGAIN)
        finally:
            os.close(fd)

    def _close_folder(fd: int | None) -> None:
        if fd is not None:
            os.close(fd)  # closing the descriptor drops its lock
