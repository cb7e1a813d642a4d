"""The settings window's fields, checked and saved the way the config file is.

Each field is a config key (``config.KEYS``) shown as text, or start at login. A value is
checked by the key's own ``parse``, so the window's message is exactly the one ``config
check`` gives. Saving writes only the keys whose value differs from what the file says at
that moment (read again then: a hand edit of other keys made while the window was open
stays), with tomlkit keeping the user's comments, order and unknown keys
(``config_file.rewrite``). The result names the keys actually written. No Tk here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from movebreak.i18n import N_, _

if TYPE_CHECKING:
    from movebreak.config import Config, Key
    from movebreak.environment import Environment

AUTOSTART = "autostart"  # the one field that is not a config key

GROUPS = (N_("Reminders"), N_("Working hours"), N_("Exercises"), N_("Quiet & notifications"), N_("Start"))


@dataclass(frozen=True)
class Field:
    """One row of the window: ``kind`` is "text" (an entry), "flag" (a checkbox), "names" (a
    checkbox per option, the text lists the ticked ones) or "choice" (one of the options)."""

    dotted: str
    label: str  # N_-marked
    group: str  # one of GROUPS
    kind: str = "text"
    options: tuple[tuple[str, str], ...] = ()  # (value, N_-marked label) for "names" and "choice"


_DAYS = (("monday", N_("Monday")), ("tuesday", N_("Tuesday")), ("wednesday", N_("Wednesday")),
         ("thursday", N_("Thursday")), ("friday", N_("Friday")), ("saturday", N_("Saturday")),
         ("sunday", N_("Sunday")))

FIELDS: tuple[Field, ...] = (
    Field("reminders.remind_after", N_("Remind after sitting for"), GROUPS[0]),
    Field("reminders.repeat_after", N_("Remind again after"), GROUPS[0]),
    Field("reminders.snooze", N_("Snooze (default)"), GROUPS[0]),
    Field("reminders.snooze_options", N_("Snooze options"), GROUPS[0]),
    Field("reminders.snooze_limit", N_("Snoozes in a row at most"), GROUPS[0]),
    Field("tracking.natural_break_after", N_("Away this long counts as a break"), GROUPS[0]),
    Field("working_hours.always", N_("Remind at any hour (ignore the days)"), GROUPS[1], "flag"),
    *(Field(f"working_hours.{day}", label, GROUPS[1]) for day, label in _DAYS),
    Field("exercises.equipment", N_("At hand"), GROUPS[2], "names", (
        ("chair", N_("Chair")), ("desk", N_("Desk")), ("wall", N_("Wall")),
        ("band", N_("Resistance band")), ("stairs", N_("Stairs or a step")))),
    Field("exercises.allow_floor", N_("Floor exercises during working hours"), GROUPS[2], "flag"),
    Field("reminders.quiet_during", N_("Hold reminders during"), GROUPS[3], "names", (
        ("do-not-disturb", N_("Do not disturb")), ("fullscreen", N_("Fullscreen (a talk, a video)")),
        ("calls", N_("Calls (microphone or camera in use)")))),
    Field("notifications.enabled", N_("Show reminders as notifications"), GROUPS[3], "flag"),
    Field("language", N_("Language"), GROUPS[4], "choice", (
        ("auto", N_("As the system")), ("en", "English"), ("de", "Deutsch"))),
    Field(AUTOSTART, N_("Start movebreak when you log in"), GROUPS[4], "flag"),
)
BY_DOTTED = {field.dotted: field for field in FIELDS}


@dataclass(frozen=True)
class SaveResult:
    path: Path
    written: tuple[str, ...]  # the config keys whose value changed in the file, in the window's order
    autostart: bool | None = None  # start at login as switched now; None when it was not touched
    autostart_problem: str | None = None  # the one line when switching it failed
    config: Config | None = None  # the file's effective settings after the save

    @property
    def changed(self) -> tuple[str, ...]:
        """Every field that changed: the written keys, and ``autostart`` when it was switched."""
        return self.written + ((AUTOSTART,) if self.autostart is not None else ())

    def summary(self) -> str:
        """"Saved: Remind after sitting for, Language" — only what really changed."""
        names = [_(BY_DOTTED[dotted].label) for dotted in self.changed]
        text = _("Saved: {names}.", names=", ".join(names)) if names else _("Nothing to save: no value changed.")
        return f"{text} {self.autostart_problem}" if self.autostart_problem else text


# --- text shown <-> value ---------------------------------------------------------------------------


def key_of(dotted: str) -> Key:
    from movebreak import config

    return next(key for key in config.KEYS if key.dotted == dotted)


def to_text(dotted: str, value: Any) -> str:
    """The value as the window shows it ("45m", "5m, 10m", "08:00-18:00", "off", "true")."""
    plain = to_raw(value)
    if isinstance(plain, bool):
        return "true" if plain else "false"
    if isinstance(plain, list):
        return ", ".join(str(item) for item in plain if not (dotted == "exercises.equipment" and item == "none"))
    return str(plain)


def from_text(dotted: str, text: str) -> Any:
    """What the text would be in the TOML file, for the key's ``parse`` to judge."""
    field = BY_DOTTED[dotted]
    stripped = text.strip()
    if field.kind == "flag":
        return stripped == "true"
    if field.kind == "names" or dotted == "reminders.snooze_options":
        return [item for item in re.split(r"[,\s]+", stripped) if item]
    if dotted == "reminders.snooze_limit" and re.fullmatch(r"[+-]?\d{1,9}", stripped):
        return int(stripped)
    return stripped


def parse(dotted: str, text: str) -> Any:
    """The value the text stands for; ValueError(the config's own message) when it is not one."""
    if dotted == AUTOSTART:
        return text.strip() == "true"
    return key_of(dotted).parse(from_text(dotted, text))


def check(dotted: str, text: str) -> str | None:
    """The one-line problem with the text typed (as the config says it), or None."""
    try:
        parse(dotted, text)
    except ValueError as error:
        return str(error)
    return None


def to_raw(value: Any) -> Any:
    """A setting's value as plain TOML data (the inverse of the keys' ``parse``)."""
    from movebreak.durations import format_duration

    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if value is None:
        return "off"  # working hours: no reminders that day
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, time) for v in value):
        return f"{value[0]:%H:%M}-{value[1]:%H:%M}"
    if isinstance(value, (list, tuple)):
        return [to_raw(item) for item in value]
    return value


def current_texts(env: Environment) -> dict[str, str]:
    """Every field's effective value now (the file's, or the default), as text."""
    from movebreak import config
    from movebreak.usecases.config_file import autostart_on

    cfg = config.load(env.paths.config_file)
    texts = {field.dotted: to_text(field.dotted, cfg[field.dotted]) for field in FIELDS if field.dotted != AUTOSTART}
    texts[AUTOSTART] = "true" if autostart_on(env) else "false"
    return texts


def file_problems(env: Environment) -> tuple[str, ...]:
    """What is wrong with the file now, one line each (as ``config check`` says it)."""
    from movebreak import config

    return tuple(str(problem) for problem in config.load(env.paths.config_file).problems)


def changed_texts(before: dict[str, str], now: dict[str, str]) -> dict[str, Any]:
    """The values of the fields whose text differs from what was shown at first (all valid, or
    ValueError)."""
    return {dotted: parse(dotted, text) for dotted, text in now.items() if text.strip() != before.get(dotted, "").strip()}


# --- saving ---------------------------------------------------------------------------------------------


def save(env: Environment, changes: dict[str, Any]) -> SaveResult:
    """Write the changed values into config.toml and switch start at login if asked.

    ``changes`` maps a field's dotted name to its value (as ``parse`` returns it). Each is
    checked again by its key; a bad one is ``MovebreakError`` ("key 'x': <the config's
    message>") before anything is written; so is a file that is not valid TOML, or a link
    (nothing changed). Only the keys whose value differs from what the file says now are written.
    """
    from movebreak.errors import MovebreakError
    from movebreak.usecases.config_file import rewrite, switch_autostart

    path = env.paths.config_file
    unknown = [dotted for dotted in changes if dotted not in BY_DOTTED]
    if unknown:
        raise MovebreakError(_("not a setting of this window: {names}", names=", ".join(unknown)))
    raws = {dotted: to_raw(value) for dotted, value in changes.items() if dotted != AUTOSTART}
    for dotted, raw in raws.items():
        try:
            key_of(dotted).parse(raw)
        except ValueError as error:
            raise MovebreakError(_("key '{key}': ", key=dotted) + str(error)) from None
    written: list[str] = []

    def change(document, effective: Config) -> None:
        from movebreak.usecases.config_file import table

        for field in FIELDS:
            if field.dotted not in raws:
                continue
            key = key_of(field.dotted)
            if key.parse(raws[field.dotted]) == effective[field.dotted]:
                continue  # already so in the file (or its default): the file stays as it is
            _set(document, key, raws[field.dotted], table)
            written.append(field.dotted)

    done = rewrite(path, change, fresh_file=False)
    result = SaveResult(path, tuple(written), config=done.after)
    if AUTOSTART in changes:
        from movebreak.usecases.config_file import autostart_on

        wanted = bool(changes[AUTOSTART])
        if autostart_on(env) != wanted:
            ok, line = switch_autostart(env, wanted)
            result = SaveResult(path, result.written, wanted if ok else None, None if ok else line, done.after)
    return result


def _set(document, key: Key, raw: Any, table) -> None:
    """Set one key in the document: in place where the file has it, else at the end of its section."""
    import tomlkit

    value = raw
    if isinstance(raw, list):
        value = tomlkit.array()
        value.extend(raw)
    container = table(document, key.section) if key.section else document
    container[key.name] = value


def no_display_reason(env: Environment) -> str | None:
    """Why no window can open here (a Linux or BSD session without $DISPLAY), or None."""
    if env.platform in ("win32", "darwin") or env.environ.get("DISPLAY"):
        return None
    return _("no display to open the settings window on ($DISPLAY is not set)")
