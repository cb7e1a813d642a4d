"""The macOS probe with Quartz and ioreg faked."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from types import SimpleNamespace

import pytest

from movebreak.idle.macos import ANY_INPUT_EVENT, COMBINED_SESSION_STATE, MacProbe


def fake_quartz(seconds=12.5, session=None, calls=None):
    calls = [] if calls is None else calls

    def since(state, event_type):
        calls.append((state, event_type))
        if isinstance(seconds, Exception):
            raise seconds
        return seconds

    return SimpleNamespace(CGEventSourceSecondsSinceLastEventType=since,
                           CGSessionCopyCurrentDictionary=lambda: session)


def test_quartz_idle_for_any_input_in_the_combined_session():
    calls = []
    probe = MacProbe(quartz=fake_quartz(12.5, calls=calls))
    assert probe.idle() == timedelta(seconds=12.5)
    assert calls == [(COMBINED_SESSION_STATE, ANY_INPUT_EVENT)] == [(0, 0xFFFFFFFF)]
    assert probe.describe() == "macOS idle via Quartz event source: OK"


@pytest.mark.parametrize(
    ("session", "locked"),
    [({"CGSSessionScreenIsLocked": 1}, True), ({"kCGSSessionOnConsoleKey": 1}, False), (None, None)],
)
def test_lock_from_the_session_dictionary(session, locked):
    assert MacProbe(quartz=fake_quartz(session=session)).locked() is locked


def test_quartz_error_gives_none_and_a_reason():
    probe = MacProbe(quartz=fake_quartz(RuntimeError("no window server")))
    assert probe.idle() is None and probe.problem == "Quartz error: RuntimeError: no window server"


IOREG = b"""+-o IOHIDSystem  <class IOHIDSystem, id 0x100000257>
    |   "HIDIdleTime" = 2500000000
    |   "HIDParameters" = {"HIDClickTime"=500000000}
"""


@pytest.fixture
def no_quartz(monkeypatch):
    monkeypatch.setitem(sys.modules, "Quartz", None)  # import Quartz → ImportError


def test_without_quartz_ioreg_hid_idle_time_in_nanoseconds(no_quartz):
    probe = MacProbe(run=lambda: IOREG)
    assert probe.idle() == timedelta(seconds=2.5)
    assert probe.locked() is None


@pytest.mark.parametrize(
    ("run", "problem"),
    [
        (lambda: b"nothing useful", "ioreg printed no HIDIdleTime"),
        (lambda: (_ for _ in ()).throw(FileNotFoundError("ioreg")), "nor ioreg works: FileNotFoundError: ioreg"),
        (lambda: (_ for _ in ()).throw(subprocess.TimeoutExpired("ioreg", 5)), "nor ioreg works: TimeoutExpired"),
    ],
)
def test_without_quartz_ioreg_problems_give_none(no_quartz, run, problem):
    probe = MacProbe(run=run)
    assert probe.idle() is None
    assert problem in probe.problem
