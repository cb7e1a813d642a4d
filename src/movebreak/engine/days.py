"""Local calendar days for a UTC timeline: where a day starts when it starts at ``day_starts_at``.

Everything inside the engine is UTC; only the question "which day is this?" needs local time.
A day starts at ``day_starts_at`` local time (00:00 unless configured, e.g. 04:00 so that
working past midnight still belongs to the evening before). On DST days a day is 23 or 25
hours long; if ``day_starts_at`` falls into the spring-forward gap, that day starts where
zoneinfo's fold=0 reading puts it (02:30 in Berlin -> 03:30 CEST), and the bounds still always
satisfy ``start <= moment < end``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo


def _local_start(day: date, starts_at: time, tz: tzinfo) -> datetime:
    return datetime.combine(day, starts_at).replace(tzinfo=tz).astimezone(timezone.utc)


# The last day found per (zone, start time): the running app asks about the same day several
# times a tick, and each answer costs five zone conversions. Days tile the timeline (a day
# ends where the next starts), so any moment inside a known [start, end) has that answer.
_LAST_DAY: dict[tuple[tzinfo, time], tuple[datetime, datetime]] = {}


def day_bounds(moment: datetime, tz: tzinfo, starts_at: time = time(0, 0)) -> tuple[datetime, datetime]:
    """The UTC [start, end) of the local day that holds ``moment``."""
    key = (tz, starts_at)
    known = _LAST_DAY.get(key)
    if known is not None and known[0] <= moment < known[1]:
        return known
    local_date = moment.astimezone(tz).date()
    start = _local_start(local_date, starts_at, tz)
    if start > moment:
        end = start
        start = _local_start(local_date - timedelta(days=1), starts_at, tz)
    else:
        end = _local_start(local_date + timedelta(days=1), starts_at, tz)
    if len(_LAST_DAY) > 32:  # many zones (tests): forget, do not grow
        _LAST_DAY.clear()
    _LAST_DAY[key] = (start, end)
    return start, end


def local_day(moment: datetime, tz: tzinfo, starts_at: time = time(0, 0)) -> date:
    """The calendar date a moment counts towards (the date its day started on)."""
    return day_bounds(moment, tz, starts_at)[0].astimezone(tz).date()


def next_day_start(moment: datetime, tz: tzinfo, starts_at: time = time(0, 0)) -> datetime:
    """When "until tomorrow" ends: the start of the next local day, in UTC."""
    return day_bounds(moment, tz, starts_at)[1]
