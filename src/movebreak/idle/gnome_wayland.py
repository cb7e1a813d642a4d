"""Idle time in a GNOME Wayland session from Mutter's IdleMonitor, over the session bus.

``org.gnome.Mutter.IdleMonitor.GetIdletime`` on ``/org/gnome/Mutter/IdleMonitor/Core``
returns milliseconds since the last input. Lock state comes from
``org.gnome.ScreenSaver.GetActive`` (true while the lock screen shows), else from logind.
Uses jeepney (pure Python D-Bus), imported on first use; one connection is kept and
reopened after an error.

Check by hand: ``python -m movebreak.idle.gnome_wayland``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from datetime import timedelta

from movebreak.i18n import N_, _
from movebreak.idle.base import ProbeBase, reason

MUTTER = ("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core", "org.gnome.Mutter.IdleMonitor")
SCREENSAVER = ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver")


class GnomeWaylandProbe(ProbeBase):
    name = "gnome-wayland"
    label = N_("GNOME idle via org.gnome.Mutter.IdleMonitor")

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        *,
        fallback_lock: Callable[[], bool | None] | None = None,
        timeout: float = 1.0,
    ) -> None:
        environ = os.environ if environ is None else environ
        self._address = environ.get("DBUS_SESSION_BUS_ADDRESS", "")
        self._fallback_lock = fallback_lock
        self._timeout = timeout
        self._conn = None
        self.problem: str | None = None

    def _call(self, target: tuple[str, str, str], method: str):
        """Call a no-argument method; return the first value, or raise _Unavailable."""
        if not self._address:
            raise _Unavailable(_("DBUS_SESSION_BUS_ADDRESS is not set; run movebreak inside your desktop session"))
        try:
            from jeepney import DBusAddress, MessageType, new_method_call
            from jeepney.io.blocking import open_dbus_connection
        except ImportError:
            raise _Unavailable(_("jeepney is not installed (pip install jeepney)")) from None
        try:
            if self._conn is None:
                self._conn = open_dbus_connection(self._address, auth_timeout=self._timeout)
            bus_name, path, interface = target
            message = new_method_call(DBusAddress(path, bus_name=bus_name, interface=interface), method)
            reply = self._conn.send_and_get_reply(message, timeout=self._timeout)
        except Exception as error:
            self.close()
            raise _Unavailable(_("session bus error: {error}", error=reason(error))) from None
        if reply.header.message_type is MessageType.error:
            detail = reply.body[0] if reply.body else ""
            name = reply.header.fields.get(4, "")  # HeaderFields.error_name
            raise _Unavailable(_("{service} answered {error} {detail}", service=bus_name, error=name, detail=detail).strip())
        return reply.body[0]

    def idle(self) -> timedelta | None:
        try:
            milliseconds = self._call(MUTTER, "GetIdletime")
        except _Unavailable as error:
            self.problem = str(error)
            return None
        self.problem = None
        return timedelta(milliseconds=int(milliseconds))

    def locked(self) -> bool | None:
        try:
            return bool(self._call(SCREENSAVER, "GetActive"))
        except _Unavailable:
            return self._fallback_lock() if self._fallback_lock is not None else None

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass


class _Unavailable(Exception):
    pass


def seconds_since_last_input() -> float | None:
    value = GnomeWaylandProbe().idle()
    return None if value is None else value.total_seconds()


if __name__ == "__main__":
    from movebreak.idle._cli import run

    raise SystemExit(run(GnomeWaylandProbe, sys.argv[1:], "movebreak.idle.gnome_wayland"))
