"""Logging a break or an exercise from outside the running app (``movebreak log``).

``new_break`` is the one way a logged break is made from what the user gave; the running
app's own "I took a break" (tray, terminal mode) can build its ``Activity`` with it too.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from movebreak import limits
from movebreak.environment import Environment
from movebreak.errors import MovebreakError
from movebreak.i18n import _
from movebreak.records import Activity, BreakKind, Intensity
from movebreak.usecases.exercises import find_exercise
from movebreak.usecases.history import load_catalogue, load_settings, open_store, wake_app
from movebreak.usecases.status import status_data

if TYPE_CHECKING:
    from movebreak.exercises.catalogue import Exercise

MAX_NOTE = 2000  # characters


class WeekFigures(NamedTuple):
    aerobic_minutes: float  # WHO aerobic minutes, rounded to 0.1, as `movebreak status --json` shows them
    strength_days: int


class LoggedBreak(NamedTuple):
    saved: Activity  # as it is in the history, with its id
    exercise: Exercise | None
    minutes: float  # as given (or the exercise's duration, or 5)
    intensity: Intensity | None
    week: WeekFigures  # this week, the new break counted


def new_break(now: datetime, *, exercise: Exercise | None = None, minutes: float | None = None,
              intensity: Intensity | None = None, start: datetime | None = None,
              note: str | None = None) -> Activity:
    """The logged break: ``minutes`` (default: the exercise's duration, or 5) ending now unless
    ``start`` is given; its kind the exercise's own unless ``intensity`` says otherwise."""
    if minutes is None:
        minutes = exercise.duration.total_seconds() / 60 if exercise else 5.0
    if intensity is None and exercise is not None:
        intensity = exercise.intensity
    return Activity(
        at=start if start is not None else now - timedelta(minutes=minutes),
        kind=BreakKind.LOGGED,
        duration=timedelta(minutes=minutes),
        exercise_id=exercise.id if exercise else None,
        intensity=intensity,
        note=note,
    )


def log_break(env: Environment, *, exercise_id: str | None = None, minutes: str | None = None,
              kind: str | None = None, at: str | None = None, note: str | None = None) -> LoggedBreak:
    """Check what the user gave (``movebreak.limits``), save the break, wake the running app.

    ``minutes`` and ``at`` are the user's text; ``kind`` is light, moderate, vigorous, strength or
    mobility (for an activity without a catalogue exercise: an exercise's kind follows from its MET)."""
    from movebreak.timeparse import parse_moment

    now = env.clock.now()
    exercise = catalogue = None
    if exercise_id:
        catalogue = load_catalogue(env)
        exercise = find_exercise(catalogue, exercise_id)
    length = limits.break_minutes(minutes, "--minutes") if minutes is not None else None
    if length is None:
        length = exercise.duration.total_seconds() / 60 if exercise else 5.0
    intensity = Intensity(kind) if kind else (exercise.intensity if exercise else None)
    if exercise is not None and kind and intensity is not exercise.intensity:
        # The summary credits a catalogue exercise by its MET; a kind given here would be ignored there.
        raise MovebreakError(_("--kind: {exercise} counts as {kind} (from its MET); leave out --kind, or log "
                               "the activity without an exercise to give its kind", exercise=exercise.id,
                               kind=exercise.intensity.value))
    start = None
    if at:
        try:
            start = parse_moment(at, now=now, tz=env.tz)
        except ValueError as error:
            raise MovebreakError(_("--at: {reason}", reason=error)) from None
        start = limits.moment(start, now, at, "--at")
    if note is not None and len(note) > MAX_NOTE:
        raise MovebreakError(_("--note: a note may have at most 2000 characters, this one has {count}",
                               count=len(note)))
    activity = new_break(now, exercise=exercise, minutes=length, intensity=intensity, start=start, note=note)
    settings = load_settings(env)
    with open_store(env, mode="write") as store:
        saved = store.add_activity(activity)
        week = status_data(env, store, settings, catalogue)["week"]  # the catalogue is read once
        wake_app(env, store)
    return LoggedBreak(saved, exercise, length, intensity,
                       WeekFigures(week["aerobic_minutes"], week["strength_days"]))
