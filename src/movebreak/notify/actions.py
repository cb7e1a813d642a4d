"""The one long-lived session-bus connection that hears what the user did with a reminder.

A reminder with buttons is sent on this connection (some servers, dunst and KDE among them,
send ``ActionInvoked`` only to the connection that asked for the notification), and its
thread blocks in ``recv`` until a message comes: no polling, so it costs nothing while
idle. It answers the replies of calls made from other threads and hands
``ActionInvoked`` / ``NotificationClosed`` for our own notifications (from the server
that showed them) to the listener, each on a short thread of its own, in order, so a
listener that waits for the app's lock never holds up a reply. The connection is opened
by ``FreedesktopNotifier`` with the first reminder that has buttons; when the bus goes
away the thread ends and the next reminder opens a new one.
"""

from __future__ import annotations

import logging
import threading

from movebreak.dbus_connection import Bus, BusClosed

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
SIGNALS = ("ActionInvoked", "NotificationClosed")


ChannelClosed = BusClosed  # the connection ended before a reply came


class ActionChannel:
    """A connection of our own (``dbus_connection.Bus``, read by a thread of its own): calls from
    any thread, the server's signals to ``listener``."""

    def __init__(self, conn, listener) -> None:
        self._bus = Bus(conn)
        self.listener = listener  # action(id, key), closed(id, reason)
        self._ours: dict[int, str] = {}  # notification id -> the unique name of the server that showed it
        self._last_handler: threading.Thread | None = None
        self._thread = threading.Thread(target=self._receive, name="movebreak-notify-actions", daemon=True)
        self._thread.start()

    @classmethod
    def open(cls, address: str, listener, *, timeout: float) -> "ActionChannel":
        """Connect, start listening and subscribe to the server's two signals (match rules)."""
        from jeepney import MatchRule, message_bus
        from jeepney.io.blocking import open_dbus_connection

        conn = open_dbus_connection(address, auth_timeout=timeout)
        channel = cls(conn, listener)
        try:
            for member in SIGNALS:
                rule = MatchRule(type="signal", interface=BUS_NAME, member=member, path=OBJECT_PATH)
                channel.send_and_get_reply(message_bus.AddMatch(rule), timeout=timeout)
        except Exception:
            channel.close()
            raise
        return channel

    @property
    def alive(self) -> bool:
        return not self._bus.closed and self._thread.is_alive()

    def watch(self, notification_id: int, server: str) -> None:
        """Signals about this notification from ``server`` (a unique bus name) go to the listener."""
        self._ours[notification_id] = server

    def send_and_get_reply(self, message, *, timeout: float):
        """The same call as jeepney's blocking connection, safe from any thread but the listener's."""
        if not self.alive:
            raise ChannelClosed("the D-Bus connection for reminder buttons is closed")
        return self._bus.request(message, timeout=timeout)

    def close(self) -> None:
        """Stop listening: the thread's ``recv`` ends and the socket is closed."""
        self._bus.close()
        if self._thread is not threading.current_thread():
            self._thread.join(2.0)
        self._bus.release()

    # --- the listening thread ----------------------------------------------------------------

    def _receive(self) -> None:
        try:
            self._bus.serve(self._dispatch)
        except Exception as error:  # the bus went away (BusClosed) or broke: the next reminder reconnects
            log.info("the D-Bus connection for reminder buttons ended: %s", error)

    def _dispatch(self, message) -> None:
        from jeepney import HeaderFields, MessageType

        header = message.header
        if header.message_type is not MessageType.signal:
            return
        member = header.fields.get(HeaderFields.member)
        if member not in SIGNALS or header.fields.get(HeaderFields.interface) != BUS_NAME:
            return
        try:
            notification_id, detail = message.body
        except (TypeError, ValueError):
            return
        if self._ours.get(notification_id) != header.fields.get(HeaderFields.sender):
            return  # not ours, or not from the server that showed it
        if member == "ActionInvoked":
            self._hand_over(self.listener.action, notification_id, str(detail))
        else:
            self._ours.pop(notification_id, None)
            self._hand_over(self.listener.closed, notification_id, int(detail))

    def _hand_over(self, handler, notification_id: int, detail) -> None:
        """Run the listener off this thread (it may wait for the app, which may wait for a reply
        here), after the one before it: "Done" then "closed" arrive in that order."""
        before = self._last_handler

        def run() -> None:
            if before is not None:
                before.join()
            try:
                handler(notification_id, detail)
            except Exception:
                log.exception("answering a reminder notification failed")

        thread = threading.Thread(target=run, name="movebreak-notify-answer", daemon=True)
        self._last_handler = thread
        thread.start()
