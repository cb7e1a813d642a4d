"""Small, safe file writes: user-only permissions, atomic replace."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def write_private_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temp file + rename), mode 0600 on POSIX."""
    write_private_bytes(path, text.encode("utf-8"))


def write_private_bytes(path: Path, data: bytes, *, private_folder: bool = True) -> None:
    """Write ``data`` atomically, the file readable by the user only (0600 on POSIX).

    ``private_folder=False`` leaves an existing folder's mode alone, for folders shared with
    other apps (``~/.config/autostart``, ``~/Library/LaunchAgents``); a new one is still 0700.
    """
    if not path.parent.is_dir():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    elif private_folder and sys.platform != "win32" and path.parent.stat().st_mode & 0o077:
        os.chmod(path.parent, 0o700)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if sys.platform != "win32":
            os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException as error:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError) and error.filename in (None, temp):
            error.filename = str(path)  # "No space left on device: <the file asked for>", not the temp name
        raise


def ensure_private_file(path: Path) -> None:
    """Create ``path`` empty and user-only if missing; tighten an existing one to 0600 (POSIX)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600))
    if sys.platform != "win32" and path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
