"""A StatusNotifierWatcher for tests, and the host-side calls a panel makes.

Run as its own process on a (private) session bus, it owns ``org.kde.StatusNotifierWatcher``
the way a panel's watcher does (``RegisterStatusNotifierItem``, ``RegisterStatusNotifierHost``,
the ``RegisteredStatusNotifierItems`` and ``IsStatusNotifierHostRegistered`` properties, the
``StatusNotifierItemRegistered`` signal) and appends one JSON line per registered item to a
record file (the item's service, its sender and when it came)::

    python tests/sni_watcher.py --record FILE [--ready-fd N]

``SniHost`` is the host's side, used from the test process on its own connection: find the
items a watcher lists, read their properties (``IconPixmap`` decoded to a PIL image), fetch
the dbusmenu layout, click an item (``Event``), ``Activate``, and wait for signals. It talks to
whatever watcher owns the name, so a test on a real desktop (GNOME's AppIndicator extension,
waybar, xfce4-panel) can use it unchanged.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections import deque

from jeepney import DBusAddress, HeaderFields, MatchRule, MessageType, message_bus, new_method_call, new_signal
from jeepney.io.blocking import open_dbus_connection

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from notification_server import own_name, serve  # noqa: E402

WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
MENU = "com.canonical.dbusmenu"
PROPERTIES = "org.freedesktop.DBus.Properties"


class Watcher:
    def __init__(self, conn, record: str) -> None:
        self._conn = conn
        self._record = record
        self.items: list[str] = []
        self.hosts: list[str] = []
        self._emitter = DBusAddress(WATCHER_PATH, interface=WATCHER)

    def handlers(self):
        return {
            (WATCHER, "RegisterStatusNotifierItem"): self.register_item,
            (WATCHER, "RegisterStatusNotifierHost"): self.register_host,
            (PROPERTIES, "Get"): self.get,
            (PROPERTIES, "GetAll"): lambda m: ("a{sv}", (self.properties(),)),
        }

    def properties(self) -> dict:
        return {
            "RegisteredStatusNotifierItems": ("as", list(self.items)),
            "IsStatusNotifierHostRegistered": ("b", True),
            "ProtocolVersion": ("i", 0),
        }

    def get(self, message):
        _interface, name = message.body
        return "v", (self.properties()[name],)

    def register_item(self, message):
        (service,) = message.body
        sender = message.header.fields.get(HeaderFields.sender, "")
        entry = sender + service if service.startswith("/") else f"{service}/StatusNotifierItem"
        if entry not in self.items:
            self.items.append(entry)
        with open(self._record, "a", encoding="utf-8") as record:
            record.write(json.dumps({"service": service, "sender": sender, "entry": entry,
                                     "received_at": time.time()}) + "\n")
        self._conn.send(new_signal(self._emitter, "StatusNotifierItemRegistered", "s", (entry,)))
        return "", ()

    def register_host(self, message):
        self.hosts.append(message.body[0])
        return "", ()


def pixmap_image(pixmaps, size: int | None = None):
    """The ``IconPixmap`` entry of ``size`` (default: the largest) as an RGBA PIL image."""
    from PIL import Image

    width, height, data = max(pixmaps, key=lambda p: p[0]) if size is None else \
        next(p for p in pixmaps if p[0] == size)
    argb = Image.frombytes("RGBA", (width, height), bytes(data))
    alpha, red, green, blue = argb.split()
    return Image.merge("RGBA", (red, green, blue, alpha))


class SniHost:
    """A panel's calls to the items a StatusNotifierWatcher lists (one connection of its own)."""

    def __init__(self, address: str) -> None:
        self.conn = open_dbus_connection(address)
        self._signals: deque = deque()
        self._lock = threading.Lock()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _call(self, bus_name: str, path: str, interface: str, member: str, signature=None, body=(), timeout=5.0):
        message = new_method_call(DBusAddress(path, bus_name=bus_name, interface=interface), member, signature, body)
        with self._lock:
            reply = self.conn.send_and_get_reply(message, timeout=timeout)  # signals before it are kept
        if reply.header.message_type is MessageType.error:
            raise RuntimeError(f"{member}: {reply.header.fields.get(HeaderFields.error_name)} {reply.body}")
        return reply.body

    # --- the watcher -----------------------------------------------------------------------------

    def items(self) -> list[str]:
        try:
            (value,) = self._call(WATCHER, WATCHER_PATH, PROPERTIES, "Get", "ss", (WATCHER, "RegisteredStatusNotifierItems"))
        except (RuntimeError, TimeoutError):
            return []
        return list(value[1])

    def item_of(self, pid: int) -> tuple[str, str] | None:
        """(bus name, object path) of the item a process registered, or None yet."""
        for entry in self.items():
            name, _, path = entry.partition("/")
            path = "/" + path
            try:
                (owner_pid,) = self._call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                          "GetConnectionUnixProcessID", "s", (name,))
            except (RuntimeError, TimeoutError):
                continue
            if owner_pid == pid:
                return name, path
        return None

    # --- one item --------------------------------------------------------------------------------

    def prop(self, item: tuple[str, str], name: str):
        (value,) = self._call(item[0], item[1], PROPERTIES, "Get", "ss", (ITEM, name))
        return value[1]

    def all_props(self, item: tuple[str, str]) -> dict:
        (values,) = self._call(item[0], item[1], PROPERTIES, "GetAll", "s", (ITEM,))
        return {name: value[1] for name, value in values.items()}

    def icon(self, item: tuple[str, str], size: int | None = None):
        return pixmap_image(self.prop(item, "IconPixmap"), size)

    def activate(self, item: tuple[str, str]) -> None:
        self._call(item[0], item[1], ITEM, "Activate", "ii", (0, 0))

    def menu(self, item: tuple[str, str]) -> tuple[str, str]:
        return item[0], self.prop(item, "Menu")

    def layout(self, item: tuple[str, str]) -> tuple[int, tuple]:
        """(revision, (id, props, children)) with plain children, as ``GetLayout`` for the whole menu."""
        bus_name, path = self.menu(item)
        self._call(bus_name, path, MENU, "AboutToShow", "i", (0,))
        revision, root = self._call(bus_name, path, MENU, "GetLayout", "iias", (0, -1, []))
        return revision, _plain_node(root)

    def labels(self, item: tuple[str, str]) -> list[str]:
        """Every item's label as a path, "I took a break ▸ 5 min", separators left out."""
        return [" ▸ ".join(path) for path, _node in _walk(self.layout(item)[1], ())]

    def find(self, item: tuple[str, str], *path: str) -> tuple:
        for found_path, node in _walk(self.layout(item)[1], ()):
            if found_path == path:
                return node
        raise KeyError(" ▸ ".join(path))

    def click(self, item: tuple[str, str], *path: str) -> None:
        node = self.find(item, *path)
        bus_name, menu_path = self.menu(item)
        self._call(bus_name, menu_path, MENU, "Event", "isvu", (node[0], "clicked", ("s", ""), 0))

    # --- signals ---------------------------------------------------------------------------------

    def listen(self, bus_name: str) -> None:
        """Keep signals from ``bus_name`` (an item's owner) for ``wait_signal``."""
        owner = self._call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                           "GetNameOwner", "s", (bus_name,))[0]
        rule = MatchRule(type="signal", sender=owner)
        self._call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "AddMatch", "s",
                   (rule.serialise(),))
        self.conn.filter(rule, queue=self._signals, bufsize=1000)

    def wait_signal(self, member: str, timeout: float = 5.0):
        """The body of the next signal ``member`` (after ``listen``); earlier ones are dropped."""
        deadline = time.monotonic() + timeout
        while True:
            while self._signals:
                message = self._signals.popleft()
                if message.header.fields.get(HeaderFields.member) == member:
                    return message.body
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {member} signal within {timeout} s")
            try:
                with self._lock:
                    self.conn.recv_messages(timeout=min(remaining, 0.2))
            except TimeoutError:
                pass


def _plain_node(node) -> tuple:
    node_id, props, children = node
    return node_id, {k: v[1] for k, v in props.items()}, [_plain_node(child[1]) for child in children]


def _walk(node, prefix: tuple):
    for child in node[2]:
        props = child[1]
        if props.get("type") == "separator":
            continue
        path = (*prefix, props.get("label", "").replace("__", "_"))
        yield path, child
        yield from _walk(child, path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", required=True, help="append one JSON line per registered item here")
    parser.add_argument("--ready-fd", type=int, help="write 'ready' to this fd once the name is owned")
    parser.add_argument("--bus", default=os.environ.get("DBUS_SESSION_BUS_ADDRESS", ""))
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    open(args.record, "a").close()
    conn = open_dbus_connection(args.bus)
    watcher = Watcher(conn, args.record)
    own_name(conn, WATCHER)
    if args.ready_fd is not None:
        os.write(args.ready_fd, b"ready\n")
        os.close(args.ready_fd)
    try:
        serve(conn, watcher.handlers())
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
