"""A reminder as the user sees it: its words, the exercise it suggests, and where it is shown."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from movebreak.exercises.render import reminder_body
from movebreak.i18n import _
from movebreak.notify.base import send_with_image
from movebreak.running.interface import ReminderView

log = logging.getLogger("movebreak")


class ReminderPresenter:
    """Shows a due reminder (desktop notification and UI) and keeps the one showing.

    Suggests an exercise not among the last few suggested (``exercises.avoid_repeating``).
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

    def set_timezone(self, tz) -> None:
        self.tz = tz

    def remind(self, event) -> None:
        view = self.view(event)
        self.current = view
        if self.settings.notifications.enabled:
            try:
                send_with_image(self.notifier, view.title, view.body, timeout=self.settings.notifications.timeout,
                                image=self._picture(view.exercise_id))
            except Exception:  # a notification must never stop the scheduler
                log.exception("sending a notification failed")
        if self.ui is not None:
            self.ui.show_reminder(view)

    def _picture(self, exercise_id: str | None):
        """The exercise's pictogram file, shown as the notification's image where it can be."""
        exercise = self.catalogue.get(exercise_id) if exercise_id else None
        if exercise is None:
            return None
        picture = self.catalogue.picture_file(exercise)
        return picture if picture is not None and picture.is_file() else None

    def clear(self) -> None:
        """The reminder was answered (a break) or resolved: none is showing."""
        self.current = None

    def view(self, event) -> ReminderView:
        seconds = int(event.sitting.total_seconds())
        if seconds < 60:  # only with test-sized settings
            title = _("{seconds} s sitting — time to move", seconds=seconds)
        else:
            title = _("{minutes} min sitting — time to move", minutes=seconds // 60)
        exercise = self._suggest()
        if exercise is not None:
            self._recent.append(exercise.id)
            body = reminder_body(exercise, duration_words(exercise.duration), self.language)
        else:
            body = _("Stand up and walk for a few minutes.")
        if not event.can_snooze:
            body += " " + _("You have snoozed {count} times in a row; no more snoozes this time.",
                            count=event.snoozes_used)
        return ReminderView(title, body, exercise.id if exercise else None, event.can_snooze)

    def _suggest(self):
        from movebreak.reports import suggest_exercise

        avoid = self.settings.exercises.avoid_repeating
        try:
            suggestion = suggest_exercise(self.settings, self.catalogue, self.store, self.clock.now(), self.tz, self.rng,
                                          recent=self._recent[-avoid:] if avoid else ())
        except Exception:  # a reminder without an exercise is better than none
            log.exception("choosing an exercise failed")
            return None
        return suggestion.first if suggestion is not None else None


def duration_words(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    if seconds < 60:
        return _("{seconds} s", seconds=seconds)
    if seconds % 60:
        return _("{minutes} min {seconds} s", minutes=seconds // 60, seconds=seconds % 60)
    return _("{minutes} min", minutes=seconds // 60)
