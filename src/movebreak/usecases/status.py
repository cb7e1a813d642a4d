"""The running app's state and this week's figures, as one JSON-ready mapping."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from movebreak.constants import ACTIVITY_TARGET_MINUTES, STRENGTH_DAYS_TARGET
from movebreak.environment import Environment
from movebreak.usecases.history import app_pid, load_settings, open_store, summary_rules

if TYPE_CHECKING:
    from movebreak.exercises.catalogue import Catalogue
    from movebreak.settings import AppSettings
    from movebreak.store import Store

STATUS_STALE_AFTER = timedelta(seconds=90)  # a snapshot older than this is from a stopped app


def status_report(env: Environment) -> dict[str, Any]:
    """``movebreak status``: read from the history without writing to it."""
    settings = load_settings(env)
    with open_store(env, mode="read") as store:
        return status_data(env, store, settings)


def status_data(env: Environment, store: Store, settings: AppSettings,
                catalogue: Catalogue | None = None) -> dict[str, Any]:
    from movebreak.engine.days import local_day
    from movebreak.reports import this_week

    now = env.clock.now()
    day_starts_at = settings.day_starts_at
    summary = this_week(store, now, env.tz, rules=summary_rules(env, settings, catalogue))
    week = summary.week
    local_date = local_day(now, env.tz, day_starts_at)
    today = next((day for day in summary.days if day.date == local_date), None)
    pid = app_pid(env)
    snapshot = store.get_state("status")
    live: dict[str, Any] | None = None
    if pid is not None and snapshot is not None and now - snapshot[1] <= STATUS_STALE_AFTER:
        live = _live_status(snapshot[0])
    pause = store.active_pause(now)
    data: dict[str, Any] = {
        "running": pid is not None,
        "pid": pid if pid and pid > 0 else None,
        "state": (live or {}).get("state", "paused" if pause else "not-running" if pid is None else "starting"),
        "continuous_sitting_minutes": (live or {}).get("continuous_sitting_minutes"),
        "next_reminder_at": (live or {}).get("next_reminder_at"),
        "snoozes_used": (live or {}).get("snoozes_used"),
        # the running app's (it follows config edits), else what the config says
        "remind_after_minutes": (live or {}).get("remind_after_minutes")
        or round(settings.engine.remind_after.total_seconds() / 60, 2),
        "held": (live or {}).get("held"),  # why a due reminder waits: "do-not-disturb", "fullscreen", "call"
        "idle_seconds": (live or {}).get("idle_seconds"),
        "paused_until": (pause.end.isoformat() if pause and pause.end else None) if pause else None,
        "paused": pause is not None,
        "updated_at": snapshot[1].isoformat() if live and snapshot else None,
        "today": {
            "date": local_date.isoformat(),
            "sitting_minutes": round(today.sitting.total_seconds() / 60, 1) if today else 0.0,
            "aerobic_minutes": round(today.aerobic.total_seconds() / 60, 1) if today else 0.0,
            "strength_minutes": round(today.strength.total_seconds() / 60, 1) if today else 0.0,
            "strength_day_minutes": round(summary.strength_day.total_seconds() / 60, 1),
            "breaks": (today.breaks_taken + today.natural_breaks + today.logged_breaks) if today else 0,
        },
        "week": {
            "week": str(week),
            "aerobic_minutes": round(summary.totals.aerobic.total_seconds() / 60, 1),
            "aerobic_target": ACTIVITY_TARGET_MINUTES,
            "strength_days": summary.totals.strength_days,
            "strength_days_target": STRENGTH_DAYS_TARGET,
        },
    }
    return data


def _live_status(value: Any) -> dict[str, Any] | None:
    """The running app's snapshot with only values of the right type (it may be hand-edited)."""
    if not isinstance(value, dict):
        return None
    live = dict(value)
    for key in ("continuous_sitting_minutes", "idle_seconds", "snoozes_used", "remind_after_minutes"):
        number = live.get(key)
        if isinstance(number, bool) or not isinstance(number, (int, float)) or number != number \
                or abs(number) == float("inf"):
            live[key] = None
    if not isinstance(live.get("held"), str):
        live["held"] = None
    if not isinstance(live.get("state"), str):
        live.pop("state", None)
    try:
        datetime.fromisoformat(live["next_reminder_at"]).astimezone(timezone.utc)
    except (KeyError, TypeError, ValueError, OverflowError):
        live["next_reminder_at"] = None
    return live
