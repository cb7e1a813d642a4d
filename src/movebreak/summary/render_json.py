"""The summary as JSON-ready data with stable keys (for ``movebreak summary --json``).

Rounding, everywhere: minutes to one decimal, half up (89.95 -> 90.0); shares to four
decimals. Each total is rounded from the exact sum, so it can differ from the sum of the
rounded days by a tenth.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from movebreak.summary.accounting import (
    ACTIVITY_TARGET,
    BASELINE_SITTING_HOURS,
    MIN_TRACKED_FOR_RATING,
    SHIFT_HOURS,
    SITTING_SHARE_BASELINE,
    STRENGTH_DAYS_TARGET,
    DaySummary,
    ExerciseDone,
    ExerciseTally,
    WeekSummary,
    WeekTotals,
)

SCHEMA_VERSION = 1
_MICROSECONDS_PER_MINUTE = Decimal(60_000_000)


def round_minutes(value: timedelta) -> float:
    """Minutes, one decimal, rounded half up from the exact microseconds."""
    micro = Decimal((value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds)
    return float((micro / _MICROSECONDS_PER_MINUTE).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def round_share(value: float | None) -> float | None:
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def _exercise(done: ExerciseDone, tz) -> dict[str, Any]:
    return {
        "at": done.at.astimezone(tz).isoformat(timespec="minutes"),
        "name": done.name,
        "exercise_id": done.exercise_id,
        "kind": done.kind.value,
        "intensity": done.intensity.value if done.intensity else None,
        "minutes": round_minutes(done.duration),
        "note": done.note,
    }


def _tally(tally: ExerciseTally) -> dict[str, Any]:
    return {
        "name": tally.name,
        "intensity": tally.intensity.value if tally.intensity else None,
        "count": tally.count,
        "minutes": round_minutes(tally.duration),
    }


def day_to_json(day: DaySummary, tz) -> dict[str, Any]:
    return {
        "date": day.date.isoformat(),
        "sitting_minutes": round_minutes(day.sitting),
        "tracked_minutes": round_minutes(day.tracked),
        "sitting_share": round_share(day.sitting_share),
        "at_or_under_baseline": day.at_or_under_baseline,
        "longest_sitting_minutes": round_minutes(day.longest_sitting),
        "activity_minutes": round_minutes(day.activity),
        "mobility_minutes": round_minutes(day.mobility),
        "strength": day.strength,
        "strength_sessions": day.strength_sessions,
        "breaks_taken": day.breaks_taken,
        "natural_breaks": day.natural_breaks,
        "logged_breaks": day.logged_breaks,
        "reminders_snoozed": day.reminders_snoozed,
        "reminders_skipped": day.reminders_skipped,
        "reminders_ignored": day.reminders_ignored,
        "exercises": [_exercise(done, tz) for done in day.exercises],
    }


def totals_to_json(totals: WeekTotals) -> dict[str, Any]:
    return {
        "week": str(totals.week),
        "has_data": totals.has_data,
        "sitting_minutes": round_minutes(totals.sitting),
        "tracked_minutes": round_minutes(totals.tracked),
        "sitting_share": round_share(totals.sitting_share),
        "longest_sitting_minutes": round_minutes(totals.longest_sitting),
        "activity_minutes": round_minutes(totals.activity),
        "mobility_minutes": round_minutes(totals.mobility),
        "strength_days": totals.strength_days,
        "breaks_taken": totals.breaks_taken,
        "natural_breaks": totals.natural_breaks,
        "logged_breaks": totals.logged_breaks,
        "reminders_snoozed": totals.reminders_snoozed,
        "reminders_skipped": totals.reminders_skipped,
        "reminders_ignored": totals.reminders_ignored,
        "days_at_or_under_baseline": totals.days_at_or_under_baseline,
        "rated_days": totals.rated_days,
        "activity_goal_met": totals.activity_goal_met,
        "strength_goal_met": totals.strength_goal_met,
        "who_goals_met": totals.who_goals_met,
    }


def targets_to_json() -> dict[str, Any]:
    return {
        "activity_minutes": round_minutes(ACTIVITY_TARGET),
        "strength_days": STRENGTH_DAYS_TARGET,
        "sitting_share_baseline": SITTING_SHARE_BASELINE,
        "baseline_sitting_hours": BASELINE_SITTING_HOURS,
        "shift_hours": SHIFT_HOURS,
        "min_tracked_minutes_for_rating": round_minutes(MIN_TRACKED_FOR_RATING),
    }


def to_json(summary: WeekSummary) -> dict[str, Any]:
    """Plain dict (json.dumps-able); keys are stable, new keys may be added."""
    dates = [day.date for day in summary.days]
    return {
        "schema": SCHEMA_VERSION,
        "week": str(summary.week),
        "start_date": dates[0].isoformat(),
        "end_date": dates[-1].isoformat(),
        "timezone": summary.timezone_name,
        "day_starts_at": summary.day_starts_at.strftime("%H:%M"),
        "days": [day_to_json(day, summary.tz) for day in summary.days],
        "totals": totals_to_json(summary.totals),
        "targets": targets_to_json(),
        "exercises": [_tally(tally) for tally in summary.exercises],
        "history": [totals_to_json(totals) for totals in summary.history],
        "streak": summary.streak,
        "streak_before": summary.streak_before,
    }
