"""The X display name in the only form movebreak connects to: the local Unix socket.

Shared by the tray's backend check (``tray/backend.py``), the X11 idle probe
(``idle/x11.py``) and start-up, which hands the same form to pystray and GTK.
Stdlib only and cheap: it is imported before the tray icon shows.
"""

from __future__ import annotations


def unix_display(display: str) -> str | None:
    """``display`` in a form that reaches the X server only through its Unix socket, or None
    when it names a server over the network.

    ":0" becomes "unix:0": for ":0" both python-xlib and libxcb fall back to TCP when the
    socket is missing (DISPLAY pointing at no server), and movebreak never opens a network
    connection. A socket path (XQuartz's "/private/tmp/…:0") is kept as it is."""
    host, colon, number = display.rpartition(":")
    if not colon or not number or not number.split(".")[0].isdigit():
        return None
    if host in ("", "unix"):
        return f"unix:{number}"
    if host.startswith("/"):
        return display
    return None
