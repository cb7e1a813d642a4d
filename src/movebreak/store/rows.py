"""Stored values and rows: times as fixed-width UTC text, each row read back as a record.

A row a hand edit broke (garbage text, an impossible date, 1e300 minutes, an unknown kind)
is left out and named once, so the rest of the history still shows.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from movebreak.i18n import _
from movebreak.records import Activity, BreakKind, Intensity, Pause, Reminder, ReminderOutcome, SittingSpan

log = logging.getLogger("movebreak")
# What a hand-edited row can make the conversion to a record raise: it is skipped, never fatal.
MAX_ROWS_TOLD = 10  # unreadable rows named one by one; the rest in one more line
ROW_ERRORS = (ValueError, TypeError, OverflowError, AttributeError, RecursionError)


def to_db(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime reached the store")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def from_db(text: str | None) -> datetime | None:
    """A stored time; one without an offset (a hand edit) is read as UTC, like every stored time."""
    if text is None:
        return None
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Command:
    """A request from a CLI command to the running app (snooze, for example)."""

    id: int
    created: datetime
    kind: str
    payload: dict[str, Any]


class RowReading:
    """The Store's reading of rows into records (a mixin: it shares the Store's state)."""

    path: Path | str
    on_problem: Callable[[str], None] | None

    def _records(self, table: str, rows: list[tuple], build: Callable[[tuple], Any]) -> list[Any]:
        """Each row as a record; a row that cannot be one (garbage text, an impossible date,
        1e300 minutes, an unknown kind) is left out and named once, so the rest still shows."""
        records = []
        for row in rows:
            try:
                records.append(build(row))
            except ROW_ERRORS as error:
                self._bad_row(table, row[0], error)
        return records

    def _bad_row(self, table: str, row_id: Any, error: BaseException) -> None:
        reported = self.__dict__.setdefault("_reported_rows", set())
        if (table, row_id) in reported:
            return
        reported.add((table, row_id))
        if len(reported) > MAX_ROWS_TOLD:
            return
        reason = " ".join(str(error).split()) or type(error).__name__
        message = _("{path}: row {id} of table {table} cannot be read ({reason}); it is left out",
                    path=self.path, id=row_id, table=table, reason=reason)
        if len(reported) == MAX_ROWS_TOLD:
            message = _("{path}: row {id} of table {table} and more rows cannot be read; they are left out",
                        path=self.path, id=row_id, table=table)
        if self.on_problem is not None:
            self.on_problem(message)
        else:
            log.warning("%s", message)


def _moment(text: Any) -> datetime:
    """A stored time that must be there (NOT NULL, unless a hand edit removed it)."""
    if text is None:
        raise ValueError("no time")
    return from_db(text)


def _activity(row: tuple) -> Activity:
    aid, at, kind, exercise, minutes, intensity, note = row
    activity = Activity(
        at=_moment(at),
        kind=BreakKind(kind),
        duration=timedelta(minutes=minutes),
        exercise_id=exercise,
        intensity=Intensity(intensity) if intensity else None,
        note=note,
        id=aid,
    )
    activity.end  # noqa: B018 - raises OverflowError for an end past year 9999
    return activity


def _span(row: tuple) -> SittingSpan:
    return SittingSpan(_moment(row[1]), _moment(row[2]), row[0])


def _reminder(row: tuple) -> Reminder:
    rid, at, outcome, sitting, snooze, exercise = row
    return Reminder(
        at=_moment(at),
        outcome=ReminderOutcome(outcome),
        sitting=timedelta(minutes=sitting),
        snooze=timedelta(minutes=snooze) if snooze is not None else None,
        exercise_id=exercise,
        id=rid,
    )


def _pause(row: tuple) -> Pause:
    pid, start, end, reason = row
    pause = Pause(_moment(start), from_db(end), reason, pid)
    if pause.end is not None and pause.end < pause.start:
        raise ValueError("the pause ends before it starts")
    return pause


def _command(row: tuple) -> Command:
    cid, created, kind, payload = row
    data = json.loads(payload)
    if not isinstance(data, dict):
        raise ValueError("the payload is not a JSON object")
    return Command(cid, _moment(created), kind, data)

