"""Notifications on macOS: plyer (via pyobjus) when importable, else ``osascript``.

plyer's macOS notifier needs pyobjus, which is not a movebreak dependency, and it cannot
report failure. ``osascript -e 'display notification ...'`` ships with macOS and has an
exit status, so it is the fallback. Title and body go in as arguments, never spliced
into the script. Both routes are passed in by tests.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from datetime import timedelta

from movebreak.i18n import _
from movebreak.notify.base import APP_NAME, NotifierStatus, reason

log = logging.getLogger(__name__)

SCRIPT = ("on run argv", "display notification (item 2 of argv) with title (item 1 of argv)", "end run")


def _plyer_mac():
    """plyer's macOS notifier, imported directly: plyer's lazy proxy prints a traceback on failure."""
    from plyer.platforms.macosx.notification import instance

    return instance()


def _osascript(title: str, body: str) -> bool:
    args = ["osascript"]
    for line in SCRIPT:
        args += ["-e", line]
    return subprocess.run(args + [title, body], capture_output=True, timeout=10).returncode == 0


class MacNotifier:
    name = "macos"

    def __init__(self, plyer_notifier=None, *, osascript=None, which=shutil.which, app_name: str = APP_NAME) -> None:
        self._plyer = plyer_notifier
        self._plyer_tried = plyer_notifier is not None
        self._osascript = osascript or _osascript
        self._which = which
        self._app_name = app_name
        self.problem: str | None = None

    def _route(self):
        if not self._plyer_tried:
            self._plyer_tried = True
            try:
                self._plyer = _plyer_mac()
            except Exception:
                self._plyer = None
        if self._plyer is not None:
            return "plyer"
        if self._which("osascript"):
            return "osascript"
        return None

    def check(self) -> NotifierStatus:
        route = self._route()
        if route == "plyer":
            return NotifierStatus(True, _("macOS notifications via plyer: OK"))
        if route == "osascript":
            return NotifierStatus(True, _("macOS notifications via osascript: OK"))
        return NotifierStatus(False, _("no macOS notification route: plyer needs pyobjus, and osascript is missing"))

    def send(self, title: str, body: str, *, timeout: timedelta = timedelta(seconds=10)) -> bool:
        try:
            route = self._route()
            if route == "plyer":
                self._plyer.notify(title=title, message=body, app_name=self._app_name,
                                   timeout=int(timeout.total_seconds()))
                shown = True
            elif route == "osascript":
                shown = bool(self._osascript(title, body))
                if not shown:
                    self.problem = _("osascript failed")
            else:
                self.problem = self.check().detail
                shown = False
        except Exception as error:
            self.problem = reason(error)
            shown = False
        if not shown:
            log.warning("notification not shown: %s", self.problem)
        else:
            self.problem = None
        return shown
