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


def day_start(day: date, tz: tzinfo, starts_at: time = time(0, 0)) -> datetime:
    """When the local day ``day`` begins, in UTC."""
    local = datetime.combine(day, starts_at.replace(tzinfo=None)).replace(tzinfo=tz)
    return local.astimezone(timezone.utc)


def _day(day: date, starts_at: time, tz: tzinfo) -> tuple[datetime, datetime]:
    return day_start(day, tz, starts_at), day_start(day + timedelta(days=1), tz, starts_at)


def day_bounds(moment: datetime, tz: tzinfo, starts_at: time = time(0, 0)) -> tuple[datetime, datetime]:
    """The UTC [start, end) of the local day that holds ``moment``."""
    wall = starts_at if starts_at.tzinfo is None else starts_at.replace(tzinfo=None)
    local_date = moment.astimezone(tz).date()
    bounds = _day(local_date, wall, tz)
    if bounds[0] > moment:
        bounds = _day(local_date - timedelta(days=1), wall, tz)
    return bounds


class DayCalendar:
    """The local days of one zone and start time, remembering the last day it found.

    The engine asks about the same day several times a tick, and each fresh answer costs five
    zone conversions. The memory belongs to its owner (one engine, under the app's lock),
    not to the module: nothing is shared between threads, and a new zone gets a new calendar.
    """

    def __init__(self, tz: tzinfo, starts_at: time = time(0, 0)) -> None:
        self.tz = tz
        self.starts_at = starts_at
        self._last: tuple[datetime, datetime] | None = None

    def bounds(self, moment: datetime) -> tuple[datetime, datetime]:
        last = self._last
        if last is not None and last[0] <= moment < last[1]:
            return last
        self._last = day_bounds(moment, self.tz, self.starts_at)
        return self._last

    def next_start(self, moment: datetime) -> datetime:
        return self.bounds(moment)[1]


def local_day(moment: datetime, tz: tzinfo, starts_at: time = time(0, 0)) -> date:
    """The calendar date a moment counts towards (the date its day started on)."""
    return day_bounds(moment, tz, starts_at)[0].astimezone(tz).date()


def next_day_start(moment: datetime, tz: tzinfo, starts_at: time = time(0, 0)) -> datetime:
    """When "until tomorrow" ends: the start of the next local day, in UTC."""
    return day_bounds(moment, tz, starts_at)[1]
