"""The history as CSV or JSON, for the user's own records or another tool (``movebreak export``)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time, timezone, tzinfo
from typing import Any

from movebreak import limits
from movebreak.environment import Environment
from movebreak.errors import MovebreakError
from movebreak.i18n import _
from movebreak.store import Store
from movebreak.usecases.history import open_store

FAR_FUTURE = datetime(9999, 1, 1, tzinfo=timezone.utc)
CSV_COLUMNS = ("record", "start", "end", "minutes", "kind", "exercise_id", "intensity", "outcome", "note")


def export_history(env: Environment, *, fmt: str = "json", since: str | None = None) -> str:
    """The history (from the local date ``since`` on, e.g. "2026-11-01") as CSV or JSON text."""
    from movebreak.timeparse import parse_date

    first = None
    if since:
        try:
            first = parse_date(since)
        except ValueError as error:
            raise MovebreakError(_("--since: {reason}", reason=error)) from None
        first = limits.since_date(first)  # before 1970: everything
    with open_store(env, mode="read") as store:
        return (export_csv if fmt == "csv" else export_json)(store, since=first, tz=env.tz, now=env.clock.now())


def save_export(path: str, text: str):
    """Write the export to exactly the user's file ``path`` (or pipe, or terminal); a new file is
    0600, as it holds the history. Returns the written file's stat."""
    from pathlib import Path

    from movebreak.storage_files import write_user_file

    return write_user_file(Path(path).expanduser(), text.encode("utf-8"), private=True)


def _since(since: date | None, tz: tzinfo) -> datetime:
    if since is None:
        return datetime(1970, 1, 1, tzinfo=timezone.utc)
    return datetime.combine(since, time(0)).replace(tzinfo=tz).astimezone(timezone.utc)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z") if moment else None


def collect(store: Store, *, since: date | None, tz: tzinfo, now: datetime) -> dict[str, list[dict[str, Any]]]:
    start = _since(since, tz)
    return {
        "sitting_spans": [
            {"start": _iso(s.start), "end": _iso(s.end), "minutes": round(s.duration.total_seconds() / 60, 2)}
            for s in store.spans_between(start, FAR_FUTURE)
        ],
        "activities": [
            {
                "start": _iso(a.at), "end": _iso(a.end), "minutes": round(a.duration.total_seconds() / 60, 2),
                "kind": a.kind.value, "exercise_id": a.exercise_id,
                "intensity": a.intensity.value if a.intensity else None, "note": a.note,
            }
            for a in store.activities_between(start, FAR_FUTURE)
        ],
        "reminders": [
            {
                "start": _iso(r.at), "outcome": r.outcome.value,
                "sitting_minutes": round(r.sitting.total_seconds() / 60, 2),
                "snooze_minutes": round(r.snooze.total_seconds() / 60, 2) if r.snooze is not None else None,
                "exercise_id": r.exercise_id,
            }
            for r in store.reminders_between(start, FAR_FUTURE)
        ],
        "pauses": [
            {"start": _iso(p.start), "end": _iso(p.end), "reason": p.reason}
            for p in store.pauses_between(start, FAR_FUTURE)
        ],
    }


def export_json(store: Store, *, since: date | None, tz: tzinfo, now: datetime) -> str:
    data = {"exported_at": _iso(now), "since": since.isoformat() if since else None,
            **collect(store, since=since, tz=tz, now=now)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def export_csv(store: Store, *, since: date | None, tz: tzinfo, now: datetime) -> str:
    """One table with a ``record`` column: sitting, activity, reminder or pause."""
    data = collect(store, since=since, tz=tz, now=now)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record, rows in (("sitting", data["sitting_spans"]), ("activity", data["activities"]),
                         ("reminder", data["reminders"]), ("pause", data["pauses"])):
        for row in rows:
            writer.writerow({key: _inert(value) for key, value in {"record": record, **row}.items()})
    return buffer.getvalue()


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); a tab
# or carriage return in front hides one. Such text gets a leading apostrophe, as OWASP advises:
# the cell shows as text. Numbers and times never start with them; the JSON export stays exact.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
