"""A desk simulator for the engine tests: a SimulatedClock, scripted input and ticks, no sleep.

Other test_engine_* modules import ``Desk`` from here; the tests below check the simulator
itself, so a wrong figure elsewhere cannot come from a broken driver.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from movebreak.clock import SimulatedClock
from movebreak.engine.engine import Engine
from movebreak.engine.events import SpanClosed, SpanHeartbeat
from movebreak.engine.settings import EngineSettings, WorkingHours
from movebreak.engine.state import Restore, Sample

BERLIN = ZoneInfo("Europe/Berlin")
UTC = timezone.utc
STEP = timedelta(seconds=10)
ALWAYS = WorkingHours(always=True)
EVERY_DAY = WorkingHours(days={d: (time(8), time(18)) for d in range(7)})


def local(day: str, hhmm: str, tz=BERLIN) -> datetime:
    """local("2024-10-27", "08:00") -> aware UTC datetime of that Berlin wall time (fold=0)."""
    stamp = datetime.fromisoformat(f"{day}T{hhmm}")
    return stamp.replace(tzinfo=tz).astimezone(UTC)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


class Desk:
    """Someone at a computer. ``work`` = input every step, ``rest`` = no input, ``lock``, ``suspend``.

    The simulated idle counter runs on the monotonic clock (like X11's), so it stops in suspend.
    """

    def __init__(
        self,
        start: datetime,
        settings: EngineSettings | None = None,
        tz=BERLIN,
        *,
        boottime: bool = False,
        restore: Restore | None = None,
        idle_known: bool = True,
        step: timedelta = STEP,
    ) -> None:
        self.clock = SimulatedClock(start)
        self.settings = settings or EngineSettings(working_hours=ALWAYS)
        self.boot: float | None = 50_000.0 if boottime else None
        self.last_input = self.clock.mono
        self.locked = False
        self.quiet: str | None = None  # what the app's quiet sources say (issue 17)
        self.idle_known = idle_known
        self.step = step
        self.ticks = 0
        self.engine = Engine(
            self.settings, tz, at=self.clock.now(), monotonic=self.clock.mono, boottime=self.boot, restore=restore
        )
        self.events: list = []

    # -- time and input
    @property
    def now(self) -> datetime:
        return self.clock.now()

    def sample(self) -> Sample:
        idle = timedelta(seconds=self.clock.mono - self.last_input) if self.idle_known else None
        return Sample(self.clock.now(), self.clock.mono, idle, self.locked, self.boot, quiet=self.quiet)

    def tick(self) -> list:
        events = self.engine.tick(self.sample())
        self.ticks += 1
        self.events += events
        return events

    def _advance(self, delta: timedelta) -> None:
        self.clock.advance(delta)
        if self.boot is not None:
            self.boot += delta.total_seconds()

    def _run(self, duration: timedelta, typing: bool) -> None:
        end_mono = self.clock.mono + duration.total_seconds()
        while self.clock.mono < end_mono - 1e-9:
            delta = min(self.step, timedelta(seconds=end_mono - self.clock.mono))
            self._advance(delta)
            if typing:
                self.last_input = self.clock.mono
            self.tick()

    def work(self, duration: timedelta) -> None:
        """Input now, then at every step for ``duration``."""
        self.last_input = self.clock.mono
        self.tick()
        self._run(duration, typing=True)

    def rest(self, duration: timedelta) -> None:
        """No input for ``duration`` (the machine stays awake)."""
        self._run(duration, typing=False)

    def work_until(self, moment: datetime) -> None:
        self.work(moment - self.now)

    def rest_until(self, moment: datetime) -> None:
        self.rest(moment - self.now)

    def suspend(self, duration: timedelta) -> None:
        self.clock.suspend(duration)
        if self.boot is not None:
            self.boot += duration.total_seconds()

    def jump(self, delta: timedelta) -> None:
        self.clock.jump(delta)

    def act(self, name: str, *args, **kwargs) -> list:
        events = getattr(self.engine, name)(self.now, *args, **kwargs)
        self.events += events
        return events

    # -- reading the events
    def of(self, kind) -> list:
        return [e for e in self.events if isinstance(e, kind)]

    def spans(self) -> list[tuple[datetime, datetime]]:
        """Final spans: closed ones, plus the open one as of its last heartbeat."""
        closed = [(e.span.start, e.span.end) for e in self.of(SpanClosed)]
        beats = self.of(SpanHeartbeat)
        if beats and all(beats[-1].span.start != start for start, _ in closed):
            closed.append((beats[-1].span.start, beats[-1].span.end))
        return closed


def test_work_ticks_every_step_and_keeps_idle_at_zero():
    desk = Desk(local("2024-05-06", "09:00"))
    desk.work(minutes(1))
    assert desk.ticks == 7  # the input tick at 09:00 plus six steps
    assert desk.sample().idle == timedelta(0)
    assert desk.now == local("2024-05-06", "09:01")


def test_rest_lets_idle_grow_and_suspend_stops_it():
    desk = Desk(local("2024-05-06", "09:00"))
    desk.rest(minutes(3))
    assert desk.sample().idle == minutes(3)
    desk.suspend(minutes(30))
    assert desk.sample().idle == minutes(3)
    assert desk.now == local("2024-05-06", "09:33")


def test_local_helper_reads_berlin_wall_time_across_dst():
    assert local("2024-10-27", "08:00") - local("2024-10-26", "08:00") == timedelta(hours=25)
    assert local("2024-03-31", "08:00") - local("2024-03-30", "08:00") == timedelta(hours=23)
