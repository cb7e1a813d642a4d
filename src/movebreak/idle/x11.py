"""Idle time on X11 from the MIT-SCREEN-SAVER extension (python-xlib).

``root.screensaver_query_info().idle`` is milliseconds since the last input the X server
saw, from any client or device. Under XWayland it only sees X clients, so the dispatcher
does not use it for Wayland sessions.

Check by hand: ``python -m movebreak.idle.x11`` prints idle seconds every second.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from datetime import timedelta

from movebreak.i18n import N_, _
from movebreak.idle.base import ProbeBase, reason


class X11Probe(ProbeBase):
    name = "x11"
    label = N_("X11 idle via MIT-SCREEN-SAVER")

    def __init__(
        self,
        display: str | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        lock: Callable[[], bool | None] | None = None,
    ) -> None:
        environ = os.environ if environ is None else environ
        self._display_name = display or environ.get("DISPLAY") or ""
        self._lock = lock
        self._display = None
        self.problem: str | None = None

    def _connect(self):
        if self._display is not None:
            return self._display
        if not self._display_name:
            raise _Unavailable(_("DISPLAY is not set; run movebreak inside your X session"))
        from movebreak.x11display import unix_display

        local = unix_display(self._display_name)
        if local is None:
            raise _Unavailable(_("DISPLAY={display} names an X server over the network; movebreak uses only a "
                                 "local one", display=self._display_name))
        try:
            from Xlib import display as xdisplay
            from Xlib import error as xerror
        except ImportError:
            raise _Unavailable(_("python-xlib is not installed (pip install python-xlib)")) from None
        try:
            connection = xdisplay.Display(local)
        except (xerror.DisplayError, OSError) as error:
            raise _Unavailable(
                _("cannot connect to X display {display}: {error}", display=self._display_name, error=reason(error))
            ) from None
        if not connection.has_extension("MIT-SCREEN-SAVER"):
            connection.close()
            raise _Unavailable(_("the X server has no MIT-SCREEN-SAVER extension"))
        self._display = connection
        return connection

    def _disconnect(self) -> None:
        connection, self._display = self._display, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # already broken; nothing more to free
                pass

    def idle(self) -> timedelta | None:
        try:
            info = self._connect().screen().root.screensaver_query_info()
        except _Unavailable as error:
            self.problem = str(error)
            return None
        except Exception as error:  # the X server went away or answered nonsense
            self._disconnect()
            self.problem = _("X server error on {display}: {error}", display=self._display_name, error=reason(error))
            return None
        self.problem = None
        return timedelta(milliseconds=int(info.idle))

    def locked(self) -> bool | None:
        return self._lock() if self._lock is not None else None

    def close(self) -> None:
        self._disconnect()


class _Unavailable(Exception):
    pass


def seconds_since_last_input() -> float | None:
    value = X11Probe().idle()
    return None if value is None else value.total_seconds()


if __name__ == "__main__":
    from movebreak.idle._cli import run

    raise SystemExit(run(X11Probe, sys.argv[1:], "movebreak.idle.x11"))
