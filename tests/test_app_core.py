"""The running app's core, wired to a real history file, driven by a simulated clock."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from movebreak import config as config_module
from movebreak.clock import SimulatedClock
from movebreak.exercises.catalogue import load_catalogue
from movebreak.records import BreakKind, ReminderOutcome
from movebreak.running.core import AppCore
from movebreak.store import Store

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN)  # Monday 09:00
MIN = timedelta(minutes=1)
# The simulated user types on every tick, never pausing for 3 s: a due reminder goes out on the
# tick it is due (waiting for a pause is tested in tests/test_reminder_gate.py).
AT_ONCE = '[tracking]\npoll_every = "10s"\n[reminders]\nwait_for_pause = "0s"\n'


class ScriptedProbe:
    """An idle probe whose answer the test sets: seconds since the last input."""

    name = "scripted"
    problem = None

    def __init__(self, clock: SimulatedClock) -> None:
        self.clock = clock
        self.last_input = clock.now()

    def touch(self) -> None:
        self.last_input = self.clock.now()

    def idle(self) -> timedelta:
        return self.clock.now() - self.last_input

    def locked(self) -> bool:
        return False

    def describe(self) -> str:
        return "scripted"


class RecordingNotifier:
    """Records what would be sent; the real D-Bus path is tested in test_notify_*."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def check(self):
        return None

    def send(self, title: str, body: str, *, timeout: timedelta) -> bool:
        self.sent.append((title, body))
        return True


@pytest.fixture
def world(tmp_path):
    clock = SimulatedClock(START)
    store = Store(tmp_path / "history.sqlite3", now=clock.now)
    cfg = config_module.parse_text(AT_ONCE, tmp_path / "config.toml")
    catalogue, problems = load_catalogue(None)
    assert problems == []
    probe = ScriptedProbe(clock)
    notifier = RecordingNotifier()
    core = AppCore(settings=cfg.app_settings(), store=store, clock=clock, tz=BERLIN, probe=probe, notifier=notifier,
                   catalogue=catalogue, language="en", rng=random.Random(7))

    def work(duration: timedelta, *, typing: bool = True) -> None:
        """Let time pass in 10-second ticks, with input on every tick when typing."""
        end = clock.now() + duration
        while clock.now() < end:
            clock.advance(timedelta(seconds=10))
            if typing:
                probe.touch()
            core.tick()

    yield clock, store, core, probe, notifier, work
    store.close()


def test_sitting_45_minutes_sends_one_reminder_with_an_exercise(world):
    clock, store, core, probe, notifier, work = world
    work(44 * MIN)
    assert notifier.sent == []
    work(2 * MIN)
    assert len(notifier.sent) == 1
    title, body = notifier.sent[0]
    assert title == "45 min sitting — time to move"
    assert "(" in body and ":" in body  # "<exercise> (<duration>): <first step>"
    assert core.status().state == "reminding"
    spans = store.spans_between(START - MIN, clock.now() + MIN)
    assert len(spans) == 1 and spans[0].duration >= 45 * MIN


def test_snooze_then_log_break_records_both_outcomes(world):
    clock, store, core, probe, notifier, work = world
    work(46 * MIN)
    core.snooze(5)
    work(4 * MIN)
    assert len(notifier.sent) == 1
    work(2 * MIN)
    assert len(notifier.sent) == 2
    saved = core.log_break(minutes=3)
    assert saved.kind is BreakKind.REMINDER
    outcomes = [r.outcome for r in store.reminders_between(START, clock.now() + MIN)]
    assert outcomes == [ReminderOutcome.SNOOZED, ReminderOutcome.TAKEN]
    assert core.status().continuous_sitting < MIN


def test_walking_away_is_a_natural_break_and_resets_sitting(world):
    clock, store, core, probe, notifier, work = world
    work(30 * MIN)
    work(12 * MIN, typing=False)
    work(1 * MIN)
    naturals = [a for a in store.activities_between(START, clock.now()) if a.kind is BreakKind.NATURAL]
    assert len(naturals) == 1
    assert naturals[0].duration >= 12 * MIN
    assert core.status().continuous_sitting <= 2 * MIN
    work(40 * MIN)
    assert notifier.sent == []  # 30 min before the break do not count


def test_a_cli_log_and_pause_reach_the_running_core_within_one_tick(world, tmp_path):
    clock, store, core, probe, notifier, work = world
    work(20 * MIN)
    from movebreak.records import Activity, Intensity, Pause

    with Store(tmp_path / "history.sqlite3", now=clock.now) as cli:
        cli.add_activity(Activity(clock.now() - 5 * MIN, BreakKind.LOGGED, 5 * MIN, intensity=Intensity.MODERATE))
    work(timedelta(seconds=10))
    assert core.status().continuous_sitting < MIN
    with Store(tmp_path / "history.sqlite3", now=clock.now) as cli:
        cli.add_pause(Pause(clock.now(), clock.now() + 60 * MIN, "cli"))
    work(timedelta(seconds=10))
    assert core.status().state == "paused"
    work(50 * MIN)
    assert notifier.sent == []


def test_a_cli_break_is_applied_even_when_the_app_logs_one_of_its_own_before_the_next_tick(world, tmp_path):
    """The CLI's break gets the lower id, the app's own the higher; the core must still read
    the CLI's, and must not apply its own a second time."""
    clock, store, core, probe, notifier, work = world
    from movebreak.records import Activity, Intensity

    work(20 * MIN)
    applied: list[tuple[int | None, BreakKind]] = []
    engine_log_break = core.engine.log_break
    core.engine.log_break = lambda activity: applied.append((activity.id, activity.kind)) or engine_log_break(activity)
    with Store(tmp_path / "history.sqlite3", now=clock.now) as cli:
        from_cli = cli.add_activity(Activity(clock.now() - 5 * MIN, BreakKind.LOGGED, 5 * MIN,
                                             intensity=Intensity.MODERATE))
    own = core.log_break("step-up", minutes=3)  # from the tray, before the app's next tick
    assert own.id > from_cli.id
    work(timedelta(seconds=30))  # three ticks
    assert applied == [(None, BreakKind.LOGGED), (from_cli.id, BreakKind.LOGGED)]
    work(5 * MIN)
    own_again = core.log_break(minutes=2)
    work(timedelta(seconds=30))  # nothing written elsewhere: the app's own break is not read back
    assert applied[2:] == [(None, BreakKind.LOGGED)] and own_again.id > own.id
    with Store(tmp_path / "history.sqlite3", now=clock.now) as cli:
        later = cli.add_activity(Activity(clock.now() - MIN, BreakKind.LOGGED, MIN))
    work(timedelta(seconds=10))
    assert applied[3:] == [(later.id, BreakKind.LOGGED)]


def test_cli_snooze_command_is_applied_by_the_core(world, tmp_path):
    clock, store, core, probe, notifier, work = world
    work(46 * MIN)
    with Store(tmp_path / "history.sqlite3", now=clock.now) as cli:
        cli.enqueue_command("snooze", {"minutes": 10})
    work(timedelta(seconds=10))
    assert core.status().state == "snoozed"
    assert [r.outcome for r in store.reminders_between(START, clock.now())] == [ReminderOutcome.SNOOZED]


def test_restart_within_the_break_threshold_continues_the_span(world, tmp_path):
    clock, store, core, probe, notifier, work = world
    work(20 * MIN)
    core.shutdown()
    clock.advance(timedelta(seconds=30))
    probe.touch()
    again = AppCore(settings=core.settings, store=store, clock=clock, tz=BERLIN, probe=probe, notifier=notifier,
                    catalogue=core.catalogue, language="en")
    again.tick()
    assert again.status().continuous_sitting >= 20 * MIN
    assert len(store.spans_between(START - MIN, clock.now() + MIN)) == 1


def test_terminal_commands(world):
    clock, store, core, probe, notifier, work = world
    work(46 * MIN)
    assert core.handle_text_command("s 5") == "Snoozed."
    assert core.handle_text_command("k") == "Skipped."
    assert core.handle_text_command("k") == "There is no reminder to skip."
    assert core.handle_text_command("p 30m").startswith("Paused until")
    assert core.handle_text_command("r") == "Reminders resumed."
    assert core.handle_text_command("?").startswith("Sitting")
    assert "Unknown command" in core.handle_text_command("xyz")


def test_a_tick_writes_its_heartbeat_and_snapshots_in_one_commit(world, tmp_path):
    clock, store, core, probe, notifier, work = world
    work(2 * MIN)  # the span exists (its insert is a commit of its own)
    commits: list[str] = []
    store._db.set_trace_callback(lambda sql: commits.append(sql) if sql.strip().upper() == "COMMIT" else None)
    for _ in range(12):
        clock.advance(timedelta(seconds=10))
        probe.touch()
        core.tick()
    store._db.set_trace_callback(None)
    assert len(commits) == 12  # span heartbeat, tracked heartbeat, engine and status: one commit a tick
    with Store(tmp_path / "history.sqlite3") as other:  # and all of it is in the file
        span = other.open_span()
        assert span is not None and span.end == clock.now()
        sitting = other.get_state("status")[0]["continuous_sitting_minutes"]
        assert sitting == pytest.approx((span.end - span.start).total_seconds() / 60, abs=0.01)
        assert other.get_state("engine") is not None


def test_the_status_line_reads_the_week_again_only_after_a_break_changed_it(world, tmp_path):
    clock, store, core, probe, notifier, work = world
    work(5 * MIN)
    reads: list[str] = []
    store._db.set_trace_callback(lambda sql: reads.append(sql) if "FROM activities" in sql else None)
    first = core.status_line()
    assert "this week 0/150 active min" in first
    assert reads, "the first status line reads the week from the history"
    reads.clear()
    work(1 * MIN)
    core.status_line()
    assert reads == []  # nothing changed: the figures come from memory
    core.log_break("step-up", minutes=10)  # a strength exercise logged in the app: a strength day, no aerobic minute
    assert "this week 0/150 active min, 1/2 strength days" in core.status_line()
    with Store(tmp_path / "history.sqlite3", now=clock.now) as cli:  # and one the CLI writes
        from movebreak.records import Activity, Intensity

        cli.add_activity(Activity(at=clock.now() - timedelta(minutes=20), kind=BreakKind.LOGGED,
                                  duration=timedelta(minutes=5), intensity=Intensity.MODERATE))
    work(10 * timedelta(seconds=1))
    assert "this week 5/150 active min, 1/2 strength days" in core.status_line()
    store._db.set_trace_callback(None)


def test_the_tray_reuses_the_status_its_tick_just_computed_but_never_an_outdated_one(world):
    clock, store, core, probe, notifier, work = world
    work(5 * MIN)
    computed: list[datetime] = []
    engine_status = core.engine.status
    core.engine.status = lambda at: computed.append(at) or engine_status(at)
    core.tick()  # writes the status snapshot: one computation
    assert len(computed) == 1
    assert core.status() == engine_status(clock.now())  # the tray's question right after: no second one
    assert len(computed) == 1
    clock.advance(timedelta(seconds=2))  # older than a second: computed again, for now
    assert core.status().continuous_sitting == engine_status(clock.now()).continuous_sitting
    assert computed[-1] == clock.now()
    core.tick()
    assert core.status().state == "sitting"
    core.set_timezone(ZoneInfo("Pacific/Auckland"))  # changes the engine without a status snapshot
    assert core.status().state == "outside-hours"  # 21:05 there: not the tick's memo
    core.pause(None)  # an action changes the engine: its own, new status is what the tray sees
    assert core.status().state == "paused"
    core.engine.status = engine_status
