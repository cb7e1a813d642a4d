"""A call on Linux: one of the user's processes holds a microphone or camera open.

An app in a call keeps a capture device open: an ALSA capture PCM (``/dev/snd/pcmC0D0c``;
playback ends in ``p`` and does not count), directly or through PipeWire/PulseAudio, which
run as the user too, or a camera (``/dev/video0``). ``/proc/<pid>/fd`` holds one symlink per
open file, so reading those links says who holds what, without spawning ``lsof`` or
``fuser``. Other users' processes are unreadable (skipped silently) and do not count; a
process is checked for its owner (the ``Uid:`` line of ``/proc/<pid>/status``) only when it
holds a capture device. movebreak's own process never counts.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from movebreak.i18n import _
from movebreak.quiet.base import SourceReport

CAPTURE_DEVICE = re.compile(r"/dev/(?:snd/pcmC\d+D\d+c|video\d+)")


class ProcCapture:
    name = "calls"
    reason = "call"

    def __init__(self, proc: Path, uid: int, own_pid: int) -> None:
        self._proc = proc
        self._uid = uid
        self._own_pid = own_pid

    def holder(self) -> int | None:
        """The first process of this user (not this one) that holds a capture device open."""
        with os.scandir(self._proc) as entries:
            for entry in entries:
                if not entry.name.isdigit() or int(entry.name) == self._own_pid:
                    continue
                if _holds_capture(entry.path) and _real_uid(entry.path) == self._uid:
                    return int(entry.name)
        return None

    def active(self) -> bool | None:
        if not self._proc.is_dir():
            return None
        return self.holder() is not None

    def report(self) -> SourceReport:
        if not self._proc.is_dir():
            return SourceReport(self.name, False, _("{proc} is missing here: not detected", proc=self._proc))
        return SourceReport(self.name, True, _("reads in {proc} whether one of your programs holds a microphone "
                                               "(/dev/snd/pcm…c) or camera (/dev/video…) open", proc=self._proc))


def _holds_capture(process: str) -> bool:
    """Whether any open file of this process is a capture device; False when its fds are unreadable."""
    try:
        folder = os.open(os.path.join(process, "fd"), os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False  # another user's process, or it just exited
    try:
        for fd in os.listdir(folder):
            try:
                target = os.readlink(fd, dir_fd=folder)
            except OSError:
                continue  # closed in between
            if target.startswith("/dev/") and CAPTURE_DEVICE.fullmatch(target):
                return True
        return False
    except OSError:
        return False
    finally:
        os.close(folder)


def _real_uid(process: str) -> int | None:
    """The real user id from ``status`` ("Uid:\\treal\\teffective\\tsaved\\tfs"), or None."""
    try:
        with open(os.path.join(process, "status"), encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None
