"""Desktop notifications on Linux/BSD: ``org.freedesktop.Notifications.Notify`` via jeepney.

Why not plyer here: on Linux plyer picks the Flatpak portal whenever a directory ``/app``
exists (common in containers), else dbus-python (a C extension we do not depend on; it needs
libdbus headers to build), else ``notify-send``, which ignores the timeout and fails
silently. None of these can tell us whether a reminder was really shown. Calling Notify
ourselves with jeepney (pure Python, already a dependency for the idle probes) gives a
reply with the notification id, or an error, so ``send`` can be honest.

Each call opens a short-lived connection to the session bus, so a bus or a notification
server that goes away and comes back is picked up on the next reminder.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from movebreak.i18n import _
from movebreak.notify.base import APP_NAME, NotifierStatus, reason

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
URGENCY_NORMAL = 1


class _Unavailable(Exception):
    pass


class FreedesktopNotifier:
    name = "freedesktop"
    accepts_image = True  # send(..., image=) shows the exercise's pictogram

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        *,
        app_name: str = APP_NAME,
        app_icon: str = "",
        call_timeout: float = 2.0,
    ) -> None:
        environ = os.environ if environ is None else environ
        self._address = environ.get("DBUS_SESSION_BUS_ADDRESS", "")
        self._app_name = app_name
        self._app_icon = app_icon
        self._timeout = call_timeout
        self.last_id: int | None = None
        self.problem: str | None = None

    # -- connection helpers -------------------------------------------------------------
    def _open(self):
        if not self._address:
            raise _Unavailable(_("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"))
        if not any(part.strip().startswith("unix:") for part in self._address.split(";")):
            raise _Unavailable(
                _("the session bus address {address} has no unix: socket, the only kind movebreak can use",
                  address=self._address)
            )
        try:
            from jeepney.io.blocking import open_dbus_connection
        except ImportError:
            raise _Unavailable(_("jeepney is not installed (pip install jeepney)")) from None
        try:
            return open_dbus_connection(self._address, auth_timeout=self._timeout)
        except Exception as error:
            raise _Unavailable(_("cannot connect to the D-Bus session bus: {error}", error=reason(error))) from None

    def _call(self, conn, message):
        from jeepney import MessageType

        try:
            reply = conn.send_and_get_reply(message, timeout=self._timeout)
        except Exception as error:
            raise _Unavailable(_("D-Bus call failed: {error}", error=reason(error))) from None
        if reply.header.message_type is MessageType.error:
            from jeepney import HeaderFields

            name = reply.header.fields.get(HeaderFields.error_name, "")
            detail = reply.body[0] if reply.body and isinstance(reply.body[0], str) else ""
            raise _Unavailable(_("the notification server answered {error} {detail}", error=name, detail=detail).strip())
        return reply.body

    def _require_server(self, conn) -> None:
        from jeepney import message_bus

        (has_owner,) = self._call(conn, message_bus.NameHasOwner(BUS_NAME))
        if not has_owner:
            raise _Unavailable(
                _("no notification server is running (nothing owns {name} on the session bus); "
                  "start your desktop's notification daemon, e.g. dunst", name=BUS_NAME)
            )

    def _target(self):
        from jeepney import DBusAddress

        return DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=BUS_NAME)

    # -- Notifier -----------------------------------------------------------------------
    def check(self) -> NotifierStatus:
        from_server = ""
        try:
            with self._open() as conn:
                self._require_server(conn)
                try:
                    from jeepney import new_method_call

                    server, vendor, version, _spec = self._call(
                        conn, new_method_call(self._target(), "GetServerInformation")
                    )
                    from_server = f"{server} {version}".strip()
                except _Unavailable:
                    from_server = BUS_NAME
        except _Unavailable as error:
            self.problem = str(error)
            return NotifierStatus(False, self.problem)
        self.problem = None
        return NotifierStatus(True, _("desktop notifications via {server} on D-Bus: OK", server=from_server))

    def _capabilities(self, conn) -> list[str]:
        from jeepney import new_method_call

        try:
            (capabilities,) = self._call(conn, new_method_call(self._target(), "GetCapabilities"))
        except (_Unavailable, ValueError):
            return []
        return list(capabilities)

    def send(self, title: str, body: str, *, timeout: timedelta = timedelta(seconds=10),
             image: Path | None = None) -> bool:
        """Notify; ``image`` (a picture file) goes as the spec's "image-path" hint, a file://
        URI, which servers without images ignore. A server that reads body markup gets the
        body escaped, so an "&" or "<" in an exercise text shows as written."""
        try:
            from jeepney import new_method_call

            expire_ms = int(timeout.total_seconds() * 1000) if timeout > timedelta(0) else -1
            hints: dict[str, tuple[str, object]] = {"urgency": ("y", URGENCY_NORMAL)}
            if image is not None and Path(image).is_file():
                hints["image-path"] = ("s", Path(image).absolute().as_uri())
            with self._open() as conn:
                self._require_server(conn)
                if "body-markup" in self._capabilities(conn):
                    body = html.escape(body, quote=False)
                message = new_method_call(
                    self._target(),
                    "Notify",
                    "susssasa{sv}i",
                    (self._app_name, 0, self._app_icon, title, body, [],
                     hints, min(expire_ms, 2**31 - 1)),
                )
                (notification_id,) = self._call(conn, message)
        except _Unavailable as error:
            self.problem = str(error)
            log.warning("notification not shown: %s", self.problem)
            return False
        except Exception as error:  # never let a reminder crash the scheduler thread
            self.problem = reason(error)
            log.warning("notification not shown: %s", self.problem)
            return False
        self.problem = None
        self.last_id = int(notification_id)
        return True
