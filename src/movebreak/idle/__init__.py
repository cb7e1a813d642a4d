"""How long since the user last touched keyboard or mouse, per operating system.

One module per OS, each with a probe class of the same shape and a ``__main__`` that prints
the value (``python -m movebreak.idle.x11``). ``make_probe`` picks one, once, from the
platform and the session's environment; nothing OS-specific is imported until a probe
is used, so importing this package is cheap everywhere.

A probe never raises for an OS or library problem: ``idle()`` / ``locked()`` return
``None`` ("unknown") and ``problem`` says why, in one line. When idle time is unknown the
engine counts the user as present while the session is unlocked.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from datetime import timedelta

from movebreak.i18n import _
from movebreak.idle.base import IdleProbe, ProbeBase, UnknownProbe, reason, seconds

__all__ = ["IdleProbe", "ProbeBase", "UnknownProbe", "make_probe", "reason", "seconds"]


def make_probe(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    *,
    pause: timedelta = timedelta(seconds=3),
    away: timedelta = timedelta(minutes=5),
) -> IdleProbe:
    """Pick the probe for this OS and session, once, without touching the OS.

    ``pause`` (the reminder's wait for a pause in typing) and ``away`` (the natural-break
    threshold) are the idle times the app tells apart; a Wayland compositor is asked to
    notify exactly those.
    """
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if platform.startswith("win") or platform == "cygwin":
        from movebreak.idle.windows import WindowsProbe

        return WindowsProbe()
    if platform == "darwin":
        from movebreak.idle.macos import MacProbe

        return MacProbe()
    if platform.startswith("linux") or "bsd" in platform:
        from movebreak.idle.logind import LogindLock

        lock = LogindLock(environ)
        session = environ.get("XDG_SESSION_TYPE", "").lower()
        desktop = environ.get("XDG_CURRENT_DESKTOP", "")
        if session == "wayland" or environ.get("WAYLAND_DISPLAY"):
            if "gnome" in desktop.lower():
                from movebreak.idle.gnome_wayland import GnomeWaylandProbe

                return GnomeWaylandProbe(environ, fallback_lock=lock)
            from movebreak.idle.wayland import WaylandIdleProbe

            # sway, Hyprland, niri, KDE Plasma...: never X11 through XWayland (it sees only X programs' input)
            return WaylandIdleProbe(environ, pause=pause, away=away, lock=lock)
        if environ.get("DISPLAY"):
            from movebreak.idle.x11 import X11Probe

            return X11Probe(environ=environ, lock=lock)
        return UnknownProbe(_("no X11 DISPLAY and no Wayland session is set"), lock=lock)
    return UnknownProbe(_("{platform} is not supported", platform=platform))
