"""Which tray backend can run here, decided without importing pystray.

``import pystray`` itself fails without an X display (it raises Xlib errors, not
ImportError), so the app asks this module first and falls back to terminal mode with
the reason in one line.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import NamedTuple

from movebreak.i18n import _
from movebreak.x11display import unix_display


class BackendChoice(NamedTuple):  # not a dataclass: asked before the icon shows (movebreak.startup)
    name: str | None  # pystray backend name, None when no tray can be shown
    usable: bool
    has_menu: bool
    detail: str  # one line for doctor / the terminal-mode message


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def choose_backend(environ: Mapping[str, str], platform: str, *, probe_display: bool = True) -> BackendChoice:
    if platform == "win32":
        return BackendChoice("win32", True, True, _("Windows notification area"))
    if platform == "darwin":
        return BackendChoice("darwin", True, True, _("macOS menu bar"))
    if not environ.get("DISPLAY"):
        if environ.get("WAYLAND_DISPLAY"):
            return BackendChoice(None, False, False, _(
                "Wayland without XWayland (no DISPLAY): a tray icon needs XWayland or a StatusNotifier host"))
        return BackendChoice(None, False, False, _("no DISPLAY: there is no graphical session to show a tray icon in"))
    if unix_display(environ["DISPLAY"]) is None:
        return BackendChoice(None, False, False, _(
            "DISPLAY={display} names an X server over the network; movebreak opens no network connection "
            "and uses only a local X server (DISPLAY=:0)", display=environ["DISPLAY"]))
    forced = environ.get("PYSTRAY_BACKEND")
    has_gi = _has_module("gi")
    if forced:
        name = forced
    elif has_gi:
        name = "appindicator" if _has_appindicator() else "gtk"
    else:
        name = "xorg"
    if name in ("gtk", "appindicator") and not has_gi:
        return BackendChoice(None, False, False, _(
            "PYSTRAY_BACKEND={name} needs PyGObject, which is not installed (pip install 'movebreak[menu]')", name=name))
    if name == "xorg" and not _has_module("Xlib"):
        return BackendChoice(None, False, False, _("python-xlib is not installed (pip install python-xlib)"))
    if probe_display:
        problem = x11_tray_problem(environ.get("DISPLAY", ""))
        if problem:
            return BackendChoice(None, False, False, problem)
    if name == "xorg":
        return BackendChoice(name, True, False, _(
            "X11 tray (xorg backend) without a menu: left-click opens the movebreak window; "
            "install PyGObject (pip install 'movebreak[menu]') for the full right-click menu"))
    return BackendChoice(name, True, True, _("{name} tray with the full menu", name=name))


def _has_appindicator() -> bool:
    try:
        import gi

        for namespace in ("AyatanaAppIndicator3", "AppIndicator3"):
            try:
                gi.require_version(namespace, "0.1")
                return True
            except ValueError:
                continue
    except Exception:
        return False
    return False


def x11_tray_problem(display: str) -> str | None:
    """None when an X server answers on ``display`` and a system tray owns its selection."""
    try:
        from Xlib import X, display as xdisplay
        from Xlib.protocol import request
    except ImportError:
        return None
    # The bare connection: Display() would also ask for every extension and the keymap,
    # about 15 more round trips that a login pays for before the icon shows.
    bare = getattr(xdisplay, "_BaseDisplay", None)
    local = unix_display(display)
    if local is None:
        return _("cannot connect to the X server on DISPLAY={display}", display=display)
    try:
        connection = bare(local) if bare is not None else xdisplay.Display(local).display
    except Exception:
        return _("cannot connect to the X server on DISPLAY={display}", display=display)
    try:
        screen = connection.get_default_screen()
        selection = request.InternAtom(display=connection, name=f"_NET_SYSTEM_TRAY_S{screen}",
                                       only_if_exists=False).atom
        owner = request.GetSelectionOwner(display=connection, selection=selection).owner
        if owner == X.NONE or not owner:
            return _("no system tray is running on DISPLAY={display} (on GNOME, install the AppIndicator extension)",
                     display=display)
        return None
    finally:
        connection.close()
