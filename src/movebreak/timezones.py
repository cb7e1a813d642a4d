"""The user's local time zone, as a real zone (DST-aware), not a fixed offset."""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo


def local_timezone() -> tzinfo:
    try:
        import tzlocal

        return tzlocal.get_localzone()
    except Exception:  # a broken TZ setting must not stop the app
        return datetime.now(timezone.utc).astimezone().tzinfo or timezone.utc
