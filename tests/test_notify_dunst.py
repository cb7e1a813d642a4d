"""Issue 17 against a real notification server: dunst 1.9 (Debian 12) under Xvfb on a private
bus. The buttons' answers come back as real ActionInvoked signals (invoked with dunstctl, as a
user's click or keyboard shortcut does), a repeat replaces the shown notification, and
CloseNotification takes it off the screen. The full behaviour of each button is tested against
the recording server in test_notification_actions.py; this checks a real server agrees."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest

from conftest import need_programs
from desktop import wait_until
from movebreak.notify.base import URGENCY_CRITICAL, ReminderNote
from movebreak.notify.freedesktop import FreedesktopNotifier

pytestmark = pytest.mark.gui

BUTTONS = (("default", "Open"), ("done", "Done"), ("snooze", "Snooze 5 min"), ("another", "Another exercise"))


class Answers:
    def __init__(self) -> None:
        self.got: list[tuple] = []

    def action(self, notification_id: int, key: str) -> None:
        self.got.append(("action", notification_id, key))

    def closed(self, notification_id: int, reason: int) -> None:
        self.got.append(("closed", notification_id, reason))


def _dunstctl(env, *args: str) -> str:
    return subprocess.run(["dunstctl", *args], env=env, capture_output=True, text=True, timeout=10).stdout


def test_dunst_shows_the_buttons_sends_the_answer_replaces_and_closes(xvfb, private_bus, processes):
    need_programs("dunst", "dunstctl")
    env = {**xvfb.env, **private_bus.env}
    processes.start("dunst", ["dunst"], env=env)
    notifier = FreedesktopNotifier(env)
    wait_until(lambda: notifier.check().ok, timeout=10, message="dunst did not take org.freedesktop.Notifications")
    answers = Answers()
    note = ReminderNote("45 min sitting — time to move", "Step-up (2 min):\n1. Face the step.", timedelta(seconds=60),
                        actions=BUTTONS)
    shown = notifier.send_reminder(note, answers)
    assert shown and "Currently displayed: 1" in _dunstctl(env, "count")
    _dunstctl(env, "action", "0")  # the default action of the newest notification: a click on it
    wait_until(lambda: ("action", shown, "default") in answers.got, timeout=5, message=str(answers.got))
    again = notifier.send_reminder(ReminderNote("repeat", "body", timedelta(seconds=60), actions=BUTTONS,
                                                urgency=URGENCY_CRITICAL, replaces=shown), answers)
    assert again == shown  # replaced in place, not a second one on the screen
    assert "Currently displayed: 1" in _dunstctl(env, "count")
    notifier.close(again)
    wait_until(lambda: ("closed", shown, 3) in answers.got, timeout=5, message=str(answers.got))  # 3: closed by a call
    assert "Currently displayed: 0" in _dunstctl(env, "count")
