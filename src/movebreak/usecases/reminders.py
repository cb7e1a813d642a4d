"""Snooze, pause and resume from outside the running app.

A snooze is the running app's to give: it is queued in the history, the app is woken and
its answer awaited. A pause is written to the history; the app picks it up at its next tick.
``pause_until`` is the one rule for when a pause ends, for the CLI and the running app alike.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from typing import NamedTuple

from movebreak import limits
from movebreak.environment import Environment
from movebreak.errors import MovebreakError
from movebreak.i18n import _
from movebreak.records import Pause
from movebreak.usecases.history import app_pid, await_answer, load_settings, open_store, wake_app

ANSWER_WAIT = timedelta(seconds=5)  # how long a command waits for the running app to answer


class Snoozed(NamedTuple):
    minutes: float
    until: datetime | None  # when the reminder comes again, as the app said


def snooze(env: Environment, minutes: str | None = None) -> Snoozed:
    """Ask the running app to snooze; its refusal, or no answer in time, is a MovebreakError."""
    settings = load_settings(env)
    longest = limits.longest_snooze(settings.engine)
    length = limits.snooze_minutes(minutes, longest, "snooze") if minutes is not None else None
    if app_pid(env) is None:
        raise MovebreakError(_("the app is not running, so there is no reminder to snooze (start it with: movebreak run)"))
    if length is None:
        length = settings.engine.snooze.total_seconds() / 60
    with open_store(env, mode="write") as store:
        command_id = store.enqueue_command("snooze", {"minutes": length})
        woken = wake_app(env, store)
        wait = ANSWER_WAIT if woken else settings.poll_every + ANSWER_WAIT
        answer = await_answer(env, store, command_id, wait=wait)
    seconds = round(wait.total_seconds())
    if answer is None:
        raise MovebreakError(_("the running movebreak did not answer within {seconds} s; nothing was snoozed",
                               seconds=seconds))
    if answer.get("taken"):
        raise MovebreakError(_("the running movebreak took the snooze but did not confirm it within {seconds} s; "
                               "see: movebreak status", seconds=seconds))
    if not answer.get("ok"):
        raise MovebreakError(str(answer.get("message") or _("the running movebreak refused the snooze")))
    until = answer.get("until")
    return Snoozed(length, datetime.fromisoformat(until) if until else None)


def pause_until(now: datetime, tz: tzinfo, day_starts_at: time, *, duration: timedelta | None = None,
                until_tomorrow: bool = False) -> datetime | None:
    """When a pause that starts ``now`` ends: the next local day, after ``duration``, or never
    (None: until resumed)."""
    from movebreak.engine.days import next_day_start

    if until_tomorrow:
        return next_day_start(now, tz, day_starts_at)
    if duration is not None:
        return now + duration
    return None


def pause(env: Environment, duration: str | None = None, *, until_tomorrow: bool = False) -> datetime | None:
    """Pause reminders; returns when the pause ends (None: until resumed)."""
    settings = load_settings(env)
    if duration and until_tomorrow:
        raise MovebreakError(_("pause: give a duration or --until-tomorrow, not both"))
    length = limits.pause_duration(duration, "pause") if duration else None
    now = env.clock.now()
    until = pause_until(now, env.tz, settings.day_starts_at, duration=length, until_tomorrow=until_tomorrow)
    with open_store(env, mode="write") as store:
        store.add_pause(Pause(start=now, end=until, reason="cli"))
        wake_app(env, store)
    return until


def resume(env: Environment) -> bool:
    """End the pause; False when reminders were not paused."""
    with open_store(env, mode="write") as store:
        ended = store.end_pauses(env.clock.now())
        if ended:
            wake_app(env, store)
    return bool(ended)
