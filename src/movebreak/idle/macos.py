"""Idle time on macOS: Quartz ``CGEventSourceSecondsSinceLastEventType``, else ioreg.

With pyobjc's Quartz (``pyobjc-framework-Quartz``, a dependency on macOS) the call asks the
combined session state for any input event type. Without it, ``ioreg -c IOHIDSystem``
prints ``"HIDIdleTime" = <nanoseconds>``. Lock: ``CGSessionCopyCurrentDictionary()``
has ``CGSSessionScreenIsLocked`` while the screen is locked. Tests pass a fake ``quartz``
module and a fake ``run`` for ioreg.

Check by hand: ``python -m movebreak.idle.macos``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import timedelta

from movebreak.i18n import N_, _
from movebreak.idle.base import ProbeBase, reason

ANY_INPUT_EVENT = 0xFFFFFFFF  # kCGAnyInputEventType
COMBINED_SESSION_STATE = 0  # kCGEventSourceStateCombinedSessionState
_HID_IDLE = re.compile(rb'"HIDIdleTime"\s*=\s*(\d+)')


def _run_ioreg() -> bytes:
    return subprocess.run(
        ["ioreg", "-c", "IOHIDSystem", "-d", "4"], capture_output=True, timeout=5, check=True
    ).stdout


class MacProbe(ProbeBase):
    name = "macos"
    label = N_("macOS idle via Quartz event source")

    def __init__(self, quartz=None, run=None) -> None:
        self._quartz = quartz
        self._quartz_missing = False
        self._run = run or _run_ioreg
        self.problem: str | None = None

    def _get_quartz(self):
        if self._quartz is None and not self._quartz_missing:
            try:
                import Quartz  # type: ignore[import-not-found]

                self._quartz = Quartz
            except Exception:
                self._quartz_missing = True
        return self._quartz

    def idle(self) -> timedelta | None:
        quartz = self._get_quartz()
        if quartz is not None:
            try:
                value = quartz.CGEventSourceSecondsSinceLastEventType(
                    getattr(quartz, "kCGEventSourceStateCombinedSessionState", COMBINED_SESSION_STATE),
                    getattr(quartz, "kCGAnyInputEventType", ANY_INPUT_EVENT),
                )
                self.problem = None
                return timedelta(seconds=float(value))
            except Exception as error:
                self.problem = _("Quartz error: {error}", error=reason(error))
                return None
        try:
            match = _HID_IDLE.search(self._run())
        except Exception as error:
            self.problem = _(
                "neither Quartz (pip install pyobjc-framework-Quartz) nor ioreg works: {error}", error=reason(error)
            )
            return None
        if match is None:
            self.problem = _("ioreg printed no HIDIdleTime")
            return None
        self.problem = None
        return timedelta(microseconds=int(match.group(1)) // 1000)

    def locked(self) -> bool | None:
        quartz = self._get_quartz()
        if quartz is None:
            return None
        try:
            session = quartz.CGSessionCopyCurrentDictionary()
        except Exception:
            return None
        if session is None:
            return None
        return bool(session.get("CGSSessionScreenIsLocked", False))


def seconds_since_last_input() -> float | None:
    value = MacProbe().idle()
    return None if value is None else value.total_seconds()


if __name__ == "__main__":
    from movebreak.idle._cli import run

    raise SystemExit(run(MacProbe, sys.argv[1:], "movebreak.idle.macos"))
