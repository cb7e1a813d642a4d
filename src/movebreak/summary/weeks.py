"""ISO weeks ("2026-W47") and their seven local days as UTC ranges [start, end).

A day starts at ``day_starts_at`` local time; its bounds come from ``engine/days.py``, the
one place that draws local days (so DST days last 23 or 25 h here as in the engine).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from movebreak.engine.days import day_start

_WEEK_PATTERN = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class DayWindow:
    """One local day of a week as a UTC half-open range [start, end)."""

    date: date
    start: datetime
    end: datetime

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def _weeks_in_year(year: int) -> int:
    return date(year, 12, 28).isocalendar()[1]


@dataclass(frozen=True, order=True)
class IsoWeek:
    """An ISO 8601 week (Monday to Sunday), written "2026-W47"."""

    year: int
    week: int

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9998:
            raise ValueError(f"year {self.year} is out of range")
        last = _weeks_in_year(self.year)
        if not 1 <= self.week <= last:
            raise ValueError(f"{self.year} has weeks 1 to {last}, not week {self.week}")

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """Parse "2026-W47" (also "2026W47", "2026-w7"); raise ValueError saying why not."""
        if not isinstance(text, str):
            raise ValueError(f'expected a week like "2026-W47", got {type(text).__name__}')
        match = _WEEK_PATTERN.match(text.strip())
        if not match:
            raise ValueError(f'"{text}" is not a week; write it like "2026-W47" (year, W, week number)')
        year, week = int(match.group(1)), int(match.group(2))
        try:
            return cls(year, week)
        except ValueError as error:
            raise ValueError(f'"{text}": {error}') from None

    @classmethod
    def containing(cls, day: date | datetime) -> IsoWeek:
        """The week of a calendar date (a datetime counts by its own, local, date)."""
        if isinstance(day, datetime):
            day = day.date()
        year, week, _ = day.isocalendar()
        return cls(year, week)

    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def dates(self) -> tuple[date, ...]:
        first = self.monday()
        return tuple(first + timedelta(days=offset) for offset in range(7))

    def previous(self) -> IsoWeek:
        return IsoWeek.containing(self.monday() - timedelta(days=7))

    def next(self) -> IsoWeek:
        return IsoWeek.containing(self.monday() + timedelta(days=7))

    def days(self, tz: tzinfo, day_starts_at: time = time(0)) -> tuple[DayWindow, ...]:
        """The seven local days as UTC ranges (23 or 25 h long across a DST change)."""
        return tuple(
            DayWindow(day, day_start(day, tz, day_starts_at), day_start(day + timedelta(days=1), tz, day_starts_at))
            for day in self.dates()
        )

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"


def history_range(
    week: IsoWeek, tz: tzinfo, weeks_back: int = 8, day_starts_at: time = time(0)
) -> tuple[datetime, datetime]:
    """The UTC range [start, end) covering ``week`` and the ``weeks_back`` weeks before it.

    Load every record that overlaps this range (a span may start before ``start``).
    """
    if weeks_back < 0:
        raise ValueError("weeks_back cannot be negative")
    first_monday = week.monday() - timedelta(days=7 * weeks_back)
    after_sunday = week.monday() + timedelta(days=7)
    return day_start(first_monday, tz, day_starts_at), day_start(after_sunday, tz, day_starts_at)
