"""What the history holds, as immutable records shared by the store, engine and summary.

All datetimes are timezone-aware UTC; all durations are timedelta. Records are updated
with ``dataclasses.replace``, never in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum


class BreakKind(str, Enum):
    REMINDER = "reminder-break"  # taken because a reminder asked for it
    NATURAL = "natural"  # no input for natural_break_after: away from the desk
    LOGGED = "logged"  # the user said "I took a break" (tray or CLI)

    def __str__(self) -> str:
        return self.value


class Intensity(str, Enum):
    """How an activity's minutes count (summary/credit.py): light, moderate or vigorous by MET
    (< 3, 3 to < 6, >= 6 MET; only moderate and vigorous count toward the WHO aerobic minutes),
    strength (toward strength days, never aerobic) or mobility (counted on its own)."""

    LIGHT = "light"
    MODERATE = "moderate"
    VIGOROUS = "vigorous"
    STRENGTH = "strength"
    MOBILITY = "mobility"

    def __str__(self) -> str:
        return self.value


MODERATE_FROM_MET = 3.0  # WHO / Compendium: below 3 MET is light
VIGOROUS_FROM_MET = 6.0  # 6 MET and more is vigorous


def intensity_of_met(met: float) -> Intensity:
    """Light below 3 MET, moderate from 3 to below 6, vigorous from 6 (WHO, Compendium): the one
    place these thresholds live (the catalogue and the summary both ask here)."""
    if met >= VIGOROUS_FROM_MET:
        return Intensity.VIGOROUS
    if met >= MODERATE_FROM_MET:
        return Intensity.MODERATE
    return Intensity.LIGHT


class ReminderOutcome(str, Enum):
    TAKEN = "taken"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    IGNORED = "ignored"

    def __str__(self) -> str:
        return self.value


def _require_aware(name: str, value: datetime | None) -> None:
    if value is not None and value.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware")


@dataclass(frozen=True)
class SittingSpan:
    """Continuous presence at the computer, from the first input to the last."""

    start: datetime
    end: datetime
    id: int | None = None

    def __post_init__(self) -> None:
        _require_aware("start", self.start)
        _require_aware("end", self.end)
        if self.end < self.start:
            raise ValueError("a sitting span cannot end before it starts")

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Activity:
    """A break or an activity: when it began, how long, what kind.

    A natural break has no exercise and no intensity and never counts as activity; a
    logged or reminder break counts its minutes when its intensity is moderate or strength.
    """

    at: datetime
    kind: BreakKind
    duration: timedelta
    exercise_id: str | None = None
    intensity: Intensity | None = None
    note: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        _require_aware("at", self.at)
        if self.duration < timedelta(0):
            raise ValueError("an activity cannot last a negative time")

    @property
    def end(self) -> datetime:
        return self.at + self.duration


@dataclass(frozen=True)
class Reminder:
    at: datetime
    outcome: ReminderOutcome
    sitting: timedelta = timedelta(0)  # continuous sitting when the reminder was sent
    snooze: timedelta | None = None
    exercise_id: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        _require_aware("at", self.at)


@dataclass(frozen=True)
class Pause:
    """Reminders off from start until end (None: until resumed)."""

    start: datetime
    end: datetime | None = None
    reason: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        _require_aware("start", self.start)
        _require_aware("end", self.end)

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment and (self.end is None or moment < self.end)


@dataclass(frozen=True)
class TrackedSpan:
    """A stretch of time the app was running and watching (for 'tracked minutes')."""

    start: datetime
    end: datetime
    id: int | None = None

    def __post_init__(self) -> None:
        _require_aware("start", self.start)
        _require_aware("end", self.end)
