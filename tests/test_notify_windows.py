"""The Windows notifier with plyer's balloon class and the timer faked."""

from __future__ import annotations

import ctypes
from datetime import timedelta

import pytest

from movebreak.notify.windows import WindowsNotifier

TITLE = "47 min sitting — time to move"


class FakeBalloon:
    made: list[dict] = []
    removed: list[dict] = []
    fail: Exception | None = None

    def __init__(self, **kwargs):
        if FakeBalloon.fail is not None:
            raise FakeBalloon.fail
        self.kwargs = kwargs
        FakeBalloon.made.append(kwargs)

    def remove_notify(self):
        FakeBalloon.removed.append(self.kwargs)


@pytest.fixture(autouse=True)
def fresh_balloons():
    FakeBalloon.made, FakeBalloon.removed, FakeBalloon.fail = [], [], None


def test_send_shows_a_balloon_and_removes_it_after_the_timeout():
    scheduled = []
    notifier = WindowsNotifier(FakeBalloon, later=lambda seconds, action: scheduled.append((seconds, action)))
    assert notifier.check().ok
    assert notifier.send(TITLE, "Step-up: 2 min", timeout=timedelta(seconds=8)) is True
    assert FakeBalloon.made == [{"title": TITLE, "message": "Step-up: 2 min", "app_name": "movebreak",
                                 "app_icon": "", "timeout": 0}]  # timeout=0: plyer returns at once
    ((seconds, action),) = scheduled
    assert seconds == 8 and FakeBalloon.removed == []
    action()
    assert FakeBalloon.removed == FakeBalloon.made


def test_shell_notify_icon_failing_returns_false_without_raising():
    FakeBalloon.fail = Exception("Shell_NotifyIconW failed.")
    notifier = WindowsNotifier(FakeBalloon, later=lambda *a: pytest.fail("nothing to remove"))
    assert notifier.send(TITLE, "body", timeout=timedelta(seconds=8)) is False
    assert notifier.problem == "Exception: Shell_NotifyIconW failed."


def test_removal_failing_is_ignored():
    class Sticky(FakeBalloon):
        def remove_notify(self):
            raise OSError("gone")

    actions = []
    assert WindowsNotifier(Sticky, later=lambda s, a: actions.append(a)).send("T", "B", timeout=timedelta(0))
    actions[0]()  # no exception


def test_off_windows_plyer_balloon_is_unavailable_with_a_reason():
    if hasattr(ctypes, "windll"):
        pytest.skip("this is Windows")
    notifier = WindowsNotifier()
    status = notifier.check()
    assert not status.ok and status.detail.startswith("Windows notifications need plyer on Windows:")
    assert notifier.send("T", "B", timeout=timedelta(seconds=1)) is False
