"""The macOS notifier with plyer and osascript faked."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest

import movebreak.notify.macos as macos
from movebreak.notify.macos import MacNotifier

TITLE = "47 min sitting — time to move"
BODY = 'Step-up: say "up" — 2 min'


class FakePlyer:
    def __init__(self, fail=None):
        self.calls = []
        self.fail = fail

    def notify(self, **kwargs):
        if self.fail:
            raise self.fail
        self.calls.append(kwargs)


def test_plyer_route():
    plyer = FakePlyer()
    notifier = MacNotifier(plyer)
    assert notifier.check().detail == "macOS notifications via plyer: OK"
    assert notifier.send(TITLE, BODY, timeout=timedelta(seconds=8)) is True
    assert plyer.calls == [{"title": TITLE, "message": BODY, "app_name": "movebreak", "timeout": 8}]


def test_plyer_raising_returns_false():
    notifier = MacNotifier(FakePlyer(fail=RuntimeError("no NSUserNotificationCenter")))
    assert notifier.send(TITLE, BODY, timeout=timedelta(seconds=8)) is False
    assert notifier.problem == "RuntimeError: no NSUserNotificationCenter"


@pytest.fixture
def no_plyer(monkeypatch):
    def missing():
        raise ImportError("No module named 'pyobjus'")

    monkeypatch.setattr(macos, "_plyer_mac", missing)


@pytest.mark.parametrize("ok", [True, False])
def test_osascript_route_when_plyer_cannot_load(no_plyer, ok):
    sent = []
    notifier = MacNotifier(osascript=lambda t, b: sent.append((t, b)) or ok, which=lambda name: "/usr/bin/" + name)
    assert notifier.check().detail == "macOS notifications via osascript: OK"
    assert notifier.send(TITLE, BODY, timeout=timedelta(seconds=8)) is ok
    assert sent == [(TITLE, BODY)]


def test_no_route_at_all(no_plyer):
    notifier = MacNotifier(osascript=lambda t, b: pytest.fail("not there"), which=lambda name: None)
    assert not notifier.check().ok
    assert notifier.send(TITLE, BODY, timeout=timedelta(seconds=8)) is False
    assert "osascript is missing" in notifier.problem


def test_osascript_gets_title_and_body_as_arguments_not_script(monkeypatch):
    seen = {}

    def fake_run(args, **kwargs):
        seen["args"] = args
        return subprocess.CompletedProcess(args, 0, b"", b"")

    monkeypatch.setattr(macos.subprocess, "run", fake_run)
    assert macos._osascript(TITLE, BODY) is True
    assert seen["args"][-2:] == [TITLE, BODY]
    script = " ".join(seen["args"][:-2])
    assert "display notification (item 2 of argv) with title (item 1 of argv)" in script
    assert BODY not in script
