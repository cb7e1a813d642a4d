"""Time is injected: the domain asks a Clock, never the system.

A Clock gives two readings: wall time (aware, UTC) for records and display, and a
monotonic reading that stops during suspend, like the one APScheduler sleeps on. Comparing
the two across a tick is how the app notices a suspend.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Wall time, timezone-aware, in UTC."""

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps and stops while the machine sleeps."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def monotonic(self) -> float:
        return time.monotonic()


@dataclass
class SimulatedClock:
    """A clock for tests: moves only when told to.

    ``advance`` moves both readings (time passing while awake); ``suspend`` moves only the
    wall clock (the machine slept); ``jump`` moves only the wall clock too, but stands for
    NTP or a user setting the clock.
    """

    wall: datetime
    mono: float = 1000.0
    _history: list[str] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.wall.tzinfo is None:
            raise ValueError("SimulatedClock needs a timezone-aware start time")
        self.wall = self.wall.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def advance(self, delta: timedelta) -> None:
        self.wall += delta
        self.mono += delta.total_seconds()

    def suspend(self, delta: timedelta) -> None:
        self.wall += delta

    def jump(self, delta: timedelta) -> None:
        self.wall += delta
