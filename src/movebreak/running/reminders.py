"""A reminder as the user sees it: its words, the exercise it suggests, and where it is shown.

One reminder at a time: a repeat replaces the notification showing, and a reminder answered
any other way (a break, snooze, skip or pause from the tray or CLI) takes it off the screen.
Where the desktop offers buttons, the notification has Done, Snooze and Another exercise;
``NotificationAnswers`` carries them out through the same core paths as the tray's items.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from movebreak.errors import MovebreakError
from movebreak.exercises.render import reminder_body
from movebreak.i18n import N_, _
from movebreak.notify.base import URGENCY_CRITICAL, URGENCY_NORMAL, ReminderNote, close_notification, send_reminder
from movebreak.running.interface import ReminderView

log = logging.getLogger("movebreak")


class ReminderPresenter:
    """Shows a due reminder (desktop notification and UI) and keeps the one showing.

    Suggests an exercise not among the last few suggested (``exercises.avoid_repeating``).
    Runs under the core's lock (a tick, a user action, or ``NotificationAnswers``).
    """

    def __init__(self, *, settings, notifier, catalogue, store, clock, tz, language: str, rng: random.Random) -> None:
        self.settings = settings  # AppSettings
        self.notifier = notifier
        self.catalogue = catalogue
        self.store = store
        self.clock = clock
        self.tz = tz
        self.language = language
        self.rng = rng
        self.ui = None
        self.current: ReminderView | None = None  # the reminder showing, until answered or resolved
        self._recent: list[str] = []  # the exercises suggested, oldest first
        self.answers: NotificationAnswers | None = None  # what the notification's buttons do (see answer_with)
        self.showing: int | None = None  # the desktop notification's id while it shows this reminder
        self._closing: int | None = None  # a notification cleared in this batch of events (see settle)
        self._event = None  # the ReminderDue shown (for "Another exercise")
        self._urgency = URGENCY_NORMAL

    def answer_with(self, core, lock) -> None:
        """The notification's buttons act on ``core`` (``log_break``, ``snooze``) under its ``lock``."""
        self.answers = NotificationAnswers(core, lock)

    def set_timezone(self, tz) -> None:
        self.tz = tz

    def remind(self, event) -> None:
        """Show a due reminder; a repeat of an ignored one replaces it, with urgency critical."""
        self._event = event
        self._urgency = URGENCY_CRITICAL if event.repeat else URGENCY_NORMAL
        self._show(self.view(event))

    def another(self, notification_id: int) -> None:
        """"Another exercise": the same reminder with another exercise, in place of the one showing."""
        if self.current is None or self._event is None or notification_id != self.showing:
            return
        self._show(self.view(self._event, avoid=self.current.exercise_id))

    def _show(self, view: ReminderView) -> None:
        self.current = view
        if self.settings.notifications.enabled:
            replaces = self._closing or self.showing or 0
            self._closing = self.showing = None
            note = ReminderNote(view.title, view.body, self.settings.notifications.timeout,
                                image=self._picture(view.exercise_id), actions=self._buttons(view),
                                urgency=self._urgency, replaces=replaces)
            try:
                self.showing = send_reminder(self.notifier, note, self.answers)
            except Exception:  # a notification must never stop the scheduler
                log.exception("sending a notification failed")
        if self.ui is not None:
            self.ui.show_reminder(view)

    def _buttons(self, view: ReminderView) -> tuple[tuple[str, str], ...]:
        if self.answers is None:
            return ()
        buttons = [("done", _("Done"))]
        if getattr(self.ui, "open_window", None) is not None:  # a click on the body opens it
            buttons.insert(0, ("default", _("Open movebreak")))
        options = self.settings.engine.snooze_options
        if view.can_snooze and options:
            buttons.append(("snooze", _("Snooze {minutes} min", minutes=snooze_minutes(options[0]))))
        buttons.append(("another", _("Another exercise")))
        return tuple(buttons)

    def _picture(self, exercise_id: str | None):
        """The exercise's pictogram file, shown as the notification's image where it can be."""
        exercise = self.catalogue.get(exercise_id) if exercise_id else None
        if exercise is None:
            return None
        picture = self.catalogue.picture_file(exercise)
        return picture if picture is not None and picture.is_file() else None

    def clear(self) -> None:
        """The reminder was answered (a break) or resolved: none is showing. Its notification
        is closed when the events are handled (``settle``), unless a repeat replaces it."""
        self.current = None
        if self.showing is not None:
            self._closing, self.showing = self.showing, None

    def settle(self) -> None:
        """The engine's events are handled: a notification cleared and not replaced is closed."""
        closing, self._closing = self._closing, None
        if closing is not None:
            close_notification(self.notifier, closing)

    def withdraw(self) -> None:
        """The app stops: its notification's buttons would answer nobody, so it is closed."""
        self.clear()
        self.settle()

    def closed(self, notification_id: int) -> None:
        """The server closed the notification (expired, dismissed): a repeat is a new one."""
        if notification_id == self.showing:
            self.showing = None

    def view(self, event, *, avoid: str | None = None) -> ReminderView:
        exercise = self._suggest(avoid)
        title = reminder_title(event, exercise)
        if exercise is not None:
            self._recent.append(exercise.id)
            body = reminder_body(exercise, duration_words(exercise.duration), self.language)
        else:
            body = _("Stand up and walk for a few minutes.")
        if not event.can_snooze:
            body += " " + _("You have snoozed {count} times in a row; no more snoozes this time.",
                            count=event.snoozes_used)
        return ReminderView(title, body, exercise.id if exercise else None, event.can_snooze)

    def _suggest(self, also_avoid: str | None = None):
        from movebreak.reports import suggest_exercise

        avoid = self.settings.exercises.avoid_repeating
        recent = self._recent[-avoid:] if avoid else []
        if also_avoid is not None and also_avoid not in recent:
            recent = [*recent, also_avoid]
        try:
            suggestion = suggest_exercise(self.settings, self.catalogue, self.store, self.clock.now(), self.tz, self.rng,
                                          recent=recent)
        except Exception:  # a reminder without an exercise is better than none
            log.exception("choosing an exercise failed")
            return None
        return suggestion.first if suggestion is not None else None


HELD_TITLES = {  # after a hold the reminder says what happened
    "call": N_("{minutes} min sitting through a call — stand up for {duration}"),
    "fullscreen": N_("{minutes} min sitting in full screen — stand up for {duration}"),
    "do-not-disturb": N_("{minutes} min sitting while you did not want to be disturbed — stand up for {duration}"),
}


def reminder_title(event, exercise) -> str:
    """"45 min sitting — time to move", or after a hold "55 min sitting through a call — stand up
    for 2 min" (the suggested exercise's duration)."""
    seconds = int(event.sitting.total_seconds())
    held = getattr(event, "held", None)
    if held in HELD_TITLES and seconds >= 60:
        duration = duration_words(exercise.duration) if exercise is not None else _("a few minutes")
        return _(HELD_TITLES[held], minutes=seconds // 60, duration=duration)
    if seconds < 60:  # only with test-sized settings
        return _("{seconds} s sitting — time to move", seconds=seconds)
    return _("{minutes} min sitting — time to move", minutes=seconds // 60)


def duration_words(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    if seconds < 60:
        return _("{seconds} s", seconds=seconds)
    if seconds % 60:
        return _("{minutes} min {seconds} s", minutes=seconds // 60, seconds=seconds % 60)
    return _("{minutes} min", minutes=seconds // 60)


def snooze_minutes(option: timedelta) -> int:
    """A snooze option in whole minutes, as the tray's menu shows it."""
    return max(1, round(option.total_seconds() / 60))


class NotificationAnswers:
    """What the reminder notification's buttons do: the same core paths as the tray's items
    (``log_break`` with the suggested exercise, ``snooze``), so the history and ``movebreak
    status`` show it at once. Called on a short thread of the notifier's, never under the
    core's lock; takes it (an ``RLock``) to check that the notification is still the one showing.
    """

    def __init__(self, core, lock) -> None:
        self.core = core
        self.lock = lock

    def action(self, notification_id: int, key: str) -> None:
        core, presenter = self.core, self.core.reminders
        ui = presenter.ui
        try:
            with self.lock:
                view = presenter.current if notification_id == presenter.showing else None
                if view is None:
                    return  # an old notification: its reminder was answered already
                if key == "done":
                    core.log_break(exercise_id=view.exercise_id)
                elif key == "snooze" and presenter.settings.engine.snooze_options:
                    core.snooze(snooze_minutes(presenter.settings.engine.snooze_options[0]))
                elif key == "another":
                    presenter.another(notification_id)
            if key == "default":
                opener = getattr(ui, "open_window", None)
                if opener is not None:  # the tray's actions window; terminal mode has none
                    opener()
        except MovebreakError as error:  # e.g. no more snoozes
            if ui is not None:
                ui.notice(str(error))

    def closed(self, notification_id: int, reason: int) -> None:
        """Dismissed or expired: nothing is logged; a repeat will be a notification of its own."""
        with self.lock:
            self.core.reminders.closed(notification_id)
