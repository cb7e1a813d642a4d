"""Durations as people write them: "45m", "90s", "1h30m", "1h 30m"."""

from __future__ import annotations

import math
import re
from datetime import timedelta

from movebreak.i18n import _

_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(h|m|s)\s*", re.IGNORECASE)
_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}
MAX_SECONDS = 100 * 366 * 86400.0  # 100 years: far past every limit, and never an OverflowError


def parse_duration(text: str) -> timedelta:
    """Parse a duration with units; raise ValueError with a short reason otherwise.

    Each unit may appear once, largest first ("1h30m", not "30m1h").
    """
    if not isinstance(text, str):
        raise ValueError(_('expected a duration like "45m", got {kind}', kind=type(text).__name__))
    stripped = text.strip()
    if not stripped:
        raise ValueError(_('empty duration; write it like "45m", "90s" or "1h30m"'))
    pos = 0
    seconds = 0.0
    seen: list[str] = []
    while pos < len(stripped):
        match = _PART.match(stripped, pos)
        if not match or match.end() == pos:
            raise ValueError(_('"{text}" is not a duration; write it like "45m", "90s" or "1h30m"', text=text))
        unit = match.group(2).lower()
        if unit in seen or (seen and "hms".index(unit) < "hms".index(seen[-1])):
            raise ValueError(_('"{text}" repeats or reorders units; write it like "1h30m"', text=text))
        seen.append(unit)
        seconds += float(match.group(1)) * _UNIT_SECONDS[unit]
        pos = match.end()
    if not math.isfinite(seconds) or seconds > MAX_SECONDS:  # timedelta() would raise OverflowError
        raise ValueError(_('"{text}" is too long for a duration', text=text))
    return timedelta(seconds=seconds)


def format_duration(value: timedelta) -> str:
    """The inverse of parse_duration for whole seconds: 5400 s -> "1h30m"."""
    total = int(round(value.total_seconds()))
    if total == 0:
        return "0s"
    sign = "-" if total < 0 else ""
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{n}{u}" for n, u in ((hours, "h"), (minutes, "m"), (seconds, "s")) if n]
    return sign + "".join(parts)


def minutes(value: timedelta) -> float:
    return value.total_seconds() / 60.0
