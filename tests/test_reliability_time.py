"""Time faults through AppCore and a real history: jumps, DST, a zone change, a long suspend."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from movebreak import config as config_module
from movebreak.clock import SimulatedClock
from movebreak.exercises.catalogue import load_catalogue
from movebreak.running.core import AppCore
from movebreak.store import Store
from test_app_core import RecordingNotifier

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")
STEP = timedelta(seconds=10)
MIN = timedelta(minutes=1)


class Person:
    """A simulated user whose idle counter runs on the monotonic clock, like X11's."""

    name = "simulated"
    problem = None

    def __init__(self, clock: SimulatedClock) -> None:
        self.clock = clock
        self.last_input = clock.mono

    def idle(self) -> timedelta:
        return timedelta(seconds=self.clock.mono - self.last_input)

    def locked(self) -> bool:
        return False


class World:
    def __init__(self, tmp_path, start: datetime, tz) -> None:
        self.clock = SimulatedClock(start)
        self.store = Store(tmp_path / "history.sqlite3", now=self.clock.now)
        cfg = config_module.parse_text("[working_hours]\nalways = true\n", tmp_path / "config.toml")
        catalogue, _problems = load_catalogue(None)
        self.person = Person(self.clock)
        self.core = AppCore(settings=cfg.app_settings(), store=self.store, clock=self.clock, tz=tz, probe=self.person,
                            notifier=RecordingNotifier(), catalogue=catalogue, language="en", rng=random.Random(2))
        self.sat = timedelta()  # what the simulation knows: time spent typing while awake

    def work(self, duration: timedelta) -> None:
        end = self.clock.mono + duration.total_seconds()
        self.person.last_input = self.clock.mono
        while self.clock.mono < end:
            self.clock.advance(STEP)
            self.person.last_input = self.clock.mono
            self.sat += STEP
            self.core.tick()

    def away(self, duration: timedelta) -> None:
        end = self.clock.mono + duration.total_seconds()
        while self.clock.mono < end:
            self.clock.advance(STEP)
            self.core.tick()

    def check(self) -> dict:
        store, far = self.store, timedelta(days=3)
        now = self.clock.now()
        spans = store.spans_between(now - far, now + far)
        activities = store.activities_between(now - far, now + far)
        reminders = store.reminders_between(now - far, now + far)
        tracked = store.tracked_between(now - far, now + far)
        assert all(s.end >= s.start for s in spans), "a negative sitting span"
        assert all(a.duration >= timedelta() for a in activities), "a negative break"
        assert all(r.sitting >= timedelta() for r in reminders), "a reminder with negative sitting"
        assert all(t.end >= t.start for t in tracked), "a negative tracked span"
        ordered = sorted(spans, key=lambda s: s.start)
        for first, second in zip(ordered, ordered[1:]):
            assert first.end <= second.start, f"overlapping spans {first} {second}"  # no double counting
        stored = sum((s.duration for s in spans), timedelta())
        assert stored <= self.sat + STEP, f"sitting invented: stored {stored}, sat {self.sat}"
        assert stored >= self.sat - 2 * STEP * (len(spans) + 1), f"sitting lost: stored {stored}, sat {self.sat}"
        assert self.store.integrity_check() == "ok"
        return {"spans": len(spans), "stored": stored, "sat": self.sat}


@pytest.fixture
def world(tmp_path):
    made = []

    def make(start: datetime, tz=BERLIN) -> World:
        made.append(World(tmp_path, start, tz))
        return made[-1]

    yield make
    for w in made:
        w.store.close()


def test_clock_jumps_forward_and_backward_while_sitting(world):
    w = world(datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN))
    w.work(20 * MIN)
    w.clock.jump(timedelta(hours=2))  # NTP or a user moves the clock; boottime did not move
    w.work(20 * MIN)
    w.clock.jump(-timedelta(hours=3))
    w.work(20 * MIN)
    w.away(10 * MIN)  # a break absorbs the offset
    w.work(10 * MIN)
    w.clock.jump(-timedelta(minutes=30))
    w.away(6 * MIN)
    w.work(5 * MIN)
    w.check()


def test_a_clock_jump_without_a_boot_time_clock_never_counts_the_gap(world):
    w = world(datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN))
    w.clock.boot = None
    w.core.clock.boot = None
    w.work(15 * MIN)
    w.clock.jump(timedelta(hours=5))
    w.work(15 * MIN)
    w.clock.jump(-timedelta(hours=1))
    w.work(15 * MIN)
    w.check()


@pytest.mark.parametrize("day", ["2026-03-29", "2026-10-25"])  # spring forward, fall back in Berlin
def test_sitting_through_a_dst_change(world, day):
    w = world(datetime.fromisoformat(f"{day}T01:00").replace(tzinfo=BERLIN))
    w.work(50 * MIN)
    w.away(6 * MIN)
    w.work(70 * MIN)  # across 02:00/03:00 local
    w.away(6 * MIN)
    w.work(60 * MIN)
    result = w.check()
    reminders = w.store.reminders_between(w.clock.now() - timedelta(hours=5), w.clock.now())
    assert len(reminders) >= 1  # the 45-minute reminders still came across the change


def test_a_time_zone_change_while_running_moves_nothing_already_recorded(world):
    w = world(datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN))
    w.work(30 * MIN)
    before = [(s.start, s.end) for s in w.store.spans_between(w.clock.now() - timedelta(days=1), w.clock.now())]
    w.core.set_timezone(TOKYO)
    w.work(30 * MIN)
    w.core.set_timezone(NEW_YORK)
    w.away(6 * MIN)
    w.work(20 * MIN)
    after = {s.start: s.end for s in w.store.spans_between(w.clock.now() - timedelta(days=1), w.clock.now())}
    assert all(start in after and after[start] >= end for start, end in before)
    assert w.core.tz is NEW_YORK
    w.check()


def test_a_suspend_of_hours_is_never_sitting(world):
    w = world(datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN))
    w.work(30 * MIN)
    w.clock.suspend(timedelta(hours=6))  # wall and boottime move, monotonic does not
    w.work(30 * MIN)
    w.clock.suspend(timedelta(hours=14))  # overnight, across the day boundary
    w.work(10 * MIN)
    result = w.check()
    assert result["spans"] >= 3  # each suspend ended the span
    naturals = [a for a in w.store.activities_between(w.clock.now() - timedelta(days=2), w.clock.now())]
    assert any(a.duration >= timedelta(hours=5) for a in naturals)  # the suspend was a break away
    assert all(a.end <= w.clock.now() for a in naturals)
