"""Desktop notifications on Linux/BSD: ``org.freedesktop.Notifications.Notify`` via jeepney.

Why not plyer here: on Linux plyer picks the Flatpak portal whenever a directory ``/app``
exists (common in containers), else dbus-python (a C extension we do not depend on; it needs
libdbus headers to build), else ``notify-send``, which ignores the timeout and fails
silently. None of these can tell us whether a reminder was really shown. Calling Notify
ourselves with jeepney (pure Python, already a dependency for the idle probes) gives a
reply with the notification id, or an error, so ``send`` can be honest.

Each call opens a short-lived connection to the session bus, so a bus or a notification
server that goes away and comes back is picked up on the next reminder. The exception: a
reminder with buttons (``send_reminder``, where the server has the "actions" capability)
goes out on the one long-lived connection of ``notify/actions.py``, opened with the first
such reminder, which hears the user's answer; it is opened again when the bus went away.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from movebreak.i18n import _
from movebreak.notify.base import APP_NAME, URGENCY_NORMAL, NotifierStatus, ReminderNote, reason

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"


def markup_escaped(text: str) -> str:
    """The body as a server that reads markup shows it as written ("&", "<", ">" escaped). Not
    ``html.escape``: importing ``html`` loads its 2,000-entry entity tables into the running app."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
        self.channel = None  # the ActionChannel, once a reminder with buttons was sent

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
        return self._call_reply(conn, message).body

    def _call_reply(self, conn, message):
        """The reply message (its sender says which connection answered); an error as _Unavailable."""
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
        return reply

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
        note = ReminderNote(title, body, timeout, image)
        return self._guarded(lambda: self._send_plain(note)) is not None

    def send_reminder(self, note: ReminderNote, listener=None) -> int | None:
        """A reminder with its buttons, urgency and ``replaces`` id; the buttons only where the
        server has the "actions" capability (else as ``send``). The answers go to ``listener``.
        The notification's id, or None when it was not shown. Never raises."""
        return self._guarded(lambda: self._send_reminder(note, listener))

    def close(self, notification_id: int) -> None:
        """CloseNotification: a reminder answered another way leaves the screen. Never raises."""
        def call(bus) -> None:
            from jeepney import new_method_call

            self._call(bus, new_method_call(self._target(), "CloseNotification", "u", (notification_id,)))

        try:
            channel = self._live_channel()
            if channel is not None:
                call(channel)
            else:
                with self._open() as conn:
                    call(conn)
        except Exception as error:
            log.info("could not close notification %s: %s", notification_id, reason(error))

    # -- sending ------------------------------------------------------------------------------
    def _guarded(self, send) -> int | None:
        try:
            notification_id = send()
        except _Unavailable as error:
            self.problem = str(error)
            log.warning("notification not shown: %s", self.problem)
            return None
        except Exception as error:  # never let a reminder crash the scheduler thread
            self.problem = reason(error)
            log.warning("notification not shown: %s", self.problem)
            return None
        self.problem = None
        self.last_id = int(notification_id)
        return self.last_id

    def _send_plain(self, note: ReminderNote) -> int:
        with self._open() as conn:
            self._require_server(conn)
            return self._notify(conn, note, self._capabilities(conn), with_actions=False)

    def _send_reminder(self, note: ReminderNote, listener) -> int:
        channel = self._live_channel()
        if channel is not None:
            if listener is not None:
                channel.listener = listener
            try:
                return self._notify_on_channel(channel, note)
            except _Unavailable:
                if channel.alive:
                    raise
                self.channel = None  # the bus went away and may be back: a new connection below
        with self._open() as conn:
            self._require_server(conn)
            capabilities = self._capabilities(conn)
            if note.actions and listener is not None and "actions" in capabilities:
                try:
                    self.channel = self._open_channel(listener)
                except _Unavailable as error:  # then the reminder goes without buttons
                    log.warning("reminder buttons unavailable: %s", error)
                else:
                    return self._notify_on_channel(self.channel, note)
            return self._notify(conn, note, capabilities, with_actions=False)

    def _notify_on_channel(self, channel, note: ReminderNote) -> int:
        """Notify on the listening connection; its server's later signals about it are ours."""
        self._require_server(channel)
        capabilities = self._capabilities(channel)
        with_actions = "actions" in capabilities
        notification_id, server = self._notify_reply(channel, note, capabilities, with_actions=with_actions)
        if with_actions:
            channel.watch(notification_id, server)
        return notification_id

    def _notify(self, bus, note: ReminderNote, capabilities: list[str], *, with_actions: bool) -> int:
        return self._notify_reply(bus, note, capabilities, with_actions=with_actions)[0]

    def _notify_reply(self, bus, note: ReminderNote, capabilities: list[str], *,
                      with_actions: bool) -> tuple[int, str]:
        """Notify; the id the server gave and the server's unique bus name."""
        from jeepney import HeaderFields, new_method_call

        expire_ms = int(note.timeout.total_seconds() * 1000) if note.timeout > timedelta(0) else -1
        hints: dict[str, tuple[str, object]] = {"urgency": ("y", note.urgency or URGENCY_NORMAL)}
        if note.image is not None and Path(note.image).is_file():
            hints["image-path"] = ("s", Path(note.image).absolute().as_uri())
        body = markup_escaped(note.body) if "body-markup" in capabilities else note.body
        actions = [part for key, label in note.actions for part in (key, label)] if with_actions else []
        message = new_method_call(
            self._target(),
            "Notify",
            "susssasa{sv}i",
            (self._app_name, note.replaces, self._app_icon, note.title, body, actions,
             hints, min(expire_ms, 2**31 - 1)),
        )
        reply = self._call_reply(bus, message)
        (notification_id,) = reply.body
        return int(notification_id), reply.header.fields.get(HeaderFields.sender, "")

    # -- the listening connection ---------------------------------------------------------------
    def _live_channel(self):
        """The listening connection while it lives; a dead one (the bus went away) is let go."""
        channel = self.channel
        if channel is not None and not channel.alive:
            channel.close()
            self.channel = channel = None
        return channel

    def _open_channel(self, listener):
        from movebreak.notify.actions import ActionChannel

        try:
            return ActionChannel.open(self._address, listener, timeout=self._timeout)
        except Exception as error:
            raise _Unavailable(_("cannot connect to the D-Bus session bus: {error}", error=reason(error))) from None
