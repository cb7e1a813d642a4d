"""Screen lock on Linux from systemd-logind's ``LockedHint``, over the system bus.

Desktops set the hint when they lock (GNOME, KDE, and xss-lock setups). It is a hint:
``None`` means no logind, no session or no answer, never "unlocked".
"""

from __future__ import annotations

from collections.abc import Mapping

from movebreak.i18n import _
from movebreak.idle import reason

_SYSTEM_BUS = "unix:path=/var/run/dbus/system_bus_socket"


class LogindLock:
    def __init__(self, environ: Mapping[str, str], *, timeout: float = 0.5) -> None:
        self._address = environ.get("DBUS_SYSTEM_BUS_ADDRESS") or _SYSTEM_BUS
        self._timeout = timeout
        self.problem: str | None = None

    def __call__(self) -> bool | None:
        try:
            from jeepney import DBusAddress, Properties
            from jeepney.io.blocking import open_dbus_connection
        except ImportError:
            self.problem = _("jeepney is not installed")
            return None
        try:
            with open_dbus_connection(self._address, auth_timeout=self._timeout) as conn:
                for path in ("/org/freedesktop/login1/session/auto", "/org/freedesktop/login1/session/self"):
                    session = DBusAddress(path, bus_name="org.freedesktop.login1",
                                          interface="org.freedesktop.login1.Session")
                    reply = conn.send_and_get_reply(Properties(session).get("LockedHint"),
                                                    timeout=self._timeout)
                    if reply.header.message_type.name == "method_return":
                        _signature, value = reply.body[0]
                        self.problem = None
                        return bool(value)
            self.problem = _("logind knows no session for this process")
        except Exception as error:  # no system bus, no logind, timeout: all mean "unknown"
            self.problem = _("no answer from logind: {error}", error=reason(error))
        return None
