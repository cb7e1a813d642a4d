"""What is at hand: the questions of the first run and of ``movebreak setup``.

With the default equipment (none, chair, desk, wall) and no floor exercises, most of the
strength exercises the catalogue has (step-up, banded bridge, glute bridge, ...) are never
suggested. So the first start asks, skippably, for stairs, a band and floor space, the
working hours and autostart, and writes the answers to config.toml: a fresh file is the
commented default file with the answers in it; an existing file keeps the user's comments,
order and other keys (tomlkit), only the asked keys change. The UIs (terminal.py, the tray's
welcome window) ask; this module offers the defaults, checks an answer and saves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from movebreak.i18n import N_, _
from movebreak.usecases.config_file import autostart_on, rewrite, switch_autostart, table

if TYPE_CHECKING:
    from movebreak.config import Config
    from movebreak.environment import Environment
    from movebreak.paths import Paths

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
# What the questions add to the equipment list, and how `status` names each when it is at hand.
AT_HAND = (("stairs", N_("stairs")), ("band", N_("resistance band")))
FLOOR_LABEL = N_("floor space")


@dataclass(frozen=True)
class SetupAnswers:
    """The answers (or, offered to the user, the current values: Enter keeps them)."""

    stairs: bool = False
    band: bool = False
    floor: bool = False
    weekday_hours: str | None = None  # "08:00-18:00" or "off" for Monday to Friday; None: keep as set
    autostart: bool = False


@dataclass(frozen=True)
class SetupResult:
    path: Path
    lines: tuple[str, ...]  # what to tell the user, one line each


def is_first_run(paths: Paths) -> bool:
    """No config file and no history yet: this movebreak has never run nor been set up here."""
    return not (paths.config_file.exists() or paths.config_file.is_symlink() or paths.database.exists())


def offered_answers(env: Environment) -> SetupAnswers:
    """The current settings as the answers Enter keeps."""
    from movebreak import config

    cfg = config.load(env.paths.config_file)
    equipment = set(cfg["exercises.equipment"])
    return SetupAnswers(stairs="stairs" in equipment, band="band" in equipment, floor=cfg["exercises.allow_floor"],
                        weekday_hours=_weekday_hours(cfg), autostart=autostart_on(env))


def check_hours(text: str) -> str:
    """The working hours typed for Monday to Friday, checked as the config checks them; ValueError(reason)."""
    from movebreak import config

    key = next(key for key in config.KEYS if key.dotted == "working_hours.monday")
    hours = key.parse(text.strip())
    return "off" if hours is None else f"{hours[0]:%H:%M}-{hours[1]:%H:%M}"


def save_answers(env: Environment, answers: SetupAnswers) -> SetupResult:
    """Write the answers into config.toml (a fresh, commented file or the user's own, kept as it is
    otherwise) and switch autostart on or off when that answer changed."""
    path = env.paths.config_file
    after = rewrite(path, lambda document, earlier: _apply(document, answers, earlier)).after
    lines = [_("Saved in {path}.", path=path), at_hand_line(after)]
    lines.append(switch_autostart(env, answers.autostart)[1])
    if _app_running(env):
        lines.append(_("The running movebreak reads the file again when it changes: no restart needed."))
    return SetupResult(path, tuple(line for line in lines if line))


def save_defaults_once(env: Environment) -> bool:
    """Skipped: write the commented default file, so the question is not asked again; never
    over an existing file. True when it was written."""
    from movebreak import config
    from movebreak.storage_files import check_own_file

    path = env.paths.config_file
    if check_own_file(path):
        return False
    config.write_default(path)
    return True


def at_hand_line(cfg: Config) -> str:
    """"At hand: stairs, resistance band, floor space" (what exercises may be suggested beyond the desk)."""
    equipment = set(cfg["exercises.equipment"])
    things = [_(label) for name, label in AT_HAND if name in equipment]
    if cfg["exercises.allow_floor"]:
        things.append(_(FLOOR_LABEL))
    if not things:
        return _("At hand: chair, desk and wall only (change it with: movebreak setup)")
    return _("At hand: {things} (change it with: movebreak setup)", things=", ".join(things))


def what_it_does() -> str:
    """The welcome's first words: what movebreak is for, and what it is not."""
    return _("movebreak counts how long you sit and reminds you to get up for a short exercise. Its weekly "
             "summary shows your week against the WHO goal of 150 minutes of activity. It encourages movement "
             "and is no substitute for medical advice.")


def how_to_set_it() -> str:
    """The one line for a first start without a terminal to ask in."""
    return _("movebreak: tell it what you have at hand (stairs, a resistance band, floor space) with "
             "\"movebreak setup\" or \"movebreak config edit\"; until then it suggests desk exercises only.")


# --- the file ---------------------------------------------------------------------------------------------


def _apply(document, answers: SetupAnswers, effective: Config) -> None:
    """Only a key whose answer differs from what the file says now changes; every other key,
    comment and the order stay as the user left them."""
    import tomlkit

    from movebreak.constants import EQUIPMENT

    equipment = list(effective["exercises.equipment"])
    wanted = {"stairs": answers.stairs, "band": answers.band}
    if any((name in equipment) != on for name, on in wanted.items()):
        exercises = table(document, "exercises")
        written = [str(item) for item in exercises.get("equipment", equipment)]
        chosen = [item for item in written if item in EQUIPMENT and wanted.get(item, True)]
        chosen += [name for name, on in wanted.items() if on and name not in chosen]
        array = tomlkit.array()
        array.extend(chosen)
        exercises["equipment"] = array
    if effective["exercises.allow_floor"] != answers.floor:
        table(document, "exercises")["allow_floor"] = answers.floor
    if answers.weekday_hours is not None and answers.weekday_hours != _weekday_hours(effective):
        hours = table(document, "working_hours")
        for day in WEEKDAYS:
            hours[day] = answers.weekday_hours


def _weekday_hours(cfg: Config) -> str | None:
    """Monday to Friday's hours when they are the same ("off" too); None when the days differ."""
    values = {"off" if cfg[f"working_hours.{day}"] is None else
              "{0:%H:%M}-{1:%H:%M}".format(*cfg[f"working_hours.{day}"]) for day in WEEKDAYS}
    return values.pop() if len(values) == 1 else None


# --- autostart and the running app ---------------------------------------------------------------------


def _app_running(env: Environment) -> bool:
    from movebreak.instance import running_pid

    try:
        return running_pid(env.paths.lock_file) is not None
    except OSError:
        return False
