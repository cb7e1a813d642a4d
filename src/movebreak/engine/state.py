"""The engine's data: the ``Sample`` it is fed, the ``Status`` it reports, and the ``Restore``
snapshot the app saves every tick and gives back after a restart (JSON via to_dict/from_dict).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any

from movebreak.engine.events import AwayReason
from movebreak.records import Pause, Reminder, ReminderOutcome, SittingSpan

ZERO = timedelta(0)


def aware(name: str, value: datetime) -> datetime:
    """``value`` in UTC; a naive datetime is a bug (ValueError naming it)."""
    if value.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware")
    return value.astimezone(timezone.utc)


@dataclass(frozen=True)
class Sample:
    """One poll tick from the app."""

    at: datetime  # wall time, aware
    monotonic: float  # seconds, stops during suspend
    idle: timedelta | None  # since the last input; None = unknown (present while unlocked)
    locked: bool = False  # screen locked: away
    boottime: float | None = None  # seconds on a clock that runs through suspend, if known
    quiet: str | None = None  # why a due reminder should wait: "do-not-disturb", "fullscreen", "call"

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", aware("at", self.at))


class EngineState(str, Enum):
    SITTING = "sitting"
    AWAY = "away"
    REMINDING = "reminding"
    SNOOZED = "snoozed"
    PAUSED = "paused"
    OUTSIDE_HOURS = "outside-hours"
    HELD = "held"  # a due reminder waits while the desktop should stay quiet (Status.held says why)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class PendingReminder:
    """A reminder that was sent and not answered yet."""

    at: datetime
    sitting: timedelta
    snoozes_used: int = 0
    repeat: bool = False

    def resolve(self, outcome: ReminderOutcome, snooze: timedelta | None = None) -> Reminder:
        return Reminder(at=self.at, outcome=outcome, sitting=self.sitting, snooze=snooze)


@dataclass(frozen=True)
class Status:
    state: EngineState
    as_of: datetime  # wall time of the last tick
    continuous_sitting: timedelta
    next_reminder_at: datetime | None  # wall; None while away, paused indefinitely, pending
    reminder_at: datetime | None  # the pending reminder's time
    snoozes_used: int
    snooze_limit_reached: bool
    snoozed_until: datetime | None
    paused: bool
    paused_until: datetime | None  # None while paused: until resumed
    sitting_today: timedelta
    away_since: datetime | None
    remind_after: timedelta  # what the tray's ring fills up to
    snooze_options: tuple[timedelta, ...]  # what the tray offers
    held: str | None = None  # state HELD: why ("do-not-disturb", "fullscreen", "call")


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _dt(value: str | None) -> datetime | None:
    return None if value is None else aware("time", datetime.fromisoformat(value))


def _secs(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def _td(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(seconds=value)


@dataclass(frozen=True)
class Restore:
    """What the engine needs after a restart; ``Engine.snapshot()`` makes one every tick."""

    saved_at: datetime  # the last tick (the open span's heartbeat end)
    span: SittingSpan | None = None  # open span, if the user was present
    absent_since: datetime | None = None  # start of the absence, if not present
    absence_reason: AwayReason | None = None
    on_break: bool = True  # the absence already lasted natural_break_after
    sitting_before: timedelta = ZERO  # continuous sitting in closed spans since the last break
    skipped_at_sitting: timedelta = ZERO  # continuous sitting when a reminder was last skipped
    reminder: PendingReminder | None = None
    snoozed_until: datetime | None = None
    snoozes_used: int = 0
    pause: Pause | None = None
    spans_today: tuple[SittingSpan, ...] = ()  # closed spans of today and yesterday

    def to_dict(self) -> dict[str, Any]:
        span = None if self.span is None else [_iso(self.span.start), _iso(self.span.end), self.span.id]
        reminder = None
        if self.reminder is not None:
            r = self.reminder
            reminder = [_iso(r.at), _secs(r.sitting), r.snoozes_used, r.repeat]
        pause = None
        if self.pause is not None:
            p = self.pause
            pause = [_iso(p.start), _iso(p.end), p.reason, p.id]
        return {
            "saved_at": _iso(self.saved_at),
            "span": span,
            "absent_since": _iso(self.absent_since),
            "absence_reason": None if self.absence_reason is None else self.absence_reason.value,
            "on_break": self.on_break,
            "sitting_before": _secs(self.sitting_before),
            "skipped_at_sitting": _secs(self.skipped_at_sitting),
            "reminder": reminder,
            "snoozed_until": _iso(self.snoozed_until),
            "snoozes_used": self.snoozes_used,
            "pause": pause,
            "spans_today": [[_iso(s.start), _iso(s.end), s.id] for s in self.spans_today],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Restore:
        span = data.get("span")
        reminder = data.get("reminder")
        pause = data.get("pause")
        reason = data.get("absence_reason")
        return cls(
            saved_at=_dt(data["saved_at"]),
            span=None if span is None else SittingSpan(_dt(span[0]), _dt(span[1]), span[2]),
            absent_since=_dt(data.get("absent_since")),
            absence_reason=None if reason is None else AwayReason(reason),
            on_break=bool(data.get("on_break", True)),
            sitting_before=_td(data.get("sitting_before") or 0.0),
            skipped_at_sitting=_td(data.get("skipped_at_sitting") or 0.0),
            reminder=None
            if reminder is None
            else PendingReminder(_dt(reminder[0]), _td(reminder[1]), int(reminder[2]), bool(reminder[3])),
            snoozed_until=_dt(data.get("snoozed_until")),
            snoozes_used=int(data.get("snoozes_used", 0)),
            pause=None if pause is None else Pause(_dt(pause[0]), _dt(pause[1]), pause[2], pause[3]),
            spans_today=tuple(SittingSpan(_dt(s[0]), _dt(s[1]), s[2]) for s in data.get("spans_today", ())),
        )
