"""What every notifier shares: the status type, the interface and a helper.

In a module of its own so that the OS modules and the package (which picks one of them) both
import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Protocol, runtime_checkable

APP_NAME = "movebreak"
URGENCY_NORMAL = 1
URGENCY_CRITICAL = 2  # an ignored reminder's repeat: stays on screen on most servers


@dataclass(frozen=True)
class NotifierStatus:
    ok: bool
    detail: str


@runtime_checkable
class Notifier(Protocol):
    name: str

    def check(self) -> NotifierStatus:
        """Whether a notification could be shown now, and one line saying how or why not."""

    def send(self, title: str, body: str, *, timeout: timedelta) -> bool:
        """True only if the notification was handed to a notification service. Never raises."""


@dataclass(frozen=True)
class ReminderNote:
    """A reminder as a notification: its words and picture, its buttons ((key, label); the key
    "default" is a click on the body), its urgency, and the id of the one it replaces (0: none)."""

    title: str
    body: str
    timeout: timedelta
    image: Path | None = None
    actions: tuple[tuple[str, str], ...] = ()
    urgency: int = URGENCY_NORMAL
    replaces: int = 0


class ReminderListener(Protocol):
    """Told what the user did with a reminder notification; called on a thread of its own."""

    def action(self, notification_id: int, key: str) -> None: ...

    def closed(self, notification_id: int, reason: int) -> None: ...


def send_reminder(notifier, note: ReminderNote, listener: ReminderListener | None = None) -> int | None:
    """Show a reminder: with buttons, urgency and replacing where the notifier can
    (``send_reminder``, Linux); the others (Windows, macOS, the terminal) get the plain
    ``send``. The notification's id when there is one to replace or close later, else None."""
    own = getattr(notifier, "send_reminder", None)
    if own is not None:
        return own(note, listener)
    send_with_image(notifier, note.title, note.body, timeout=note.timeout, image=note.image)
    return None


def close_notification(notifier, notification_id: int) -> None:
    """Take a reminder off the screen where the notifier can (``close``); never raises."""
    close = getattr(notifier, "close", None)
    if close is not None:
        try:
            close(notification_id)
        except Exception:
            pass


def send_with_image(notifier, title: str, body: str, *, timeout: timedelta, image=None) -> bool:
    """``send`` with a picture for notifiers that show one (``accepts_image``); the others
    (Windows, macOS, the terminal) keep their plain ``send(title, body, timeout=)``."""
    if image is not None and getattr(notifier, "accepts_image", False):
        return notifier.send(title, body, timeout=timeout, image=image)
    return notifier.send(title, body, timeout=timeout)


def reason(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
