"""A real notification server for tests: owns org.freedesktop.Notifications and records.

It runs as its own process on a (private) session bus, like a desktop's notification
daemon, and appends one JSON line per ``Notify`` call to a record file: app name, replaces
id, icon, summary, body, actions, hints, expire timeout, and the id it returned; and one
per ``CloseNotification`` ({"method": "CloseNotification", "id": ...}). Tests read the file
(``tests/desktop.py``: ``NotificationServer.received()`` and ``closed()``). Killing it is
how a test makes the server "go away".

A user's click is asked for on the bus too: ``org.movebreak.TestServer.Emit(member, id,
detail, destination)`` makes the server emit ``ActionInvoked`` (detail: the action key) or
``NotificationClosed`` (detail: the reason) from its own connection, to every listener
(destination "", as GNOME Shell and mako do) or to one connection only (as dunst and KDE
send it to the client that asked for the notification).

    python tests/notification_server.py --record FILE [--ready-fd N] [--capabilities body,actions]

``serve()`` is a small reusable jeepney method-call loop; tests use it for other fake
desktop services too (e.g. Mutter's IdleMonitor).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

from jeepney import DBusAddress, HeaderFields, MessageType, message_bus, new_error, new_method_return, new_signal
from jeepney.io.blocking import open_dbus_connection

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
CAPABILITIES = ["body", "actions"]
CONTROL = "org.movebreak.TestServer"  # the interface tests use to make the server emit a signal

# (interface, member) -> handler(message) -> (signature, body); raise LookupError for "unknown"
Handlers = dict[tuple[str, str], Callable[[object], tuple[str, tuple]]]


def own_name(conn, name: str) -> None:
    (result,) = conn.send_and_get_reply(message_bus.RequestName(name, 4), timeout=5).body  # DO_NOT_QUEUE
    if result != 1:
        raise RuntimeError(f"could not own {name} (RequestName returned {result})")


def serve(conn, handlers: Handlers, stop: threading.Event | None = None, poll: float = 0.1, *,
          double_reply: bool = False) -> None:
    """Answer method calls until ``stop`` is set (or forever), replying errors to unknown ones.
    ``double_reply``: as mako 1.7 does, follow each answer with an UnknownMethod error to the same call."""
    while stop is None or not stop.is_set():
        try:
            message = conn.receive(timeout=poll)
        except TimeoutError:
            continue
        except (ConnectionError, OSError):
            return
        header = message.header
        if header.message_type is not MessageType.method_call:
            continue
        key = (header.fields.get(HeaderFields.interface, ""), header.fields.get(HeaderFields.member, ""))
        handler = handlers.get(key)
        if handler is None:
            conn.send(new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s", (f"no method {key}",)))
            continue
        signature, body = handler(message)
        conn.send(new_method_return(message, signature, body))
        if double_reply:
            conn.send(new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s", ("a second answer",)))


def _plain(value):
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        return _plain(value[1])  # a variant: (signature, value)
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


class Recorder:
    def __init__(self, conn, record_path: str, capabilities: list[str] = CAPABILITIES) -> None:
        self._conn = conn
        self._path = record_path
        self._capabilities = list(capabilities)
        self._next_id = 0
        self._emitter = DBusAddress(OBJECT_PATH, interface=BUS_NAME)

    def handlers(self) -> Handlers:
        return {
            (BUS_NAME, "Notify"): self.notify,
            (BUS_NAME, "GetCapabilities"): lambda m: ("as", (self._capabilities,)),
            (CONTROL, "Emit"): self.emit,
            (BUS_NAME, "GetServerInformation"): lambda m: ("ssss", ("movebreak-test-recorder", "movebreak", "1.0", "1.2")),
            (BUS_NAME, "CloseNotification"): self.close,
        }

    def notify(self, message):
        app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout = message.body
        if replaces_id:
            notification_id = replaces_id
        else:
            self._next_id += 1
            notification_id = self._next_id
        entry = {
            "method": "Notify",
            "id": notification_id,
            "app_name": app_name,
            "replaces_id": replaces_id,
            "app_icon": app_icon,
            "summary": summary,
            "body": body,
            "actions": list(actions),
            "hints": _plain(hints),
            "expire_timeout": expire_timeout,
            "sender": message.header.fields.get(HeaderFields.sender, ""),
            "received_at": time.time(),
        }
        self._write(entry)
        return "u", (notification_id,)

    def close(self, message):
        (notification_id,) = message.body
        self._write({"method": "CloseNotification", "id": notification_id, "received_at": time.time()})
        self._conn.send(new_signal(self._emitter, "NotificationClosed", "uu", (notification_id, 3)))
        return "", ()

    def emit(self, message):
        """A user's click (ActionInvoked) or dismissal (NotificationClosed), asked for by a test."""
        member, notification_id, detail, destination = message.body
        if member == "ActionInvoked":
            signal_ = new_signal(self._emitter, member, "us", (notification_id, detail))
        else:
            signal_ = new_signal(self._emitter, member, "uu", (notification_id, int(detail)))
        if destination:
            signal_.header.fields[HeaderFields.destination] = destination
        self._conn.send(signal_)
        return "", ()

    def _write(self, entry: dict) -> None:
        with open(self._path, "a", encoding="utf-8") as record:
            record.write(json.dumps(entry, ensure_ascii=False) + "\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", required=True, help="append one JSON line per Notify call here")
    parser.add_argument("--ready-fd", type=int, help="write 'ready' to this fd once the name is owned")
    parser.add_argument("--bus", default=os.environ.get("DBUS_SESSION_BUS_ADDRESS", ""))
    parser.add_argument("--capabilities", default=",".join(CAPABILITIES),
                        help="what GetCapabilities answers, comma-separated (default: %(default)s)")
    parser.add_argument("--double-reply", action="store_true",
                        help="answer every call twice, the second time with an error (mako 1.7 does)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    open(args.record, "a").close()
    conn = open_dbus_connection(args.bus)
    recorder = Recorder(conn, args.record, [c for c in args.capabilities.split(",") if c])
    own_name(conn, BUS_NAME)
    if args.ready_fd is not None:
        os.write(args.ready_fd, b"ready\n")
        os.close(args.ready_fd)
    try:
        serve(conn, recorder.handlers(), double_reply=args.double_reply)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
