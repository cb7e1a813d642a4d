"""The sitting-time engine: folds activity samples and user actions into state, returns events.

Pure: no I/O, no clock reads, no GUI. The app feeds it and persists what comes out. How to
call it, the product rules and how time is kept are in the package docstring
(``movebreak.engine``); its data types are in state.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, tzinfo

from movebreak.engine.days import DayCalendar
from movebreak.engine.events import (AwayDetected, AwayReason, BreakLogged, Event, NaturalBreak, PauseEnded,
                                     PauseStarted, ReminderDue, ReminderResolved, SpanClosed, SpanHeartbeat)
from movebreak.engine.gate import DueGate, Verdict
from movebreak.engine.settings import EngineSettings
from movebreak.engine.state import ZERO, EngineState, PendingReminder, Restore, Sample, Status, aware
from movebreak.errors import Refusal
from movebreak.i18n import N_
from movebreak.records import Activity, BreakKind, Pause, ReminderOutcome, SittingSpan

__all__ = ["Engine", "EngineState", "PendingReminder", "Restore", "Sample", "Status"]


class Engine:
    def __init__(
        self,
        settings: EngineSettings,
        tz: tzinfo,
        *,
        at: datetime,
        monotonic: float,
        boottime: float | None = None,
        restore: Restore | None = None,
    ) -> None:
        self.settings = settings
        self._tz = tz
        self._days = DayCalendar(tz, settings.day_starts_at)
        at = aware("at", at)
        self._t = at  # the timeline (see the module docstring)
        self._wall = at
        self._mono = monotonic
        self._boot = boottime
        self._span_start: datetime | None = None
        self._span_id: int | None = None
        self._last_input: datetime | None = None  # on the timeline, while present
        self._absent_since: datetime | None = at  # before the first sample: away, not a break
        self._absence_reason: AwayReason | None = None
        self._on_break = True
        self._sitting_before = ZERO
        self._skip_sitting = ZERO
        self._pending: PendingReminder | None = None
        self._snoozed_until: datetime | None = None
        self._snoozes_used = 0
        self._pause: Pause | None = None
        self._closed: list[tuple[datetime, datetime]] = []
        self._outbox: list[Event] = []
        self._gate = DueGate(settings.wait_for_pause, settings.wait_for_pause_at_most)
        self._idle: timedelta | None = None  # the last tick's idle reading and quiet reason
        self._quiet: str | None = None
        if restore is not None:
            self._restore(restore, at)

    # ---------------------------------------------------------------- restore / snapshot

    def _restore(self, saved: Restore, at: datetime) -> None:
        s = self.settings
        self._pause = saved.pause
        self._pending = saved.reminder
        self._snoozed_until = saved.snoozed_until
        self._snoozes_used = saved.snoozes_used
        self._sitting_before = saved.sitting_before
        self._skip_sitting = saved.skipped_at_sitting
        self._on_break = saved.on_break
        self._closed = [(span.start, span.end) for span in saved.spans_today]
        self._t = max(at, saved.saved_at)  # never before what is already recorded
        gap = self._t - saved.saved_at
        if saved.span is not None:
            self._on_break = False
            if gap < s.natural_break_after:
                self._span_start, self._span_id = saved.span.start, saved.span.id
                self._absent_since = None
                self._last_input = self._t
                self._outbox.append(SpanHeartbeat(SittingSpan(saved.span.start, self._t, saved.span.id)))
                return
            self._span_start, self._span_id = saved.span.start, saved.span.id
            self._outbox += self._close_span(saved.span.end)
            self._begin_absence(saved.span.end, AwayReason.RESTART)
        else:
            self._absent_since = saved.absent_since or saved.saved_at
            self._absence_reason = saved.absence_reason
        if gap >= s.natural_break_after:
            self._outbox.append(AwayDetected(saved.saved_at, self._t, AwayReason.RESTART))
        if not self._on_break and self._t - self._absent_since >= s.natural_break_after:
            self._outbox += self._start_break()

    def snapshot(self) -> Restore:
        span = None
        if self._span_start is not None:
            span = SittingSpan(self._span_start, self._t, self._span_id)
        day_start = self._days.bounds(self._t)[0]
        return Restore(
            saved_at=self._t,
            span=span,
            absent_since=self._absent_since if span is None else None,
            absence_reason=self._absence_reason if span is None else None,
            on_break=self._on_break,
            sitting_before=self._sitting_before,
            skipped_at_sitting=self._skip_sitting,
            reminder=self._pending,
            snoozed_until=self._snoozed_until,
            snoozes_used=self._snoozes_used,
            pause=self._pause,
            spans_today=tuple(SittingSpan(a, b) for a, b in self._closed if b > day_start),
        )

    # ---------------------------------------------------------------- time helpers

    @property
    def _offset(self) -> timedelta:
        return self._wall - self._t

    def _to_wall(self, moment: datetime) -> datetime:
        return moment + self._offset

    def _to_timeline(self, wall: datetime) -> datetime:
        return aware("at", wall) - self._offset

    def _action_time(self, at: datetime) -> datetime:
        return max(self._to_timeline(at), self._t)

    def _take_outbox(self) -> list[Event]:
        events, self._outbox = self._outbox, []
        return events

    # ---------------------------------------------------------------- ticks

    def tick(self, sample: Sample) -> list[Event]:
        s = self.settings
        events = self._take_outbox()
        tolerance = s.clock_tolerance.total_seconds()
        awake = max(0.0, sample.monotonic - self._mono)
        wall_gap = (sample.at - self._wall).total_seconds()
        if sample.boottime is not None and self._boot is not None:
            slept = max(0.0, sample.boottime - self._boot - awake)
        else:
            slept = max(0.0, wall_gap - awake)
        if slept <= tolerance:
            slept = 0.0

        t_prev = self._t
        if self._span_start is None and self._on_break:
            t_new = max(sample.at, t_prev)  # a break absorbs any clock offset
        else:
            t_new = t_prev + timedelta(seconds=awake + slept)
        self._t, self._wall, self._mono, self._boot = t_new, sample.at, sample.monotonic, sample.boottime

        lower = t_prev  # input seen in this sample happened after the previous tick
        if slept:
            asleep_from = max(t_prev, t_new - timedelta(seconds=slept))
            if self._span_start is not None:
                # the span ends at the last input seen; a lid closed mid-typing loses < 1 tick
                last_input = self._last_input if self._last_input is not None else t_prev
                end = min(max(last_input, self._span_start), asleep_from)
                events += self._close_span(end)
                self._begin_absence(end, AwayReason.SUSPEND)
            events.append(AwayDetected(asleep_from, t_new, AwayReason.SUSPEND))
            lower = t_new  # after a resume the input cannot predate it

        idle = None if sample.idle is None else max(sample.idle, ZERO)
        self._idle, self._quiet = idle, sample.quiet
        absent = sample.locked or (idle is not None and idle >= s.natural_break_after)
        if absent:
            if self._span_start is not None:
                if idle is None:
                    last_input = t_prev
                else:
                    last_input = t_new - idle
                end = min(max(last_input, self._span_start), t_new)
                events += self._close_span(end)
                self._begin_absence(end, AwayReason.LOCK if sample.locked else None)
            if (
                not self._on_break
                and self._absent_since is not None
                and t_new - self._absent_since >= s.natural_break_after
            ):
                events += self._start_break()
        else:
            if self._span_start is None:
                back = min(max(t_new - (idle or ZERO), lower), t_new)
                events += self._end_absence(back)
            self._last_input = max(t_new - (idle or ZERO), self._span_start)
            events.append(SpanHeartbeat(SittingSpan(self._span_start, t_new, self._span_id)))

        events += self._advance_policy(t_new)
        return events

    def _close_span(self, end: datetime) -> list[Event]:
        start = self._span_start
        assert start is not None
        end = max(end, start)
        span = SittingSpan(start, end, self._span_id)
        self._sitting_before += end - start
        self._closed.append((start, end))
        horizon = self._days.bounds(self._t)[0] - timedelta(days=1)
        self._closed = [(a, b) for a, b in self._closed if b > horizon]
        self._span_start = None
        self._span_id = None
        self._last_input = None
        return [SpanClosed(span)]

    def _begin_absence(self, since: datetime, reason: AwayReason | None) -> None:
        self._absent_since = since
        self._absence_reason = reason

    def _end_absence(self, back: datetime) -> list[Event]:
        events: list[Event] = []
        since = self._absent_since if self._absent_since is not None else back
        since = min(since, back)
        length = back - since
        if length >= self.settings.natural_break_after:
            if not self._on_break:
                events += self._start_break()
            events.append(NaturalBreak(Activity(at=since, kind=BreakKind.NATURAL, duration=length)))
        if self._absence_reason is AwayReason.LOCK:
            events.append(AwayDetected(since, back, AwayReason.LOCK))
        self._absent_since = None
        self._absence_reason = None
        self._on_break = False
        self._span_start = back
        self._span_id = None
        return events

    def _start_break(self) -> list[Event]:
        """The user is on a break: sitting restarts, a pending reminder was taken."""
        events: list[Event] = []
        self._on_break = True
        self._reset_sitting()
        if self._pending is not None:
            events.append(ReminderResolved(self._pending.resolve(ReminderOutcome.TAKEN)))
            self._pending = None
        return events

    def _reset_sitting(self) -> None:
        self._sitting_before = ZERO
        self._skip_sitting = ZERO
        self._snoozes_used = 0
        self._snoozed_until = None

    # ---------------------------------------------------------------- policy

    def _sitting(self) -> timedelta:
        open_part = ZERO if self._span_start is None else self._t - self._span_start
        return self._sitting_before + open_part

    def _countdown(self) -> timedelta:
        return max(self._sitting() - self._skip_sitting, ZERO)

    def _advance_policy(self, t: datetime) -> list[Event]:
        s = self.settings
        events: list[Event] = []
        if self._pause is not None and self._pause.end is not None and t >= self._pause.end:
            events.append(PauseEnded(self._pause))
            self._pause = None
        if self._snoozed_until is not None and t >= self._snoozed_until:
            self._snoozed_until = None
        if self._pending is not None and t >= self._pending.at + s.repeat_after:
            events.append(ReminderResolved(self._pending.resolve(ReminderOutcome.IGNORED)))
            self._pending = None
            self._gate.repeat = True  # the next one is a repeat, also when held first
        if not self._due(t):
            self._gate.reset()
        elif self._gate.decide(t, self._idle, self._quiet) is Verdict.SEND:
            repeat = self._gate.repeat
            held, held_for = self._gate.sent()
            sitting = self._sitting()
            self._pending = PendingReminder(t, sitting, self._snoozes_used, repeat)
            events.append(
                ReminderDue(
                    at=t,
                    sitting=sitting,
                    snoozes_used=self._snoozes_used,
                    can_snooze=self._snoozes_used < s.snooze_limit,
                    repeat=repeat,
                    held=held,
                    held_for=held_for,
                )
            )
        return events

    def _due(self, t: datetime) -> bool:
        """A reminder should go out now (the gate may still hold it or wait for a pause)."""
        s = self.settings
        return (
            self._span_start is not None
            and self._pending is None
            and self._pause is None
            and self._snoozed_until is None
            and self._countdown() >= s.remind_after
            and s.working_hours.contains(self._to_wall(t), self._tz)
        )

    @property
    def present(self) -> bool:
        """At the computer now (a sitting span is open)."""
        return self._span_start is not None

    def reminder_is_due(self) -> bool:
        """Whether the next tick may send a reminder: then the app looks at the quiet sources and
        asks for a fresh idle reading (and only then, so neither costs anything while sitting)."""
        due = self._reminder_due()  # None while a reminder is pending
        return due is not None and due <= self._to_wall(self._t) + self.settings.clock_tolerance

    def _reminder_due(self) -> datetime | None:
        """Wall time the next reminder would be sent if the user keeps sitting."""
        if self._span_start is None or self._pending is not None:
            return None
        if self._pause is not None and self._pause.end is None:
            return None
        due = self._t + max(self.settings.remind_after - self._countdown(), ZERO)
        if self._snoozed_until is not None:
            due = max(due, self._snoozed_until)
        if self._pause is not None and self._pause.end is not None:
            due = max(due, self._pause.end)
        return self.settings.working_hours.next_start(self._to_wall(due), self._tz)

    def next_deadline(self) -> datetime | None:
        look = self._gate.next_look(self._t)
        # while the gate waits or holds, the reminder is overdue: the gate says when to look again
        candidates = [self._reminder_due() if look is None else self._to_wall(look)]
        if self._pending is not None:
            candidates.append(self._to_wall(self._pending.at + self.settings.repeat_after))
        if self._snoozed_until is not None:
            candidates.append(self._to_wall(self._snoozed_until))
        if self._pause is not None and self._pause.end is not None:
            candidates.append(self._to_wall(self._pause.end))
        present = [c for c in candidates if c is not None]
        return min(present) if present else None

    # ---------------------------------------------------------------- user actions

    def log_break(self, activity: Activity) -> list[Event]:
        events = self._take_outbox()
        t = self._t
        answers = self._pending is not None or self._snoozed_until is not None
        if self._pending is not None:
            events.append(ReminderResolved(self._pending.resolve(ReminderOutcome.TAKEN)))
            self._pending = None
        start = min(self._to_timeline(activity.at), t)
        end = min(max(self._to_timeline(activity.end), start), t)
        if self._span_start is not None and end > self._span_start:
            split = max(start, self._span_start)
            events += self._close_span(split)
            self._reset_sitting()
            self._span_start = max(end, split)
            events.append(SpanHeartbeat(SittingSpan(self._span_start, t)))
        else:
            self._reset_sitting()
            if self._span_start is None:
                self._on_break = True
        if answers and activity.kind is BreakKind.LOGGED:
            activity = replace(activity, kind=BreakKind.REMINDER)
        events.append(BreakLogged(activity))
        return events

    def snooze(self, at: datetime, duration: timedelta | None = None) -> list[Event]:
        s = self.settings
        if self._pending is None:
            raise Refusal(N_("There is no reminder to snooze."))
        if self._snoozes_used >= s.snooze_limit:
            raise Refusal(N_("No more snoozes: {limit} in a row is the limit. Take the break or skip it."),
                          limit=s.snooze_limit)
        duration = s.snooze if duration is None else duration
        if duration <= ZERO:
            raise Refusal(N_("A snooze must last longer than zero."))
        events = self._take_outbox()
        events.append(ReminderResolved(self._pending.resolve(ReminderOutcome.SNOOZED, snooze=duration)))
        self._pending = None
        self._snoozes_used += 1
        self._snoozed_until = self._action_time(at) + duration
        return events

    def skip(self, at: datetime) -> list[Event]:
        if self._pending is None and self._snoozed_until is None:
            raise Refusal(N_("There is no reminder to skip."))
        events = self._take_outbox()
        if self._pending is not None:
            events.append(ReminderResolved(self._pending.resolve(ReminderOutcome.SKIPPED)))
            self._pending = None
        self._snoozed_until = None
        self._snoozes_used = 0
        self._skip_sitting = self._sitting()
        return events

    def pause(self, at: datetime, until: datetime | None = None, reason: str | None = None) -> list[Event]:
        start = self._action_time(at)
        end = None if until is None else self._to_timeline(until)
        if end is not None and end <= start:
            raise Refusal(N_("A pause must end in the future."))
        events = self._take_outbox()
        if self._pause is not None:
            events.append(PauseEnded(replace(self._pause, end=start)))
        if self._pending is not None:
            events.append(ReminderResolved(self._pending.resolve(ReminderOutcome.SKIPPED)))
            self._pending = None
        self._snoozed_until = None
        self._snoozes_used = 0
        self._pause = Pause(start=start, end=end, reason=reason)
        events.append(PauseStarted(self._pause))
        return events

    def pause_until_tomorrow(self, at: datetime, reason: str | None = None) -> list[Event]:
        """Pause until the next local day starts (``day_starts_at`` in the engine's tz)."""
        until = self._to_wall(self._days.next_start(self._action_time(at)))
        return self.pause(at, until, reason)

    def resume(self, at: datetime) -> list[Event]:
        if self._pause is None:
            raise Refusal(N_("Reminders are not paused."))
        events = self._take_outbox()
        events.append(PauseEnded(replace(self._pause, end=max(self._action_time(at), self._pause.start))))
        self._pause = None
        return events

    def set_timezone(self, tz: tzinfo) -> list[Event]:
        """The desktop moved to another zone: only working hours and day bounds change."""
        return self.change(tz=tz)

    def change(self, *, tz: tzinfo | None = None, settings: EngineSettings | None = None) -> list[Event]:
        """Another zone, or settings edited while running: what derives from them is rebuilt;
        the sitting so far, a pending reminder, snoozes used and a pause stay as they are."""
        if settings is not None:
            self.settings = settings
            self._gate.wait_for_pause, self._gate.at_most = settings.wait_for_pause, settings.wait_for_pause_at_most
        self._tz = tz or self._tz
        self._days = DayCalendar(self._tz, self.settings.day_starts_at)
        return self._take_outbox()

    # ---------------------------------------------------------------- status

    def sitting_today(self, at: datetime) -> timedelta:
        start, end = self._days.bounds(self._to_timeline(at))
        spans = list(self._closed)
        if self._span_start is not None:
            spans.append((self._span_start, self._t))
        total = ZERO
        for a, b in spans:
            lo, hi = max(a, start), min(b, end)
            if hi > lo:
                total += hi - lo
        return total

    def status(self, at: datetime) -> Status:
        s = self.settings
        moment = self._action_time(at)
        paused = self._pause is not None and (self._pause.end is None or moment < self._pause.end)
        snoozed = self._snoozed_until is not None and moment < self._snoozed_until
        if paused:
            state = EngineState.PAUSED
        elif self._span_start is None:
            state = EngineState.AWAY
        elif self._pending is not None:
            state = EngineState.REMINDING
        elif self._gate.holding:
            state = EngineState.HELD
        elif snoozed:
            state = EngineState.SNOOZED
        elif not s.working_hours.contains(self._to_wall(self._t), self._tz):
            state = EngineState.OUTSIDE_HOURS
        else:
            state = EngineState.SITTING
        pause_end = self._pause.end if paused and self._pause is not None else None
        return Status(
            state=state,
            as_of=self._wall,
            continuous_sitting=self._sitting(),
            next_reminder_at=self._reminder_due(),
            reminder_at=None if self._pending is None else self._to_wall(self._pending.at),
            snoozes_used=self._snoozes_used,
            snooze_limit_reached=self._snoozes_used >= s.snooze_limit,
            snoozed_until=self._to_wall(self._snoozed_until) if snoozed and self._snoozed_until else None,
            paused=paused,
            paused_until=None if pause_end is None else self._to_wall(pause_end),
            sitting_today=self.sitting_today(at),
            away_since=None if self._absent_since is None or self._span_start is not None
            else self._to_wall(self._absent_since),
            remind_after=s.remind_after,
            snooze_options=s.snooze_options,
            held=self._gate.held_reason if self._gate.holding else None,
        )
