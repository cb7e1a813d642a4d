"""The summary as JSON-ready data with stable keys (for ``movebreak summary --json``); the
schema is documented in the README ("The weekly summary as JSON"). Schema 2: WHO aerobic
minutes (moderate + 2 x vigorous) replace schema 1's ``activity_minutes``; the sitting share
is over working hours.

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

SCHEMA_VERSION = 2
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


def _hours(slots) -> list[dict[str, Any]]:
    return [{"hour": slot.hour, "state": slot.state.value} for slot in slots]


def _sitting(item: DaySummary | WeekTotals) -> dict[str, Any]:
    """Sitting, tracked time and bouts; the share is over working hours only."""
    return {
        "sitting_minutes": round_minutes(item.sitting),
        "tracked_minutes": round_minutes(item.tracked),
        "working_sitting_minutes": round_minutes(item.work_sitting),
        "working_tracked_minutes": round_minutes(item.work_tracked),
        "off_hours_sitting_minutes": round_minutes(item.off_sitting),
        "off_hours_tracked_minutes": round_minutes(item.off_tracked),
        "sitting_share": round_share(item.sitting_share),
        "sitting_bouts_30": item.sitting_bouts_30,
        "sitting_bouts_60": item.sitting_bouts_60,
        "longest_sitting_minutes": round_minutes(item.longest_sitting),
        "hours_tracked": item.hours_tracked,
        "hours_moved": item.hours_moved,
    }


def _activity(item: DaySummary | WeekTotals) -> dict[str, Any]:
    return {
        "moderate_minutes": round_minutes(item.moderate),
        "vigorous_minutes": round_minutes(item.vigorous),
        "aerobic_minutes": round_minutes(item.aerobic),
        "light_minutes": round_minutes(item.light),
        "strength_minutes": round_minutes(item.strength),
        "mobility_minutes": round_minutes(item.mobility),
    }


def _breaks(item: DaySummary | WeekTotals) -> dict[str, Any]:
    return {
        "breaks_taken": item.breaks_taken,
        "natural_breaks": item.natural_breaks,
        "logged_breaks": item.logged_breaks,
        "reminders_snoozed": item.reminders_snoozed,
        "reminders_skipped": item.reminders_skipped,
        "reminders_ignored": item.reminders_ignored,
    }


def day_to_json(day: DaySummary, tz) -> dict[str, Any]:
    return {
        "date": day.date.isoformat(),
        **_sitting(day),
        "rated": day.rated,
        "at_or_under_baseline": day.at_or_under_baseline,
        "hours": _hours(day.hours),
        **_activity(day),
        "strength_day": day.strength_day,
        "muscles": list(day.muscles),
        **_breaks(day),
        "exercises": [_exercise(done, tz) for done in day.exercises],
    }


def totals_to_json(totals: WeekTotals) -> dict[str, Any]:
    return {
        "week": str(totals.week),
        "has_data": totals.has_data,
        **_sitting(totals),
        **_activity(totals),
        "strength_days": totals.strength_days,
        **_breaks(totals),
        "days_at_or_under_baseline": totals.days_at_or_under_baseline,
        "rated_days": totals.rated_days,
        "aerobic_goal_met": totals.aerobic_goal_met,
        "strength_goal_met": totals.strength_goal_met,
        "who_goals_met": totals.who_goals_met,
    }


def targets_to_json(summary: WeekSummary) -> dict[str, Any]:
    return {
        "aerobic_minutes": round_minutes(ACTIVITY_TARGET),
        "strength_days": STRENGTH_DAYS_TARGET,
        "strength_day_minutes": round_minutes(summary.strength_day),
        "sitting_share_baseline": SITTING_SHARE_BASELINE,
        "baseline_sitting_hours": BASELINE_SITTING_HOURS,
        "shift_hours": SHIFT_HOURS,
        "min_tracked_minutes_for_rating": round_minutes(MIN_TRACKED_FOR_RATING),
    }


def to_json(summary: WeekSummary) -> dict[str, Any]:
    """Plain dict (json.dumps-able); keys are stable within a schema, new keys may be added."""
    dates = [day.date for day in summary.days]
    return {
        "schema": SCHEMA_VERSION,
        "week": str(summary.week),
        "phase": summary.phase.value if summary.phase else None,
        "start_date": dates[0].isoformat(),
        "end_date": dates[-1].isoformat(),
        "timezone": summary.timezone_name,
        "day_starts_at": summary.day_starts_at.strftime("%H:%M"),
        "days": [day_to_json(day, summary.tz) for day in summary.days],
        "totals": totals_to_json(summary.totals),
        "targets": targets_to_json(summary),
        "exercises": [_tally(tally) for tally in summary.exercises],
        "history": [totals_to_json(totals) for totals in summary.history],
        "streak": summary.streak,
        "streak_before": summary.streak_before,
    }
