"""TerminalNotifier, FallbackNotifier and the dispatcher, without any desktop."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from movebreak.notify import (
    FallbackNotifier,
    Notifier,
    NotifierStatus,
    TerminalNotifier,
    UnavailableNotifier,
    make_notifier,
)

FIVE = timedelta(seconds=5)


class FakeDesktop:
    name = "fake"

    def __init__(self, ok=True, raises=False):
        self.ok = ok
        self.raises = raises
        self.sent = []

    def check(self):
        if self.raises:
            raise RuntimeError("boom")
        return NotifierStatus(self.ok, "fake: OK" if self.ok else "fake server missing")

    def send(self, title, body, *, timeout):
        if self.raises:
            raise RuntimeError("boom")
        self.sent.append((title, body, timeout))
        return self.ok


def test_terminal_writes_two_lines():
    stream = io.StringIO()
    assert TerminalNotifier(stream).send("T", "B", timeout=FIVE) is True
    assert stream.getvalue() == "[movebreak] T\n[movebreak]   B\n"
    assert TerminalNotifier(stream).check().ok


def test_terminal_with_a_closed_or_missing_stream_returns_false(monkeypatch):
    stream = io.StringIO()
    stream.close()
    assert TerminalNotifier(stream).send("T", "B", timeout=FIVE) is False
    monkeypatch.setattr("sys.stderr", None)  # pythonw on Windows has no stderr
    assert TerminalNotifier().send("T", "B", timeout=FIVE) is False


def test_fallback_uses_the_desktop_when_it_works():
    desktop, stream = FakeDesktop(ok=True), io.StringIO()
    notifier = FallbackNotifier(desktop, TerminalNotifier(stream))
    assert notifier.send("T", "B", timeout=FIVE) is True
    assert desktop.sent == [("T", "B", FIVE)] and stream.getvalue() == ""
    assert notifier.last_route == "desktop" and notifier.name == "fake+terminal"
    assert notifier.check() == NotifierStatus(True, "fake: OK")


@pytest.mark.parametrize("desktop", [FakeDesktop(ok=False), FakeDesktop(raises=True)], ids=["fails", "raises"])
def test_fallback_writes_to_the_terminal_when_the_desktop_cannot(desktop):
    stream = io.StringIO()
    notifier = FallbackNotifier(desktop, TerminalNotifier(stream))
    assert notifier.send("T", "B", timeout=FIVE) is False
    assert stream.getvalue() == "[movebreak] T\n[movebreak]   B\n"
    assert notifier.last_route == "terminal"
    status = notifier.check()
    assert not status.ok and status.detail.endswith("; reminders are written to the terminal instead")


def test_fallback_with_nowhere_to_write_still_does_not_raise():
    stream = io.StringIO()
    stream.close()
    notifier = FallbackNotifier(FakeDesktop(raises=True), TerminalNotifier(stream))
    assert notifier.send("T", "B", timeout=FIVE) is False
    assert notifier.last_route == "nowhere"
    assert notifier.check().detail == "fake check failed: RuntimeError: boom; reminders are written to the terminal instead"


@pytest.mark.parametrize(
    ("platform", "primary"),
    [("linux", "freedesktop"), ("freebsd14", "freedesktop"), ("win32", "windows"), ("darwin", "macos"),
     ("sunos5", "none")],
)
def test_make_notifier_picks_one_per_platform(platform, primary):
    notifier = make_notifier({}, platform=platform, stream=io.StringIO())
    assert notifier.primary.name == primary
    assert isinstance(notifier, Notifier) and isinstance(notifier.primary, Notifier)


def test_unsupported_platform_says_so_and_goes_to_the_terminal():
    stream = io.StringIO()
    notifier = make_notifier({}, platform="sunos5", stream=stream)
    assert notifier.check().detail == "no desktop notifications on sunos5; reminders are written to the terminal instead"
    assert notifier.send("T", "B", timeout=FIVE) is False and "T" in stream.getvalue()
    assert UnavailableNotifier("x").send("T", "B", timeout=FIVE) is False


def test_importing_notify_loads_no_os_library():
    import subprocess
    import sys

    code = (
        "import sys, movebreak.notify as n; [n.make_notifier({}, p) for p in ('linux', 'win32', 'darwin')]; "
        "print(sorted(k for k in sys.modules if k.split('.')[0] in ('jeepney', 'plyer', 'pyobjus')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
