"""Moments typed by the user on the command line, read in their local time."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from movebreak.i18n import _

# The day words --at understands, in every language (a German user may type either): days back.
DAY_WORDS = {"today": 0, "yesterday": 1, "heute": 0, "gestern": 1, "vorgestern": 2}
_CLOCK = re.compile(r"(?:(" + "|".join(DAY_WORDS) + r")\s+)?(\d{1,2}):(\d{2})", re.IGNORECASE)


def parse_moment(text: str, *, now: datetime, tz: tzinfo) -> datetime:
    """"14:30" (today), "yesterday 14:30" ("gestern 14:30", "vorgestern 8:15"), "2026-11-20 14:30"
    or full ISO-8601; naive means local."""
    raw = text.strip()
    local_now = now.astimezone(tz)
    match = _CLOCK.fullmatch(raw)
    if match:
        day = local_now.date() - timedelta(days=DAY_WORDS[(match.group(1) or "today").lower()])
        hours, minutes = int(match.group(2)), int(match.group(3))
        if hours > 23 or minutes > 59:
            raise ValueError(_('"{text}" is not a time of day', text=text))
        return _localise(datetime.combine(day, time(hours, minutes)), tz)
    try:
        value = datetime.fromisoformat(raw.replace(" ", "T", 1) if re.match(r"\d{4}-\d{2}-\d{2} ", raw) else raw)
    except ValueError:
        raise ValueError(_(
            '"{text}" is not a date and time; write it like "14:30", "yesterday 14:30" or "2026-11-20 14:30"',
            text=text)) from None
    if value.tzinfo is None:
        return _localise(value, tz)
    return value


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_('"{text}" is not a date; write it like "2026-11-20"', text=text)) from None


def _localise(naive: datetime, tz: tzinfo) -> datetime:
    """Attach the local zone; a time inside a DST gap moves forward by the gap."""
    aware = naive.replace(tzinfo=tz)
    roundtrip = aware.astimezone(tz)
    if roundtrip.replace(tzinfo=None) != naive:  # nonexistent local time (spring forward)
        aware = naive.replace(tzinfo=tz, fold=1)
    return aware
