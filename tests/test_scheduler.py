"""When the scheduler ticks: its decisions on a fake APScheduler and a clock the test sets.

The real APScheduler and the real app are in test_reminder_timing.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from movebreak.running.scheduler import Scheduler, deadline_wake

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
POLL = timedelta(seconds=60)
S = timedelta(seconds=1)


class FakeJob:
    def __init__(self, func, trigger: str, options: dict) -> None:
        self.func, self.trigger, self.options = func, trigger, options


class FakeAPScheduler:
    """The part of APScheduler's BackgroundScheduler the scheduler uses; jobs run when the test says."""

    def __init__(self) -> None:
        self.jobs: dict[str, FakeJob] = {}
        self.started = False
        self.shut_down: bool | None = None  # the ``wait`` it was shut down with

    def add_job(self, func, trigger, *, id, **options) -> None:
        assert id not in self.jobs, f"job id {id} taken"
        self.jobs[id] = FakeJob(func, trigger, options)

    def get_job(self, job_id):
        return self.jobs.get(job_id)

    def remove_job(self, job_id) -> None:
        del self.jobs[job_id]

    def start(self) -> None:
        self.started = True

    def shutdown(self, wait: bool) -> None:
        self.shut_down = wait

    def run(self, job_id: str) -> None:
        """Run a job like APScheduler: a one-shot ("date") job is dropped by its id once it ran."""
        job = self.jobs[job_id]
        job.func(*job.options.get("args", ()))
        if job.trigger == "date":
            self.jobs.pop(job_id, None)

    def deadlines(self) -> dict[str, datetime]:
        return {job_id: job.options["run_date"] for job_id, job in self.jobs.items() if job.trigger == "date"}


class Core:
    """Names the deadline the test gives it; may fail its tick."""

    def __init__(self) -> None:
        self.deadline: datetime | None = None
        self.ticks = 0
        self.error: Exception | None = None

    def tick(self) -> None:
        self.ticks += 1
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
    (NOW - S, None),  # past: the poll's job
    (NOW, None),
    (NOW + S, NOW + S),  # before the next poll: a wake-up of its own
    (NOW + POLL - S, NOW + POLL - S),
    (NOW + POLL, None),  # the poll comes then anyway
    (NOW + POLL + S, None),
])
def test_only_a_deadline_before_the_next_poll_gets_a_wake_up_of_its_own(deadline, expected):
    assert deadline_wake(deadline, NOW, POLL) == expected


def test_start_polls_at_once_and_every_poll_every(running):
    _scheduler, _core, fake, _clock, _errors = running
    assert fake.started
    poll = fake.jobs["poll"]
    assert poll.trigger == "interval" and poll.options == {"seconds": 60.0, "next_run_time": NOW}
    assert fake.deadlines() == {}


def test_a_near_deadline_gets_one_job_kept_while_it_stays_the_same(running):
    _scheduler, core, fake, clock, _errors = running
    core.deadline = NOW + 10 * S
    fake.run("poll")
    assert fake.deadlines() == {"deadline-1": NOW + 10 * S}
    clock[0] = NOW + 5 * S
    fake.run("poll")  # same deadline: the job stays
    assert fake.deadlines() == {"deadline-1": NOW + 10 * S}
    core.deadline = NOW + 20 * S
    fake.run("poll")  # a new one replaces it
    assert fake.deadlines() == {"deadline-2": NOW + 20 * S}
    core.deadline = NOW + 5 * S + POLL
    fake.run("poll")  # beyond the next poll: none
    assert fake.deadlines() == {}
    assert core.ticks == 4


def test_a_deadline_set_by_a_deadline_tick_survives_its_job_being_dropped(running):
    _scheduler, core, fake, clock, _errors = running
    core.deadline = NOW + 10 * S
    fake.run("poll")
    clock[0] = NOW + 10 * S
    core.deadline = NOW + 20 * S  # a reminder that repeats 10 s later
    fake.run("deadline-1")
    assert fake.deadlines() == {"deadline-2": NOW + 20 * S}
    clock[0] = NOW + 20 * S
    core.deadline = None
    fake.run("deadline-2")
    assert fake.deadlines() == {} and core.ticks == 3


def test_wake_ticks_now_once(running):
    scheduler, core, fake, clock, _errors = running
    clock[0] = NOW + 3 * S
    scheduler.wake()
    scheduler.wake()  # a second wake at the same moment: still one job
    assert fake.deadlines() == {"deadline-1": NOW + 3 * S}
    fake.run("deadline-1")
    assert core.ticks == 1 and fake.deadlines() == {}


def test_a_failed_tick_is_reported_and_the_next_deadline_still_set(running):
    _scheduler, core, fake, _clock, errors = running
    core.error = RuntimeError("bad tick")
    core.deadline = NOW + 10 * S
    fake.run("poll")
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
    assert fake.shut_down is True
    scheduler.wake()
    assert fake.deadlines() == {}
