"""The weekly summary as plain data: pure functions over the stored history.

Nothing here reads the clock, a file or the database: the caller loads the records for
``history_range(...)`` and passes them in. Times stay UTC-aware; local time is used only
to draw day boundaries, with the ``tzinfo`` the caller gives.

Counting rules (the summary is honest before it is flattering):

* A day is a local calendar day starting at ``day_starts_at`` (default midnight); its
  boundaries are computed in local time with the given zone, so DST days last 23 or 25 h.
  A boundary time that falls into a DST gap or fold is resolved like ``zoneinfo`` does
  (fold=0: the offset before the change).
* Sitting and tracked spans are merged where they overlap (never counted twice) and split
  at day boundaries. ``longest_sitting`` is the longest merged span *within the day*: a
  span across midnight counts as two pieces, one per day.
* Activities and reminders belong wholly to the day their ``at`` falls on, also when the
  break was logged later ("I took a break at 10:00").
* Activity minutes: activities with intensity moderate or strength. A natural break is
  never activity; mobility is counted separately and not toward the 150 minutes.
* A strength day has at least one strength activity (any kind but natural); two sessions
  on one day are one strength day.
* Breaks taken from a reminder: the larger of the reminder outcomes "taken" and the
  activities of kind "reminder-break" that day, so a break recorded on only one side still
  counts and one recorded on both sides counts once.
* A day is rated against the office baseline (sitting/tracked <= 0.7875) only when the app
  tracked at least ``MIN_TRACKED_FOR_RATING`` (1 h) that day; shorter days are not rated.
* The WHO goals of a week: >= 150 activity minutes and >= 2 strength days. ``streak`` is
  the number of consecutive ISO weeks up to and including this one that met both goals
  (0 when this week has not met them, yet); ``streak_before`` ends with the week before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo  # noqa: F401 - date: DaySummary.date

from movebreak.constants import (
    ACTIVITY_TARGET,
    BASELINE_SITTING_HOURS,
    SHIFT_HOURS,
    SITTING_SHARE_BASELINE,
    STRENGTH_DAYS_TARGET,
)
from movebreak.records import (
    Activity,
    BreakKind,
    Intensity,
    Reminder,
    ReminderOutcome,
    SittingSpan,
    TrackedSpan,
)
from movebreak.summary.weeks import DayWindow, IsoWeek, day_start, history_range

MIN_TRACKED_FOR_RATING = timedelta(hours=1)

_COUNTED_INTENSITIES = (Intensity.MODERATE, Intensity.STRENGTH)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ExerciseDone:
    """One activity of a day, as shown in the summary (not a natural break)."""

    at: datetime
    name: str
    kind: BreakKind
    intensity: Intensity | None
    duration: timedelta
    exercise_id: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ExerciseTally:
    """How often an exercise was done in the week and for how long in all."""

    name: str
    count: int
    duration: timedelta
    intensity: Intensity | None = None


@dataclass(frozen=True)
class DaySummary:
    date: date
    sitting: timedelta = timedelta(0)
    tracked: timedelta = timedelta(0)
    longest_sitting: timedelta = timedelta(0)
    activity: timedelta = timedelta(0)
    mobility: timedelta = timedelta(0)
    strength_sessions: int = 0
    breaks_taken: int = 0
    natural_breaks: int = 0
    logged_breaks: int = 0
    reminders_snoozed: int = 0
    reminders_skipped: int = 0
    reminders_ignored: int = 0
    exercises: tuple[ExerciseDone, ...] = ()

    @property
    def strength(self) -> bool:
        return self.strength_sessions > 0

    @property
    def sitting_share(self) -> float | None:
        """Sitting time / tracked time, or None when nothing was tracked."""
        return _share(self.sitting, self.tracked)

    @property
    def rated(self) -> bool:
        return self.tracked >= MIN_TRACKED_FOR_RATING

    @property
    def at_or_under_baseline(self) -> bool | None:
        """True/False against the 78.75 % baseline; None when the day is not rated."""
        share = self.sitting_share
        if not self.rated or share is None:
            return None
        return share <= SITTING_SHARE_BASELINE

    @property
    def has_data(self) -> bool:
        return bool(
            self.tracked or self.sitting or self.exercises or self.natural_breaks
            or self.breaks_taken or self.reminders_snoozed or self.reminders_skipped
            or self.reminders_ignored
        )


@dataclass(frozen=True)
class WeekTotals:
    week: IsoWeek
    sitting: timedelta = timedelta(0)
    tracked: timedelta = timedelta(0)
    longest_sitting: timedelta = timedelta(0)
    activity: timedelta = timedelta(0)
    mobility: timedelta = timedelta(0)
    strength_days: int = 0
    breaks_taken: int = 0
    natural_breaks: int = 0
    logged_breaks: int = 0
    reminders_snoozed: int = 0
    reminders_skipped: int = 0
    reminders_ignored: int = 0
    days_at_or_under_baseline: int = 0
    rated_days: int = 0
    has_data: bool = False

    @property
    def sitting_share(self) -> float | None:
        return _share(self.sitting, self.tracked)

    @property
    def activity_goal_met(self) -> bool:
        return self.activity >= ACTIVITY_TARGET

    @property
    def strength_goal_met(self) -> bool:
        return self.strength_days >= STRENGTH_DAYS_TARGET

    @property
    def who_goals_met(self) -> bool:
        return self.activity_goal_met and self.strength_goal_met


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

    @property
    def timezone_name(self) -> str:
        return str(getattr(self.tz, "key", None) or self.tz)


# --------------------------------------------------------------------------- accounting


def _share(part: timedelta, whole: timedelta) -> float | None:
    if whole <= timedelta(0):
        return None
    return part / whole


def merge_spans(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Union of half-open ranges, sorted; touching ranges join into one."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted((s, e) for s, e in spans if e > s):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _clip(spans: Sequence[tuple[datetime, datetime]], window: DayWindow) -> list[timedelta]:
    pieces = []
    for start, end in spans:
        if end <= window.start or start >= window.end:
            continue
        pieces.append(min(end, window.end) - max(start, window.start))
    return pieces


def _exercise_name(activity: Activity, names: Mapping[str, str]) -> str:
    if activity.exercise_id:
        return names.get(activity.exercise_id, activity.exercise_id)
    return ""  # the renderers say "logged activity" / "break" in the reader's language


def _build_day(
    window: DayWindow,
    sitting: Sequence[tuple[datetime, datetime]],
    tracked: Sequence[tuple[datetime, datetime]],
    activities: Sequence[Activity],
    reminders: Sequence[Reminder],
    names: Mapping[str, str],
) -> DaySummary:
    sitting_pieces = _clip(sitting, window)
    tracked_pieces = _clip(tracked, window)
    day_activities = sorted((a for a in activities if window.contains(a.at)), key=lambda a: (a.at, a.id or 0))
    day_reminders = [r for r in reminders if window.contains(r.at)]

    activity = mobility = timedelta(0)
    strength_sessions = natural = logged = reminder_breaks = 0
    exercises = []
    for item in day_activities:
        if item.kind is BreakKind.NATURAL:
            natural += 1  # being away from the desk is a break, never activity
            continue
        if item.kind is BreakKind.LOGGED:
            logged += 1
        elif item.kind is BreakKind.REMINDER:
            reminder_breaks += 1
        if item.intensity in _COUNTED_INTENSITIES:
            activity += item.duration
        elif item.intensity is Intensity.MOBILITY:
            mobility += item.duration
        if item.intensity is Intensity.STRENGTH:
            strength_sessions += 1
        exercises.append(
            ExerciseDone(
                at=item.at,
                name=_exercise_name(item, names),
                kind=item.kind,
                intensity=item.intensity,
                duration=item.duration,
                exercise_id=item.exercise_id,
                note=item.note,
            )
        )

    outcomes = {outcome: 0 for outcome in ReminderOutcome}
    for reminder in day_reminders:
        outcomes[reminder.outcome] += 1

    return DaySummary(
        date=window.date,
        sitting=sum(sitting_pieces, timedelta(0)),
        tracked=sum(tracked_pieces, timedelta(0)),
        longest_sitting=max(sitting_pieces, default=timedelta(0)),
        activity=activity,
        mobility=mobility,
        strength_sessions=strength_sessions,
        breaks_taken=max(outcomes[ReminderOutcome.TAKEN], reminder_breaks),
        natural_breaks=natural,
        logged_breaks=logged,
        reminders_snoozed=outcomes[ReminderOutcome.SNOOZED],
        reminders_skipped=outcomes[ReminderOutcome.SKIPPED],
        reminders_ignored=outcomes[ReminderOutcome.IGNORED],
        exercises=tuple(exercises),
    )


def _totals(week: IsoWeek, days: Sequence[DaySummary]) -> WeekTotals:
    def total(attribute: str) -> timedelta:
        return sum((getattr(day, attribute) for day in days), timedelta(0))

    def count(attribute: str) -> int:
        return sum(getattr(day, attribute) for day in days)

    return WeekTotals(
        week=week,
        sitting=total("sitting"),
        tracked=total("tracked"),
        longest_sitting=max((day.longest_sitting for day in days), default=timedelta(0)),
        activity=total("activity"),
        mobility=total("mobility"),
        strength_days=sum(1 for day in days if day.strength),
        breaks_taken=count("breaks_taken"),
        natural_breaks=count("natural_breaks"),
        logged_breaks=count("logged_breaks"),
        reminders_snoozed=count("reminders_snoozed"),
        reminders_skipped=count("reminders_skipped"),
        reminders_ignored=count("reminders_ignored"),
        days_at_or_under_baseline=sum(1 for day in days if day.at_or_under_baseline),
        rated_days=sum(1 for day in days if day.rated),
        has_data=any(day.has_data for day in days),
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


def build_week(
    week: IsoWeek,
    tz: tzinfo,
    *,
    spans: Iterable[SittingSpan] = (),
    activities: Iterable[Activity] = (),
    reminders: Iterable[Reminder] = (),
    tracked: Iterable[TrackedSpan] = (),
    day_starts_at: time = time(0),
    exercise_names: Mapping[str, str] = {},  # noqa: B006 - read only
) -> WeekSummary:
    """Summarise one ISO week from records (those outside the week are ignored).

    ``streak`` here is 1 or 0 (this week alone); build_history fills in the real streak.
    """
    sitting = merge_spans((span.start, span.end) for span in spans)
    watched = merge_spans((span.start, span.end) for span in tracked)
    activities = list(activities)
    reminders = list(reminders)
    days = tuple(
        _build_day(window, sitting, watched, activities, reminders, exercise_names)
        for window in week.days(tz, day_starts_at)
    )
    totals = _totals(week, days)
    met = 1 if totals.who_goals_met else 0
    return WeekSummary(
        week=week,
        tz=tz,
        day_starts_at=day_starts_at,
        days=days,
        totals=totals,
        exercises=_tally(days),
        streak=met,
    )


def build_history(
    weeks: Iterable[IsoWeek],
    tz: tzinfo,
    *,
    spans: Iterable[SittingSpan] = (),
    activities: Iterable[Activity] = (),
    reminders: Iterable[Reminder] = (),
    tracked: Iterable[TrackedSpan] = (),
    day_starts_at: time = time(0),
    exercise_names: Mapping[str, str] = {},  # noqa: B006 - read only
) -> list[WeekSummary]:
    """Summaries of ``weeks``, oldest first, each with the earlier weeks and its streak.

    The streak only sees the weeks given: pass this week and the 4-8 before it. A gap in
    the weeks (or a week with no data) ends a streak.
    """
    spans, activities, reminders, tracked = list(spans), list(activities), list(reminders), list(tracked)
    ordered = sorted(set(weeks))
    plain = [
        build_week(
            week,
            tz,
            spans=spans,
            activities=activities,
            reminders=reminders,
            tracked=tracked,
            day_starts_at=day_starts_at,
            exercise_names=exercise_names,
        )
        for week in ordered
    ]
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
