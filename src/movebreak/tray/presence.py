"""Is a system tray running yet, and can one still come? (An adapter: doctor asks it too.)

At login the app often starts before the panel: an X display that answers but has no owner of
``_NET_SYSTEM_TRAY_S<screen>`` yet is a tray to wait for (``tray/dock.py``), not a reason for
terminal mode.
"""

from __future__ import annotations

from collections.abc import Mapping


def tray_owner(display: str) -> int | None:
    """The window owning ``_NET_SYSTEM_TRAY_S<screen>`` on the local ``display``: 0 when no tray
    runs, None when no X server answers there (or python-xlib is missing)."""
    from movebreak.x11display import unix_display

    local = unix_display(display) if display else None
    if local is None:
        return None
    try:
        from Xlib import X
        from Xlib import display as xdisplay
        from Xlib.protocol import request
    except ImportError:
        return None
    bare = getattr(xdisplay, "_BaseDisplay", None)
    try:
        connection = bare(local) if bare is not None else xdisplay.Display(local).display
    except Exception:
        return None
    try:
        selection = request.InternAtom(display=connection, only_if_exists=False,
                                       name=f"_NET_SYSTEM_TRAY_S{connection.get_default_screen()}").atom
        owner = request.GetSelectionOwner(display=connection, selection=selection).owner
        return int(getattr(owner, "id", owner) or X.NONE)  # a Window object, or 0 (X.NONE)
    except Exception:
        return None
    finally:
        connection.close()


def waiting_backend(environ: Mapping[str, str], platform: str):
    """When no tray runs yet but one can come, the backend that waits for it (a ``BackendChoice``),
    else None. In a Wayland session with a session bus: the StatusNotifierItem backend, which
    registers as soon as a watcher (a panel) appears (an XEmbed icon could not dock there); on an
    X display that answers without a tray: the xorg backend, docked when a tray starts."""
    from movebreak.i18n import _
    from movebreak.tray.backend import BackendChoice

    if platform in ("win32", "darwin"):
        return None
    wanted = environ.get("PYSTRAY_BACKEND")
    wayland = bool(environ.get("WAYLAND_DISPLAY")) or environ.get("XDG_SESSION_TYPE") == "wayland"
    if wayland and environ.get("DBUS_SESSION_BUS_ADDRESS") and wanted in (None, "sni"):
        return BackendChoice("sni", True, True, _("no tray yet; waiting for a panel that shows StatusNotifierItems"))
    if wanted in (None, "xorg") and tray_owner(environ.get("DISPLAY", "")) == 0:
        return BackendChoice("xorg", True, False, _("no system tray yet; waiting for one"))
    return None
