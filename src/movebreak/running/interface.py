"""What the running app asks of its user interface (the tray, terminal mode), and what a reminder shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ReminderView:
    """What a reminder shows, in the user's language."""

    title: str
    body: str
    exercise_id: str | None
    can_snooze: bool


class UserInterface(Protocol):
    def show_reminder(self, view: ReminderView) -> None: ...

    def notice(self, text: str) -> None: ...

    def refresh(self, force: bool = False) -> None: ...

    def run(self) -> None: ...

    def stop(self) -> None: ...
