"""A long-lived session-bus connection that one thread reads: method calls and signals in,
calls from any thread out.

One jeepney connection. The thread that serves it (the SNI tray's: pystray's ``_run``; the
reminder buttons': a thread of their own) blocks in ``receive`` until a message comes: no
polling, so nothing wakes while idle. Messages go to ``handler(message)``; replies go to the
calls made from any thread (``request``/``call``, which wait; ``call_async``, which runs a
callback on the serving thread). The first reply to a call counts (mako 1.7 answers
GetCapabilities twice: its list, then an UnknownMethod error). Sending is serialised by a
lock, so other threads can emit signals while the serving one answers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger("movebreak.dbus")


class BusClosed(ConnectionError):
    """The connection ended before a reply came."""


class DBusError(Exception):
    """A call answered with a D-Bus error: ``name`` and its message."""

    def __init__(self, name: str, text: str = "") -> None:
        super().__init__(f"{name}: {text}" if text else name)
        self.name = name


class MethodError(Exception):
    """Raised by a handler to answer a call with a D-Bus error."""

    def __init__(self, name: str, text: str = "") -> None:
        super().__init__(text or name)
        self.name = name
        self.text = text


class _Waiting:
    def __init__(self, callback: Callable[[object], None] | None = None) -> None:
        self.done = threading.Event()
        self.message = None
        self.callback = callback


class Bus:
    """A connection whose messages are read by whoever calls ``serve`` (one thread)."""

    def __init__(self, conn) -> None:
        self._conn = conn
        self.unique_name: str = conn.unique_name
        self._send_lock = threading.Lock()
        self._waiting: dict[int, _Waiting] = {}
        self._closed = False

    @classmethod
    def open(cls, address: str, *, timeout: float = 1.0) -> "Bus":
        from jeepney.io.blocking import open_dbus_connection

        return cls(open_dbus_connection(address, auth_timeout=timeout))

    @property
    def closed(self) -> bool:
        return self._closed

    # --- sending ------------------------------------------------------------------------------

    def send(self, message) -> None:
        """A signal or a reply; never waits for an answer."""
        with self._send_lock:
            if self._closed:
                raise BusClosed("the D-Bus connection is closed")
            self._conn.send(message)

    def call_async(self, message, callback: Callable[[object], None] | None = None) -> None:
        """Send a call; ``callback(reply)`` runs on the serving thread (keep it short)."""
        self._send_call(message, _Waiting(callback))

    def call(self, message, *, timeout: float):
        """Send a call and wait for its reply (not from the serving thread); errors raise ``DBusError``."""
        return body_or_error(self.request(message, timeout=timeout))

    def request(self, message, *, timeout: float):
        """Send a call and wait for its reply message, as jeepney's ``send_and_get_reply`` (not
        from the serving thread)."""
        waiting = _Waiting()
        serial = self._send_call(message, waiting)
        try:
            if not waiting.done.wait(timeout):
                raise TimeoutError(f"no reply within {timeout} s")
        finally:
            self._waiting.pop(serial, None)
        if waiting.message is None:
            raise BusClosed("the D-Bus connection closed before the reply came")
        return waiting.message

    def _send_call(self, message, waiting: _Waiting) -> int:
        with self._send_lock:
            if self._closed:
                raise BusClosed("the D-Bus connection is closed")
            serial = next(self._conn.outgoing_serial)
            self._waiting[serial] = waiting
            try:
                self._conn.send(message, serial=serial)
            except Exception:
                self._waiting.pop(serial, None)
                raise
        return serial

    # --- receiving ----------------------------------------------------------------------------

    def blocking_call(self, message, *, timeout: float):
        """A call made before ``serve`` runs (no other thread reads yet): straight on the connection."""
        with self._send_lock:
            reply = self._conn.send_and_get_reply(message, timeout=timeout)
        return body_or_error(reply)

    def serve(self, handler: Callable[[object], None]) -> None:
        """Read messages until ``close``: replies to their waiters, everything else to ``handler``.
        Returns when closed; raises ``BusClosed`` when the bus went away by itself."""
        from jeepney import HeaderFields

        try:
            while not self._closed:
                message = self._conn.receive()
                serial = message.header.fields.get(HeaderFields.reply_serial)
                waiting = self._waiting.pop(serial, None) if serial is not None else None
                if waiting is not None:
                    self._answer(waiting, message)
                    continue
                try:
                    handler(message)
                except Exception:
                    log.exception("handling a D-Bus message failed")
        except (OSError, ValueError, EOFError) as error:
            if not self._closed:
                raise BusClosed(f"the session bus connection ended: {error}") from None
        finally:
            self._closed = True
            for waiting in list(self._waiting.values()):
                waiting.done.set()

    @staticmethod
    def _answer(waiting: _Waiting, message) -> None:
        waiting.message = message
        waiting.done.set()
        if waiting.callback is not None:
            try:
                waiting.callback(message)
            except Exception:
                log.exception("a D-Bus reply's callback failed")

    def close(self) -> None:
        """End ``serve`` (its ``receive`` returns) and the connection."""
        import socket

        self._closed = True
        try:
            self._conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def release(self) -> None:
        try:
            self._conn.close()
        except OSError:
            pass


def body_or_error(message):
    """The reply's body; an error reply raises ``DBusError``."""
    from jeepney import HeaderFields, MessageType

    if message.header.message_type is MessageType.error:
        name = message.header.fields.get(HeaderFields.error_name, "")
        text = message.body[0] if message.body and isinstance(message.body[0], str) else ""
        raise DBusError(name, text)
    return message.body
