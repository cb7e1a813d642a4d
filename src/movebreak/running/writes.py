"""Where the running app's records go: one commit per tick or action, and what the disk refused.

Everything a tick or a user action writes is one unit of work (``HistoryWriter.one_commit``),
committed when it ends: a kill can never leave half of it, such as a span cut short for a
break that is not there. Each write is a ``Step``; the writer's methods name the table each
record goes to. A commit the machine refuses (a full or read-only disk) keeps its steps in
``UnsavedWrites``: the user is told once, reminders go on, and the steps are written again,
oldest first, before anything new (``flush``); the user is told once more when they are in.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Callable, NamedTuple

from movebreak.i18n import _
from movebreak.records import Activity, Pause, Reminder, SittingSpan, TrackedSpan
from movebreak.running.safe import safe
from movebreak.store import is_storage_fault

log = logging.getLogger("movebreak")


class Step(NamedTuple):
    """One write of a unit of work.

    ``key`` None: a write in order with the others (a break, a reminder, a pause, an answer).
    ``key`` ``(table, which)``: a snapshot (a span's or tracked time's heartbeat, a state key); a
    later step with the same key replaces the earlier one, in the unit and in memory.
    ``write()`` runs inside the commit; ``on_saved(result)`` once it is committed (ids come from there).
    """

    key: tuple[str, Any] | None
    write: Callable[[], Any]
    on_saved: Callable[[Any], None] | None = None


class UnsavedWrites:
    """Writes the history refused, in memory until it takes them again.

    Ordered writes (breaks, reminders, pauses) are replayed in order; heartbeats of the same
    span and snapshots of the same state key only keep the latest, so memory stays small
    however long the disk stays full.
    """

    def __init__(self) -> None:
        self.ordered: list[Step] = []
        # replayed after the ordered writes, table by table in this order
        self.latest: dict[str, dict[Any, Step]] = {"span": {}, "tracked": {}, "state": {}}

    def keep(self, step: Step) -> None:
        if step.key is None:
            self.ordered.append(step)
        else:
            table, which = step.key
            self.latest[table][which] = step

    def __len__(self) -> int:
        return len(self.ordered) + sum(len(table) for table in self.latest.values())


class HistoryWriter:
    """The unit of work of a tick or an action, and the writes the disk refused.

    ``on_history_changed`` is called after each ordered write is in the history (breaks may
    have changed: the week's figures are computed again). ``ui`` is told about storage
    problems and refreshed after a commit that follows what the engine said.
    """

    def __init__(self, store, *, on_history_changed: Callable[[], None]) -> None:
        self.store = store
        self.on_history_changed = on_history_changed
        self.ui = None
        self.unsaved = UnsavedWrites()
        self.storage_problem: str | None = None  # set while the history cannot be written
        self._unit: list[Step] | None = None  # the open unit of work
        self._new_row = False  # the open unit inserts a span: checkpoint after it (see _commit)
        self._refresh_due = False

    # --- what goes where ------------------------------------------------------------------------

    def add_activity(self, activity: Activity, on_saved: Callable[[Activity], None]) -> None:
        self._step(Step(None, lambda: self.store.add_activity(activity), on_saved))

    def set_activity_kind(self, activity_id: int, kind) -> None:
        self._step(Step(None, lambda: self.store.set_activity_kind(activity_id, kind)))

    def add_reminder(self, reminder: Reminder) -> None:
        self._step(Step(None, lambda: self.store.add_reminder(reminder)))

    def add_pause(self, pause: Pause) -> None:
        self._step(Step(None, lambda: self.store.add_pause(pause)))

    def end_pauses(self, at) -> None:
        self._step(Step(None, lambda: self.store.end_pauses(at)))

    def answer_command(self, command_id: int, answer: dict[str, Any]) -> None:
        self._step(Step(None, lambda: self.store.answer_command(command_id, answer)))

    def save_span(self, span: SittingSpan, *, closed: bool, on_saved: Callable[[SittingSpan], None]) -> None:
        self._new_row = self._new_row or span.id is None
        self._step(Step(("span", span.start), lambda: self.store.save_span(span, closed=closed), on_saved))

    def save_tracked(self, span: TrackedSpan, on_saved: Callable[[TrackedSpan], None]) -> None:
        self._new_row = self._new_row or span.id is None
        self._step(Step(("tracked", span.start), lambda: self.store.save_tracked(span), on_saved))

    def put_state(self, key: str, value: Any) -> None:
        self._step(Step(("state", key), lambda: self.store.put_state(key, value)))

    # --- one commit per tick or action ------------------------------------------------------------

    @contextmanager
    def one_commit(self):
        """Everything written inside goes to the history in one commit at the end (a tick, a user
        action). Opened inside another, it joins that one."""
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

    def refresh_when_committed(self) -> None:
        """What the engine said is in this unit: the UI is refreshed once it is committed."""
        self._refresh_due = True

    def _step(self, step: Step) -> None:
        """One write of the open unit (or a unit of its own)."""
        if self._unit is None:
            with self.one_commit():
                self._step(step)
            return
        if step.key is not None:
            self._unit[:] = [other for other in self._unit if other.key != step.key]
        self._unit.append(step)

    def _commit(self, steps: list[Step]) -> None:
        if not steps:
            return
        results: list[Any] = []

        def write() -> None:
            with self.store.transaction():  # each write below joins this one commit
                for step in steps:
                    results.append(step.write())

        # Earlier refused writes go first (flush, each tick): until then new ones wait with them.
        if self.unsaved or not self.try_write(write):
            for step in steps:
                self.unsaved.keep(step)
            return
        for step, result in zip(steps, results):
            self._saved(step, result)
        if self._new_row or any(step.key is None for step in steps):
            # a break, a reminder, a pause, an answer or a new span: in the history file itself at
            # once, so that a -wal removed or cut short later cannot take it along (a heartbeat
            # need not: the next one writes the same row's end again)
            self._new_row = False
            safe(self.store.checkpoint)

    def _saved(self, step: Step, result: Any) -> None:
        if step.on_saved is not None:
            step.on_saved(result)
        if step.key is None:
            self.on_history_changed()

    # --- when the machine refuses ----------------------------------------------------------------

    def try_write(self, call) -> bool:
        """Run one write; False (and the user told once) when the machine refused it."""
        try:
            call()
            return True
        except Exception as error:
            if not is_storage_fault(error):
                raise
            self.storage_failed(error)
            return False

    def check_history_files(self) -> None:
        """The -wal or -shm removed or replaced under the app: the store saves what its
        connection holds into the history file and opens it again (a few stat() calls a tick)."""
        check = getattr(self.store, "check_files", None)
        if check is not None:
            self.try_write(check)

    def storage_failed(self, error: BaseException) -> None:
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

    def flush(self) -> bool:
        """Write what a storage fault kept in memory, oldest first; True when nothing is left."""
        pending = self.unsaved
        if not pending:
            return True
        while pending.ordered:
            step = pending.ordered[0]
            if not self.try_write(lambda: self._saved(step, step.write())):
                return False
            pending.ordered.pop(0)
        for table in pending.latest.values():
            while table:
                step = table[next(iter(table))]
                if not self.try_write(lambda: self._saved(step, step.write())):
                    return False
                del table[step.key[1]]
        if self.storage_problem is not None:
            self.storage_problem = None
            message = _("movebreak can write the history again; everything kept in memory was saved.")
            log.warning("%s", message)
            if self.ui is not None:
                safe(lambda: self.ui.notice(message))
        return True
