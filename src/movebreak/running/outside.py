"""What CLI commands wrote to the history while the app runs: breaks, pauses and commands.

``OutsideChanges`` reads them and says what the engine must follow; it never calls the
engine itself. The app (``AppCore``) feeds the engine and writes the answers.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from movebreak import limits
from movebreak.errors import MovebreakError
from movebreak.i18n import _
from movebreak.records import Activity, BreakKind, Pause

log = logging.getLogger("movebreak")

# what a command from the CLI may fail with: its answer says so, the app goes on
COMMAND_ERRORS = (MovebreakError, AttributeError, TypeError, ValueError, OverflowError)


class PauseChange(NamedTuple):
    """The CLI paused (``pause``: the pause in force) or resumed (``pause`` None) the reminders."""

    pause: Pause | None


class CommandRequest(NamedTuple):
    """A CLI command to carry out: ``snooze`` (for ``duration``), the only one the CLI sends;
    or, when it cannot be carried out, the ``answer`` it gets at once."""

    id: int
    kind: str
    duration: timedelta | None = None
    answer: dict[str, Any] | None = None


class OutsideChanges:
    """Reads what other processes wrote since the last look.

    Owns the id of the newest break seen, and the ids of breaks this app wrote since it last
    read the CLI's: they are skipped, so that a break of its own never hides one the CLI
    wrote just before (lower id).
    """

    def __init__(self, store) -> None:
        self.store = store
        self.last_activity_id = store.last_activity_id()
        self._own_activity_ids: set[int] = set()
        store.changed_elsewhere()  # from here on

    def note_own(self, activity_id: int) -> None:
        """This app wrote the break ``activity_id`` (the engine has it already)."""
        self._own_activity_ids.add(activity_id)

    def anything_new(self) -> bool:
        """True when another process wrote to the history since the last look (then read
        ``new_breaks``, ``pause_change`` and ``take_commands``)."""
        if self.store.changed_elsewhere():
            return True
        # nothing was written elsewhere since the last look: every newer break is our own
        if self._own_activity_ids:
            self.last_activity_id = max(self.last_activity_id, *self._own_activity_ids)
            self._own_activity_ids.clear()
        return False

    def new_breaks(self) -> list[Activity]:
        """The breaks others wrote since the last look, oldest first, for the engine."""
        breaks = []
        for activity in self.store.activities_after_id(self.last_activity_id):
            self.last_activity_id = max(self.last_activity_id, activity.id or 0)
            if activity.id in self._own_activity_ids:
                continue  # written by this app (the engine has it already)
            if activity.kind is not BreakKind.NATURAL:
                breaks.append(activity)
        self._own_activity_ids = {i for i in self._own_activity_ids if i > self.last_activity_id}
        return breaks

    def pause_change(self, now: datetime, status) -> PauseChange | None:
        """A pause others started or ended that the engine (``status``: its status now) does not follow yet."""
        pause = self.store.active_pause(now)
        if pause is not None and (not status.paused or status.paused_until != pause.end):
            return PauseChange(pause)
        if pause is None and status.paused:
            return PauseChange(None)
        return None

    def take_commands(self, settings) -> list[CommandRequest]:
        """The commands the CLI left for this app (each taken once), checked against the limits."""
        return [request(command, settings) for command in self.store.take_commands()]


def request(command, settings) -> CommandRequest:
    """What the command asks for, or its answer when it cannot be carried out."""
    try:
        if command.kind == "snooze":
            minutes = limits.snooze_minutes(command.payload.get("minutes", settings.snooze.total_seconds() / 60),
                                            limits.longest_snooze(settings), "snooze")
            return CommandRequest(command.id, command.kind, duration=timedelta(minutes=minutes))
        return CommandRequest(command.id, command.kind, answer={
            "ok": False, "message": _("This movebreak does not know the command {kind!r}.", kind=command.kind)})
    except COMMAND_ERRORS as error:
        return refused(command.id, command.kind, error)


def refused(command_id: int, kind: str, error: BaseException) -> CommandRequest:
    log.info("command %s from the CLI not applied: %s", kind, error)
    return CommandRequest(command_id, kind, answer={"ok": False, "message": str(error)})
