"""Reminder notifications behind one small interface, per operating system.

``make_notifier()`` picks the desktop notifier for this OS once and wraps it in a
``FallbackNotifier``: when the desktop cannot show a reminder, it is written to the
terminal instead, and ``check()`` says why for ``movebreak doctor``. ``send`` never
raises: a failed notification must not stop the scheduler.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from movebreak.i18n import _
from movebreak.notify.base import (
    APP_NAME,
    Notifier,
    NotifierStatus,
    ReminderNote,
    close_notification,
    reason,
    send_reminder,
    send_with_image,
)

__all__ = [
    "APP_NAME",
    "FallbackNotifier",
    "Notifier",
    "NotifierStatus",
    "ReminderNote",
    "TerminalNotifier",
    "UnavailableNotifier",
    "make_notifier",
    "close_notification",
    "reason",
    "send_reminder",
    "send_with_image",
]

class TerminalNotifier:
    """Writes reminders to a stream (stderr unless given): the visible last resort."""

    name = "terminal"

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def check(self) -> NotifierStatus:
        return NotifierStatus(True, _("reminders are written to the terminal"))

    def send(self, title: str, body: str, *, timeout: timedelta = timedelta(seconds=10)) -> bool:
        stream = self._stream if self._stream is not None else sys.stderr
        try:
            lines = "".join(f"[movebreak]   {line}\n" for line in body.splitlines() or [""])
            stream.write(f"[movebreak] {title}\n{lines}")
            stream.flush()
            return True
        except (OSError, ValueError, AttributeError):  # closed or missing stream (pythonw)
            return False


class UnavailableNotifier:
    """A desktop notifier for a platform movebreak has none for."""

    name = "none"

    def __init__(self, why: str) -> None:
        self._why = why

    def check(self) -> NotifierStatus:
        return NotifierStatus(False, self._why)

    def send(self, title: str, body: str, *, timeout: timedelta = timedelta(seconds=10)) -> bool:
        return False


class FallbackNotifier:
    """The desktop notifier, and the terminal whenever the desktop one fails.

    ``send`` returns what the desktop notifier returned; ``last_route`` says where the
    last reminder went ("desktop", "terminal" or "nowhere").
    """

    def __init__(self, primary: Notifier, terminal: Notifier | None = None) -> None:
        self.primary = primary
        self.terminal = terminal if terminal is not None else TerminalNotifier()
        self.name = f"{primary.name}+{self.terminal.name}"
        self.last_route: str | None = None

    def check(self) -> NotifierStatus:
        status = _guarded_check(self.primary)
        if status.ok:
            return status
        return NotifierStatus(
            False, _("{problem}; reminders are written to the terminal instead", problem=status.detail)
        )

    @property
    def accepts_image(self) -> bool:
        return bool(getattr(self.primary, "accepts_image", False))

    def send(self, title: str, body: str, *, timeout: timedelta = timedelta(seconds=10),
             image: Path | None = None) -> bool:
        try:
            shown = bool(send_with_image(self.primary, title, body, timeout=timeout, image=image))
        except Exception:  # a notifier broke its promise; the reminder still goes out
            shown = False
        if shown:
            self.last_route = "desktop"
            return True
        try:
            written = self.terminal.send(title, body, timeout=timeout)
        except Exception:
            written = False
        self.last_route = "terminal" if written else "nowhere"
        return False

    def send_reminder(self, note: ReminderNote, listener=None) -> int | None:
        """A reminder with buttons where the desktop notifier offers them (its id), else the plain
        ``send``; the terminal when the desktop fails. None: no id to replace or close later."""
        if getattr(self.primary, "send_reminder", None) is None:
            self.send(note.title, note.body, timeout=note.timeout, image=note.image)
            return None
        try:
            notification_id = self.primary.send_reminder(note, listener)
        except Exception:  # a notifier broke its promise; the reminder still goes out
            notification_id = None
        if notification_id is not None:
            self.last_route = "desktop"
            return notification_id
        try:
            written = self.terminal.send(note.title, note.body, timeout=note.timeout)
        except Exception:
            written = False
        self.last_route = "terminal" if written else "nowhere"
        return None

    def close(self, notification_id: int) -> None:
        close_notification(self.primary, notification_id)


def _guarded_check(notifier: Notifier) -> NotifierStatus:
    try:
        return notifier.check()
    except Exception as error:
        return NotifierStatus(False, _("{name} check failed: {error}", name=notifier.name, error=reason(error)))


def make_notifier(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    stream: TextIO | None = None,
) -> FallbackNotifier:
    """The notifier for this OS, chosen once, with the terminal as fallback."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    primary: Notifier
    if platform.startswith("win") or platform == "cygwin":
        from movebreak.notify.windows import WindowsNotifier

        primary = WindowsNotifier()
    elif platform == "darwin":
        from movebreak.notify.macos import MacNotifier

        primary = MacNotifier()
    elif platform.startswith("linux") or "bsd" in platform:
        from movebreak.notify.freedesktop import FreedesktopNotifier

        primary = FreedesktopNotifier(environ)
    else:
        primary = UnavailableNotifier(_("no desktop notifications on {platform}", platform=platform))
    return FallbackNotifier(primary, TerminalNotifier(stream))
