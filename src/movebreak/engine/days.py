"""Local calendar days for a UTC timeline: where a day starts when it starts at ``day_starts_at``.

Everything inside the engine is UTC; only the question "which day is this?" needs local time.
A day starts at ``day_starts_at`` local time (00:00 unless configured, e.g. 04:00 so that
working past midnight still belongs to the evening before). On DST days a day is 23 or 25
hours long; if ``day_starts_at`` falls into the spring-forward gap, that day starts where
zoneinfo's fold=0 reading puts it (02:30 in Berlin -> 03:30 CEST), and the bounds still always
satisfy ``start <= moment < end``. The weekly summary draws its days with the same functions.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache


def day_start(day: date, tz: tzinfo, starts_at: time = time(0, 0)) -> datetime:
    """When the local day ``day`` begins, in UTC."""
    local = datetime.combine(day, starts_at.replace(tzinfo=None)).replace(tzinfo=tz)
    return local.astimezone(timezone.utc)


# The running app asks about the same day several times a tick, and each answer costs five
# zone conversions; a day found is remembered (bounded, and safe to share between threads:
# the answer depends on the arguments alone). ``fold`` is part of the key because times that
# differ only in fold compare equal, yet name different moments on the day the clocks go back.
@lru_cache(maxsize=64)
def _day(day: date, starts_at: time, fold: int, tz: tzinfo) -> tuple[datetime, datetime]:
    return day_start(day, tz, starts_at), day_start(day + timedelta(days=1), tz, starts_at)


def day_bounds(moment: datetime, tz: tzinfo, starts_at: time = time(0, 0)) -> tuple[datetime, datetime]:
    """The UTC [start, end) of the local day that holds ``moment``."""
    wall = starts_at if starts_at.tzinfo is None else starts_at.replace(tzinfo=None)
    local_date = moment.astimezone(tz).date()
    bounds = _day(local_date, wall, wall.fold, tz)
    if bounds[0] > moment:
        bounds = _day(local_date - timedelta(days=1), wall, wall.fold, tz)
    return bounds


def local_day(moment: datetime, tz: tzinfo, starts_at: time = time(0, 0)) -> date:
    """The calendar date a moment counts towards (the date its day started on)."""
    return day_bounds(moment, tz, starts_at)[0].astimezone(tz).date()


def next_day_start(moment: datetime, tz: tzinfo, starts_at: time = time(0, 0)) -> datetime:
    """When "until tomorrow" ends: the start of the next local day, in UTC."""
    return day_bounds(moment, tz, starts_at)[1]
