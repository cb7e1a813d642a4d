"""Asking the idle probe only when its answer could change what the engine decides.

Input can only make idle time shorter. So between two real readings the idle time is at
most the last reading plus the time since (an upper bound), and while that bound is below
``natural_break_after`` the user is present whatever the probe would say. Then the engine
gets the last real reading again (the user is taken to be as busy as when last asked)
and decides exactly as with a fresh one. The probe is asked again when the bound reaches
the threshold (the user may be gone: that tick sees it, as before), at every tick while the
user is away (to see them come back), after a suspend or clock jump, and at least every
``refresh_every``: where a span ends when the lid closes is then at most that much late.

On X11 a reading is a round trip to the X server, a wake-up of the app and of the server;
at the default 20 s poll this asks about once a minute instead of three times.
Pure apart from the probe: the clock readings come from the caller.
"""

from __future__ import annotations

from datetime import datetime, timedelta

REFRESH_EVERY = timedelta(minutes=1)
CLOCK_TOLERANCE = 2.0  # seconds the wall clock may drift from the monotonic one between ticks


class SparseIdle:
    def __init__(self, probe, *, threshold: timedelta, refresh_every: timedelta = REFRESH_EVERY) -> None:
        self.probe = probe
        self.threshold = threshold
        self.refresh_every = refresh_every
        self.measured: timedelta | None = None  # the last real reading
        self.asked = 0  # how often the probe was asked (for tests)
        self._at: tuple[datetime, float] | None = None  # wall and monotonic time of that reading

    def idle(self, now: datetime, monotonic: float) -> timedelta | None:
        """Idle time now: a real reading, or the last one when a new one cannot change the decision."""
        if self.measured is not None and self._at is not None:
            wall, mono = self._at
            awake = monotonic - mono
            drift = abs((now - wall).total_seconds() - awake)
            bound = self.measured + timedelta(seconds=awake)
            if 0 <= awake < self.refresh_every.total_seconds() and drift <= CLOCK_TOLERANCE \
                    and bound < self.threshold:
                return self.measured
        return self.fresh(now, monotonic)

    def fresh(self, now: datetime, monotonic: float) -> timedelta | None:
        """A real reading now (a due reminder waits for a pause in input: the bound cannot tell)."""
        self.asked += 1
        value = self.probe.idle()
        self.measured = value
        self._at = (now, monotonic) if value is not None else None
        return value
