"""The weekly summary as plain data: pure functions over the stored history.

Nothing here reads the clock, a file or the database: the caller loads the records for
``history_range(...)`` and passes them in, with ``now`` (activities, sitting and tracked time
count only up to it, and a week is "current" or "finished" by it). Times stay UTC-aware; local time is used only
to draw day boundaries and working hours, with the ``tzinfo`` the caller gives.

How a day is counted is in ``day.py``, how an activity is credited in ``credit.py``. A day
is a local calendar day starting at ``day_starts_at`` (DST days last 23 or 25 h).

The WHO goals of a week (Bull et al. 2020): >= 150 aerobic minutes (moderate + 2 x
vigorous) and >= 2 strength days. ``streak`` is the number of consecutive ISO weeks up to
and including this one that met both goals (0 when this week has not met them);
``streak_before`` ends with the week before. The office baseline (Daneshmandi et al. 2017):
about 6.3 of 8 working hours sitting (78.75 %).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta, tzinfo
from enum import Enum

from movebreak.constants import (
    ACTIVITY_TARGET,
    BASELINE_SITTING_HOURS,
    SHIFT_HOURS,
    SITTING_SHARE_BASELINE,
    STRENGTH_DAY_MINUTES,
    STRENGTH_DAYS_TARGET,
)
from movebreak.engine.settings import WorkingHours
from movebreak.records import Activity, Intensity, Reminder, SittingSpan, TrackedSpan
from movebreak.summary.credit import ExerciseFacts, activity_range, credited_segments
from movebreak.summary.day import (
    MIN_TRACKED_FOR_RATING,
    DayInputs,
    DaySummary,
    ExerciseDone,
    Figures,
    HourSlot,
    HourState,
    build_day,
    day_inputs,
    share,
)
from movebreak.summary.timeline import merge
from movebreak.summary.weeks import DayWindow, IsoWeek, day_start, history_range

merge_spans = merge  # the name earlier callers used


@dataclass(frozen=True)
class SummaryRules:
    """What the user's settings and catalogue decide about the counting."""

    day_starts_at: time = time(0)
    working_hours: WorkingHours | None = None  # None: the whole day counts as working time
    strength_day: timedelta = timedelta(minutes=STRENGTH_DAY_MINUTES)
    exercises: Mapping[str, ExerciseFacts] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)


class WeekPhase(str, Enum):
    CURRENT = "current"
    FINISHED = "finished"
    FUTURE = "future"

    def __str__(self) -> str:
        return self.value


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ExerciseTally:
    """How often an exercise was done in the week and for how long in all."""

    name: str
    count: int
    duration: timedelta
    intensity: Intensity | None = None


@dataclass(frozen=True, kw_only=True)
class WeekTotals(Figures):
    week: IsoWeek
    hours_tracked: int = 0
    hours_moved: int = 0
    strength_days: int = 0
    days_at_or_under_baseline: int = 0
    rated_days: int = 0
    has_data: bool = False

    @property
    def aerobic_goal_met(self) -> bool:
        return self.aerobic >= ACTIVITY_TARGET

    @property
    def strength_goal_met(self) -> bool:
        return self.strength_days >= STRENGTH_DAYS_TARGET

    @property
    def who_goals_met(self) -> bool:
        return self.aerobic_goal_met and self.strength_goal_met


@dataclass(frozen=True)
class WeekSummary:
    """One ISO week: seven days, the totals, and (from build_history) earlier weeks."""

    week: IsoWeek
    tz: tzinfo
    day_starts_at: time
    days: tuple[DaySummary, ...]
    totals: WeekTotals
    exercises: tuple[ExerciseTally, ...] = ()
    history: tuple[WeekTotals, ...] = ()  # earlier weeks, oldest first
    streak: int = 0
    streak_before: int = 0
    phase: WeekPhase | None = None  # None when built without ``now``
    strength_day: timedelta = timedelta(minutes=STRENGTH_DAY_MINUTES)

    @property
    def timezone_name(self) -> str:
        return str(getattr(self.tz, "key", None) or self.tz)

    @property
    def finished(self) -> bool:
        return self.phase is WeekPhase.FINISHED


# --------------------------------------------------------------------------- accounting


def _totals(week: IsoWeek, days: Sequence[DaySummary]) -> WeekTotals:
    def total(attribute: str) -> timedelta:
        return sum((getattr(day, attribute) for day in days), timedelta(0))

    def count(attribute: str) -> int:
        return sum(getattr(day, attribute) for day in days)

    times = ("sitting", "tracked", "work_sitting", "work_tracked", "moderate", "vigorous", "light", "strength",
             "mobility")
    counts = ("sitting_bouts_30", "sitting_bouts_60", "hours_tracked", "hours_moved", "breaks_taken",
              "natural_breaks", "logged_breaks", "reminders_snoozed", "reminders_skipped", "reminders_ignored")
    return WeekTotals(
        week=week,
        longest_sitting=max((day.longest_sitting for day in days), default=timedelta(0)),
        strength_days=sum(1 for day in days if day.strength_day),
        days_at_or_under_baseline=sum(1 for day in days if day.at_or_under_baseline),
        rated_days=sum(1 for day in days if day.rated),
        has_data=any(day.has_data for day in days),
        **{name: total(name) for name in times},
        **{name: count(name) for name in counts},
    )


def _tally(days: Sequence[DaySummary]) -> tuple[ExerciseTally, ...]:
    tallies: dict[tuple[str, str | None], ExerciseTally] = {}
    for day in days:
        for done in day.exercises:
            key = (done.name, done.intensity.value if done.intensity else None)
            seen = tallies.get(key)
            if seen is None:
                tallies[key] = ExerciseTally(done.name, 1, done.duration, done.intensity)
            else:
                tallies[key] = replace(seen, count=seen.count + 1, duration=seen.duration + done.duration)
    return tuple(sorted(tallies.values(), key=lambda t: (-t.duration, -t.count, t.name)))


def _phase(week: IsoWeek, tz: tzinfo, rules: SummaryRules, now: datetime | None) -> WeekPhase | None:
    if now is None:
        return None
    start = day_start(week.monday(), tz, rules.day_starts_at)
    end = day_start(week.monday() + timedelta(days=7), tz, rules.day_starts_at)  # week.next() ends at 9998-W53
    if now >= end:
        return WeekPhase.FINISHED
    return WeekPhase.CURRENT if now >= start else WeekPhase.FUTURE


@dataclass(frozen=True)
class _Records:
    """The records of all weeks asked for, with the time sets computed once."""

    activities: list[Activity]
    reminders: list[Reminder]
    inputs: DayInputs


def _until(start: datetime, end: datetime, now: datetime | None) -> tuple[datetime, datetime]:
    """A sitting or tracked span cut at ``now``, like an activity: after a clock set back, the
    history may hold time that has not happened yet (an empty range is dropped by ``merge``)."""
    return (start, end if now is None else min(end, now))


def _prepare(spans, activities, reminders, tracked, rules: SummaryRules, now: datetime | None) -> _Records:
    activities = list(activities)
    moving = [span for span in (activity_range(a, now) for a in activities) if span]
    inputs = day_inputs(
        [_until(span.start, span.end, now) for span in spans],
        [_until(span.start, span.end, now) for span in tracked],
        moving,
        credited_segments(activities, rules.exercises, now),
    )
    return _Records(activities, list(reminders), inputs)


def _week(week: IsoWeek, tz: tzinfo, records: _Records, rules: SummaryRules, now: datetime | None) -> WeekSummary:
    days = tuple(
        build_day(window, tz, records.inputs, records.activities, records.reminders,
                  hours=rules.working_hours, strength_day=rules.strength_day, facts=rules.exercises,
                  names=rules.names)
        for window in week.days(tz, rules.day_starts_at)
    )
    totals = _totals(week, days)
    return WeekSummary(
        week=week,
        tz=tz,
        day_starts_at=rules.day_starts_at,
        days=days,
        totals=totals,
        exercises=_tally(days),
        streak=1 if totals.who_goals_met else 0,
        phase=_phase(week, tz, rules, now),
        strength_day=rules.strength_day,
    )


def build_week(
    week: IsoWeek,
    tz: tzinfo,
    *,
    spans: Iterable[SittingSpan] = (),
    activities: Iterable[Activity] = (),
    reminders: Iterable[Reminder] = (),
    tracked: Iterable[TrackedSpan] = (),
    rules: SummaryRules = SummaryRules(),
    now: datetime | None = None,
) -> WeekSummary:
    """Summarise one ISO week from records (those outside the week are ignored).

    ``streak`` here is 1 or 0 (this week alone); build_history fills in the real streak.
    """
    return _week(week, tz, _prepare(spans, activities, reminders, tracked, rules, now), rules, now)


def build_history(
    weeks: Iterable[IsoWeek],
    tz: tzinfo,
    *,
    spans: Iterable[SittingSpan] = (),
    activities: Iterable[Activity] = (),
    reminders: Iterable[Reminder] = (),
    tracked: Iterable[TrackedSpan] = (),
    rules: SummaryRules = SummaryRules(),
    now: datetime | None = None,
) -> list[WeekSummary]:
    """Summaries of ``weeks``, oldest first, each with the earlier weeks and its streak.

    The streak only sees the weeks given: pass this week and the 4-8 before it. A gap in
    the weeks (or a week with no data) ends a streak.
    """
    records = _prepare(spans, activities, reminders, tracked, rules, now)
    ordered = sorted(set(weeks))
    plain = [_week(week, tz, records, rules, now) for week in ordered]
    result: list[WeekSummary] = []
    run = 0  # consecutive met weeks ending with the previous one
    for index, summary in enumerate(plain):
        if index and ordered[index - 1] != summary.week.previous():
            run = 0  # a week missing from the list breaks the streak
        before = run
        run = run + 1 if summary.totals.who_goals_met else 0
        result.append(
            replace(
                summary,
                history=tuple(earlier.totals for earlier in plain[:index]),
                streak=run,
                streak_before=before,
            )
        )
    return result


__all__ = [
    "ACTIVITY_TARGET",
    "BASELINE_SITTING_HOURS",
    "MIN_TRACKED_FOR_RATING",
    "SHIFT_HOURS",
    "SITTING_SHARE_BASELINE",
    "STRENGTH_DAYS_TARGET",
    "DaySummary",
    "DayWindow",
    "ExerciseDone",
    "ExerciseFacts",
    "HourSlot",
    "HourState",
    "SummaryRules",
    "WeekPhase",
    "Intensity",
    "ExerciseTally",
    "IsoWeek",
    "WeekSummary",
    "WeekTotals",
    "build_history",
    "build_week",
    "day_start",
    "history_range",
    "merge_spans",
]
