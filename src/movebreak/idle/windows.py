"""Idle time on Windows: ``GetTickCount() - GetLastInputInfo().dwTime`` (user32/kernel32).

Both are 32-bit millisecond tick counts that wrap after 49.7 days, so the difference is
taken modulo 2**32. Lock: ``OpenInputDesktop`` fails while the secure desktop (lock screen,
or a UAC prompt) has the input. ctypes' ``windll`` is looked up on first use; tests pass
fake ``user32``/``kernel32`` objects with the same functions.

Check by hand: ``python -m movebreak.idle.windows``.
"""

from __future__ import annotations

import ctypes
import sys
from datetime import timedelta

from movebreak.i18n import N_, _
from movebreak.idle.base import ProbeBase, reason

DESKTOP_SWITCHDESKTOP = 0x0100


class LASTINPUTINFO(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_uint32), ("dwTime", ctypes.c_uint32)]


class WindowsProbe(ProbeBase):
    name = "windows"
    label = N_("Windows idle via GetLastInputInfo")

    def __init__(self, user32=None, kernel32=None) -> None:
        self._user32 = user32
        self._kernel32 = kernel32
        self.problem: str | None = None

    def _api(self):
        if self._user32 is None or self._kernel32 is None:
            windll = getattr(ctypes, "windll", None)
            if windll is None:
                raise _Unavailable(_("this is not Windows (ctypes.windll is missing)"))
            self._user32, self._kernel32 = windll.user32, windll.kernel32
        return self._user32, self._kernel32

    def idle(self) -> timedelta | None:
        try:
            user32, kernel32 = self._api()
            info = LASTINPUTINFO(cbSize=ctypes.sizeof(LASTINPUTINFO))
            if not user32.GetLastInputInfo(ctypes.byref(info)):
                raise _Unavailable(_("GetLastInputInfo failed"))
            now = int(kernel32.GetTickCount())
        except _Unavailable as error:
            self.problem = str(error)
            return None
        except Exception as error:
            self.problem = _("Windows API error: {error}", error=reason(error))
            return None
        self.problem = None
        return timedelta(milliseconds=(now - int(info.dwTime)) & 0xFFFFFFFF)

    def locked(self) -> bool | None:
        try:
            user32, _kernel32 = self._api()
            desktop = user32.OpenInputDesktop(0, False, DESKTOP_SWITCHDESKTOP)
            if not desktop:
                return True
            user32.CloseDesktop(desktop)
            return False
        except Exception:
            return None


class _Unavailable(Exception):
    pass


def seconds_since_last_input() -> float | None:
    value = WindowsProbe().idle()
    return None if value is None else value.total_seconds()


if __name__ == "__main__":
    from movebreak.idle._cli import run

    raise SystemExit(run(WindowsProbe, sys.argv[1:], "movebreak.idle.windows"))
