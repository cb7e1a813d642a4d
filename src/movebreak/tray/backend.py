"""Which tray backend can run here, decided without importing pystray.

``import pystray`` itself fails without an X display (it raises Xlib errors, not
ImportError), so the app asks this module first and falls back to terminal mode with
the reason in one line. The choice is made so that the icon really shows: a
StatusNotifierWatcher on the session bus (asked once, 0.5 s at most) gets our ``sni``
backend (``tray/sni/``), an XEmbed tray the ``xorg`` one, and neither terminal mode;
PyGObject being installed no longer decides anything (issue 20).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import NamedTuple

from movebreak.i18n import _
from movebreak.x11display import unix_display

WATCHER = "org.kde.StatusNotifierWatcher"


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


def choose_backend(environ: Mapping[str, str], platform: str, *, probe_display: bool = True,
                   probe_bus: bool = True, name_host: bool = False) -> BackendChoice:
    """The tray that will really show an icon here, asked of the session bus and the X server.

    A StatusNotifierWatcher on the bus (GNOME's AppIndicator extension, KDE, waybar, XFCE)
    → ``sni``, our own pure-Python backend with the full menu, X11 or Wayland; else an
    XEmbed tray owning ``_NET_SYSTEM_TRAY_S0`` → ``xorg``; else no tray (terminal mode and
    notifications). ``PYSTRAY_BACKEND`` overrides (``sni`` too); ``appindicator`` only when a
    watcher exists, as only a watcher can show it. ``name_host``: name the watcher's process
    in the detail (doctor)."""
    if platform == "win32":
        return BackendChoice("win32", True, True, _("Windows notification area"))
    if platform == "darwin":
        return BackendChoice("darwin", True, True, _("macOS menu bar"))
    forced = environ.get("PYSTRAY_BACKEND")
    if forced and forced not in ("sni", "appindicator"):
        return _x11_choice(environ, forced, probe_display)
    watcher = find_watcher(environ, name_host=name_host) if probe_bus else None
    if forced == "sni":
        if watcher is not None:
            return _sni_choice(watcher)
        return BackendChoice(None, False, False, _(
            "PYSTRAY_BACKEND=sni, but no StatusNotifierWatcher (org.kde.StatusNotifierWatcher) is on the session bus"))
    if forced == "appindicator":
        if watcher is not None:
            return _x11_choice(environ, forced, probe_display)
        fallback = choose_backend({k: v for k, v in environ.items() if k != "PYSTRAY_BACKEND"}, platform,
                                  probe_display=probe_display, probe_bus=False)
        return fallback._replace(detail=_(
            "PYSTRAY_BACKEND=appindicator left aside: no StatusNotifierWatcher on the session bus could show it; "
            "{detail}", detail=fallback.detail))
    if watcher is not None and watcher.host_registered:
        return _sni_choice(watcher)
    xembed = _x11_choice(environ, "xorg", probe_display)
    if xembed.usable or watcher is not None:
        return xembed if xembed.usable else _sni_choice(watcher)
    return xembed._replace(detail=_("{reason}; no StatusNotifierWatcher is on the session bus either",
                                    reason=xembed.detail))


def _sni_choice(watcher: "Watcher") -> BackendChoice:
    owner = f"{watcher.owner} ({watcher.program})" if watcher.program else watcher.owner
    if watcher.host_registered:
        return BackendChoice("sni", True, True, _(
            "StatusNotifierItem (watcher {watcher} owned by {owner}) — icon with the full menu",
            watcher=WATCHER, owner=owner))
    return BackendChoice("sni", True, True, _(
        "StatusNotifierItem (watcher {watcher} owned by {owner}, which says no host shows icons yet) — "
        "the icon with the full menu appears once a panel shows it", watcher=WATCHER, owner=owner))


def _x11_choice(environ: Mapping[str, str], name: str, probe_display: bool) -> BackendChoice:
    """An X11 tray: ``xorg`` (XEmbed) or a forced GTK/AppIndicator backend."""
    if not environ.get("DISPLAY"):
        if environ.get("WAYLAND_DISPLAY"):
            return BackendChoice(None, False, False, _(
                "Wayland without XWayland (no DISPLAY): a tray icon needs XWayland or a StatusNotifier host"))
        return BackendChoice(None, False, False, _("no DISPLAY: there is no graphical session to show a tray icon in"))
    if unix_display(environ["DISPLAY"]) is None:
        return BackendChoice(None, False, False, _(
            "DISPLAY={display} names an X server over the network; movebreak opens no network connection "
            "and uses only a local X server (DISPLAY=:0)", display=environ["DISPLAY"]))
    if name in ("gtk", "appindicator") and not _has_module("gi"):
        return BackendChoice(None, False, False, _(
            "PYSTRAY_BACKEND={name} needs PyGObject, which is not installed (pip install 'movebreak[menu]')", name=name))
    if name == "xorg" and not _has_module("Xlib"):
        return BackendChoice(None, False, False, _("python-xlib is not installed (pip install python-xlib)"))
    if probe_display and name != "appindicator":
        problem = x11_tray_problem(environ.get("DISPLAY", ""))
        if problem:
            return BackendChoice(None, False, False, problem)
    if name == "xorg":
        return BackendChoice(name, True, False, _(
            "X11 tray (xorg backend) without a menu: left-click opens the movebreak window; "
            "a panel with StatusNotifierItem support shows the full menu"))
    return BackendChoice(name, True, True, _("{name} tray with the full menu", name=name))


class Watcher(NamedTuple):
    owner: str  # the unique bus name of the watcher's connection
    host_registered: bool
    program: str = ""  # the owner's process name, when asked for (doctor)


def find_watcher(environ: Mapping[str, str], *, timeout: float = 0.5, name_host: bool = False) -> Watcher | None:
    """The StatusNotifierWatcher on the session bus, asked once with a short timeout; None when
    there is none (or no bus). Not a reason to wait at login: a missing bus answers at once."""
    address = environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    if not any(part.strip().startswith("unix:") for part in address.split(";")):
        return None
    try:
        from jeepney import DBusAddress, MessageType, message_bus, new_method_call
        from jeepney.io.blocking import open_dbus_connection
    except ImportError:
        return None
    try:
        conn = open_dbus_connection(address, auth_timeout=timeout)
    except Exception:
        return None
    try:
        reply = conn.send_and_get_reply(message_bus.GetNameOwner(WATCHER), timeout=timeout)
        if reply.header.message_type is MessageType.error:
            return None
        (owner,) = reply.body
        host = True
        ask = new_method_call(DBusAddress("/StatusNotifierWatcher", bus_name=WATCHER,
                                          interface="org.freedesktop.DBus.Properties"),
                              "Get", "ss", (WATCHER, "IsStatusNotifierHostRegistered"))
        answer = conn.send_and_get_reply(ask, timeout=timeout)
        if answer.header.message_type is not MessageType.error:
            host = bool(answer.body[0][1])
        return Watcher(owner, host, _program_of(conn, owner, timeout) if name_host else "")
    except Exception:
        return None
    finally:
        conn.close()


def _program_of(conn, owner: str, timeout: float) -> str:
    try:
        from jeepney import MessageType, message_bus

        reply = conn.send_and_get_reply(message_bus.GetConnectionUnixProcessID(owner), timeout=timeout)
        if reply.header.message_type is MessageType.error:
            return ""
        with open(f"/proc/{reply.body[0]}/comm", encoding="utf-8") as comm:
            return comm.read().strip()
    except Exception:
        return ""


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
