"""The running app's status: the snapshot written each tick (what ``movebreak status`` reads),
the status line (terminal mode, the tray), and what keeps asking for them cheap."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from movebreak.constants import ACTIVITY_TARGET_MINUTES, STRENGTH_DAYS_TARGET
from movebreak.i18n import N_, _

# The tray asks for the status right after the tick that wrote it; an answer this fresh is reused.
STATUS_REUSE = timedelta(seconds=1)


class StatusCache:
    """The engine's status the last tick or action computed, and this week's figures.

    The status is reused for ``STATUS_REUSE`` while nothing changed the engine since; the
    week's figures are read from the history again only after breaks may have changed
    (``history_changed``) or the week or time zone did.
    """

    def __init__(self) -> None:
        self._status: tuple[datetime, Any] | None = None  # (when, engine status)
        self._history_generation = 0  # changes whenever breaks may have changed
        self._week: tuple[Any, tuple[int, int], datetime | None] | None = None  # (key, figures, valid until)

    def remember(self, now: datetime, status) -> None:
        self._status = (now, status)

    def forget(self) -> None:
        """The engine changed: its status must be asked again."""
        self._status = None

    def recent(self, now: datetime):
        """The status remembered, when under ``STATUS_REUSE`` old; else None."""
        memo = self._status
        if memo is not None and memo[0] <= now < memo[0] + STATUS_REUSE:
            return memo[1]
        return None

    def history_changed(self) -> None:
        self._history_generation += 1

    def week_figures(self, store, now: datetime, tz, rules) -> tuple[int, int]:
        """This week's WHO aerobic minutes and strength days (counted by ``rules``), computed
        again only when breaks changed, or when an activity logged to end later has ended."""
        from movebreak.reports import current_week, this_week

        key = (str(current_week(now, tz, rules.day_starts_at)), tz, self._history_generation)
        cached = self._week
        if cached is not None and cached[0] == key and (cached[2] is None or now < cached[2]):
            return cached[1]
        summary = this_week(store, now, tz, rules=rules)
        figures = (int(summary.totals.aerobic.total_seconds() // 60), summary.totals.strength_days)
        ends = [done.at + done.duration for day in summary.days for done in day.exercises]
        self._week = (key, figures, min((end for end in ends if end > now), default=None))
        return figures


def status_line(status, now: datetime, active: int, strength: int) -> str:
    """Sitting time, the next reminder and this week's figures, in one line."""
    parts = [_("Sitting {minutes} min", minutes=int(status.continuous_sitting.total_seconds() // 60))]
    if status.next_reminder_at is not None:
        left = max(timedelta(0), status.next_reminder_at - now)
        parts.append(_("reminder in {minutes} min", minutes=int(-(-left.total_seconds() // 60))))
    parts.append(_("this week {active}/{target} active min, {strength}/{days} strength days",
                   active=active, strength=strength,
                   target=ACTIVITY_TARGET_MINUTES, days=STRENGTH_DAYS_TARGET))
    return " · ".join(parts)


HELD_WORDS = {
    "do-not-disturb": N_("held: do not disturb is on"),
    "fullscreen": N_("held: a window is full screen"),
    "call": N_("held: in a call"),
}


def held_words(reason: str | None) -> str | None:
    """"held: in a call" for a reminder held back (the tray's tooltip and ``movebreak status``)."""
    if reason is None:
        return None
    return _(HELD_WORDS[reason]) if reason in HELD_WORDS else _("held: {reason}", reason=reason)


def status_snapshot(status, last_idle: timedelta | None, extra: dict[str, Any]) -> dict[str, Any]:
    """What the app writes as its status each tick (``movebreak status`` reads it)."""
    return {
        "state": str(status.state),
        "continuous_sitting_minutes": round(status.continuous_sitting.total_seconds() / 60, 2),
        "next_reminder_at": status.next_reminder_at.isoformat() if status.next_reminder_at else None,
        "snoozes_used": status.snoozes_used,
        "remind_after_minutes": round(status.remind_after.total_seconds() / 60, 2),  # in use (it follows the config)
        "held": status.held,
        "idle_seconds": round(last_idle.total_seconds(), 1) if last_idle is not None else None,
        **extra,
    }
