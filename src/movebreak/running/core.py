"""``AppCore``: everything the running app does on a tick or a user action, under one lock.

It has no threads of its own, so tests drive it with a simulated clock; ``Scheduler`` runs
its ticks. It wires the parts that own the work and only delegates:

- ``HistoryWriter`` (writes.py): one commit per tick or action; what the disk refused;
- ``EventRecorder``, ``TrackedTime`` (recorder.py): the engine's events as records and reminders;
- ``OutsideChanges`` (outside.py): what CLI commands wrote, for the engine to follow;
- ``ReminderPresenter`` (reminders.py): a reminder's words and where it is shown;
- ``StatusCache`` (status.py): the status snapshot and line, cheap to ask again.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from movebreak import limits
from movebreak.clock import Clock
from movebreak.i18n import _
from movebreak.idle.sparse import SparseIdle
from movebreak.records import Activity, Pause
from movebreak.running.interface import ReminderView, UserInterface
from movebreak.running.outside import COMMAND_ERRORS, CommandRequest, OutsideChanges, refused
from movebreak.running.recorder import EventRecorder, TrackedTime
from movebreak.running.reminders import ReminderPresenter
from movebreak.running.safe import safe
from movebreak.running.status import StatusCache, status_line, status_snapshot
from movebreak.running.writes import HistoryWriter, UnsavedWrites
from movebreak.settings import AppSettings
from movebreak.usecases.breaks import new_break
from movebreak.usecases.reminders import pause_until
from movebreak.store import is_storage_fault

log = logging.getLogger("movebreak")


class AppCore:
    """One tick of the app, and every user action, under one lock."""

    def __init__(
        self,
        *,
        settings: AppSettings,
        store,
        clock: Clock,
        tz,
        probe,
        notifier,
        catalogue,
        language: str,
        rng: random.Random | None = None,
        quiet=None,
        settings_file=None,
    ) -> None:
        from movebreak.engine.engine import Engine

        self.settings = settings  # built once from the config (AppSettings.from_config)
        self.store = store
        self.clock = clock
        self.tz = tz
        self.probe = probe
        self.notifier = notifier
        self.catalogue = catalogue
        self._rules = None  # summary rules, built on first use
        self._quiet = quiet  # what may hold a due reminder (running/quiet.py), or None
        self._settings_file = settings_file  # the config file followed while running (settings_file.py), or None
        self.wake: Callable[[], None] = lambda: None  # tick soon (the scheduler's wake, once it runs)
        self.language = language
        self.rng = rng or random.Random()
        self._ui: UserInterface | None = None
        self._lock = threading.RLock()
        self.outside = OutsideChanges(store)
        self._status = StatusCache()
        self.writer = HistoryWriter(store, on_history_changed=self._status.history_changed)
        self.reminders = ReminderPresenter(settings=settings, notifier=notifier, catalogue=catalogue, store=store,
                                           clock=clock, tz=tz, language=language, rng=self.rng)
        self.reminders.answer_with(self, self._lock)  # the notification's buttons
        self._idle = SparseIdle(probe, threshold=settings.engine.natural_break_after)
        now, mono = clock.now(), clock.monotonic()
        restore, span = _saved_engine(store)
        self.engine = Engine(settings.engine, tz, at=now, monotonic=mono, boottime=safe(clock.boottime),
                             restore=restore)
        self.recorder = EventRecorder(engine=self.engine, writer=self.writer, reminders=self.reminders,
                                      clock=clock, span=span, on_own_activity=self.outside.note_own)
        self._tracked = TrackedTime(self.writer, now)
        self.last_idle: timedelta | None = None
        # written with every status snapshot: how a CLI command can wake this app (see startup)
        self.status_extra: dict[str, Any] = {}

    # --- what the tray, terminal mode and tests read ------------------------------------------

    @property
    def ui(self) -> UserInterface | None:
        return self._ui

    @ui.setter
    def ui(self, ui: UserInterface | None) -> None:
        self._ui = self.writer.ui = self.reminders.ui = ui

    @property
    def current_reminder(self) -> ReminderView | None:
        return self.reminders.current

    @property
    def storage_problem(self) -> str | None:
        """Set while the history cannot be written (the records wait in ``unsaved``)."""
        return self.writer.storage_problem

    @property
    def unsaved(self) -> UnsavedWrites:
        return self.writer.unsaved

    # --- ticks ------------------------------------------------------------------------------

    def tick(self) -> None:
        from movebreak.engine.engine import Sample

        with self._lock:
            now, mono, boot = self.clock.now(), self.clock.monotonic(), safe(self.clock.boottime)
            self.writer.check_history_files()
            self.writer.flush()
            self._follow_settings()
            idle = safe(lambda: self._idle.idle(now, mono))
            locked = bool(safe(self.probe.locked))
            quiet = None
            if self.engine.reminder_is_due():
                # only now: a fresh idle reading (a pause in typing?) and the quiet sources
                idle = safe(lambda: self._idle.fresh(now, mono))
                quiet = safe(self._quiet_reason)
            if (idle is not None and idle >= self.settings.engine.natural_break_after and not locked
                    and self.engine.present and self._quiet is not None
                    and (quiet == "call" or safe(self._quiet.in_call))):  # one /proc scan when it just said so
                idle = timedelta(0)  # listening in a call is sitting, not a break away (asked only then)
            self.last_idle = self._idle.measured
            with self.writer.one_commit():
                self._handle(self.engine.tick(Sample(at=now, monotonic=mono, idle=idle, locked=locked,
                                                     boottime=boot, quiet=quiet)))
                self._follow_outside_changes(now)
                self._tracked.heartbeat(now)
                self._write_status(now)
            self._tracked.ticked(now)

    def _follow_settings(self) -> None:
        """The config file changed (by hand, or the settings window saved it): use it now."""
        reload = safe(self._settings_file.changed) if self._settings_file is not None else None
        if reload is None:
            return
        self.apply_settings(reload.settings, reload.language)
        log.info("settings reloaded from the config file")
        if reload.problems and self._ui is not None:
            more = len(reload.problems) - 1
            self._ui.notice(reload.problems[0] + (_(" (and {count} more)", count=more) if more else ""))

    def apply_settings(self, settings: AppSettings, language: str) -> None:
        """Use other settings from now on, without a restart: the sitting so far, a reminder
        showing, snoozes used and a pause stay; what derives from the settings follows."""
        from movebreak.i18n import set_language

        with self._lock:
            self.settings = self.reminders.settings = settings
            if language != self.language:
                set_language(language)
                self.language = self.reminders.language = language
            self._idle.threshold = settings.engine.natural_break_after
            if hasattr(self.probe, "retune"):  # a probe told its thresholds (Wayland idle notifications)
                self.probe.retune(pause=settings.engine.wait_for_pause, away=settings.engine.natural_break_after)
            if self._quiet is not None and hasattr(self._quiet, "use"):
                self._quiet.use(settings.quiet.during)
            self._rules = None  # the week's figures count by the new goals
            self._status.history_changed()
            self._handle(self.engine.change(settings=settings.engine))
            if self._ui is not None:
                self._ui.refresh(force=True)

    def _quiet_reason(self) -> str | None:
        """Why a due reminder should wait (do-not-disturb, fullscreen, a call), or None."""
        return self._quiet.check() if self._quiet is not None else None

    def next_deadline(self) -> datetime | None:
        with self._lock:
            return self.engine.next_deadline()

    def flush_unsaved(self) -> bool:
        """Write what a storage fault kept in memory, oldest first; True when nothing is left."""
        with self._lock:
            return self.writer.flush()

    def _follow_outside_changes(self, now: datetime) -> None:
        """CLI commands write to the history; the engine follows what they changed since the last tick."""
        try:
            if not self.outside.anything_new():
                return
            self._status.history_changed()
            for activity in self.outside.new_breaks():
                self._handle(self.engine.log_break(activity), stored=activity)
            change = self.outside.pause_change(now, self.engine.status(now))
            if change is not None and change.pause is not None:
                self._handle(self.engine.pause(now, change.pause.end, change.pause.reason), persist_pauses=False)
            elif change is not None:
                self._handle(self.engine.resume(now), persist_pauses=False)
            for request in self.outside.take_commands(self.settings.engine):
                self.writer.answer_command(request.id, self._carry_out(request, now))
        except Exception as error:
            if not is_storage_fault(error):
                raise
            self.writer.storage_failed(error)  # the CLI's changes are read at a later tick

    def _carry_out(self, request: CommandRequest, now: datetime) -> dict[str, Any]:
        """Carry out a CLI command; the answer the CLI prints (it waits for it)."""
        if request.answer is not None:
            return request.answer
        try:
            self._handle(self.engine.snooze(now, request.duration))  # a snooze: see outside.request
            until = self.engine.status(now).snoozed_until
            return {"ok": True, "until": until.isoformat() if until else None}
        except COMMAND_ERRORS as error:
            return refused(request.id, request.kind, error).answer

    # --- user actions (tray, terminal) ------------------------------------------------------

    def log_break(self, exercise_id: str | None = None, minutes: float | None = None) -> Activity:
        if minutes is not None:  # the tray and terminal mode: the limits of `movebreak log --minutes`
            minutes = limits.break_minutes(minutes, "break")
        with self._lock:
            self.recorder.last_added = None
            with self.writer.one_commit():
                now = self.clock.now()
                exercise = self.catalogue.get(exercise_id) if exercise_id else None
                activity = new_break(now, exercise=exercise, minutes=minutes)  # as `movebreak log` makes it
                self._handle(self.engine.log_break(activity))
                self._write_status(now)
            return self.recorder.last_added or activity  # as saved (with its id), or as the engine logged it

    def snooze(self, minutes: float | None = None) -> None:
        if minutes is not None:  # the limits of `movebreak snooze`
            minutes = limits.snooze_minutes(minutes, limits.longest_snooze(self.settings.engine), "snooze")
        with self._lock, self.writer.one_commit():
            now = self.clock.now()
            duration = timedelta(minutes=minutes) if minutes is not None else self.settings.engine.snooze
            self._handle(self.engine.snooze(now, duration))
            self._write_status(now)

    def skip(self) -> None:
        with self._lock, self.writer.one_commit():
            now = self.clock.now()
            self._handle(self.engine.skip(now))
            self._write_status(now)

    def pause(self, duration: timedelta | None, *, until_tomorrow: bool = False) -> datetime | None:
        if duration is not None and not until_tomorrow:  # the limits of `movebreak pause`
            duration = limits.pause_duration(duration, "pause")
        with self._lock, self.writer.one_commit():
            now = self.clock.now()
            until = pause_until(now, self.tz, self.settings.day_starts_at, duration=duration,
                                until_tomorrow=until_tomorrow)  # as `movebreak pause` does
            self.writer.add_pause(Pause(now, until, "app"))
            self._handle(self.engine.pause(now, until, "app"), persist_pauses=False)
            self._write_status(now)
            return until

    def resume(self) -> None:
        with self._lock, self.writer.one_commit():
            now = self.clock.now()
            self.writer.end_pauses(now)
            self._handle(self.engine.resume(now), persist_pauses=False)
            self._write_status(now)

    def set_timezone(self, tz) -> None:
        """The desktop's time zone changed: working hours and day bounds follow; records stay UTC."""
        with self._lock, self.writer.one_commit():
            self.tz = tz
            self.reminders.set_timezone(tz)
            self._handle(self.engine.set_timezone(tz))

    def status(self):
        """The engine's status now; the one the last tick or action computed when under a second
        old and nothing changed the engine since (the tray asks right after every tick)."""
        with self._lock:
            now = self.clock.now()
            recent = self._status.recent(now)
            return recent if recent is not None else self.engine.status(now)

    def handle_text_command(self, line: str) -> str | None:
        """Terminal mode's one-letter commands."""
        from movebreak.running.text_commands import handle_text_command

        return handle_text_command(self, line)

    def status_line(self) -> str:
        status = self.status()
        now = self.clock.now()
        active, strength = self._status.week_figures(self.store, now, self.tz, self._summary_rules())
        return status_line(status, now, active, strength)

    def _summary_rules(self):
        """How the week is counted (built again when the settings change; the catalogue does not)."""
        if self._rules is None:
            from movebreak.reports import summary_rules

            self._rules = summary_rules(self.settings, self.catalogue)
        return self._rules

    # --- between the engine and the rest --------------------------------------------------------

    def _handle(self, events: list[Any], *, stored: Activity | None = None, persist_pauses: bool = True) -> None:
        self._status.forget()
        self.recorder.handle(events, stored=stored, persist_pauses=persist_pauses)
        self.reminders.settle()  # a reminder answered any other way leaves the screen

    def _write_status(self, now: datetime) -> None:
        status = self.engine.status(now)
        self._status.remember(now, status)
        self.writer.put_state("status", status_snapshot(status, self.last_idle, self.status_extra))

    # --- shutting down --------------------------------------------------------------------------

    def shutdown(self) -> int:
        """Save the last heartbeat; the open span stays open so a quick restart continues it.

        Returns how many records could not be saved (0: everything is in the history)."""
        with self._lock:
            safe(self.reminders.withdraw)  # its buttons would answer nobody
            if self._quiet is not None and hasattr(self._quiet, "close"):
                safe(self._quiet.close)  # the quiet sources' X connection
            now = self.clock.now()
            with self.writer.one_commit():
                self._tracked.heartbeat(now, force=True)
                self.writer.put_state("engine", self.engine.snapshot().to_dict())
                self.writer.put_state("status", {"state": "not-running"})
            if self.flush_unsaved():
                return 0
            count = len(self.unsaved)
            log.error("stopping with %d records that could not be written to the history", count)
            return count


def _saved_engine(store):
    """The engine's saved state (None when there is none or it cannot be read), and the open
    sitting span it continues (None when the history's open span is another)."""
    from movebreak.engine.engine import Restore

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
        return restore, open_span  # the engine continues this row
    return restore, None
