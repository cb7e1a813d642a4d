"""Small, safe file writes: user-only permissions, atomic replace."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def write_private_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temp file + rename), mode 0600 on POSIX."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if sys.platform != "win32":
        os.chmod(path.parent, 0o700)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if sys.platform != "win32":
            os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
