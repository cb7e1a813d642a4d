"""The running app's ticks on APScheduler: the poll job, and a one-shot job at the engine's next deadline."""

from __future__ import annotations

import itertools
import threading
from datetime import datetime, timedelta, timezone


OVERDUE_RETRY = timedelta(seconds=1)


def deadline_wake(deadline: datetime | None, now: datetime, poll_every: timedelta) -> datetime | None:
    """When to tick besides the poll: a deadline before the next poll is worth its own wake-up.
    One already past (a reminder came due while a CLI command was taken in, e.g. `resume`) is
    looked at again in a second rather than at the next poll, a minute later."""
    if deadline is not None and deadline <= now:
        deadline = now + OVERDUE_RETRY
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
    A deadline job is never removed either: APScheduler may have picked it to run already
    (and then removes it by id itself, failing on a missing one, which ends its thread); a
    replaced one does nothing when it runs. APScheduler holds its lock while a tick runs, so
    it is never called under the scheduler's own lock, which that tick needs.
    ``now`` is the clock; ``make_scheduler`` builds the APScheduler-like object (tests pass a fake).
    """

    def __init__(self, core, poll_every: timedelta, on_error, *, now=None, make_scheduler=None) -> None:
        self.core = core
        self.poll_every = poll_every
        self.on_error = on_error
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._make_scheduler = make_scheduler or background_scheduler
        self._scheduler = None
        self._deadline: tuple[str, datetime] | None = None  # (job id, run time) of the one that counts
        self._serial = itertools.count(1)  # job ids: next() is atomic
        self._lock = threading.Lock()  # guards _deadline
        self._stopping = False

    def start(self) -> None:
        self._scheduler = self._make_scheduler()
        self._scheduler.add_job(self._tick, "interval", seconds=self.poll_every.total_seconds(), id="poll",
                                next_run_time=self._now())
        self._scheduler.start()

    def wake(self) -> None:
        """Tick now (a CLI command just wrote something for the app): a job of its own, which
        no deadline set meanwhile replaces."""
        scheduler = self._scheduler
        if scheduler is not None:
            scheduler.add_job(self._tick, "date", run_date=self._now(), id=self._new_id("wake"))

    def _deadline_tick(self, job_id: str) -> None:
        # APScheduler removes this one-shot job itself once it has run: forget it, never remove it.
        with self._lock:
            if self._deadline is None or self._deadline[0] != job_id:
                return  # replaced by a later deadline, or by none
            self._deadline = None
        self._tick()

    def _tick(self) -> None:
        if self._stopping:
            return
        try:
            self.core.tick()
        except Exception as error:  # one bad tick must not stop the next
            self.on_error(error)
        self._retime()
        self._reschedule()

    def _retime(self) -> None:
        """The settings changed how often to take stock (the tick just read them): poll at the new pace."""
        settings = getattr(self.core, "settings", None)
        every = getattr(settings, "poll_every", None)
        scheduler = self._scheduler
        if every is None or every == self.poll_every or scheduler is None:
            return
        self.poll_every = every
        scheduler.reschedule_job("poll", trigger="interval", seconds=every.total_seconds())

    def _reschedule(self) -> None:
        scheduler = self._scheduler
        if scheduler is None:
            return
        when = deadline_wake(self.core.next_deadline(), self._now(), self.poll_every)
        with self._lock:
            if self._deadline is not None and self._deadline[1] == when:
                return  # its job is still to run
            self._deadline = None  # a job still pending does nothing when it runs
            if when is None:
                return
            job_id = self._new_id("deadline")
            self._deadline = (job_id, when)
        scheduler.add_job(self._deadline_tick, "date", run_date=when, id=job_id, args=[job_id])

    def _new_id(self, kind: str) -> str:
        return f"{kind}-{next(self._serial)}"

    def stop(self) -> None:
        scheduler = self._scheduler
        if scheduler is not None:
            # APScheduler shut down while a one-shot job runs cannot drop that job afterwards (it
            # looks for it among the jobs never started) and its thread ends in a traceback: no
            # job starts from here on, the pass of its loop that runs one ends (it holds the lock
            # get_jobs takes), then it shuts down.
            self._stopping = True
            scheduler.pause()
            scheduler.get_jobs()
            scheduler.shutdown(wait=True)
            self._scheduler = None
