"""The user's local time zone, as a real zone (DST-aware), not a fixed offset."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone, tzinfo

from movebreak.i18n import _


def local_timezone() -> tzinfo:
    return local_timezone_checked()[0]


def local_timezone_checked() -> tuple[tzinfo, str | None]:
    """The zone, and one line to tell the user when the setting could not be used as it is.

    A broken TZ must never stop a command: a POSIX rule ("EST5EDT,M3.2.0,M11.1.0") becomes a
    real zone with its DST rule; anything else falls back to the offset the C library gives,
    or UTC."""
    try:
        import tzlocal

        return tzlocal.get_localzone(), None
    except Exception:  # noqa: BLE001 - tzlocal raises several kinds for a bad setting
        pass
    setting = os.environ.get("TZ")
    zone = _posix_zone(setting) if setting else None
    if zone is not None:
        return zone, None
    zone = _fixed_offset()
    offset = zone.utcoffset(None) or timedelta(0)
    where = _('TZ "{value}"', value=setting) if setting is not None else _("the system's time zone")
    return zone, _("{where} is not a time zone movebreak can use; times are shown in UTC{offset} "
                   "(no daylight saving)", where=where, offset=_offset_text(offset))


def _fixed_offset() -> timezone:
    """The C library's reading of the setting now, or UTC when even that fails (TZ=UTC+99)."""
    try:
        found = datetime.now(timezone.utc).astimezone().tzinfo
    except (ValueError, OverflowError, OSError):
        return timezone.utc
    offset = found.utcoffset(None) if found is not None else None
    return timezone(offset) if offset is not None else timezone.utc


def _offset_text(offset: timedelta) -> str:
    if not offset:
        return ""
    sign = "+" if offset > timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _posix_zone(spec: str) -> tzinfo | None:
    """A POSIX TZ rule as a DST-aware zone: a TZif file with no transitions, only the rule."""
    import io
    import struct
    from zoneinfo import ZoneInfo

    rule = spec[1:] if spec.startswith(":") else spec
    if not rule or "/" in rule.split(",", 1)[0] or "\n" in rule or "\0" in rule:
        return None  # a zone name or a path, not a rule with DST dates
    header = b"TZif2" + b"\0" * 15 + struct.pack(">6l", 0, 0, 0, 0, 1, 4)
    body = struct.pack(">lbb", 0, 0, 0) + b"UTC\0"
    try:
        data = header + body + header + body + b"\n" + rule.encode("ascii") + b"\n"
        zone = ZoneInfo.from_file(io.BytesIO(data), key=rule)
        datetime.now(timezone.utc).astimezone(zone)
    except (ValueError, UnicodeError, OverflowError, OSError):
        return None
    return zone
