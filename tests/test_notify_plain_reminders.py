"""Windows and macOS keep their plain notification: a reminder with buttons, urgency and a
notification to replace goes out as title and body only (fakes for plyer's balloon and
osascript; the Linux path with buttons is tested on a real bus in test_notification_actions)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from movebreak.notify import FallbackNotifier, ReminderNote, TerminalNotifier
from movebreak.notify.macos import MacNotifier
from movebreak.notify.windows import WindowsNotifier

NOTE = ReminderNote("47 min sitting — time to move", "Step-up: 2 min", timedelta(seconds=8),
                    actions=(("done", "Done"), ("snooze", "Snooze 5 min")), urgency=2, replaces=7)


class Balloon:
    made: list[dict] = []

    def __init__(self, **kwargs):
        Balloon.made.append(kwargs)


@pytest.fixture(autouse=True)
def fresh():
    Balloon.made = []


def test_windows_gets_the_reminder_as_a_plain_balloon():
    notifier = FallbackNotifier(WindowsNotifier(Balloon, later=lambda seconds, action: None),
                                TerminalNotifier(io.StringIO()))
    assert notifier.send_reminder(NOTE, listener=object()) is None  # no id: nothing to replace or close
    assert [(b["title"], b["message"]) for b in Balloon.made] == [(NOTE.title, NOTE.body)]
    assert notifier.last_route == "desktop"
    notifier.close(7)  # nothing to close there; never raises


def test_macos_gets_the_reminder_as_a_plain_notification():
    sent = []
    notifier = FallbackNotifier(MacNotifier(osascript=lambda title, body: sent.append((title, body)) or True,
                                            which=lambda name: "/usr/bin/osascript"),
                                TerminalNotifier(io.StringIO()))
    assert notifier.send_reminder(NOTE) is None
    assert sent == [(NOTE.title, NOTE.body)]


def test_a_failed_plain_reminder_is_written_to_the_terminal():
    shown = io.StringIO()
    notifier = FallbackNotifier(MacNotifier(osascript=lambda title, body: False, which=lambda name: "osascript"),
                                TerminalNotifier(shown))
    assert notifier.send_reminder(NOTE) is None
    assert notifier.last_route == "terminal"
    assert shown.getvalue() == f"[movebreak] {NOTE.title}\n[movebreak]   {NOTE.body}\n"
