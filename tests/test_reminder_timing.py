"""Reminders come when they are due, whatever ``poll_every`` is.

The scheduler is tested on its real APScheduler with a stand-in core that names its own
deadlines, and the whole app as a real process with a 60 s poll and a repeat every 10 s.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime, timedelta, timezone

from movebreak.running.scheduler import Scheduler
from test_run_terminal import App

POLL = timedelta(seconds=60)


class DeadlineCore:
    """Asks for a tick ``gap`` after each tick, ``count`` times, like a reminder that repeats."""

    def __init__(self, gap: timedelta, count: int) -> None:
        self.gap = gap
        self.count = count
        self.ticks: list[datetime] = []
        self.done = threading.Event()

    def tick(self) -> None:
        self.ticks.append(datetime.now(timezone.utc))
        if len(self.ticks) > self.count:
            self.done.set()

    def next_deadline(self) -> datetime | None:
        return self.ticks[-1] + self.gap if len(self.ticks) <= self.count else None


def test_a_deadline_set_by_a_deadline_tick_still_runs():
    # Before the fix, the second deadline was set from inside the first deadline job under the
    # same job id, and APScheduler removed it when that job finished: the tick waited for the poll.
    core = DeadlineCore(gap=timedelta(milliseconds=300), count=3)
    scheduler = Scheduler(core, POLL, on_error=lambda error: None)
    scheduler.start()
    try:
        assert core.done.wait(timeout=10), f"only {len(core.ticks)} ticks in 10 s: {core.ticks}"
    finally:
        scheduler.stop()
    gaps = [(later - earlier).total_seconds() for earlier, later in zip(core.ticks, core.ticks[1:])]
    assert all(0.25 <= gap < 2 for gap in gaps), gaps


def test_wake_ticks_at_once_and_the_poll_goes_on():
    core = DeadlineCore(gap=timedelta(hours=1), count=0)  # no deadline of its own
    core.next_deadline = lambda: None
    scheduler = Scheduler(core, POLL, on_error=lambda error: None)
    scheduler.start()
    try:
        _wait_for(lambda: len(core.ticks) == 1)
        scheduler.wake()
        _wait_for(lambda: len(core.ticks) == 2)
        scheduler.wake()
        _wait_for(lambda: len(core.ticks) == 3)
    finally:
        scheduler.stop()
    assert (core.ticks[2] - core.ticks[0]).total_seconds() < 5


def test_the_repeat_of_an_ignored_reminder_comes_repeat_after_later_with_a_slow_poll(tmp_path):
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(
        '[reminders]\nremind_after = "10s"\nrepeat_after = "10s"\n'
        '[tracking]\npoll_every = "60s"\nnatural_break_after = "60s"\n'
        "[working_hours]\nalways = true\n[notifications]\nenabled = false\n")
    app = App(home, "--no-tray")
    try:
        app.wait_for("running in terminal mode")
        seen = []
        for _ in range(2):
            app.wait_for("time to move", timeout=20)
            seen.append(time.monotonic())
    finally:
        app.interrupt()
    gaps = [later - earlier for earlier, later in zip(seen, seen[1:])]
    assert len(gaps) == 1 and 9 <= gaps[0] < 15, gaps  # was 50 s: the repeat waited for the 60 s poll
    sitting = [int(m.group(1)) for line in app.seen if (m := re.search(r"\*\*\* (\d+) s sitting", line))]
    assert len(sitting) == 2 and sitting[-1] < 25, app.seen


def _wait_for(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_wakes_from_other_threads_and_a_stop_mid_tick_never_kill_the_scheduler_thread():
    # APScheduler marks itself stopped before taking its lock; a one-shot job finishing in that
    # moment could not be removed and its thread died with "No job by the id of …" on stderr.
    errors: list[BaseException] = []
    previous = threading.excepthook
    threading.excepthook = lambda args: errors.append(args.exc_value)

    class Busy:
        ticks = 0

        def tick(self) -> None:
            self.ticks += 1
            time.sleep(0.001)

        def next_deadline(self) -> datetime:
            return datetime.now(timezone.utc) + timedelta(milliseconds=5)

    try:
        for _round in range(5):
            core = Busy()
            scheduler = Scheduler(core, POLL, on_error=errors.append)
            scheduler.start()
            until = time.monotonic() + 0.4

            def waker() -> None:
                while time.monotonic() < until:
                    scheduler.wake()
                    time.sleep(0.001)

            wakers = [threading.Thread(target=waker) for _ in range(2)]
            for thread in wakers:
                thread.start()
            for thread in wakers:
                thread.join()
            scheduler.stop()  # while deadline and wake jobs keep coming
            assert core.ticks > 50
    finally:
        threading.excepthook = previous
    assert errors == []
