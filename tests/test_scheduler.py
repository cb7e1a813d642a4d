"""When the scheduler ticks: its decisions on a fake APScheduler and a clock the test sets.

The real APScheduler and the real app are in test_reminder_timing.py.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from movebreak.running.scheduler import Scheduler, deadline_wake

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
POLL = timedelta(seconds=60)
S = timedelta(seconds=1)


class FakeJob:
    def __init__(self, func, trigger: str, options: dict) -> None:
        self.func, self.trigger, self.options = func, trigger, options

    def due(self, now: datetime) -> datetime | None:
        when = self.options.get("run_date") if self.trigger == "date" else self.options["next_run_time"]
        return when if when <= now else None


class FakeAPScheduler:
    """What the scheduler uses of APScheduler's BackgroundScheduler, run when the test says.

    Like APScheduler it holds its lock while it runs the due jobs (oldest first) and drops a
    one-shot ("date") job by its id once it ran, failing when that id is gone.
    """

    def __init__(self) -> None:
        self.jobs: dict[str, FakeJob] = {}
        self.lock = threading.RLock()
        self.adding = threading.Event()  # set when add_job is called (before it takes the lock)
        self.started = False
        self.paused = False
        self.shut_down: bool | None = None  # the ``wait`` it was shut down with

    def add_job(self, func, trigger, *, id, **options) -> None:
        self.adding.set()
        with self.lock:
            assert id not in self.jobs, f"job id {id} taken"
            self.jobs[id] = FakeJob(func, trigger, options)

    def get_job(self, job_id):
        with self.lock:
            return self.jobs.get(job_id)

    def remove_job(self, job_id) -> None:
        with self.lock:
            if job_id not in self.jobs:
                raise LookupError(f"No job by the id of {job_id} was found")
            del self.jobs[job_id]

    def start(self) -> None:
        self.started = True

    def pause(self) -> None:
        self.paused = True

    def get_jobs(self) -> list[FakeJob]:
        with self.lock:
            return list(self.jobs.values())

    def shutdown(self, wait: bool) -> None:
        self.shut_down = wait

    def process(self, now: datetime) -> None:
        """Run every job due at ``now``, oldest first, like one pass of APScheduler's loop."""
        with self.lock:
            due = sorted(((job.due(now), job_id, job) for job_id, job in self.jobs.items() if job.due(now)),
                         key=lambda item: item[0])
            for _when, job_id, job in due:
                job.func(*job.options.get("args", ()))
                if job.trigger == "date":
                    self.remove_job(job_id)
                else:
                    job.options["next_run_time"] = now + timedelta(seconds=job.options["seconds"])

    def deadlines(self) -> dict[str, datetime]:
        return {job_id: job.options["run_date"] for job_id, job in self.jobs.items() if job.trigger == "date"}


class Core:
    """Names the deadline the test gives it; may fail its tick, or wait in it."""

    def __init__(self) -> None:
        self.deadline: datetime | None = None
        self.ticks = 0
        self.error: Exception | None = None
        self.during_tick = None

    def tick(self) -> None:
        self.ticks += 1
        if self.during_tick is not None:
            self.during_tick()
        if self.error is not None:
            raise self.error

    def next_deadline(self) -> datetime | None:
        return self.deadline


@pytest.fixture
def running():
    clock = [NOW]
    core = Core()
    fake = FakeAPScheduler()
    errors: list[Exception] = []
    scheduler = Scheduler(core, POLL, errors.append, now=lambda: clock[0], make_scheduler=lambda: fake)
    scheduler.start()
    return scheduler, core, fake, clock, errors


@pytest.mark.parametrize(("deadline", "expected"), [
    (None, None),  # no reminder coming
    (NOW - S, NOW + S),  # past (due while a CLI command was taken in): again in a second, not at the poll
    (NOW, NOW + S),
    (NOW + S, NOW + S),  # before the next poll: a wake-up of its own
    (NOW + POLL - S, NOW + POLL - S),
    (NOW + POLL, None),  # the poll comes then anyway
    (NOW + POLL + S, None),
])
def test_only_a_deadline_before_the_next_poll_gets_a_wake_up_of_its_own(deadline, expected):
    assert deadline_wake(deadline, NOW, POLL) == expected


def test_start_polls_at_once_and_every_poll_every(running):
    _scheduler, core, fake, _clock, _errors = running
    assert fake.started
    poll = fake.jobs["poll"]
    assert poll.trigger == "interval" and poll.options == {"seconds": 60.0, "next_run_time": NOW}
    fake.process(NOW)
    assert core.ticks == 1 and fake.deadlines() == {}


def test_a_near_deadline_gets_one_job_and_a_replaced_one_does_nothing(running):
    _scheduler, core, fake, clock, _errors = running
    core.deadline = NOW + 10 * S
    fake.process(NOW)  # the poll
    assert fake.deadlines() == {"deadline-1": NOW + 10 * S}
    clock[0] = NOW + 5 * S
    fake.jobs["poll"].func()  # a tick with the same deadline: the job stays, no second one
    assert fake.deadlines() == {"deadline-1": NOW + 10 * S}
    core.deadline = NOW + 20 * S
    fake.jobs["poll"].func()  # a later deadline replaces it
    assert fake.deadlines() == {"deadline-1": NOW + 10 * S, "deadline-2": NOW + 20 * S}
    assert core.ticks == 3
    clock[0] = NOW + 10 * S
    fake.process(NOW + 10 * S)
    assert core.ticks == 3, "the replaced deadline does not tick"
    clock[0] = NOW + 20 * S
    core.deadline = None
    fake.process(NOW + 20 * S)
    assert core.ticks == 4 and fake.deadlines() == {}


def test_a_deadline_beyond_the_next_poll_does_nothing(running):
    _scheduler, core, fake, clock, _errors = running
    core.deadline = NOW + 10 * S
    fake.process(NOW)
    core.deadline = NOW + 5 * S + POLL
    clock[0] = NOW + 5 * S
    fake.jobs["poll"].func()  # beyond the next poll: the pending deadline no longer counts
    fake.process(NOW + 10 * S)
    assert core.ticks == 2


def test_a_deadline_set_by_a_deadline_tick_survives_its_job_being_dropped(running):
    _scheduler, core, fake, clock, _errors = running
    core.deadline = NOW + 10 * S
    fake.process(NOW)
    clock[0] = NOW + 10 * S
    core.deadline = NOW + 20 * S  # a reminder that repeats 10 s later
    fake.process(NOW + 10 * S)
    assert fake.deadlines() == {"deadline-2": NOW + 20 * S}
    clock[0] = NOW + 20 * S
    core.deadline = None
    fake.process(NOW + 20 * S)
    assert fake.deadlines() == {} and core.ticks == 3


def test_a_poll_that_replaces_a_deadline_due_in_the_same_pass_does_not_break_the_scheduler(running):
    # The loop is late (a slow tick): the poll and a deadline a wake's tick set come due in one
    # pass of APScheduler's loop, the poll first. Removing the deadline's job from the poll's
    # tick made APScheduler's own removal of it fail, which ended its thread: no tick ever again.
    scheduler, core, fake, clock, _errors = running
    fake.process(NOW)
    clock[0] = NOW + 50 * S
    core.deadline = NOW + 65 * S
    scheduler.wake()
    fake.process(NOW + 50 * S)
    assert fake.deadlines() == {"deadline-2": NOW + 65 * S}
    clock[0] = NOW + 66 * S
    core.deadline = NOW + 90 * S
    fake.process(NOW + 66 * S)  # the poll (due at +60 s) first, then the replaced deadline (+65 s)
    assert core.ticks == 3, "the replaced deadline does not tick"
    clock[0] = NOW + 90 * S
    core.deadline = None
    fake.process(NOW + 90 * S)
    assert core.ticks == 4


def test_wake_ticks_now_and_keeps_the_pending_deadline(running):
    scheduler, core, fake, clock, _errors = running
    core.deadline = NOW + 10 * S
    fake.process(NOW)
    clock[0] = NOW + 3 * S
    scheduler.wake()
    scheduler.wake()  # each wake ticks
    assert fake.deadlines() == {"deadline-1": NOW + 10 * S, "wake-2": NOW + 3 * S, "wake-3": NOW + 3 * S}
    fake.process(NOW + 3 * S)
    assert core.ticks == 3 and fake.deadlines() == {"deadline-1": NOW + 10 * S}
    fake.process(NOW + 10 * S)
    assert core.ticks == 4


def test_a_wake_during_a_tick_waits_for_it_and_never_deadlocks(running):
    # APScheduler holds its lock while a tick runs; the tick then sets its deadline. A wake
    # from the signal thread that held the scheduler's lock while waiting for APScheduler's
    # made the two wait for each other for ever.
    scheduler, core, fake, clock, _errors = running
    core.deadline = NOW + 10 * S
    fake.process(NOW)
    waker = threading.Thread(target=scheduler.wake, daemon=True)

    def wake_meanwhile() -> None:
        core.during_tick = None
        fake.adding.clear()
        waker.start()
        assert fake.adding.wait(5), "the wake never asked APScheduler"

    core.during_tick = wake_meanwhile
    ticker = threading.Thread(target=fake.process, args=(NOW + 10 * S,), daemon=True)
    ticker.start()
    ticker.join(5)
    waker.join(5)
    assert not ticker.is_alive() and not waker.is_alive(), "deadlock"
    assert "wake-2" in fake.deadlines()


def test_a_failed_tick_is_reported_and_the_next_deadline_still_set(running):
    _scheduler, core, fake, _clock, errors = running
    core.error = RuntimeError("bad tick")
    core.deadline = NOW + 10 * S
    fake.process(NOW)
    assert errors == [core.error]
    assert fake.deadlines() == {"deadline-1": NOW + 10 * S}


def test_wake_before_start_or_after_stop_does_nothing():
    fake = FakeAPScheduler()
    scheduler = Scheduler(Core(), POLL, lambda error: None, now=lambda: NOW, make_scheduler=lambda: fake)
    scheduler.wake()
    scheduler.stop()  # never started: nothing to stop
    assert fake.jobs == {} and fake.shut_down is None
    scheduler.start()
    scheduler.stop()
    assert fake.paused and fake.shut_down is True
    scheduler.wake()
    assert fake.deadlines() == {}


def test_stop_waits_for_the_running_tick_and_no_tick_starts_after_it():
    # APScheduler shut down while a one-shot job runs fails to drop it afterwards (its thread
    # ends in a traceback): stop waits for the pass of its loop that runs the job.
    fake = FakeAPScheduler()
    core = Core()
    scheduler = Scheduler(core, POLL, lambda error: None, now=lambda: NOW, make_scheduler=lambda: fake)
    scheduler.start()
    scheduler.wake()
    stopper = threading.Thread(target=scheduler.stop, daemon=True)

    def stop_meanwhile() -> None:
        core.during_tick = None
        stopper.start()
        stopper.join(0.2)
        assert stopper.is_alive(), "stop did not wait for the tick"
        assert fake.shut_down is None

    core.during_tick = stop_meanwhile
    fake.process(NOW)  # the poll and the wake
    stopper.join(5)
    assert fake.shut_down is True and core.ticks == 1, "the wake's tick did not start once stopping"
