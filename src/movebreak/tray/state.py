"""What the tray shows, as plain data taken from the core in one go.

The menu and the actions window read a ``TrayState``; they never call the core while a
menu is drawn, so a slow tick can never freeze the tray. ``RedrawPolicy`` decides when
the icon and tooltip are worth redrawing: at once when the look changes, otherwise at
most once a minute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from movebreak.i18n import _
from movebreak.tray.icon import IconKey, icon_key

MIN_REDRAW_GAP = timedelta(minutes=1)
TOOLTIP_LIMIT = 127  # Windows cuts tooltips at 128 characters


@dataclass(frozen=True)
class BreakChoice:
    exercise_id: str
    label: str
    picture: str | None = None  # the pictogram file (the actions window shows the .png beside it)


@dataclass(frozen=True)
class TrayState:
    state: str
    key: IconKey
    status_line: str
    tooltip: str
    reminder_pending: bool
    can_snooze: bool
    paused: bool
    snooze_minutes: tuple[int, ...]
    breaks: tuple[BreakChoice, ...] = field(default=())  # the suggested one first


@dataclass(frozen=True)
class Glance:
    """The cheap part of the status: enough to decide whether to redraw."""

    key: IconKey
    sitting_minutes: int
    reminder_minutes: int | None
    unsaved: bool = False  # the history cannot be written: shown at once, like a new look


def glance(status, now: datetime, remind_after: timedelta, *, unsaved: bool = False) -> Glance:
    key = icon_key(str(status.state), status.continuous_sitting, remind_after)
    reminder = None
    if status.next_reminder_at is not None:
        left = max(timedelta(0), status.next_reminder_at - now)
        reminder = int(-(-left.total_seconds() // 60))
    return Glance(key, int(status.continuous_sitting.total_seconds() // 60), reminder, unsaved)


class RedrawPolicy:
    """Redraw when the look changes; a new ring step or minute waits for ``gap`` since the last."""

    def __init__(self, gap: timedelta = MIN_REDRAW_GAP) -> None:
        self.gap = gap
        self.last: Glance | None = None
        self.last_at: datetime | None = None

    def should_draw(self, current: Glance, now: datetime, *, force: bool = False) -> bool:
        if self.last is None or force or current.key.look != self.last.key.look \
                or current.unsaved != self.last.unsaved:
            return True
        if current == self.last:
            return False
        return self.last_at is None or now - self.last_at >= self.gap or now < self.last_at

    def drawn(self, current: Glance, now: datetime) -> None:
        self.last, self.last_at = current, now


def state_prefix(status, tz, *, unsaved: bool = False) -> str | None:
    """A few words for states the core's status line does not name; first of all a history
    that cannot be written (the user must not believe their breaks are kept when they are not)."""
    if unsaved:
        return _("Not saved: the history cannot be written")
    state = str(status.state)
    if state == "paused":
        if status.paused_until is not None:
            return _("Paused until {time}", time=status.paused_until.astimezone(tz).strftime("%H:%M"))
        return _("Paused until you resume")
    if state == "snoozed" and status.snoozed_until is not None:
        return _("Snoozed until {time}", time=status.snoozed_until.astimezone(tz).strftime("%H:%M"))
    if state == "held":
        from movebreak.running.status import held_words

        return held_words(status.held)
    if state == "reminding":
        return _("Time to move")
    if state == "outside-hours":
        return _("Outside working hours")
    if state == "away":
        return _("On a break")
    return None


def tooltip_text(prefix: str | None, status_line: str, limit: int = TOOLTIP_LIMIT) -> str:
    text = f"{prefix} · {status_line}" if prefix else status_line
    return text if len(text) <= limit else text[: limit - 1] + "…"


def break_choices(exercises, suggested_id: str | None, language: str, count: int = 4,
                  picture_of=None) -> tuple[BreakChoice, ...]:
    """The suggested exercise first, then the shortest one of each other category, ``count`` in all;
    ``picture_of(exercise)`` gives the suggested one's pictogram file."""
    by_id = {exercise.id: exercise for exercise in exercises}
    chosen = []
    if suggested_id in by_id:
        chosen.append(by_id[suggested_id])
    seen = {exercise.category for exercise in chosen}
    for exercise in sorted(by_id.values(), key=lambda e: (e.duration, e.id)):
        if len(chosen) >= count:
            break
        if exercise.category not in seen:
            chosen.append(exercise)
            seen.add(exercise.category)
    pictures = {chosen[0].id: picture_of(chosen[0])} if chosen and picture_of is not None else {}
    return tuple(BreakChoice(e.id, _("{name} ({minutes} min)", name=e.name(language), minutes=_minutes(e.duration)),
                             _text_or_none(pictures.get(e.id))) for e in chosen)


def _text_or_none(path) -> str | None:
    return None if path is None else str(path)


def _minutes(value: timedelta) -> str:
    minutes = value.total_seconds() / 60
    return str(int(minutes)) if minutes == int(minutes) else f"{minutes:.1f}"
