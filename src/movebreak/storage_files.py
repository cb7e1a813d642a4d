"""Safe file access: files the user names, movebreak's own files, and files it only reads.

Three rules, one per kind of file:

* **A file the user names** (``summary --html FILE``, ``export -o FILE``):
  ``write_user_file`` writes exactly that file and touches nothing around it. It never
  creates, chmods or replaces a folder. A missing file is created (0600 when it holds
  history, else the user's umask); an existing regular file is overwritten in place, so
  it keeps its inode, owner, mode and hard links; a pipe or a terminal (``/dev/stdout``)
  is written through, never replaced; a symbolic link is written through to what it leads
  to, with the same rules (the user named it), except a link that leads nowhere or one
  another user made in a shared sticky folder such as ``/tmp``. A folder, a missing
  folder or any other kind of file is one line (``MovebreakError``), nothing written.
* **movebreak's own files** (lock, history, log, the config it writes, the cached
  summary): never through a symbolic link (``O_NOFOLLOW``), and only a regular file the
  user owns is used or made 0600; anything else in its place is one line naming it.
* **Files movebreak only reads** (config, exercise catalogue): ``read_regular_file``
  refuses anything but a regular file before reading (a pipe would hang, ``/dev/zero``
  never ends) and reads at most a limit. A symbolic link to a regular file is fine there
  (dotfiles).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from movebreak.errors import MovebreakError
from movebreak.i18n import _

POSIX = sys.platform != "win32"
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
BINARY = getattr(os, "O_BINARY", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)
NOCTTY = getattr(os, "O_NOCTTY", 0)


def kind_of(mode: int) -> str:
    """What a file is, in words, for a one-line message."""
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISLNK(mode):
        return _("a symbolic link")
    if stat.S_ISFIFO(mode):
        return _("a named pipe")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("something else")


# --- files the user names -------------------------------------------------------------------------------


def write_user_file(path: Path, data: bytes, *, private: bool) -> os.stat_result:
    """Write ``data`` to exactly ``path`` (rules in the module docstring); the written file's stat.

    ``private``: the data holds history, so a new file is created 0600 and an existing
    file that belongs to another user is refused.
    """
    path = Path(path)
    for _attempt in range(3):  # a file appearing or going between the look and the open: look again
        try:
            found = os.lstat(path)
        except FileNotFoundError:
            found = None
        try:
            if found is None:
                return _create_user_file(path, data, private=private)
            return _overwrite_user_file(path, found, data, private=private)
        except (FileExistsError, FileNotFoundError):
            continue
        except OSError as error:
            if error.filename is None:  # a write that failed (disk full): say which file
                raise OSError(error.errno, error.strerror, str(path)) from None
            raise
    raise MovebreakError(_("{path}: the file keeps changing; nothing was written", path=path))


def _create_user_file(path: Path, data: bytes, *, private: bool) -> os.stat_result:
    """A new file; the folder must exist already: it is the user's, never created here."""
    folder = path.parent
    if not folder.is_dir():
        raise MovebreakError(_("{folder}: no such folder; nothing was written (create it first)", folder=folder))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC | BINARY
    fd = os.open(path, flags, 0o600 if private else 0o666)
    try:
        _write_all(fd, data)
        if POSIX:
            os.fsync(fd)
        return os.fstat(fd)
    except BaseException:
        os.close(fd)
        fd = -1
        try:  # a half-written new file helps nobody (disk full)
            os.unlink(path)
        except OSError:
            pass
        raise
    finally:
        if fd >= 0:
            os.close(fd)


def _overwrite_user_file(path: Path, found: os.stat_result, data: bytes, *, private: bool) -> os.stat_result:
    if stat.S_ISDIR(found.st_mode):
        raise MovebreakError(_("{path} is a folder; name a file to write", path=path))
    if stat.S_ISLNK(found.st_mode):
        _check_user_link(path, found)
    try:
        fd = os.open(path, os.O_WRONLY | CLOEXEC | BINARY | NOCTTY)
    except FileNotFoundError:
        if not stat.S_ISLNK(found.st_mode):
            raise  # gone since the look: look again
        raise MovebreakError(_("{path} is a symbolic link to {target}, which does not exist; nothing was written",
                               path=path, target=os.readlink(path))) from None
    except IsADirectoryError:
        raise MovebreakError(_("{path} leads to a folder; name a file to write", path=path)) from None
    try:
        opened = os.fstat(fd)
        if stat.S_ISREG(opened.st_mode):
            if private and POSIX and opened.st_uid != os.geteuid():
                raise MovebreakError(_("{path} belongs to another user; your history was not written to it",
                                       path=path))
            os.ftruncate(fd, 0)
            _write_all(fd, data)
            os.fsync(fd)
        elif stat.S_ISFIFO(opened.st_mode) or stat.S_ISCHR(opened.st_mode):
            _write_all(fd, data)  # a pipe or a terminal: written through, never truncated or replaced
        else:
            raise MovebreakError(_("{path} is {kind}; nothing was written", path=path, kind=kind_of(opened.st_mode)))
        return opened
    finally:
        os.close(fd)


def _check_user_link(path: Path, link: os.stat_result) -> None:
    """Refuse a link another user planted in a shared sticky folder (``/tmp``): it may lead to your files."""
    if not POSIX or link.st_uid == os.geteuid():
        return
    folder = os.stat(path.parent)
    if folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH and link.st_uid != folder.st_uid:
        raise MovebreakError(_("{path} is a symbolic link another user made in a shared folder; nothing was written",
                               path=path))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# --- movebreak's own files ---------------------------------------------------------------------------------


def refuse_unsafe_own(path: Path, found: os.stat_result) -> None:
    """One line when what is at ``path`` is not a regular file the user owns; nothing is followed."""
    if stat.S_ISLNK(found.st_mode):
        raise MovebreakError(_("{path} is a symbolic link; movebreak does not follow links for its own files "
                               "(remove it or put the file there)", path=path))
    if not stat.S_ISREG(found.st_mode):
        raise MovebreakError(_("{path} is {kind}, not a regular file; movebreak left it alone (remove it)",
                               path=path, kind=kind_of(found.st_mode)))
    if POSIX and found.st_uid != os.geteuid():
        raise MovebreakError(_("{path} belongs to another user; movebreak left it alone (remove it)", path=path))


def check_own_file(path: Path) -> bool:
    """True when ``path`` is movebreak's regular file, False when missing; raises for anything else."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return False
    refuse_unsafe_own(path, found)
    return True


def open_own_file(path: Path, flags: int) -> int:
    """Open (or create, 0600) movebreak's own file without following a link; the file made 0600 if looser."""
    try:
        fd = os.open(path, flags | NOFOLLOW | CLOEXEC | BINARY | NONBLOCK, 0o600)
    except OSError:
        check_own_file(path)  # a link (ELOOP) or something else in its place: say what it is
        raise
    try:
        found = os.fstat(fd)
        refuse_unsafe_own(path, found)
        if POSIX and found.st_mode & 0o077:
            os.fchmod(fd, 0o600)
        if NONBLOCK and POSIX:
            os.set_blocking(fd, True)
        return fd
    except BaseException:
        os.close(fd)
        raise


def ensure_own_file(path: Path) -> None:
    """Create movebreak's own file empty and 0600 if missing; make an existing one 0600 (never through a link)."""
    os.close(open_own_file(path, os.O_RDONLY | os.O_CREAT))


def write_own_file(path: Path, data: bytes) -> None:
    """Write movebreak's own file atomically (temp file + rename in its folder), 0600 (``mkstemp``).

    A missing folder is created 0700; an existing folder's mode is left alone (it may be
    shared, like ``~/.config/autostart``). Whatever is in the file's place must be a regular
    file the user owns; a link, a pipe or another user's file is refused, not replaced.
    """
    import tempfile

    path = Path(path)
    if not path.parent.is_dir():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    check_own_file(path)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        check_own_file(path)
        os.replace(temp, path)
    except BaseException as error:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError) and error.filename in (None, temp):
            error.filename = str(path)  # "No space left on device: <the file asked for>", not the temp name
        raise


def write_own_text(path: Path, text: str) -> None:
    write_own_file(path, text.encode("utf-8"))


# --- files movebreak only reads ------------------------------------------------------------------------------


class NotRegularFile(Exception):
    """The path leads to a folder, a pipe, a device: never read (it could hang or never end)."""

    def __init__(self, path: Path, mode: int) -> None:
        super().__init__(path)
        self.kind = kind_of(mode)


class TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file (a link to one is fine) of at most ``limit`` bytes.

    Raises ``FileNotFoundError`` (missing), ``NotRegularFile``, ``TooLarge`` or ``OSError``;
    a pipe is never opened for a read that could wait, a device never read.
    """
    found = os.stat(path)
    if not stat.S_ISREG(found.st_mode):
        raise NotRegularFile(path, found.st_mode)
    fd = os.open(path, os.O_RDONLY | CLOEXEC | BINARY | NONBLOCK | NOCTTY)
    try:
        found = os.fstat(fd)  # what was opened, should the path have changed since the look
        if not stat.S_ISREG(found.st_mode):
            raise NotRegularFile(path, found.st_mode)
        if found.st_size > limit:
            raise TooLarge(found.st_size)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, limit + 1 - total)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise TooLarge(max(total, os.fstat(fd).st_size))
    finally:
        os.close(fd)
