"""Notifications on Windows: plyer's tray balloon (``Shell_NotifyIconW``).

plyer's ``notification.notify`` runs the balloon in a thread of its own and loses any
error, so this calls plyer's ``WindowsBalloonTip`` directly with ``timeout=0`` (it returns
as soon as ``Shell_NotifyIconW`` accepted the balloon, or raises) and removes the icon
after the timeout on a daemon timer. Tests pass in the balloon class and the timer.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from movebreak.i18n import _
from movebreak.notify.base import APP_NAME, NotifierStatus, reason

log = logging.getLogger(__name__)


def _plyer_balloon():
    from plyer.platforms.win.libs.balloontip import WindowsBalloonTip

    return WindowsBalloonTip


class WindowsNotifier:
    name = "windows"

    def __init__(self, balloon=None, *, app_name: str = APP_NAME, app_icon: str = "", later=None) -> None:
        self._balloon = balloon
        self._later = later or _later
        self._app_name = app_name
        self._app_icon = app_icon
        self.problem: str | None = None

    def _load(self):
        if self._balloon is None:
            try:
                self._balloon = _plyer_balloon()
            except Exception as error:  # ImportError, or AttributeError for windll off Windows
                raise RuntimeError(
                    _("Windows notifications need plyer on Windows: {error}", error=reason(error))
                ) from None
        return self._balloon

    def check(self) -> NotifierStatus:
        try:
            self._load()
        except RuntimeError as error:
            return NotifierStatus(False, str(error))
        return NotifierStatus(True, _("Windows tray balloons via plyer: OK"))

    def send(self, title: str, body: str, *, timeout: timedelta = timedelta(seconds=10)) -> bool:
        try:
            balloon = self._load()(
                title=title, message=body, app_name=self._app_name, app_icon=self._app_icon, timeout=0
            )
        except Exception as error:
            self.problem = reason(error)
            log.warning("notification not shown: %s", self.problem)
            return False
        self._later(max(timeout.total_seconds(), 1.0), lambda: _remove(balloon))
        self.problem = None
        return True


def _later(seconds: float, action) -> None:
    timer = threading.Timer(seconds, action)
    timer.daemon = True
    timer.start()


def _remove(balloon) -> None:
    try:
        balloon.remove_notify()
    except Exception:
        pass
