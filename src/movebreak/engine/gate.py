"""Between "a reminder is due" and "send it": hold it while the desktop should stay quiet, and
wait for a short pause in input so it does not land mid-sentence.

* **Hold**: while the app reports a quiet reason (do-not-disturb, a fullscreen window, a call),
  a due reminder is not sent; sitting keeps counting. When the reason ends, the reminder is
  sent at the next tick and says what it was held for.
* **Wait for a pause**: when due (or when a hold ends), the reminder waits until input has
  paused for ``wait_for_pause`` (e.g. 3 s), but never longer than ``at_most`` (60 s).

Pure: the engine feeds it the timeline time, the idle reading and the quiet reason of a tick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

WAITING_TICK = timedelta(seconds=1)  # how soon to look again while waiting for a pause
HELD_TICK = timedelta(seconds=30)  # how soon to look again while held: within 1 minute after it ends


class Verdict(str, Enum):
    SEND = "send"
    HOLD = "hold"
    WAIT = "wait"


@dataclass
class DueGate:
    wait_for_pause: timedelta
    at_most: timedelta
    due_since: datetime | None = None  # when the reminder became due (or its hold ended)
    held_since: datetime | None = None
    held_reason: str | None = None  # the reason of the hold now, or of the last one before sending
    waiting: bool = False
    repeat: bool = False  # the reminder to send repeats an ignored one

    def decide(self, t: datetime, idle: timedelta | None, quiet: str | None) -> Verdict:
        """What to do with a due reminder at ``t``: send it, hold it, or wait for a pause."""
        if quiet:
            if self.held_since is None:
                self.held_since = t
            self.held_reason = quiet
            self.due_since = None
            self.waiting = False
            return Verdict.HOLD
        if self.due_since is None:
            self.due_since = t
        paused = idle is None or idle >= self.wait_for_pause  # unknown idle: never wait on it
        if paused or t - self.due_since >= self.at_most:
            self.waiting = False
            return Verdict.SEND
        self.waiting = True
        return Verdict.WAIT

    @property
    def holding(self) -> bool:
        return self.held_since is not None and self.due_since is None

    def sent(self) -> tuple[str | None, timedelta]:
        """The reminder went out: what it had been held for, and how long; the gate starts afresh."""
        reason = self.held_reason if self.held_since is not None else None
        held_for = (self.due_since - self.held_since) if self.held_since and self.due_since else timedelta(0)
        self.reset()
        return reason, held_for

    def reset(self) -> None:
        """Not due any more (a break, a pause, away): nothing is held or waited for."""
        self.due_since = self.held_since = self.held_reason = None
        self.waiting = self.repeat = False

    def next_look(self, t: datetime) -> datetime | None:
        """When the app should tick again for the gate's sake (timeline time), if it should."""
        if self.waiting:
            return t + WAITING_TICK
        if self.holding:
            return t + HELD_TICK
        return None
