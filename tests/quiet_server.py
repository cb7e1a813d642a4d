"""A fake desktop for the do-not-disturb source: a notification server and a settings portal.

Runs as its own process on a private session bus, like the real services, and answers from
a JSON state file read at every call, so a test flips do-not-disturb by rewriting the file::

    {"inhibited": true, "show_banners": false, "hang": false}

``inhibited`` is the ``Inhibited`` property of org.freedesktop.Notifications (null: the
server has no such property, as most servers); ``show_banners`` is what the portal's
``org.freedesktop.portal.Settings.Read("org.gnome.desktop.notifications", "show-banners")``
returns, wrapped in a variant inside a variant as the real portal does (null: NotFound);
``hang`` makes every call go unanswered. ``--own`` says which of the two names it takes.

    python tests/quiet_server.py --state FILE --own notifications,portal [--ready-fd N]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys

from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.io.blocking import open_dbus_connection

from notification_server import own_name

NAMES = {"notifications": "org.freedesktop.Notifications", "portal": "org.freedesktop.portal.Desktop"}
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
PORTAL_PATH = "/org/freedesktop/portal/desktop"


def answer(message, state: dict):
    """The reply to one method call: (signature, body), or an error (name, text)."""
    fields = message.header.fields
    call = (fields.get(HeaderFields.path, ""), fields.get(HeaderFields.interface, ""),
            fields.get(HeaderFields.member, ""))
    if call == (NOTIFICATIONS_PATH, "org.freedesktop.DBus.Properties", "Get"):
        if tuple(message.body) == ("org.freedesktop.Notifications", "Inhibited") and state.get("inhibited") is not None:
            return ("v", (("b", bool(state["inhibited"])),)), None
        return None, ("org.freedesktop.DBus.Error.InvalidArgs", f"no property {message.body!r}")
    if call == (PORTAL_PATH, "org.freedesktop.portal.Settings", "Read"):
        if tuple(message.body) == ("org.gnome.desktop.notifications", "show-banners") and \
                state.get("show_banners") is not None:
            return ("v", (("v", ("b", bool(state["show_banners"]))),)), None
        return None, ("org.freedesktop.portal.Error.NotFound", f"requested setting {message.body!r} not found")
    return None, ("org.freedesktop.DBus.Error.UnknownMethod", f"no method {call!r}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state", required=True)
    parser.add_argument("--own", default="notifications,portal")
    parser.add_argument("--ready-fd", type=int)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    conn = open_dbus_connection(os.environ["DBUS_SESSION_BUS_ADDRESS"])
    for name in filter(None, args.own.split(",")):
        own_name(conn, NAMES[name])
    if args.ready_fd is not None:
        os.write(args.ready_fd, b"ready\n")
        os.close(args.ready_fd)
    while True:
        message = conn.receive()
        if message.header.message_type is not MessageType.method_call:
            continue
        with open(args.state, encoding="utf-8") as file:
            state = json.load(file)
        if state.get("hang"):
            continue
        reply, error = answer(message, state)
        if error is not None:
            conn.send(new_error(message, error[0], "s", (error[1],)))
        else:
            conn.send(new_method_return(message, *reply))


if __name__ == "__main__":
    raise SystemExit(main())
