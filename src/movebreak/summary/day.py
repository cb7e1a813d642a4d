"""One local day of the summary: sitting (all day and in working hours), sitting bouts, the
working-hour grid, the credited activity minutes, and the breaks.

Counting rules (the summary is honest before it is flattering):

* Sitting is the recorded sitting minus every activity (a logged walk during recorded
  sitting was not sitting); tracked time is what the app watched, sitting included.
* The day is rated on its working hours only: sitting in them / tracked in them, rated when
  at least ``MIN_TRACKED_FOR_RATING`` was tracked in them. Off-hours sitting is shown on its
  own and never changes the rating.
* A sitting bout is one stretch of sitting within the day (a span across midnight counts as
  two pieces, one per day); bouts of 30 and 60 minutes or more are counted.
* Each clock hour of the working hours is an hour slot: *tracked* when the app watched at
  least half of it, *moved* when it holds an activity or at least a minute away from the
  seat while tracked, else *sat*.
* Activity minutes come from ``credit.credited_segments`` (every instant once). A strength
  day has at least ``strength_day`` of strength minutes.
* Activities and reminders belong wholly to the day their ``at`` falls on for the counts
  of breaks and exercises; their minutes are credited where they happened.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from enum import Enum

from movebreak.constants import SITTING_SHARE_BASELINE
from movebreak.engine.settings import WorkingHours
from movebreak.records import Activity, BreakKind, Intensity, Reminder, ReminderOutcome
from movebreak.summary.credit import Credit, ExerciseFacts, Segment, credit_of
from movebreak.summary.timeline import Range, clip, intersect, longest, merge, subtract, total
from movebreak.summary.weeks import DayWindow

MIN_TRACKED_FOR_RATING = timedelta(hours=1)
BOUT_30 = timedelta(minutes=30)
BOUT_60 = timedelta(minutes=60)
MOVED_AT_LEAST = timedelta(minutes=1)
HOUR = timedelta(hours=1)
QUARTER = timedelta(minutes=15)


class HourState(str, Enum):
    MOVED = "moved"
    SAT = "sat"
    UNTRACKED = "untracked"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class HourSlot:
    """One clock hour of the working hours (cut to them), by its local start hour."""

    hour: int
    state: HourState


@dataclass(frozen=True)
class ExerciseDone:
    """One activity of a day, as shown in the summary (not a natural break)."""

    at: datetime
    name: str
    kind: BreakKind
    intensity: Intensity | None  # as credited: the exercise's own class, or what was logged
    duration: timedelta
    exercise_id: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Figures:
    """What a day and a week both count; the share is over working hours only."""

    sitting: timedelta = timedelta(0)  # all day
    tracked: timedelta = timedelta(0)  # all day
    work_sitting: timedelta = timedelta(0)  # inside working hours
    work_tracked: timedelta = timedelta(0)
    longest_sitting: timedelta = timedelta(0)
    sitting_bouts_30: int = 0
    sitting_bouts_60: int = 0
    moderate: timedelta = timedelta(0)
    vigorous: timedelta = timedelta(0)
    light: timedelta = timedelta(0)
    strength: timedelta = timedelta(0)
    mobility: timedelta = timedelta(0)
    breaks_taken: int = 0
    natural_breaks: int = 0
    logged_breaks: int = 0
    reminders_snoozed: int = 0
    reminders_skipped: int = 0
    reminders_ignored: int = 0

    @property
    def aerobic(self) -> timedelta:
        """WHO aerobic minutes: moderate + 2 x vigorous."""
        return self.moderate + 2 * self.vigorous

    @property
    def off_sitting(self) -> timedelta:
        return self.sitting - self.work_sitting

    @property
    def off_tracked(self) -> timedelta:
        return self.tracked - self.work_tracked

    @property
    def sitting_share(self) -> float | None:
        """Sitting / tracked time in working hours, or None when none was tracked there."""
        return share(self.work_sitting, self.work_tracked)


@dataclass(frozen=True, kw_only=True)
class DaySummary(Figures):
    date: date
    hours: tuple[HourSlot, ...] = ()
    strength_day: bool = False
    muscles: tuple[str, ...] = ()  # worked by the day's strength exercises, where they say so
    exercises: tuple[ExerciseDone, ...] = ()

    @property
    def rated(self) -> bool:
        return self.work_tracked >= MIN_TRACKED_FOR_RATING

    @property
    def at_or_under_baseline(self) -> bool | None:
        """True/False against the office baseline; None when the day is not rated."""
        value = self.sitting_share
        if not self.rated or value is None:
            return None
        return value <= SITTING_SHARE_BASELINE

    @property
    def hours_tracked(self) -> int:
        return sum(1 for slot in self.hours if slot.state is not HourState.UNTRACKED)

    @property
    def hours_moved(self) -> int:
        return sum(1 for slot in self.hours if slot.state is HourState.MOVED)

    @property
    def has_data(self) -> bool:
        return bool(
            self.tracked or self.sitting or self.exercises or self.natural_breaks
            or self.breaks_taken or self.reminders_snoozed or self.reminders_skipped
            or self.reminders_ignored
        )


def share(part: timedelta, whole: timedelta) -> float | None:
    if whole <= timedelta(0):
        return None
    return min(1.0, part / whole)


def working_window(window: DayWindow, tz: tzinfo, hours: WorkingHours | None) -> list[Range]:
    """The day's working hours in UTC, inside the day; the whole day without a table (or with
    ``always``, as the engine reminds then). A day starting at ``day_starts_at`` (e.g. 04:00)
    also holds the small hours of the next date, with that date's hours, as the engine sees them."""
    if hours is None or hours.always:
        return [(window.start, window.end)]
    ranges = []
    for day in (window.date, window.date + timedelta(days=1)):
        span = hours.days.get(day.weekday())
        if span is None:
            continue
        start = max(window.start, clock_reads(day, tz, span[0]))
        end = min(window.end, clock_reads(day, tz, span[1]))
        if end > start:
            ranges.append((start, end))
    return ranges


def clock_reads(day: date, tz: tzinfo, wall: time) -> datetime:
    """The first instant of ``day`` whose local clock reads ``wall`` or later, in UTC: a time in the
    spring-forward gap is the end of the gap, as ``WorkingHours.contains`` sees it (hours set to
    02:00-02:30 in Berlin have no working time on the day the clocks skip 02:00-03:00)."""
    naive = datetime.combine(day, wall.replace(tzinfo=None))
    early = naive.replace(tzinfo=tz, fold=1).astimezone(timezone.utc)
    late = naive.replace(tzinfo=tz, fold=0).astimezone(timezone.utc)
    if early >= late:  # an ordinary time, or the fold (fold=0 is its first reading)
        return late
    while late - early > timedelta(seconds=1):  # the gap: search the jump between the two readings
        middle = early + (late - early) / 2
        if middle.astimezone(tz).replace(tzinfo=None) >= naive:
            late = middle
        else:
            early = middle
    return late.replace(microsecond=0)


def clock_hours(work: Range, tz: tzinfo) -> list[tuple[int, datetime, datetime]]:
    """``work`` cut where the local clock hour changes, as (hour, start, end). Walks in quarter
    hours (every zone's offset and DST shift is a whole number of them), so a half-hour zone's
    slots are its own clock hours, and the hour the autumn fold repeats is one slot, not two."""
    pieces = []
    start, hour = work[0], work[0].astimezone(tz).hour
    cursor = work[0] - timedelta(seconds=work[0].timestamp() % QUARTER.total_seconds()) + QUARTER
    while cursor < work[1]:
        now_hour = cursor.astimezone(tz).hour
        if now_hour != hour:
            pieces.append((hour, start, cursor))
            start, hour = cursor, now_hour
        cursor += QUARTER
    pieces.append((hour, start, work[1]))
    return pieces


def hour_slots(work: Sequence[Range], tz: tzinfo, observed: Sequence[Range], sitting: Sequence[Range],
               moving: Sequence[Range]) -> tuple[HourSlot, ...]:
    """The working hours as clock-hour slots, each tracked/moved/sat (see the module doc)."""
    slots = []
    for hour, start, end in (piece for part in work for piece in clock_hours(part, tz)):
        seen = total(clip(observed, start, end))
        if seen * 2 < end - start or seen <= timedelta(0):
            state = HourState.UNTRACKED
        elif clip(moving, start, end) or seen - total(clip(sitting, start, end)) >= MOVED_AT_LEAST:
            state = HourState.MOVED
        else:
            state = HourState.SAT
        slots.append(HourSlot(hour, state))
    return tuple(slots)


def _minutes_by_class(segments: Sequence[Segment], window: DayWindow) -> dict[str, timedelta]:
    spent = dict.fromkeys(("moderate", "vigorous", "light", "strength", "mobility"), timedelta(0))
    first = bisect_right(segments, window.start, key=lambda segment: segment.end)  # segments do not overlap
    for segment in segments[first:]:
        if segment.start >= window.end:
            break
        length = min(segment.end, window.end) - max(segment.start, window.start)
        if length <= timedelta(0):
            continue
        credit = segment.credit
        if credit.aerobic is not None:
            spent[credit.aerobic.value] += length
        if credit.strength:
            spent["strength"] += length
        if credit.mobility:
            spent["mobility"] += length
    return spent


def shown_intensity(credit: Credit) -> Intensity | None:
    """The one word the summary shows for an activity's intensity."""
    if credit.aerobic_weight:
        return credit.aerobic
    if credit.strength:
        return Intensity.STRENGTH
    if credit.mobility:
        return Intensity.MOBILITY
    return credit.aerobic


@dataclass(frozen=True)
class DayInputs:
    """The week's merged time sets, computed once and cut per day."""

    sitting: list[Range]
    tracked: list[Range]
    moving: list[Range]  # every activity, natural breaks included
    segments: list[Segment]


def build_day(window: DayWindow, tz: tzinfo, inputs: DayInputs, activities: Sequence[Activity],
              reminders: Sequence[Reminder], *, hours: WorkingHours | None, strength_day: timedelta,
              facts: Mapping[str, ExerciseFacts], names: Mapping[str, str]) -> DaySummary:
    sitting = clip(inputs.sitting, window.start, window.end)
    tracked = clip(inputs.tracked, window.start, window.end)
    work_ranges = working_window(window, tz, hours)
    moving = clip(inputs.moving, window.start, window.end)
    pieces = [end - start for start, end in sitting]
    spent = _minutes_by_class(inputs.segments, window)
    day_activities = sorted((a for a in activities if window.contains(a.at)), key=lambda a: (a.at, a.id or 0))
    muscles: dict[str, None] = {}
    counts = {"natural": 0, "logged": 0, "reminder": 0}
    exercises = []
    for item in day_activities:
        if item.kind is BreakKind.NATURAL:
            counts["natural"] += 1  # being away from the desk is a break, never activity
            continue
        counts["logged" if item.kind is BreakKind.LOGGED else "reminder"] += 1
        credit = credit_of(item, facts)
        if credit.strength and item.exercise_id in facts:
            muscles.update(dict.fromkeys(facts[item.exercise_id].muscles))
        name = names.get(item.exercise_id, item.exercise_id) if item.exercise_id else ""
        exercises.append(ExerciseDone(item.at, name, item.kind, shown_intensity(credit), item.duration,
                                      item.exercise_id, item.note))
    outcomes = dict.fromkeys(ReminderOutcome, 0)
    for reminder in reminders:
        if window.contains(reminder.at):
            outcomes[reminder.outcome] += 1
    return DaySummary(
        date=window.date,
        sitting=total(sitting),
        tracked=total(tracked),
        work_sitting=total(intersect(sitting, work_ranges)),
        work_tracked=total(intersect(tracked, work_ranges)),
        longest_sitting=longest(sitting),
        sitting_bouts_30=sum(1 for piece in pieces if piece >= BOUT_30),
        sitting_bouts_60=sum(1 for piece in pieces if piece >= BOUT_60),
        hours=hour_slots(work_ranges, tz, merge(tracked + moving), sitting, moving),
        strength_day=spent["strength"] >= strength_day,
        muscles=tuple(muscles) if spent["strength"] else (),
        breaks_taken=max(outcomes[ReminderOutcome.TAKEN], counts["reminder"]),
        natural_breaks=counts["natural"],
        logged_breaks=counts["logged"],
        reminders_snoozed=outcomes[ReminderOutcome.SNOOZED],
        reminders_skipped=outcomes[ReminderOutcome.SKIPPED],
        reminders_ignored=outcomes[ReminderOutcome.IGNORED],
        exercises=tuple(exercises),
        **spent,
    )


def day_inputs(sitting: Sequence[Range], tracked: Sequence[Range], moving: Sequence[Range],
               segments: list[Segment]) -> DayInputs:
    """Sitting without the activities, and tracked time that holds all recorded sitting."""
    raw_sitting = merge(sitting)
    moving = merge(moving)
    return DayInputs(
        sitting=subtract(raw_sitting, moving),
        tracked=merge([*tracked, *raw_sitting]),
        moving=moving,
        segments=segments,
    )
