"""The config file: TOML with durations as strings ("45m"), validated key by key.

A bad value never stops the app: it is reported in one line (file, line, key, what is
wrong) and the default is used for that key. ``config check`` turns the same problems
into exit status 1.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from movebreak.constants import EQUIPMENT, QUIET_SOURCES, STRENGTH_DAY_MINUTES
from movebreak.durations import format_duration, parse_duration
from movebreak.engine.settings import WEEKDAY_NAMES, EngineSettings, WorkingHours
from movebreak.i18n import LANGUAGES, N_, _
from movebreak.settings import DEFAULT_POLL, AppSettings

MAX_CONFIG_BYTES = 256 * 1024


# --- value parsers: each returns the parsed value or raises ValueError(reason) -------------


def _duration(minimum: timedelta, maximum: timedelta) -> Callable[[Any], timedelta]:
    def parse(raw: Any) -> timedelta:
        value = parse_duration(raw)
        if not minimum <= value <= maximum:
            raise ValueError(_('"{raw}" is out of range; use {low} to {high}', raw=raw,
                               low=format_duration(minimum), high=format_duration(maximum)))
        return value

    return parse


def _integer(minimum: int, maximum: int) -> Callable[[Any], int]:
    def parse(raw: Any) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(_("expected a whole number, got {value}", value=_describe(raw)))
        if not minimum <= raw <= maximum:
            raise ValueError(_("{raw} is out of range; use {low} to {high}", raw=raw, low=minimum, high=maximum))
        return raw

    return parse


def _boolean(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise ValueError(_("expected true or false, got {value}", value=_describe(raw)))
    return raw


def _choice(*options: str) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        if raw not in options:
            raise ValueError(_("expected one of {options}, got {value}",
                               options=", ".join(repr(o) for o in options), value=_describe(raw)))
        return raw

    return parse


def _clock_time(raw: Any) -> time:
    if not isinstance(raw, str) or not re.fullmatch(r"\d{1,2}:\d{2}", raw.strip()):
        raise ValueError(_('expected a time like "08:00", got {value}', value=_describe(raw)))
    hours, minutes = (int(p) for p in raw.strip().split(":"))
    if hours > 23 or minutes > 59:
        raise ValueError(_('"{raw}" is not a time of day', raw=raw))
    return time(hours, minutes)


def _hours_range(raw: Any) -> tuple[time, time] | None:
    if isinstance(raw, str) and raw.strip().lower() in ("off", ""):
        return None
    if not isinstance(raw, str) or "-" not in raw:
        raise ValueError(_('expected hours like "08:00-18:00" or "off", got {value}', value=_describe(raw)))
    start_text, end_text = raw.split("-", 1)
    start, end = _clock_time(start_text), _clock_time(end_text)
    if end <= start:
        raise ValueError(_('"{raw}" ends before it starts', raw=raw))
    return (start, end)


def _duration_list(raw: Any) -> tuple[timedelta, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError(_('expected a list like ["5m", "10m"], got {value}', value=_describe(raw)))
    parse = _duration(timedelta(minutes=1), timedelta(hours=4))
    return tuple(parse(item) for item in raw)


def _names(known: tuple[str, ...], expected: str, unknown_names: str, *, always: tuple[str, ...] = ()):
    """A parser for a list of names from ``known`` (``expected`` and ``unknown_names`` are the
    N_-marked messages); ``always`` comes first in the result whatever the user wrote."""
    def parse(raw: Any) -> tuple[str, ...]:
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise ValueError(_(expected, value=_describe(raw)))
        unknown = [item for item in raw if item not in known]
        if unknown:
            raise ValueError(_(unknown_names, names=", ".join(map(repr, unknown)), known=", ".join(known)))
        return tuple(dict.fromkeys([*always, *raw]))

    return parse


_equipment_list = _names(EQUIPMENT, N_('expected a list like ["chair", "wall"], got {value}'),
                         N_("unknown equipment {names}; known: {known}"), always=("none",))
_quiet_list = _names(QUIET_SOURCES, N_('expected a list like ["do-not-disturb", "calls"], got {value}'),
                     N_("unknown quiet sources {names}; known: {known}"))


def _describe(raw: Any) -> str:
    if isinstance(raw, str):
        # a problem is one line: control characters (a newline in the value) are shown escaped
        shown = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in raw[:80])
        return f'"{shown}"' + ("…" if len(raw) > 80 else "")
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, (int, float)):
        return _("the number {value}", value=raw)
    return _("a {kind}", kind=type(raw).__name__)


# --- renderers for `config show` ---------------------------------------------------------


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, timedelta):
        return f'"{format_duration(value)}"'
    if isinstance(value, time):
        return f'"{value:%H:%M}"'
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, time) for v in value):
        return f'"{value[0]:%H:%M}-{value[1]:%H:%M}"'
    if value is None:
        return '"off"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot render {value!r}")


@dataclass(frozen=True)
class Key:
    section: str  # "" for top level
    name: str
    default: Any
    parse: Callable[[Any], Any]
    help: str

    @property
    def dotted(self) -> str:
        return f"{self.section}.{self.name}" if self.section else self.name


_DEFAULT_ENGINE = EngineSettings()
_DEFAULT_HOURS = WorkingHours()

KEYS: tuple[Key, ...] = (
    Key("", "language", "auto", _choice("auto", *LANGUAGES), N_('"auto" follows the system; or "en", "de"')),
    Key("reminders", "remind_after", _DEFAULT_ENGINE.remind_after,
        _duration(timedelta(seconds=10), timedelta(hours=8)), N_("remind after this much continuous sitting")),
    Key("reminders", "repeat_after", _DEFAULT_ENGINE.repeat_after,
        _duration(timedelta(seconds=10), timedelta(hours=2)), N_("an ignored reminder comes again after this")),
    Key("reminders", "snooze", _DEFAULT_ENGINE.snooze,
        _duration(timedelta(minutes=1), timedelta(hours=4)), N_("the default snooze")),
    Key("reminders", "snooze_options", _DEFAULT_ENGINE.snooze_options, _duration_list,
        N_("the snoozes offered in the menu")),
    Key("reminders", "snooze_limit", _DEFAULT_ENGINE.snooze_limit, _integer(0, 20),
        N_("snoozes in a row before the reminder stops offering one")),
    Key("reminders", "wait_for_pause", timedelta(seconds=3),
        _duration(timedelta(0), timedelta(seconds=60)),
        N_("a due reminder waits (at most 60 s) for a pause in your typing this long; 0 s: never waits")),
    Key("reminders", "quiet_during", QUIET_SOURCES, _quiet_list,
        N_('hold a due reminder while: "do-not-disturb", "fullscreen" (a presentation, a video), "calls" '
           "(a microphone or camera in use); sitting keeps counting")),
    Key("tracking", "poll_every", DEFAULT_POLL,
        _duration(timedelta(seconds=1), timedelta(minutes=5)), N_("how often to check for activity")),
    Key("tracking", "natural_break_after", _DEFAULT_ENGINE.natural_break_after,
        _duration(timedelta(seconds=10), timedelta(hours=2)), N_("no input for this long counts as a break away")),
    Key("tracking", "day_starts_at", _DEFAULT_ENGINE.day_starts_at, _clock_time,
        N_('when a new day starts for the summary, e.g. "04:00" for late nights')),
    Key("working_hours", "always", False, _boolean, N_("true: remind at any hour, ignoring the days below")),
    *(
        Key("working_hours", day, _DEFAULT_HOURS.days.get(index), _hours_range,
            N_('"08:00-18:00", or "off" for no reminders that day'))
        for index, day in enumerate(WEEKDAY_NAMES)
    ),
    Key("exercises", "equipment", ("none", "chair", "desk", "wall"), _equipment_list,
        N_("what you have at hand: none, chair, desk, wall, band, stairs")),
    Key("exercises", "allow_floor", False, _boolean, N_("suggest floor exercises during working hours")),
    Key("exercises", "avoid_repeating", 5, _integer(0, 30), N_("never suggest one of the last N exercises again")),
    Key("goals", "strength_day_minutes", STRENGTH_DAY_MINUTES, _integer(1, 120),
        N_("minutes of strength work that make a day a strength day (WHO: 2 or more a week)")),
    Key("notifications", "enabled", True, _boolean, N_("false: reminders only in the tray and terminal")),
    Key("notifications", "timeout", timedelta(seconds=30),
        _duration(timedelta(seconds=3), timedelta(minutes=10)), N_("how long a reminder stays on screen")),
)
SECTIONS = tuple(dict.fromkeys(key.section for key in KEYS))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file; str() is the one line the user sees."""

    file: Path
    message: str
    key: str | None = None
    line: int | None = None
    fallback: str | None = None  # what is used instead ("using all defaults"); the running app says its own

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        subject = _("key '{key}': ", key=self.key) if self.key else ""
        return f"{where}: {subject}{self.message}" + (f"; {self.fallback}" if self.fallback else "")


@dataclass(frozen=True)
class Config:
    values: dict[str, Any]
    path: Path | None = None
    problems: tuple[Problem, ...] = ()

    def __getitem__(self, dotted: str) -> Any:
        return self.values[dotted]

    @property
    def working_hours(self) -> WorkingHours:
        days = {}
        for index, day in enumerate(WEEKDAY_NAMES):
            hours = self.values[f"working_hours.{day}"]
            if hours is not None:
                days[index] = hours
        return WorkingHours(days=days, always=self.values["working_hours.always"])

    def engine_settings(self) -> EngineSettings:
        return EngineSettings(
            remind_after=self["reminders.remind_after"],
            natural_break_after=self["tracking.natural_break_after"],
            repeat_after=self["reminders.repeat_after"],
            snooze=self["reminders.snooze"],
            snooze_options=self["reminders.snooze_options"],
            snooze_limit=self["reminders.snooze_limit"],
            wait_for_pause=self["reminders.wait_for_pause"],
            day_starts_at=self["tracking.day_starts_at"],
            working_hours=self.working_hours,
        )

    def app_settings(self) -> AppSettings:
        """The typed settings the running app takes, built once (``movebreak.settings``)."""
        return AppSettings.from_config(self)

    def to_toml(self, *, comments: bool = False) -> str:
        """The effective configuration as TOML, with the same sections and keys as the file."""
        lines: list[str] = []
        previous_help = ""
        if comments:
            lines += [
                "# " + _("movebreak configuration."),
                "# " + _('Durations take units: "90s", "45m", "1h30m". Delete a line to get its default back.'),
                "",
            ]
        for section in SECTIONS:
            if section:
                lines += ["", f"[{section}]"] if lines else [f"[{section}]"]
            for key in KEYS:
                if key.section != section:
                    continue
                if comments and key.help != previous_help:
                    lines.append(f"# {_(key.help)}")
                previous_help = key.help
                lines.append(f"{key.name} = {toml_value(self.values[key.dotted])}")
        return "\n".join(lines) + "\n"


def defaults() -> Config:
    return Config({key.dotted: key.default for key in KEYS})


def _line_of(text: str, section: str, name: str) -> int | None:
    """The line of ``name = ...`` inside ``[section]``; good enough for a pointer."""
    current = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        header = re.fullmatch(r"\[\s*([^\]]+?)\s*\]", stripped)
        if header:
            current = header.group(1).strip().strip('"')
            continue
        if current == section and re.match(rf'"?{re.escape(name)}"?\s*=', stripped):
            return number
    return None


def parse_text(text: str, path: Path) -> Config:
    """Parse config text; every problem is collected, never raised."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    base = defaults()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        return Config(base.values, path, (Problem(path, _("invalid TOML: {reason}", reason=reason),
                                                  line=int(found.group(1)) if found else None,
                                                  fallback=_("using all defaults")),))

    values = dict(base.values)
    problems: list[Problem] = []
    known_sections = {key.section for key in KEYS if key.section}
    by_dotted = {key.dotted: key for key in KEYS}
    for name, value in data.items():
        if isinstance(value, dict) and name in known_sections:
            for sub, subvalue in value.items():
                _apply(values, problems, by_dotted, text, path, name, sub, subvalue)
        elif isinstance(value, dict):
            problems.append(Problem(path, _("unknown section [{name}]; known: {known}", name=name,
                                                            known=", ".join(sorted(known_sections))),
                                    line=_header_line(text, name)))
        else:
            _apply(values, problems, by_dotted, text, path, "", name, value)
    return Config(values, path, tuple(problems))


def _header_line(text: str, name: str) -> int | None:
    for number, raw in enumerate(text.splitlines(), start=1):
        if re.fullmatch(rf"\[\s*\"?{re.escape(name)}\"?\s*\]", raw.strip()):
            return number
    return None


def _apply(values, problems, by_dotted, text, path, section, name, raw) -> None:
    dotted = f"{section}.{name}" if section else name
    key = by_dotted.get(dotted)
    line = _line_of(text, section, name)
    if key is None:
        problems.append(Problem(path, _("unknown key (ignored)"), key=dotted, line=line))
        return
    try:
        values[dotted] = key.parse(raw)
    except ValueError as error:
        problems.append(Problem(path, str(error), key=dotted, line=line,
                                fallback=_("using the default {default}", default=toml_value(key.default))))


def load(path: Path) -> Config:
    """Read the config file; a missing file is all defaults, a bad one is reported, never raised.

    Only a regular file is read (a link to one is fine): a folder, a pipe or a device such
    as ``/dev/zero`` in its place is one line, never read, so nothing waits or fills memory.
    """
    from movebreak.storage_files import NotRegularFile, TooLarge, read_regular_file

    def problem(message: str) -> Config:
        return Config(defaults().values, path, (Problem(path, message, fallback=_("using all defaults")),))

    try:
        raw = read_regular_file(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        return Config(defaults().values, path)
    except NotRegularFile as error:
        return problem(_("{kind}, not a regular file", kind=error.kind))
    except TooLarge as error:
        return problem(_("file is {size} bytes, more than the {limit} a config may have",
                         size=error.size, limit=MAX_CONFIG_BYTES))
    except OSError as error:
        return problem(_("cannot read: {reason}", reason=error.strerror))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Config(defaults().values, path, (Problem(
            path, _("not UTF-8 text (save it as UTF-8)"), line=line, fallback=_("using all defaults")),))
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse_text(text, path)


def write_default(path: Path) -> None:
    """Write the commented default file (only where none exists), readable by the user only.

    It is movebreak's own file: a link or anything but the user's regular file in its place
    is one line, never replaced or followed.
    """
    from movebreak.storage_files import write_own_text

    write_own_text(path, defaults().to_toml(comments=True))


def editor_command(path: Path, environ) -> list[str] | None:
    """The command that opens ``path`` in the user's editor, or None where there is none."""
    import shlex
    import shutil

    for variable in ("VISUAL", "EDITOR"):
        value = environ.get(variable)
        if value:
            return [*shlex.split(value), str(path)]
    if sys.platform == "win32":
        return ["notepad.exe", str(path)]
    if sys.platform == "darwin":
        return ["open", "-t", str(path)]
    for candidate in ("xdg-open", "sensible-editor", "nano", "vi"):
        if shutil.which(candidate):
            return [candidate, str(path)]
    return None


