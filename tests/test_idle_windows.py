"""The Windows probe with user32/kernel32 faked behind the real ctypes calls."""

from __future__ import annotations

import ctypes
from datetime import timedelta

import pytest

from movebreak.idle.windows import LASTINPUTINFO, WindowsProbe


class FakeUser32:
    def __init__(self, last_input: int = 0, ok: bool = True, input_desktop: int = 77) -> None:
        self.last_input = last_input
        self.ok = ok
        self.input_desktop = input_desktop
        self.closed: list[int] = []

    def GetLastInputInfo(self, ref) -> int:  # noqa: N802 - the Win32 name
        info = ref._obj  # what ctypes.byref() points at
        assert isinstance(info, LASTINPUTINFO) and info.cbSize == ctypes.sizeof(LASTINPUTINFO) == 8
        info.dwTime = self.last_input
        return 1 if self.ok else 0

    def OpenInputDesktop(self, flags, inherit, access) -> int:  # noqa: N802
        return self.input_desktop

    def CloseDesktop(self, handle) -> int:  # noqa: N802
        self.closed.append(handle)
        return 1


class FakeKernel32:
    def __init__(self, ticks: int) -> None:
        self.ticks = ticks

    def GetTickCount(self) -> int:  # noqa: N802
        return self.ticks


@pytest.mark.parametrize(
    ("ticks", "last_input", "idle_ms"),
    [
        (10_000, 4_000, 6_000),
        (5_000, 5_000, 0),
        (1_000, 0xFFFF_F000, 5_096),  # GetTickCount wrapped after 49.7 days
        (-2, 0xFFFF_FFF0, 14),  # ctypes' default c_int restype gives a negative tick count
    ],
)
def test_idle_is_tick_count_minus_last_input(ticks, last_input, idle_ms):
    probe = WindowsProbe(FakeUser32(last_input), FakeKernel32(ticks))
    assert probe.idle() == timedelta(milliseconds=idle_ms)
    assert probe.problem is None
    assert probe.describe() == "Windows idle via GetLastInputInfo: OK"


def test_failed_call_gives_none_and_a_reason():
    probe = WindowsProbe(FakeUser32(ok=False), FakeKernel32(1))
    assert probe.idle() is None and probe.problem == "GetLastInputInfo failed"


def test_api_raising_gives_none_and_a_reason():
    class Broken(FakeKernel32):
        def GetTickCount(self):  # noqa: N802
            raise OSError("access denied")

    probe = WindowsProbe(FakeUser32(), Broken(0))
    assert probe.idle() is None
    assert probe.problem == "Windows API error: OSError: access denied"


def test_lock_from_the_input_desktop():
    user32 = FakeUser32(input_desktop=77)
    probe = WindowsProbe(user32, FakeKernel32(0))
    assert probe.locked() is False and user32.closed == [77]
    user32.input_desktop = 0  # the secure desktop has the input: locked (or a UAC prompt)
    assert probe.locked() is True


def test_off_windows_the_real_probe_says_why():
    if hasattr(ctypes, "windll"):
        pytest.skip("this is Windows")
    probe = WindowsProbe()
    assert probe.idle() is None and probe.locked() is None
    assert "not Windows" in probe.describe()
