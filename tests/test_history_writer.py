"""The running app's unit of work on a stand-in history: one commit, what the disk refused, the order
it is written again in, and when the user is told. The real history is in test_reliability_resources.py."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from movebreak.records import Activity, BreakKind, SittingSpan, TrackedSpan
from movebreak.running.writes import HistoryWriter

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
MIN = timedelta(minutes=1)


class History:
    """Records each commit's writes; refuses them all while ``full``."""

    path = "/stand-in/history.sqlite3"

    def __init__(self) -> None:
        self.full = False
        self.commits: list[list[tuple]] = []
        self.checkpoints = 0
        self._open: list[tuple] | None = None
        self._next_id = 1

    @contextmanager
    def transaction(self):
        if self._open is not None:
            yield
            return
        self._open = []
        try:
            yield
            self.commits.append(self._open)
        finally:
            self._open = None

    def _write(self, *record):
        if self.full:
            raise sqlite3.OperationalError("database or disk is full")
        with self.transaction():
            self._open.append(record)
        self._next_id += 1
        return self._next_id - 1

    def add_activity(self, activity: Activity) -> Activity:
        return replace(activity, id=self._write("activity", activity.at))

    def save_span(self, span: SittingSpan, *, closed: bool) -> SittingSpan:
        new_id = self._write("span", span.start, span.end, closed)
        return span if span.id is not None else replace(span, id=new_id)

    def save_tracked(self, span: TrackedSpan) -> TrackedSpan:
        new_id = self._write("tracked", span.start, span.end)
        return span if span.id is not None else replace(span, id=new_id)

    def put_state(self, key: str, value) -> None:
        self._write("state", key, value)

    def add_reminder(self, reminder) -> None:
        self._write("reminder", reminder)

    def checkpoint(self) -> None:
        self.checkpoints += 1


class UI:
    def __init__(self) -> None:
        self.notices: list[str] = []
        self.refreshes = 0

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def refresh(self) -> None:
        self.refreshes += 1


def writer_on(history: History) -> tuple[HistoryWriter, UI, list[int]]:
    changes: list[int] = []
    writer = HistoryWriter(history, on_history_changed=lambda: changes.append(1))
    writer.ui = ui = UI()
    return writer, ui, changes


def a_break(at: datetime) -> Activity:
    return Activity(at=at, kind=BreakKind.LOGGED, duration=5 * MIN)


def test_a_unit_is_one_commit_and_the_latest_snapshot_of_a_key_replaces_earlier_ones():
    history = History()
    writer, ui, changes = writer_on(history)
    saved: list[Activity] = []
    with writer.one_commit():
        writer.save_span(SittingSpan(T0, T0 + MIN, id=4), closed=False, on_saved=lambda span: None)
        writer.put_state("status", {"n": 1})
        writer.add_activity(a_break(T0), saved.append)
        assert saved == [], "ids come after the commit"
        writer.save_span(SittingSpan(T0, T0 + 2 * MIN, id=4), closed=False, on_saved=lambda span: None)
        writer.put_state("status", {"n": 2})
        writer.refresh_when_committed()
        assert history.commits == [] and ui.refreshes == 0
    assert history.commits == [[("activity", T0), ("span", T0, T0 + 2 * MIN, False), ("state", "status", {"n": 2})]]
    assert [activity.id for activity in saved] == [1]
    assert changes == [1], "a break changed the history"
    assert history.checkpoints == 1, "a break is checkpointed at once"
    assert ui.refreshes == 1


def test_a_heartbeat_alone_is_not_checkpointed_but_a_new_row_is():
    history = History()
    writer, _ui, changes = writer_on(history)
    writer.save_span(SittingSpan(T0, T0 + MIN, id=4), closed=False, on_saved=lambda span: None)
    assert history.checkpoints == 0 and changes == []
    writer.save_tracked(TrackedSpan(T0, T0), on_saved=lambda span: None)
    assert history.checkpoints == 1 and len(history.commits) == 2


def test_refused_writes_are_kept_told_once_and_written_again_oldest_first():
    history = History()
    writer, ui, changes = writer_on(history)
    saved: list[Activity] = []
    history.full = True
    for minute in range(3):  # three ticks on a full disk
        now = T0 + minute * MIN
        with writer.one_commit():
            writer.save_tracked(TrackedSpan(T0, now, id=9), on_saved=lambda span: None)
            writer.put_state("status", {"minute": minute})
            writer.save_span(SittingSpan(T0, now, id=5), closed=False, on_saved=lambda span: None)
            writer.add_activity(a_break(now), saved.append)
        assert writer.flush() is False
    assert len(ui.notices) == 1 and "cannot write the history" in ui.notices[0]
    assert history.path in writer.storage_problem
    assert len(writer.unsaved) == 3 + 3  # every break; only the latest span, tracked time and status
    assert history.commits == [] and saved == []

    history.full = False
    with writer.one_commit():  # a new unit waits behind what is kept in memory
        writer.add_activity(a_break(T0 + 10 * MIN), saved.append)
    assert history.commits == [] and len(writer.unsaved) == 7
    assert writer.flush() is True
    written = [commit[0] for commit in history.commits]
    assert written == [("activity", T0), ("activity", T0 + MIN), ("activity", T0 + 2 * MIN),
                       ("activity", T0 + 10 * MIN), ("span", T0, T0 + 2 * MIN, False),
                       ("tracked", T0, T0 + 2 * MIN), ("state", "status", {"minute": 2})]
    assert [activity.id for activity in saved] == [1, 2, 3, 4]
    assert len(changes) == 4
    assert writer.storage_problem is None and len(writer.unsaved) == 0
    assert len(ui.notices) == 2 and "can write the history again" in ui.notices[1]
    assert writer.flush() is True and len(ui.notices) == 2, "said once"
