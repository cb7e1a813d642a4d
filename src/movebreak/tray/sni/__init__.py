"""A pystray backend that shows the icon and its full menu over D-Bus, in pure Python.

``org.kde.StatusNotifierItem`` (the icon, its tooltip and status) and
``com.canonical.dbusmenu`` (the menu, drawn by the panel) on jeepney, registered with
``org.kde.StatusNotifierWatcher``: what GNOME's AppIndicator extension, KDE Plasma,
waybar, XFCE's status tray and others host. It needs no PyGObject and no X display, so it
runs on Wayland too. ``tray/ui.py`` keeps using pystray's ``Icon``/``Menu`` API:
``Icon`` here is a subclass of pystray's base icon.

``import pystray`` picks a platform backend at import, which needs a display; this package
imports it with pystray's dummy backend (``pystray_module``) and brings its own.
"""

from __future__ import annotations

from movebreak.tray.sni.loading import pystray_module

__all__ = ["Icon", "pystray_module"]


def __getattr__(name: str):
    if name == "Icon":
        from movebreak.tray.sni.icon import Icon

        return Icon
    raise AttributeError(name)
