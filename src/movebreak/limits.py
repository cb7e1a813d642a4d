"""The limits on every number and moment a user gives, shared by the CLI, terminal mode and tray.

One place, so ``movebreak log --minutes``, the terminal's ``b 20`` and the tray's break
entry refuse the same values with the same words: one line, "<where>: <what is wrong>",
raised as MovebreakError. Contracts layer: stdlib and movebreak's contracts only.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from movebreak.durations import format_duration, parse_duration
from movebreak.errors import MovebreakError
from movebreak.i18n import _

MAX_BREAK_MINUTES = 600.0  # a logged break or activity: 10 hours at most
MAX_PAUSE = timedelta(days=7)  # longer: pause without a duration (until resumed)
# The history holds nothing before this (export starts here) and nothing after FUTURE_SLACK from now.
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
FUTURE_SLACK = timedelta(minutes=1)
FIRST_WEEK_YEAR, LAST_WEEK_YEAR = 1970, 9998  # the ISO weeks a summary can show


def _minutes_number(raw: Any, where: str) -> tuple[float, str]:
    """A finite-or-infinite float from text or a number; NaN and words are not numbers."""
    text = str(raw).strip()
    if isinstance(raw, bool):
        value = math.nan
    elif isinstance(raw, (int, float)):
        value = float(raw)
    else:
        try:
            value = float(text)
        except (ValueError, OverflowError):
            value = math.nan
    if math.isnan(value):
        raise MovebreakError(_('{where}: "{text}" is not a number of minutes', where=where, text=text))
    return value, text


def _show(minutes: float) -> str:
    return str(int(minutes)) if float(minutes).is_integer() else f"{minutes:g}"


def break_minutes(raw: Any, where: str = "--minutes") -> float:
    """The length of a logged break: more than 0 and at most MAX_BREAK_MINUTES."""
    value, text = _minutes_number(raw, where)
    if not 0 < value <= MAX_BREAK_MINUTES:
        raise MovebreakError(_("{where}: minutes must be more than 0 and at most {limit}, got {value}",
                               where=where, limit=_show(MAX_BREAK_MINUTES), value=text))
    return value


def longest_snooze(settings: Any) -> timedelta:
    """The longest snooze the settings offer (the default snooze or the longest menu option)."""
    return max((settings.snooze, *settings.snooze_options))


def snooze_minutes(raw: Any, longest: timedelta, where: str = "snooze") -> float:
    """A snooze: more than 0 and at most the longest configured snooze."""
    value, text = _minutes_number(raw, where)
    limit = longest.total_seconds() / 60
    if not 0 < value <= limit:
        raise MovebreakError(_("{where}: a snooze must be more than 0 and at most {limit} min "
                               "(the longest snooze in the settings), got {value}",
                               where=where, limit=_show(limit), value=text))
    return value


def pause_duration(raw: str | timedelta, where: str = "pause") -> timedelta:
    """A pause with a duration: more than 0 and at most MAX_PAUSE (longer: until resumed)."""
    if isinstance(raw, timedelta):
        value, text = raw, format_duration(raw)
    else:
        text = str(raw).strip()
        try:
            value = parse_duration(text)
        except ValueError as error:
            raise MovebreakError(_("{where}: {reason}", where=where, reason=error)) from None
    if not timedelta(0) < value <= MAX_PAUSE:
        raise MovebreakError(_("{where}: a pause must be more than 0 and at most 7 days (without a duration it "
                               "lasts until you resume), got {value}", where=where, value=text))
    return value


def moment(value: datetime, now: datetime, text: str, where: str = "--at") -> datetime:
    """A moment for the history: from 1970-01-01 UTC to one minute from now."""
    try:
        utc = value.astimezone(timezone.utc)
    except (OverflowError, ValueError):  # year 1 ahead of UTC, year 9999 behind it
        utc = EARLIEST - timedelta(days=1) if value.year < 5000 else now + 2 * FUTURE_SLACK
    if utc < EARLIEST:
        raise MovebreakError(_("{where}: {moment} is before 1970-01-01 (UTC), which the history cannot hold",
                               where=where, moment=text))
    if utc > now + FUTURE_SLACK:
        raise MovebreakError(_("{where}: {moment} is in the future", where=where, moment=text))
    return value


def since_date(value: date) -> date | None:
    """An export's first day; any day before 1970 means everything (None)."""
    return None if value < EARLIEST.date() else value


def week_text(text: str, where: str = "--week") -> str:
    """Refuse a week outside FIRST_WEEK_YEAR..LAST_WEEK_YEAR before it is parsed."""
    match = re.match(r"\s*(\d{1,9})", text)
    if match and not FIRST_WEEK_YEAR <= int(match.group(1)) <= LAST_WEEK_YEAR:
        raise MovebreakError(_('{where}: "{text}" is outside the weeks a summary can show, {first} to {last}',
                               where=where, text=text, first=f"{FIRST_WEEK_YEAR}-W01",
                               last=f"{LAST_WEEK_YEAR}-W{date(LAST_WEEK_YEAR, 12, 28).isocalendar()[1]:02d}"))
    return text
