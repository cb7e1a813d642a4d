"""What every notifier shares: the status type, the interface and a helper.

In a module of its own so that the OS modules and the package (which picks one of them) both
import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol, runtime_checkable

APP_NAME = "movebreak"


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


def send_with_image(notifier, title: str, body: str, *, timeout: timedelta, image=None) -> bool:
    """``send`` with a picture for notifiers that show one (``accepts_image``); the others
    (Windows, macOS, the terminal) keep their plain ``send(title, body, timeout=)``."""
    if image is not None and getattr(notifier, "accepts_image", False):
        return notifier.send(title, body, timeout=timeout, image=image)
    return notifier.send(title, body, timeout=timeout)


def reason(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
