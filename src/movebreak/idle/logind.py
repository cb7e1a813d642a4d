"""Screen lock on Linux from systemd-logind's ``LockedHint``, over the system bus.

Desktops set the hint when they lock (GNOME, KDE, and xss-lock setups). It is a hint:
``None`` means no logind, no session or no answer, never "unlocked".

The app asks on every poll, so asking must cost nothing: the first call connects once,
finds this login session, reads ``LockedHint`` and subscribes to the session's
``PropertiesChanged`` signal; later calls only read what logind already sent, from the
socket without waiting (no round trip, no wake-up per poll). A lost connection is opened
again on the next call; when logind cannot answer (no system bus, no logind, no session)
the next attempt waits ``RETRY_AFTER``, so a machine without logind pays nothing per poll.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping

from movebreak.i18n import _
from movebreak.idle.base import reason

_SYSTEM_BUS = "unix:path=/var/run/dbus/system_bus_socket"
LOGIND = "org.freedesktop.login1"
SESSION_INTERFACE = "org.freedesktop.login1.Session"
RETRY_AFTER = 300.0  # seconds before asking an absent logind again


class _NoSession(Exception):
    pass


class LogindLock:
    def __init__(
        self,
        environ: Mapping[str, str],
        *,
        timeout: float = 0.5,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._address = environ.get("DBUS_SYSTEM_BUS_ADDRESS") or _SYSTEM_BUS
        self._timeout = timeout
        self._monotonic = monotonic
        self._conn = None
        self._path: str | None = None
        self._value: bool | None = None
        self._retry_at: float | None = None
        self.problem: str | None = None

    def __call__(self) -> bool | None:
        if self._conn is None:
            if self._retry_at is not None and self._monotonic() < self._retry_at:
                return None
            try:
                self._connect()
            except ImportError:
                self._give_up(_("jeepney is not installed"))
                return None
            except _NoSession:
                self._give_up(_("logind knows no session for this process"))
                return None
            except Exception as error:  # no system bus, no logind, timeout: all mean "unknown"
                self._give_up(_("no answer from logind: {error}", error=reason(error)))
                return None
        try:
            self._read_changes()
        except Exception as error:  # the bus went away: reconnect on the next call
            self.close()
            self.problem = _("no answer from logind: {error}", error=reason(error))
            return None
        return self._value

    # -- the connection ----------------------------------------------------------------

    def _connect(self) -> None:
        from jeepney import DBusAddress, HeaderFields, MatchRule, message_bus, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        conn = open_dbus_connection(self._address, auth_timeout=self._timeout)
        try:
            manager = DBusAddress("/org/freedesktop/login1", bus_name=LOGIND,
                                  interface="org.freedesktop.login1.Manager")
            path = None
            for method, signature, argument in (("GetSession", "s", "auto"), ("GetSession", "s", "self"),
                                                ("GetSessionByPID", "u", os.getpid())):
                reply = conn.send_and_get_reply(new_method_call(manager, method, signature, (argument,)),
                                                timeout=self._timeout)
                if reply.header.message_type.name == "method_return":
                    path = reply.body[0]
                    break
                error = str(reply.header.fields.get(HeaderFields.error_name, ""))
                if error.endswith((".ServiceUnknown", ".NameHasNoOwner", ".AccessDenied")):
                    raise RuntimeError(str(reply.body[0]) if reply.body else error)
            if path is None:
                raise _NoSession()
            rule = MatchRule(type="signal", sender=LOGIND, interface="org.freedesktop.DBus.Properties",
                             member="PropertiesChanged", path=path)
            conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=self._timeout)
            self._conn, self._path = conn, path
            self._value = self._fetch()
        except BaseException:
            self._conn = None
            conn.close()
            raise
        self._retry_at = None
        self.problem = None

    def _fetch(self) -> bool | None:
        from jeepney import DBusAddress, Properties

        session = DBusAddress(self._path, bus_name=LOGIND, interface=SESSION_INTERFACE)
        reply = self._conn.send_and_get_reply(Properties(session).get("LockedHint"), timeout=self._timeout)
        if reply.header.message_type.name != "method_return":
            return None
        _signature, value = reply.body[0]
        return bool(value)

    def _read_changes(self) -> None:
        """Apply the PropertiesChanged signals already on the socket; never waits."""
        refetch = False
        while True:
            try:
                message = self._conn.receive(timeout=0)
            except TimeoutError:
                break
            header = message.header
            if header.message_type.name != "signal" or len(message.body) < 3:
                continue
            interface, changed, invalidated = message.body[:3]
            if interface != SESSION_INTERFACE:
                continue
            if "LockedHint" in changed:
                self._value = bool(changed["LockedHint"][1])
                refetch = False
            elif "LockedHint" in invalidated:
                refetch = True
        if refetch:
            self._value = self._fetch()

    def _give_up(self, problem: str) -> None:
        self.problem = problem
        self._retry_at = self._monotonic() + RETRY_AFTER

    def close(self) -> None:
        conn, self._conn = self._conn, None
        self._value = None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # already broken
                pass
