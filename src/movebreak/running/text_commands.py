"""Terminal mode's one-letter commands, carried out on the running app and answered in one line."""

from __future__ import annotations

from movebreak import limits
from movebreak.errors import MovebreakError
from movebreak.i18n import _


def handle_text_command(core, line: str) -> str | None:
    """Carry out ``line`` (``b 5``, ``s``, ``p 1h``, ``?``...) on ``core`` (an ``AppCore``); the answer."""
    if not line:
        return None
    word, _sep, rest = line.partition(" ")
    word = word.lower()
    try:
        rest = rest.strip()
        if word in ("b", "break"):
            saved = core.log_break(minutes=limits.break_minutes(rest, "break") if rest else None)
            return _("Break recorded: {minutes} min.", minutes=round(saved.duration.total_seconds() / 60))
        if word in ("s", "snooze"):
            core.snooze(limits.snooze_minutes(rest, limits.longest_snooze(core.settings.engine), "snooze")
                        if rest else None)
            return _("Snoozed.")
        if word in ("k", "skip"):
            core.skip()
            return _("Skipped.")
        if word in ("p", "pause"):
            until = core.pause(limits.pause_duration(rest, "pause") if rest else None)
            return (_("Paused until {time}.", time=until.astimezone(core.tz).strftime("%H:%M")) if until
                    else _("Paused until you resume (r)."))
        if word in ("r", "resume"):
            core.resume()
            return _("Reminders resumed.")
        if word in ("?", "status"):
            return core.status_line()
        if word in ("q", "quit"):
            if core.ui is not None:
                core.ui.stop()
            return _("Bye.")
    except ValueError as error:
        return _("Not understood: {reason}", reason=error)
    except MovebreakError as error:
        return str(error)
    return _("Unknown command {word!r}; type ? for status, q to quit.", word=word)
