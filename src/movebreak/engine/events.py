"""What the engine tells the app: immutable events wrapping the shared records.

The app persists each event (the store) and shows some of them (notifier, tray). The engine
never does either itself. Times are on the engine's timeline (UTC; see engine.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Union

from movebreak.i18n import _
from movebreak.records import Activity, Pause, Reminder, SittingSpan


class AwayReason(str, Enum):
    """Why the user counted as away although the idle counter did not say so."""

    SUSPEND = "suspend"  # the wall clock ran ahead of the monotonic clock (sleep, or a forward jump)
    LOCK = "lock"  # the screen was locked
    RESTART = "restart"  # the app was not running

    def __str__(self) -> str:
        return self.value

    def describe(self) -> str:
        if self is AwayReason.SUSPEND:
            return _("The computer was asleep")
        if self is AwayReason.LOCK:
            return _("The screen was locked")
        return _("movebreak was not running")


@dataclass(frozen=True)
class SpanHeartbeat:
    """The open span as of this tick (end = now). Save it: it replaces the previous heartbeat
    of the span with the same start (and id, if the restore gave one)."""

    span: SittingSpan


@dataclass(frozen=True)
class SpanClosed:
    """The span is final. It may be zero-length (a logged break covered all of it): drop it then."""

    span: SittingSpan


@dataclass(frozen=True)
class NaturalBreak:
    """An absence of at least natural_break_after, recorded when the user is back."""

    activity: Activity


@dataclass(frozen=True)
class BreakLogged:
    """A break the user logged; kind becomes REMINDER when it answers a reminder."""

    activity: Activity


@dataclass(frozen=True)
class ReminderDue:
    """Tell the user to move. Exactly one ReminderResolved follows for the same ``at``."""

    at: datetime
    sitting: timedelta
    snoozes_used: int
    can_snooze: bool
    repeat: bool  # sent again because the previous one was ignored
    held: str | None = None  # what held it back before it was sent: "do-not-disturb", "fullscreen", "call"
    held_for: timedelta = timedelta(0)  # how long it was held

    def text(self) -> str:
        minutes = int(self.sitting.total_seconds() // 60)
        message = _("You have been sitting for {minutes} minutes. Time to get up and move.", minutes=minutes)
        if not self.can_snooze:
            message += " " + _(
                "You have snoozed {count} times in a row, so there is no snooze this time.",
                count=self.snoozes_used,
            )
        return message


@dataclass(frozen=True)
class ReminderResolved:
    reminder: Reminder


@dataclass(frozen=True)
class PauseStarted:
    pause: Pause  # end = the planned end (None: until resumed)


@dataclass(frozen=True)
class PauseEnded:
    pause: Pause  # end = when it really ended


@dataclass(frozen=True)
class AwayDetected:
    """Time away that the idle counter cannot show: a suspend, a locked screen, a restart."""

    start: datetime
    end: datetime
    reason: AwayReason

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


Event = Union[
    SpanHeartbeat,
    SpanClosed,
    NaturalBreak,
    BreakLogged,
    ReminderDue,
    ReminderResolved,
    PauseStarted,
    PauseEnded,
    AwayDetected,
]
