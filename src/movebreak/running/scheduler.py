"""The running app's ticks on APScheduler: the poll job, and a one-shot job at the engine's next deadline."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone


def deadline_wake(deadline: datetime | None, now: datetime, poll_every: timedelta) -> datetime | None:
    """When to tick besides the poll: a deadline before the next poll is worth its own wake-up;
    a past one (or none) is the poll's job."""
    if deadline is not None and now < deadline < now + poll_every:
        return deadline
    return None


def background_scheduler():
    """APScheduler's background scheduler; the tick runs on its own thread (no worker pool,
    one wake-up per poll)."""
    from apscheduler.executors.debug import DebugExecutor
    from apscheduler.schedulers.background import BackgroundScheduler

    return BackgroundScheduler(
        timezone=timezone.utc,
        executors={"default": DebugExecutor()},
        job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
    )


class Scheduler:
    """Ticks ``core`` every ``poll_every``, and at its next deadline when that comes sooner.

    Each deadline job gets an id of its own: a job that runs and then sets the next deadline
    (a reminder that must repeat ``repeat_after`` later) would otherwise have its successor
    removed by APScheduler, which drops a finished one-shot job by id after running it.
    ``now`` is the clock; ``make_scheduler`` builds the APScheduler-like object (tests pass a fake).
    """

    def __init__(self, core, poll_every: timedelta, on_error, *, now=None, make_scheduler=None) -> None:
        self.core = core
        self.poll_every = poll_every
        self.on_error = on_error
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._make_scheduler = make_scheduler or background_scheduler
        self._scheduler = None
        self._deadline: tuple[str, datetime] | None = None  # (job id, run time) of the one pending
        self._serial = 0
        self._deadline_lock = threading.Lock()  # the tick's thread and wake() both set it

    def start(self) -> None:
        self._scheduler = self._make_scheduler()
        self._scheduler.add_job(self._tick, "interval", seconds=self.poll_every.total_seconds(), id="poll",
                                next_run_time=self._now())
        self._scheduler.start()

    def wake(self) -> None:
        """Tick now (a CLI command just wrote something for the app)."""
        if self._scheduler is not None:
            self._set_deadline(self._now())

    def _deadline_tick(self, job_id: str) -> None:
        # APScheduler removes this one-shot job itself once it has run: forget it, never remove it.
        with self._deadline_lock:
            if self._deadline is not None and self._deadline[0] == job_id:
                self._deadline = None
        self._tick()

    def _tick(self) -> None:
        try:
            self.core.tick()
        except Exception as error:  # one bad tick must not stop the next
            self.on_error(error)
        self._reschedule()

    def _reschedule(self) -> None:
        if self._scheduler is None:
            return
        self._set_deadline(deadline_wake(self.core.next_deadline(), self._now(), self.poll_every))

    def _set_deadline(self, when: datetime | None) -> None:
        with self._deadline_lock:
            self._replace_deadline(when)

    def _replace_deadline(self, when: datetime | None) -> None:
        pending = self._deadline
        if pending is not None and when is not None and pending[1] == when and self._has_job(pending[0]):
            return
        if pending is not None:
            self._deadline = None
            if self._has_job(pending[0]):
                self._scheduler.remove_job(pending[0])
        if when is not None:
            self._serial += 1
            job_id = f"deadline-{self._serial}"
            self._scheduler.add_job(self._deadline_tick, "date", run_date=when, id=job_id, args=[job_id])
            self._deadline = (job_id, when)

    def _has_job(self, job_id: str) -> bool:
        return self._scheduler is not None and self._scheduler.get_job(job_id) is not None

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=True)
            self._scheduler = None
