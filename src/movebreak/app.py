"""What the running app does on a tick or a user action, and its scheduler.

``AppCore`` is everything the running app does on a tick or a user action, with no
threads of its own, so tests can drive it with a simulated clock. ``Scheduler`` runs its
ticks with APScheduler. Starting the app (lock, tray or terminal) is ``movebreak.startup``.
"""

from __future__ import annotations

import itertools
import logging
import random
import threading
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from movebreak import config as config_module
from movebreak import limits
from movebreak.clock import Clock
from movebreak.environment import Environment, ExitStatus
from movebreak.errors import MovebreakError
from movebreak.i18n import _
from movebreak.idle.sparse import SparseIdle
from movebreak.records import Activity, BreakKind, Pause, SittingSpan, TrackedSpan
from movebreak.store import is_storage_fault

log = logging.getLogger("movebreak")

TRACKED_GAP = timedelta(minutes=2)  # a longer gap between ticks starts a new tracked span
# The tracked-time heartbeat is written at most this often (idle cost: fewer writes per tick).
# The sitting-span heartbeat, the engine snapshot and the status are still written every tick.
LAZY_WRITE_EVERY = timedelta(minutes=1)
# The tray asks for the status right after the tick that wrote it; an answer this fresh is reused.
STATUS_REUSE = timedelta(seconds=1)


@dataclass(frozen=True)
class ReminderView:
    """What a reminder shows, in the user's language."""

    title: str
    body: str
    exercise_id: str | None
    can_snooze: bool


class UserInterface(Protocol):
    def show_reminder(self, view: ReminderView) -> None: ...

    def notice(self, text: str) -> None: ...

    def refresh(self) -> None: ...

    def run(self) -> None: ...

    def stop(self) -> None: ...


class AppCore:
    """One tick of the app, and every user action, under one lock."""

    def __init__(
        self,
        *,
        cfg: config_module.Config,
        store,
        clock: Clock,
        tz,
        probe,
        notifier,
        catalogue,
        language: str,
        rng: random.Random | None = None,
    ) -> None:
        from movebreak.engine.engine import Engine, Restore

        self.cfg = cfg
        self.settings = cfg.engine_settings()
        self.store = store
        self.clock = clock
        self.tz = tz
        self.probe = probe
        self.notifier = notifier
        self.catalogue = catalogue
        self.language = language
        self.rng = rng or random.Random()
        self.ui: UserInterface | None = None
        self._lock = threading.RLock()
        self._recent: list[str] = []
        self._last_activity_id = store.last_activity_id()
        self._span: SittingSpan | None = None
        self.unsaved = UnsavedWrites()
        # ids this app wrote since it last read the CLI's breaks: skipped when reading them, so
        # that a break of its own never hides one the CLI wrote just before (lower id)
        self._own_activity_ids: set[int] = set()
        self.storage_problem: str | None = None  # set while the history cannot be written
        self._idle = SparseIdle(probe, threshold=self.settings.natural_break_after)
        self._new_row = False  # the open unit inserts a span: checkpoint after it (see _commit)
        self._unit: list | None = None  # the open unit of work: (key, write, after, keep) steps, see _step
        self._refresh_due = False
        self._last_added: Activity | None = None  # the activity the last commit added
        self._history_generation = 0  # changes whenever breaks may have changed (week figures cache)
        self._week_cache: tuple[Any, tuple[int, int]] | None = None
        self._status_memo: tuple[datetime, Any] | None = None  # (when, engine status), see status()
        now, mono = clock.now(), clock.monotonic()
        store.changed_elsewhere()
        restore = None
        saved = store.get_state("engine")
        if saved is not None:
            try:
                restore = Restore.from_dict(saved[0])
            except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError):
                log.warning("the saved engine state could not be read; starting fresh")
        open_span = store.open_span()
        if restore is not None and restore.span is not None and open_span is not None \
                and open_span.start == restore.span.start:
            self._span = open_span  # the engine continues this row
        self.engine = Engine(self.settings, tz, at=now, monotonic=mono, boottime=safe(clock.boottime),
                             restore=restore)
        self._tracked = TrackedSpan(now, now)
        self._save_tracked(self._tracked)
        self._last_tick_wall = now
        self.current_reminder: ReminderView | None = None
        self.last_idle: timedelta | None = None
        # written with every status snapshot: how a CLI command can wake this app (see startup)
        self.status_extra: dict[str, Any] = {}

    # --- ticks ------------------------------------------------------------------------------

    def tick(self) -> None:
        from movebreak.engine.engine import Sample

        with self._lock:
            now, mono, boot = self.clock.now(), self.clock.monotonic(), safe(self.clock.boottime)
            self._try_write(self._check_history_files)
            self.flush_unsaved()
            idle = safe(lambda: self._idle.idle(now, mono))
            locked = bool(safe(self.probe.locked))
            self.last_idle = self._idle.measured
            with self._one_commit():
                self._handle(self.engine.tick(Sample(at=now, monotonic=mono, idle=idle, locked=locked,
                                                     boottime=boot)))
                self._apply_outside_changes(now)
                self._heartbeat_tracked(now)
                self._write_status(now)
            self._last_tick_wall = now

    def next_deadline(self) -> datetime | None:
        with self._lock:
            return self.engine.next_deadline()

    def _heartbeat_tracked(self, now: datetime, *, force: bool = False) -> None:
        if now - self._last_tick_wall > TRACKED_GAP or now < self._tracked.start:
            self._save_tracked(TrackedSpan(now, now))
        elif now > self._tracked.end and (force or now - self._tracked.end >= LAZY_WRITE_EVERY):
            self._save_tracked(TrackedSpan(self._tracked.start, now, self._tracked.id))

    def _apply_outside_changes(self, now: datetime) -> None:
        try:
            self._read_outside_changes(now)
        except Exception as error:
            if not is_storage_fault(error):
                raise
            self._storage_failed(error)  # the CLI's changes are read at a later tick

    def _read_outside_changes(self, now: datetime) -> None:
        """CLI commands write to the history; pick up what they changed since the last tick."""
        if not self.store.changed_elsewhere():
            # nothing was written elsewhere since the last look: every newer break is our own
            if self._own_activity_ids:
                self._last_activity_id = max(self._last_activity_id, *self._own_activity_ids)
                self._own_activity_ids.clear()
            return
        self._history_generation += 1
        for activity in self.store.activities_after_id(self._last_activity_id):
            self._last_activity_id = max(self._last_activity_id, activity.id or 0)
            if activity.id in self._own_activity_ids:
                continue  # written by this app (the engine has it already)
            if activity.kind is not BreakKind.NATURAL:
                self._handle(self.engine.log_break(activity), stored=activity)
        self._own_activity_ids = {i for i in self._own_activity_ids if i > self._last_activity_id}
        pause = self.store.active_pause(now)
        status = self.engine.status(now)
        if pause is not None and (not status.paused or status.paused_until != pause.end):
            self._handle(self.engine.pause(now, pause.end, pause.reason), persist_pauses=False)
        elif pause is None and status.paused:
            self._handle(self.engine.resume(now), persist_pauses=False)
        for command in self.store.take_commands():
            self._write(self.store.answer_command, command.id, self._apply_command(command, now))

    def _apply_command(self, command, now: datetime) -> dict[str, Any]:
        """Carry out a CLI command; the answer the CLI prints (it waits for it)."""
        try:
            if command.kind == "snooze":
                minutes = limits.snooze_minutes(
                    command.payload.get("minutes", self.settings.snooze.total_seconds() / 60),
                    limits.longest_snooze(self.settings), "snooze")
                self._handle(self.engine.snooze(now, timedelta(minutes=minutes)))
                until = self.engine.status(now).snoozed_until
                return {"ok": True, "until": until.isoformat() if until else None}
            if command.kind == "skip":
                self._handle(self.engine.skip(now))
                return {"ok": True}
            return {"ok": False, "message": _("This movebreak does not know the command {kind!r}.",
                                               kind=command.kind)}
        except (MovebreakError, AttributeError, TypeError, ValueError, OverflowError) as error:
            log.info("command %s from the CLI not applied: %s", command.kind, error)
            return {"ok": False, "message": str(error)}

    # --- user actions (tray, terminal) ------------------------------------------------------

    def log_break(self, exercise_id: str | None = None, minutes: float | None = None) -> Activity:
        if minutes is not None:  # the tray and terminal mode: the limits of `movebreak log --minutes`
            minutes = limits.break_minutes(minutes, "break")
        with self._lock:
            self._last_added = None
            with self._one_commit():
                now = self.clock.now()
                exercise = self.catalogue.get(exercise_id) if exercise_id else None
                if minutes is None:
                    minutes = exercise.duration.total_seconds() / 60 if exercise else 5.0
                activity = Activity(
                    at=now - timedelta(minutes=minutes),
                    kind=BreakKind.LOGGED,
                    duration=timedelta(minutes=minutes),
                    exercise_id=exercise.id if exercise else None,
                    intensity=exercise.intensity if exercise else None,
                )
                self._handle(self.engine.log_break(activity))
                self._write_status(now)
            return self._last_added or activity  # as saved (with its id), or as the engine logged it

    def snooze(self, minutes: float | None = None) -> None:
        if minutes is not None:  # the limits of `movebreak snooze`
            minutes = limits.snooze_minutes(minutes, limits.longest_snooze(self.settings), "snooze")
        with self._lock, self._one_commit():
            now = self.clock.now()
            duration = timedelta(minutes=minutes) if minutes is not None else self.settings.snooze
            self._handle(self.engine.snooze(now, duration))
            self._write_status(now)

    def skip(self) -> None:
        with self._lock, self._one_commit():
            now = self.clock.now()
            self._handle(self.engine.skip(now))
            self._write_status(now)

    def pause(self, duration: timedelta | None, *, until_tomorrow: bool = False) -> datetime | None:
        from movebreak.engine.days import next_day_start

        if duration is not None and not until_tomorrow:  # the limits of `movebreak pause`
            duration = limits.pause_duration(duration, "pause")
        with self._lock, self._one_commit():
            now = self.clock.now()
            if until_tomorrow:
                until = next_day_start(now, self.tz, self.settings.day_starts_at)
            else:
                until = now + duration if duration is not None else None
            self._write(self.store.add_pause, Pause(now, until, "app"))
            self._handle(self.engine.pause(now, until, "app"), persist_pauses=False)
            self._write_status(now)
            return until

    def resume(self) -> None:
        with self._lock, self._one_commit():
            now = self.clock.now()
            self._write(self.store.end_pauses, now)
            self._handle(self.engine.resume(now), persist_pauses=False)
            self._write_status(now)

    def set_timezone(self, tz) -> None:
        """The desktop's time zone changed: working hours and day bounds follow; records stay UTC."""
        with self._lock, self._one_commit():
            self.tz = tz
            self._handle(self.engine.set_timezone(tz))

    def status(self):
        """The engine's status now; the one the last tick or action computed when under a second
        old and nothing changed the engine since (the tray asks right after every tick)."""
        with self._lock:
            now = self.clock.now()
            memo = self._status_memo
            if memo is not None and memo[0] <= now < memo[0] + STATUS_REUSE:
                return memo[1]
            return self.engine.status(now)

    def handle_text_command(self, line: str) -> str | None:
        """Terminal mode's one-letter commands."""
        if not line:
            return None
        word, _sep, rest = line.partition(" ")
        word = word.lower()
        try:
            rest = rest.strip()
            if word in ("b", "break"):
                saved = self.log_break(minutes=limits.break_minutes(rest, "break") if rest else None)
                return _("Break recorded: {minutes} min.", minutes=round(saved.duration.total_seconds() / 60))
            if word in ("s", "snooze"):
                self.snooze(limits.snooze_minutes(rest, limits.longest_snooze(self.settings), "snooze")
                            if rest else None)
                return _("Snoozed.")
            if word in ("k", "skip"):
                self.skip()
                return _("Skipped.")
            if word in ("p", "pause"):
                until = self.pause(limits.pause_duration(rest, "pause") if rest else None)
                return (_("Paused until {time}.", time=until.astimezone(self.tz).strftime("%H:%M")) if until
                        else _("Paused until you resume (r)."))
            if word in ("r", "resume"):
                self.resume()
                return _("Reminders resumed.")
            if word in ("?", "status"):
                return self.status_line()
            if word in ("q", "quit"):
                if self.ui is not None:
                    self.ui.stop()
                return _("Bye.")
        except ValueError as error:
            return _("Not understood: {reason}", reason=error)
        except MovebreakError as error:
            return str(error)
        return _("Unknown command {word!r}; type ? for status, q to quit.", word=word)

    def status_line(self) -> str:
        from movebreak.reports import this_week

        status = self.status()
        now = self.clock.now()
        active, strength = self._week_figures(now)
        parts = [_("Sitting {minutes} min", minutes=int(status.continuous_sitting.total_seconds() // 60))]
        if status.next_reminder_at is not None:
            left = max(timedelta(0), status.next_reminder_at - now)
            parts.append(_("reminder in {minutes} min", minutes=int(-(-left.total_seconds() // 60))))
        parts.append(_("this week {active}/150 active min, {strength}/2 strength days",
                       active=active, strength=strength))
        return " · ".join(parts)

    def _week_figures(self, now: datetime) -> tuple[int, int]:
        """This week's active minutes and strength days, computed again only when breaks changed."""
        from movebreak.reports import current_week, this_week

        day_starts_at = self.settings.day_starts_at
        key = (str(current_week(now, self.tz, day_starts_at)), self.tz, self._history_generation)
        cached = self._week_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        summary = this_week(self.store, now, self.tz, day_starts_at=day_starts_at)
        figures = (round(summary.totals.activity.total_seconds() / 60), summary.totals.strength_days)
        self._week_cache = (key, figures)
        return figures

    # --- events from the engine ---------------------------------------------------------------

    def _handle(self, events: list[Any], *, stored: Activity | None = None, persist_pauses: bool = True) -> None:
        """Persist and show what the engine said. ``stored``: the break is already in the history
        (a CLI command wrote it); only its kind is updated when it answered a reminder."""
        from movebreak.engine import events as ev

        self._status_memo = None
        for event in events:
            if isinstance(event, ev.SpanHeartbeat):
                self._save_span(event.span, closed=False)
            elif isinstance(event, ev.SpanClosed):
                if event.span.end > event.span.start or self._owns(event.span):
                    self._save_span(event.span, closed=True)
                self._span = None
            elif isinstance(event, ev.BreakLogged):
                if stored is not None:
                    if stored.id is not None and event.activity.kind is not stored.kind:
                        self._write(self.store.set_activity_kind, stored.id, event.activity.kind)
                else:
                    self._add_activity(event.activity)
                self.current_reminder = None
            elif isinstance(event, ev.NaturalBreak):
                self._add_activity(event.activity)
                self.current_reminder = None
            elif isinstance(event, ev.ReminderDue):
                self._remind(event)
            elif isinstance(event, ev.ReminderResolved):
                reminder = event.reminder
                if self.current_reminder is not None and reminder.exercise_id is None:
                    reminder = replace(reminder, exercise_id=self.current_reminder.exercise_id)
                self._write(self.store.add_reminder, reminder)
                self.current_reminder = None
            elif isinstance(event, ev.PauseStarted) and persist_pauses:
                self._write(self.store.add_pause, event.pause)
            elif isinstance(event, ev.PauseEnded) and persist_pauses:
                self._write(self.store.end_pauses, event.pause.end or self.clock.now())
        self._put_state("engine", self.engine.snapshot().to_dict())
        self._refresh_due = True  # once what the engine said is in the history

    def _owns(self, span: SittingSpan) -> bool:
        return self._span is not None and self._span.id is not None and span.start == self._span.start

    def _save_span(self, span: SittingSpan, *, closed: bool) -> None:
        if span.id is None and self._owns(span):
            span = replace(span, id=self._span.id)
        self._span = span
        self._new_row = self._new_row or span.id is None
        self._step(("span", span.start), lambda: self.store.save_span(span, closed=closed), self._span_saved,
                   lambda: self.unsaved.spans.__setitem__(span.start, (span, closed)))  # the latest of each span

    def _store_span(self, span: SittingSpan, closed: bool) -> None:
        self._span_saved(self.store.save_span(span, closed=closed))

    def _span_saved(self, saved: SittingSpan) -> None:
        if self._span is not None and self._span.start == saved.start and self._span.id is None:
            self._span = replace(self._span, id=saved.id)

    # --- writes: one commit per tick or action, kept in memory when the disk refuses them ----------

    @contextmanager
    def _one_commit(self):
        """Everything written inside goes to the history in one commit at the end (a tick, a user
        action): a kill can never leave half of it, such as a span cut short for a break that is
        not there. Opened inside another, it joins that one."""
        if self._unit is not None:
            yield
            return
        self._unit = []
        try:
            yield
        finally:
            steps, self._unit = self._unit, None
            self._commit(steps)
        if self._refresh_due and self.ui is not None:
            self._refresh_due = False
            self.ui.refresh()

    def _step(self, key, write, after=None, keep=None) -> None:
        """One write of the open unit (or a unit of its own): ``write()`` runs in the commit,
        ``after(result)`` once it is committed, ``keep()`` instead when the disk refused it.
        A later step with the same key (a span, a state key) replaces the earlier one."""
        if self._unit is None:
            with self._one_commit():
                self._step(key, write, after, keep)
            return
        if key is not None:
            self._unit[:] = [step for step in self._unit if step[0] != key]
        self._unit.append((key, write, after, keep))

    def _commit(self, steps: list) -> None:
        if not steps:
            return
        results: list[Any] = []

        def write() -> None:
            with self.store.transaction():  # each write below joins this one commit
                for _key, step_write, _after, _keep in steps:
                    results.append(step_write())

        # Earlier refused writes go first (flush_unsaved, each tick): until then new ones wait with them.
        if self.unsaved or not self._try_write(write):
            for _key, _write, _after, keep in steps:
                keep()
            return
        for (_key, _write, after, _keep), result in zip(steps, results):
            if after is not None:
                after(result)
        if self._new_row or any(key is None for key, *_rest in steps):
            # a break, a reminder, a pause, an answer or a new span: in the history file itself at
            # once, so that a -wal removed or cut short later cannot take it along (a heartbeat
            # need not: the next one writes the same row's end again)
            self._new_row = False
            safe(self.store.checkpoint)

    def _try_write(self, call) -> bool:
        """Run one write; False (and the user told once) when the machine refused it."""
        try:
            call()
            return True
        except Exception as error:
            if not is_storage_fault(error):
                raise
            self._storage_failed(error)
            return False

    def _write(self, method, *args) -> None:
        """A write in order with the others."""
        self._step(None, lambda: method(*args), self._history_changed,
                   lambda: self.unsaved.ordered.append((method, args)))

    def _history_changed(self, _result=None) -> None:
        self._history_generation += 1

    def _add_activity(self, activity: Activity) -> None:
        def added(saved: Activity) -> None:
            if saved.id is not None:
                self._own_activity_ids.add(saved.id)
            self._last_added = saved
            self._history_changed()

        self._last_added = activity  # until the commit gives it an id
        self._step(None, lambda: self.store.add_activity(activity), added,
                   lambda: self.unsaved.ordered.append((self._store_own_activity, (activity,))))

    def _store_own_activity(self, activity: Activity) -> None:
        saved = self.store.add_activity(activity)
        if saved.id is not None:
            self._own_activity_ids.add(saved.id)

    def _save_tracked(self, span: TrackedSpan) -> None:
        self._tracked = span
        self._new_row = self._new_row or span.id is None
        self._step(("tracked", span.start), lambda: self.store.save_tracked(span), self._tracked_saved,
                   lambda: self.unsaved.tracked.__setitem__(span.start, span))

    def _store_tracked(self, span: TrackedSpan) -> None:
        self._tracked_saved(self.store.save_tracked(span))

    def _tracked_saved(self, saved: TrackedSpan) -> None:
        if self._tracked.start == saved.start and self._tracked.id is None:
            self._tracked = replace(self._tracked, id=saved.id)

    def _put_state(self, key: str, value: Any) -> None:
        self._step(("state", key), lambda: self.store.put_state(key, value), None,
                   lambda: self.unsaved.state.__setitem__(key, value))

    def _check_history_files(self) -> None:
        """The -wal or -shm removed or replaced under the app: the store saves what its
        connection holds into the history file and opens it again (a few stat() calls a tick)."""
        check = getattr(self.store, "check_files", None)
        if check is not None:
            check()

    def _storage_failed(self, error: BaseException) -> None:
        if self.storage_problem is not None:
            log.debug("the history still cannot be written: %s", error)
            return
        reason = getattr(error, "strerror", None) or str(error)
        self.storage_problem = _(
            "movebreak cannot write the history ({reason}): {path}. Reminders go on; new records are kept "
            "in memory and saved as soon as the file can be written again.",
            reason=reason, path=getattr(self.store, "path", "?"))
        log.warning("%s", self.storage_problem)
        if self.ui is not None:
            safe(lambda: self.ui.notice(self.storage_problem))

    def flush_unsaved(self) -> bool:
        """Write what a storage fault kept in memory, oldest first; True when nothing is left."""
        with self._lock:
            pending = self.unsaved
            if not pending:
                return True
            while pending.ordered:
                method, args = pending.ordered[0]
                if not self._try_write(lambda: method(*args)):
                    return False
                pending.ordered.pop(0)
                self._history_generation += 1
            for table, store_one in ((pending.spans, lambda item: self._store_span(*item)),
                                     (pending.tracked, self._store_tracked)):
                while table:
                    key = next(iter(table))
                    if not self._try_write(lambda: store_one(table[key])):
                        return False
                    del table[key]
            while pending.state:
                key = next(iter(pending.state))
                if not self._try_write(lambda: self.store.put_state(key, pending.state[key])):
                    return False
                del pending.state[key]
            if self.storage_problem is not None:
                self.storage_problem = None
                message = _("movebreak can write the history again; everything kept in memory was saved.")
                log.warning("%s", message)
                if self.ui is not None:
                    safe(lambda: self.ui.notice(message))
            return True

    def _remind(self, event) -> None:
        view = self.reminder_view(event)
        self.current_reminder = view
        if self.cfg["notifications.enabled"]:
            try:
                self.notifier.send(view.title, view.body, timeout=self.cfg["notifications.timeout"])
            except Exception:  # a notification must never stop the scheduler
                log.exception("sending a notification failed")
        if self.ui is not None:
            self.ui.show_reminder(view)

    def reminder_view(self, event) -> ReminderView:
        seconds = int(event.sitting.total_seconds())
        if seconds < 60:  # only with test-sized settings
            title = _("{seconds} s sitting — time to move", seconds=seconds)
        else:
            title = _("{minutes} min sitting — time to move", minutes=seconds // 60)
        exercise = self._suggest()
        if exercise is not None:
            self._recent.append(exercise.id)
            steps = exercise.steps(self.language)
            duration = _duration_words(exercise.duration)
            body = _("{name} ({duration}): {step}", name=exercise.name(self.language), duration=duration,
                     step=steps[0] if steps else "")
        else:
            body = _("Stand up and walk for a few minutes.")
        if not event.can_snooze:
            body += " " + _("You have snoozed {count} times in a row; no more snoozes this time.",
                            count=event.snoozes_used)
        return ReminderView(title, body, exercise.id if exercise else None, event.can_snooze)

    def _suggest(self):
        from movebreak.reports import suggest_exercise

        avoid = self.cfg["exercises.avoid_repeating"]
        try:
            suggestion = suggest_exercise(self.cfg, self.catalogue, self.store, self.clock.now(), self.tz, self.rng,
                                          recent=self._recent[-avoid:] if avoid else ())
        except Exception:  # a reminder without an exercise is better than none
            log.exception("choosing an exercise failed")
            return None
        return suggestion.first if suggestion is not None else None

    def _write_status(self, now: datetime) -> None:
        status = self.engine.status(now)
        self._status_memo = (now, status)
        self._put_state("status", {
            "state": str(status.state),
            "continuous_sitting_minutes": round(status.continuous_sitting.total_seconds() / 60, 2),
            "next_reminder_at": status.next_reminder_at.isoformat() if status.next_reminder_at else None,
            "snoozes_used": status.snoozes_used,
            "idle_seconds": round(self.last_idle.total_seconds(), 1) if self.last_idle is not None else None,
            **self.status_extra,
        })

    # --- shutting down --------------------------------------------------------------------------

    def shutdown(self) -> int:
        """Save the last heartbeat; the open span stays open so a quick restart continues it.

        Returns how many records could not be saved (0: everything is in the history)."""
        with self._lock:
            now = self.clock.now()
            with self._one_commit():
                self._heartbeat_tracked(now, force=True)
                self._put_state("engine", self.engine.snapshot().to_dict())
                self._put_state("status", {"state": "not-running"})
            if self.flush_unsaved():
                return 0
            count = len(self.unsaved)
            log.error("stopping with %d records that could not be written to the history", count)
            return count


class UnsavedWrites:
    """Writes the history refused, in memory until it takes them again.

    Ordered writes (breaks, reminders, pauses) are replayed in order; heartbeats of the same
    span and snapshots of the same state key only keep the latest, so memory stays small
    however long the disk stays full.
    """

    def __init__(self) -> None:
        self.ordered: list[tuple[Any, tuple]] = []
        self.spans: dict[datetime, tuple[SittingSpan, bool]] = {}
        self.tracked: dict[datetime, TrackedSpan] = {}
        self.state: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self.ordered) + len(self.spans) + len(self.tracked) + len(self.state)


def _duration_words(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    if seconds < 60:
        return _("{seconds} s", seconds=seconds)
    if seconds % 60:
        return _("{minutes} min {seconds} s", minutes=seconds // 60, seconds=seconds % 60)
    return _("{minutes} min", minutes=seconds // 60)


def safe(call):
    """``call()``, or None when it raised (logged at debug level)."""
    try:
        return call()
    except Exception:  # a probe problem means "unknown", never a crash
        log.debug("probe call failed", exc_info=True)
        return None


class Scheduler:
    """APScheduler: the poll job, and one-shot jobs at the engine's next deadline or on wake().

    One-shot jobs are never removed by us, only added, each with an id of its own: APScheduler
    removes a one-shot job by id after running it, and a job removed from outside while it is
    due or running makes that removal raise in APScheduler's thread, which then stops for good.
    A deadline that moved leaves its old job behind, which only ticks once more (harmless).
    """

    def __init__(self, core: AppCore, poll_every: timedelta, on_error, *, now=None) -> None:
        self.core = core
        self.poll_every = poll_every
        self.on_error = on_error
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._scheduler = None
        self._deadline: datetime | None = None  # the run time of the newest deadline job
        self._serial = itertools.count(1)

    def start(self) -> None:
        from apscheduler.executors.debug import DebugExecutor
        from apscheduler.schedulers.background import BackgroundScheduler

        # The tick runs on the scheduler's own thread: no worker pool, one wake-up per poll.
        self._scheduler = BackgroundScheduler(
            timezone=timezone.utc,
            executors={"default": DebugExecutor()},
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        )
        self._scheduler.add_job(self._tick, "interval", seconds=self.poll_every.total_seconds(), id="poll",
                                next_run_time=self._now())
        self._scheduler.start()

    def wake(self) -> None:
        """Tick now (a CLI command just wrote something for the app). Any thread."""
        self._once(self._now(), "wake")

    def _tick(self) -> None:
        try:
            self.core.tick()
        except Exception as error:  # one bad tick must not stop the next
            self.on_error(error)
        self._reschedule()

    def _reschedule(self) -> None:
        """After each tick, on the scheduler's thread: a deadline before the next poll gets a job of
        its own (unless one is already set for it); a past one is the poll's job."""
        deadline = self.core.next_deadline()
        now = self._now()
        if deadline is None or not now < deadline < now + self.poll_every or deadline == self._deadline:
            return
        self._deadline = deadline
        self._once(deadline, "deadline")

    def _once(self, when: datetime, kind: str) -> None:
        scheduler = self._scheduler
        if scheduler is None:
            return
        try:
            scheduler.add_job(self._tick, "date", run_date=when, id=f"{kind}-{next(self._serial)}")
        except Exception:  # the scheduler is shutting down: nothing left to tick
            log.debug("no %s job added", kind, exc_info=True)

    def stop(self) -> None:
        """Pause first, then shut down once no job is being run: APScheduler's shutdown marks the
        scheduler stopped before it takes its lock, and a one-shot job finishing in that moment
        cannot be removed ("No job by the id of …") and kills its thread with a traceback."""
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is None:
            return
        scheduler.pause()  # no new round of jobs starts
        with getattr(scheduler, "_jobstores_lock", threading.RLock()):
            pass  # the round in progress (and its one-shot job's removal) has finished
        scheduler.shutdown(wait=True)
