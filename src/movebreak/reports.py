"""Load records from the history and hand them to the pure summary accounting."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, tzinfo

from movebreak.store import Store


def week_summary(
    store: Store,
    week,
    tz: tzinfo,
    *,
    day_starts_at: time = time(0),
    weeks_back: int = 0,
    exercise_names: Mapping[str, str] | None = None,
):
    """The summary of ``week`` (an IsoWeek), with ``weeks_back`` earlier weeks for comparison."""
    from movebreak.summary.accounting import build_history, build_week, history_range

    start, end = history_range(week, tz, weeks_back=weeks_back, day_starts_at=day_starts_at)
    records = dict(
        spans=store.spans_between(start, end),
        activities=store.activities_between(start, end),
        reminders=store.reminders_between(start, end),
        tracked=store.tracked_between(start, end),
        day_starts_at=day_starts_at,
        exercise_names=exercise_names or {},
    )
    if weeks_back == 0:
        return build_week(week, tz, **records)
    weeks = [week]
    for _ in range(weeks_back):
        weeks.insert(0, weeks[0].previous())
    return build_history(weeks, tz, **records)[-1]


def current_week(now: datetime, tz: tzinfo, day_starts_at: time = time(0)):
    """The ISO week of the local day that ``now`` falls on (days start at day_starts_at)."""
    from datetime import timedelta

    from movebreak.summary.accounting import IsoWeek

    local = now.astimezone(tz)
    if local.time().replace(tzinfo=None) < day_starts_at:
        local -= timedelta(days=1)
    return IsoWeek.containing(local.date())
