"""What the engine says, recorded: spans, breaks, reminders and pauses to the history, reminders
to the user; and the tracked time (when the app ran), a heartbeat of its own."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Callable

from movebreak.records import Activity, SittingSpan, TrackedSpan

TRACKED_GAP = timedelta(minutes=2)  # a longer gap between ticks starts a new tracked span
# The tracked-time heartbeat is written at most this often (idle cost: fewer writes per tick).
# The sitting-span heartbeat, the engine snapshot and the status are still written every tick.
LAZY_WRITE_EVERY = timedelta(minutes=1)


class EventRecorder:
    """Turns the engine's events into writes (``HistoryWriter``) and reminders (``ReminderPresenter``).

    Owns the sitting span the engine continues (with its id once saved) and the last
    activity a commit added. ``on_own_activity(id)`` is told the id of each break this app
    wrote, so that reading the CLI's breaks skips it.
    """

    def __init__(self, *, engine, writer, reminders, clock, span: SittingSpan | None,
                 on_own_activity: Callable[[int], None]) -> None:
        self.engine = engine
        self.writer = writer
        self.reminders = reminders
        self.clock = clock
        self.on_own_activity = on_own_activity
        self.span = span  # the open sitting span as last saved
        self.last_added: Activity | None = None  # the activity the last commit added

    def handle(self, events: list[Any], *, stored: Activity | None = None, persist_pauses: bool = True) -> None:
        """Persist and show what the engine said. ``stored``: the break is already in the history
        (a CLI command wrote it); only its kind is updated when it answered a reminder."""
        from movebreak.engine import events as ev

        for event in events:
            if isinstance(event, ev.SpanHeartbeat):
                self._save_span(event.span, closed=False)
            elif isinstance(event, ev.SpanClosed):
                if event.span.end > event.span.start or self._owns(event.span):
                    self._save_span(event.span, closed=True)
                self.span = None
            elif isinstance(event, ev.BreakLogged):
                if stored is not None:
                    if stored.id is not None and event.activity.kind is not stored.kind:
                        self.writer.set_activity_kind(stored.id, event.activity.kind)
                else:
                    self._add_activity(event.activity)
                self.reminders.clear()
            elif isinstance(event, ev.NaturalBreak):
                self._add_activity(event.activity)
                self.reminders.clear()
            elif isinstance(event, ev.ReminderDue):
                self.reminders.remind(event)
            elif isinstance(event, ev.ReminderResolved):
                reminder = event.reminder
                current = self.reminders.current
                if current is not None and reminder.exercise_id is None:
                    reminder = replace(reminder, exercise_id=current.exercise_id)
                self.writer.add_reminder(reminder)
                self.reminders.clear()
            elif isinstance(event, ev.PauseStarted) and persist_pauses:
                self.writer.add_pause(event.pause)
            elif isinstance(event, ev.PauseEnded) and persist_pauses:
                self.writer.end_pauses(event.pause.end or self.clock.now())
        self.writer.put_state("engine", self.engine.snapshot().to_dict())
        self.writer.refresh_when_committed()  # once what the engine said is in the history

    def _owns(self, span: SittingSpan) -> bool:
        return self.span is not None and self.span.id is not None and span.start == self.span.start

    def _save_span(self, span: SittingSpan, *, closed: bool) -> None:
        if span.id is None and self._owns(span):
            span = replace(span, id=self.span.id)
        self.span = span
        self.writer.save_span(span, closed=closed, on_saved=self._span_saved)  # the latest of each span

    def _span_saved(self, saved: SittingSpan) -> None:
        if self.span is not None and self.span.start == saved.start and self.span.id is None:
            self.span = replace(self.span, id=saved.id)

    def _add_activity(self, activity: Activity) -> None:
        self.last_added = activity  # until the commit gives it an id
        self.writer.add_activity(activity, self._activity_saved)

    def _activity_saved(self, saved: Activity) -> None:
        if saved.id is not None:
            self.on_own_activity(saved.id)
        self.last_added = saved


class TrackedTime:
    """When the app ran: a tracked span, its end moved by a heartbeat at most every
    ``LAZY_WRITE_EVERY``; a gap of over ``TRACKED_GAP`` between ticks starts a new one."""

    def __init__(self, writer, now: datetime) -> None:
        self.writer = writer
        self.span = TrackedSpan(now, now)
        self._save(self.span)
        self._last_tick = now

    def heartbeat(self, now: datetime, *, force: bool = False) -> None:
        if now - self._last_tick > TRACKED_GAP or now < self.span.start:
            self._save(TrackedSpan(now, now))
        elif now > self.span.end and (force or now - self.span.end >= LAZY_WRITE_EVERY):
            self._save(TrackedSpan(self.span.start, now, self.span.id))

    def ticked(self, now: datetime) -> None:
        """A tick ended at ``now`` (the next heartbeat measures its gap from there)."""
        self._last_tick = now

    def _save(self, span: TrackedSpan) -> None:
        self.span = span
        self.writer.save_tracked(span, self._saved)

    def _saved(self, saved: TrackedSpan) -> None:
        if self.span.start == saved.start and self.span.id is None:
            self.span = replace(self.span, id=saved.id)
