"""The engine's settings, built from the config file by config.py; defaults per the product."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class WorkingHours:
    """When reminders may be sent, in local time. ``always=True`` ignores the table.

    ``days`` maps a weekday (0 = Monday) to (start, end) local times; a missing weekday
    means no reminders that day. end <= start is not allowed (no overnight shifts yet).
    """

    days: dict[int, tuple[time, time]] = field(
        default_factory=lambda: {d: (time(8, 0), time(18, 0)) for d in range(MONDAY, SATURDAY)}
    )
    always: bool = False

    def contains(self, moment: datetime, tz: tzinfo) -> bool:
        if self.always:
            return True
        local = moment.astimezone(tz)
        hours = self.days.get(local.weekday())
        if hours is None:
            return False
        start, end = hours
        return start <= local.time().replace(tzinfo=None) < end

    def next_start(self, moment: datetime, tz: tzinfo) -> datetime | None:
        """The first moment at or after ``moment`` inside working hours (None: never)."""
        if self.always or self.contains(moment, tz):
            return moment
        if not self.days:
            return None
        local = moment.astimezone(tz)
        for offset in range(0, 8):
            day = (local + timedelta(days=offset)).date()
            hours = self.days.get(day.weekday())
            if hours is None:
                continue
            candidate = datetime.combine(day, hours[0]).replace(tzinfo=tz)
            # fold/gap: normalise through UTC so a start inside a DST gap moves forward
            candidate = candidate.astimezone(moment.tzinfo)
            if candidate >= moment:
                return candidate
        return None


@dataclass(frozen=True)
class EngineSettings:
    remind_after: timedelta = timedelta(minutes=45)
    natural_break_after: timedelta = timedelta(minutes=5)
    repeat_after: timedelta = timedelta(minutes=10)  # an ignored reminder comes again
    snooze: timedelta = timedelta(minutes=10)  # the default snooze
    snooze_options: tuple[timedelta, ...] = tuple(timedelta(minutes=m) for m in (5, 10, 15, 30))
    snooze_limit: int = 3  # consecutive snoozes before the reminder stops offering one
    # A due reminder waits for this much quiet input (the config's default is 3 s; 0: never waits)...
    wait_for_pause: timedelta = timedelta(0)
    wait_for_pause_at_most: timedelta = timedelta(seconds=60)  # ...but no longer than this
    day_starts_at: time = time(0, 0)
    working_hours: WorkingHours = field(default_factory=WorkingHours)
    # Wall and monotonic clocks may disagree by this much per tick before the engine calls
    # the difference a suspend (wall ahead) or a clock jump (wall behind).
    clock_tolerance: timedelta = timedelta(seconds=2)
