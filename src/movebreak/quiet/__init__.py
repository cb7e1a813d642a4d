"""Whether the desktop wants quiet now: do-not-disturb, a fullscreen window, a call.

The running app asks ``QuietSources.check()`` only when a reminder is due, so nothing here
runs, opens or imports anything before the first due reminder. A check spawns nothing and
opens no network connection; the D-Bus and /proc readings open what they read and close
it again, the X11 one keeps its connection (why: ``x11.py``; ``close()`` ends it). One
module per kind of source (``dbus``, ``x11``, ``proc``, ``windows``); ``QuietSources``
picks them, once, from the platform and the session's environment, and only those the
config enables (``reminders.quiet_during``). A broken source is logged once and counts as
not quiet: a reminder is never lost to a desktop service that misbehaves.

Check by hand: ``python -m movebreak.quiet`` prints what each source reads and says now.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from movebreak.constants import QUIET_SOURCES
from movebreak.i18n import _
from movebreak.quiet.base import QuietSource, SourceReport, UnknownSource, reason_of

__all__ = ["QuietSources", "SourceReport"]

log = logging.getLogger(__name__)

REASONS = {"do-not-disturb": "do-not-disturb", "fullscreen": "fullscreen", "calls": "call"}


class QuietSources:
    """The enabled quiet sources of this desktop, asked in the order of ``constants.QUIET_SOURCES``."""

    def __init__(
        self,
        enabled: Iterable[str],
        environ: Mapping[str, str],
        *,
        platform: str = sys.platform,
        proc: Path = Path("/proc"),
        uid: int | None = None,
        shell32=None,
        registry=None,
    ) -> None:
        chosen = frozenset(enabled)
        picker = _SourcePicker(environ, platform, proc, uid, shell32, registry)
        self._sources: list[QuietSource] = [picker.source(name) for name in QUIET_SOURCES if name in chosen]
        self._logged: set[str] = set()

    def check(self) -> str | None:
        """The first active reason ("do-not-disturb", "fullscreen", "call"), or None; never raises."""
        for source in self._sources:
            try:
                if source.active():
                    return source.reason
            except Exception as error:  # a broken desktop service: not quiet, said once
                if source.name not in self._logged:
                    self._logged.add(source.name)
                    log.warning("quiet source %s does not work: %s", source.name, reason_of(error))
        return None

    def in_call(self) -> bool:
        """Whether a call is on (the "calls" source, if enabled): the app takes it as presence, so
        sitting in a call without typing is not mistaken for a break away."""
        for source in self._sources:
            if source.reason == "call":
                try:
                    return bool(source.active())
                except Exception:  # said once by check(); here simply: not known
                    return False
        return False

    def close(self) -> None:
        """Close what a source keeps open between checks (the X11 connection)."""
        for source in self._sources:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    def report(self) -> list[SourceReport]:
        """One report per enabled source, for ``movebreak doctor`` (this reads each source once)."""
        reports = []
        for source in self._sources:
            try:
                reports.append(source.report())
            except Exception as error:
                reports.append(SourceReport(source.name, False, _("{error}: not detected", error=reason_of(error))))
        return reports


class _SourcePicker:
    """Which module reads which source on this platform and session; touches nothing."""

    def __init__(self, environ: Mapping[str, str], platform: str, proc: Path, uid: int | None,
                 shell32, registry) -> None:
        self.environ = environ
        self.platform = platform
        self.proc = proc
        self.uid = uid
        self.shell32 = shell32
        self.registry = registry

    @property
    def windows(self) -> bool:
        return self.platform.startswith("win") or self.platform == "cygwin"

    @property
    def free_desktop(self) -> bool:
        return self.platform.startswith("linux") or "bsd" in self.platform

    def source(self, name: str) -> QuietSource:
        return {"do-not-disturb": self.do_not_disturb, "fullscreen": self.fullscreen, "calls": self.calls}[name]()

    def do_not_disturb(self) -> QuietSource:
        if self.windows:
            from movebreak.quiet.windows import DO_NOT_DISTURB_STATES, NotificationState

            return NotificationState("do-not-disturb", DO_NOT_DISTURB_STATES, self.shell32)
        if self.free_desktop:
            from movebreak.quiet.dbus import DesktopDoNotDisturb

            return DesktopDoNotDisturb(self.environ.get("DBUS_SESSION_BUS_ADDRESS", ""))
        return self._unknown("do-not-disturb")

    def fullscreen(self) -> QuietSource:
        if self.windows:
            from movebreak.quiet.windows import FULLSCREEN_STATES, NotificationState

            return NotificationState("fullscreen", FULLSCREEN_STATES, self.shell32)
        if not self.free_desktop:
            return self._unknown("fullscreen")
        wayland = bool(self.environ.get("WAYLAND_DISPLAY")) or self.environ.get("XDG_SESSION_TYPE", "") == "wayland"
        display = self.environ.get("DISPLAY", "")
        if wayland and not display:
            return UnknownSource("fullscreen", "fullscreen", _("a Wayland session without X11 does not tell apps "
                                                               "which window is fullscreen: not detected"))
        from movebreak.quiet.x11 import X11Fullscreen

        return X11Fullscreen(display, wayland=wayland)

    def calls(self) -> QuietSource:
        if self.windows:
            from movebreak.quiet.windows import ConsentStoreCalls

            return ConsentStoreCalls(self.registry)
        if self.platform.startswith("linux"):
            from movebreak.quiet.proc import ProcCapture

            uid = self.uid if self.uid is not None else os.getuid()
            return ProcCapture(self.proc, uid, os.getpid())
        return self._unknown("calls")

    def _unknown(self, name: str) -> QuietSource:
        return UnknownSource(name, REASONS[name], _("movebreak cannot read this on {platform} yet: not detected",
                                                    platform=self.platform))
