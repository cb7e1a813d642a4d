"""Time is injected: the domain asks a Clock, never the system.

A Clock gives two readings: wall time (aware, UTC) for records and display, and a
monotonic reading that stops during suspend, like the one APScheduler sleeps on. Comparing
the two across a tick is how the app notices a suspend.
"""

from __future__ import annotations

import time
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


class SimulatedClock:
    """A clock for tests: moves only when told to.

    ``advance`` moves both readings (time passing while awake); ``suspend`` moves only the
    wall clock (the machine slept); ``jump`` moves only the wall clock too, but stands for
    NTP or a user setting the clock. (A plain class, not a dataclass: this module is on
    the path to the tray icon, see ``movebreak.startup``.)
    """

    def __init__(self, wall: datetime, mono: float = 1000.0, boot: float | None = 5000.0) -> None:
        if wall.tzinfo is None:
            raise ValueError("SimulatedClock needs a timezone-aware start time")
        self.wall = wall.astimezone(timezone.utc)
        self.mono = mono
        self.boot = boot  # None: a system without a boot-time clock

    def __repr__(self) -> str:
        return f"SimulatedClock(wall={self.wall!r}, mono={self.mono!r}, boot={self.boot!r})"

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
