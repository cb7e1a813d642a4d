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

    def boottime(self) -> float | None:
        """Seconds on a clock that never jumps and runs through sleep; None where unknown."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def monotonic(self) -> float:
        return time.monotonic()

    def boottime(self) -> float | None:
        clock_id = getattr(time, "CLOCK_BOOTTIME", None)  # Linux
        if clock_id is None:
            return None
        try:
            return time.clock_gettime(clock_id)
        except OSError:
            return None


@dataclass
class SimulatedClock:
    """A clock for tests: moves only when told to.

    ``advance`` moves both readings (time passing while awake); ``suspend`` moves only the
    wall clock (the machine slept); ``jump`` moves only the wall clock too, but stands for
    NTP or a user setting the clock.
    """

    wall: datetime
    mono: float = 1000.0
    boot: float | None = 5000.0  # None: a system without a boot-time clock
    _history: list[str] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.wall.tzinfo is None:
            raise ValueError("SimulatedClock needs a timezone-aware start time")
        self.wall = self.wall.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def boottime(self) -> float | None:
        return self.boot

    def advance(self, delta: timedelta) -> None:
        self.wall += delta
        self.mono += delta.total_seconds()
        if self.boot is not None:
            self.boot += delta.total_seconds()

    def suspend(self, delta: timedelta) -> None:
        self.wall += delta
        if self.boot is not None:
            self.boot += delta.total_seconds()

    def jump(self, delta: timedelta) -> None:
        self.wall += delta
