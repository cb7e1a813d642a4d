"""Is a system tray running on this X display yet? (An adapter: doctor asks it too.)

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


def can_wait_for_tray(environ: Mapping[str, str], platform: str) -> bool:
    """An X display answers here but no tray runs on it yet, and the xorg backend can be used:
    the app can show its icon as soon as a tray starts instead of giving up on the tray."""
    if platform in ("win32", "darwin") or environ.get("PYSTRAY_BACKEND", "xorg") != "xorg":
        return False
    return tray_owner(environ.get("DISPLAY", "")) == 0
