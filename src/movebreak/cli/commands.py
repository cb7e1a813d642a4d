"""One handler per command: take the parsed arguments, call a use case, render the result
as text or JSON. What a command does lives in ``movebreak.usecases``."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from movebreak.constants import ACTIVITY_TARGET_MINUTES, STRENGTH_DAYS_TARGET
from movebreak.environment import Environment, ExitStatus
from movebreak.errors import MovebreakError
from movebreak.i18n import N_, _, current_language, plural

if TYPE_CHECKING:
    import argparse

INTENSITY_LABELS = {"light": N_("light"), "moderate": N_("moderate"), "vigorous": N_("vigorous"),
                    "strength": N_("strength"), "mobility": N_("mobility")}


def _is_stdout(written, env: Environment) -> bool:
    """Whether the file just written is our own standard output (``-o /dev/stdout``): then the
    "Wrote ..." line would land in the data, so it is left out."""
    import os

    if written is None:
        return False
    try:
        out = os.fstat(env.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        return False
    return (out.st_dev, out.st_ino) == (written.st_dev, written.st_ino)


def _local(moment: datetime, env: Environment) -> str:
    return moment.astimezone(env.tz).strftime("%H:%M")


def _fmt_minutes(minutes: float) -> str:
    return str(int(minutes)) if float(minutes).is_integer() else f"{minutes:.1f}"


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


# --- status ---------------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.usecases.status import status_report

    data = status_report(env)
    if args.json:
        env.out(_json(data))
        return ExitStatus.OK
    states = {
        "sitting": _("sitting"), "away": _("away from the desk"), "reminding": _("time to move"),
        "snoozed": _("snoozed"), "paused": _("paused"), "outside-hours": _("outside working hours"),
        "not-running": _("not running"), "starting": _("starting"),
    }
    state = states.get(data["state"], data["state"])
    if data["state"] == "held":
        from movebreak.running.status import held_words

        state = held_words(data.get("held")) or _("held")
    if not data["running"]:
        env.out(_("movebreak is not running (start it with: movebreak run)."))
    elif data["continuous_sitting_minutes"] is not None:
        line = _("State: {state} · sitting {minutes} min", state=state,
                 minutes=round(data["continuous_sitting_minutes"]))
        if data["next_reminder_at"]:
            line += " · " + _("next reminder at {time}",
                              time=_local(datetime.fromisoformat(data["next_reminder_at"]), env))
        env.out(line)
    else:
        env.out(_("State: {state}", state=state))
    if data["paused"]:
        until = data["paused_until"]
        env.out(_("Paused until {time}.", time=_local(datetime.fromisoformat(until), env)) if until
                else _("Paused until you resume (movebreak resume)."))
    today, week = data["today"], data["week"]
    breaks = plural(today["breaks"], N_("{count} break"), N_("{count} breaks"))
    env.out(_("Today: sitting {sitting} min, {active} WHO aerobic min, strength {strength}/{target} min, {breaks}",
              sitting=round(today["sitting_minutes"]), active=round(today["aerobic_minutes"]),
              strength=round(today["strength_minutes"]), target=round(today["strength_day_minutes"]), breaks=breaks))
    env.out(_("This week ({week}): {active}/{target} active min, {strength}/{days} strength days",
              week=week["week"], active=round(week["aerobic_minutes"]), strength=week["strength_days"],
              target=week["aerobic_target"], days=week["strength_days_target"]))
    env.out(_at_hand(env))
    return ExitStatus.OK


def _at_hand(env: Environment) -> str:
    """What exercises may need beyond the desk, as the config says ("At hand: stairs, floor space")."""
    from movebreak import config
    from movebreak.usecases.first_run import at_hand_line

    return at_hand_line(config.load(env.paths.config_file))


# --- log --------------------------------------------------------------------------------------


def cmd_log(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.usecases.breaks import log_break

    done = log_break(env, exercise_id=args.exercise, minutes=args.minutes, kind=args.kind, at=args.at,
                     note=args.note)
    for line in logged_lines(done, env):
        env.out(line)
    return ExitStatus.OK


def logged_lines(done, env: Environment) -> tuple[str, str]:
    """What was logged, then the week's figures (``movebreak log``; the exercise window shows the first)."""
    intensity = done.intensity
    what = done.exercise.name(current_language()) if done.exercise else (
        _("{kind} activity", kind=_(INTENSITY_LABELS[intensity.value])) if intensity else _("a break"))
    return (_("Logged {minutes} min: {what}, from {time}.", minutes=_fmt_minutes(done.minutes), what=what,
              time=_local(done.saved.at, env)),
            _("This week: {active}/{target} active min, {strength}/{days} strength days",
              active=round(done.week.aerobic_minutes), strength=done.week.strength_days,
              target=ACTIVITY_TARGET_MINUTES, days=STRENGTH_DAYS_TARGET))


# --- snooze / pause / resume ---------------------------------------------------------------------


def cmd_snooze(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.usecases.reminders import snooze

    done = snooze(env, args.minutes)
    if done.until:
        env.out(_("Snoozed for {minutes} min: the reminder comes again at {time}.",
                  minutes=_fmt_minutes(done.minutes), time=_local(done.until, env)))
    else:
        env.out(_("Snoozed for {minutes} min.", minutes=_fmt_minutes(done.minutes)))
    return ExitStatus.OK


def cmd_pause(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.usecases.reminders import pause

    until = pause(env, args.duration, until_tomorrow=args.until_tomorrow)
    if until is None:
        env.out(_("Reminders paused until you resume (movebreak resume)."))
    else:
        env.out(_("Reminders paused until {time}.", time=until.astimezone(env.tz).strftime("%a %H:%M")))
    return ExitStatus.OK


def cmd_resume(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.usecases.reminders import resume

    env.out(_("Reminders resumed.") if resume(env) else _("Reminders were not paused."))
    return ExitStatus.OK


# --- summary -----------------------------------------------------------------------------------------


def cmd_summary(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.summary import render_text, to_json
    from movebreak.usecases.summary import weekly_summary, write_summary_page

    summary = weekly_summary(env, week=args.week, last=args.last)
    if args.json:
        env.out(_json(to_json(summary)))
        return ExitStatus.OK
    if args.html or args.open:
        page = write_summary_page(env, summary, path=args.html, open_page=args.open)
        if page.problem:
            env.err(page.problem)
        if not _is_stdout(page.written, env):
            env.out(_("Wrote the summary to {path}", path=page.target))
        return ExitStatus.OK
    env.out(render_text(summary))
    return ExitStatus.OK


# --- exercises ---------------------------------------------------------------------------------------


def cmd_exercises(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.exercises.render import render_detail, render_list, to_json
    from movebreak.usecases.exercises import find_exercise, list_exercises
    from movebreak.usecases.history import load_catalogue

    catalogue = load_catalogue(env)
    if getattr(args, "window", False):
        from movebreak.cli.exercise_window import open_exercise_window

        return open_exercise_window(env, catalogue, args.id if args.exercises_command == "show" else None,
                                    describe=logged_lines)
    if args.exercises_command == "show":
        exercise = find_exercise(catalogue, args.id)
        if args.json:
            env.out(_json(to_json([exercise])[0]))
        else:
            env.out(render_detail(exercise, current_language()))
        return ExitStatus.OK
    if args.exercises_command == "suggest":
        return _suggest(args, env, catalogue)
    chosen = list_exercises(catalogue, category=args.category, equipment=args.equipment)
    if args.json:
        env.out(_json(to_json(chosen)))
    else:
        env.out(render_list(chosen, current_language()))
    return ExitStatus.OK


def _suggest(args: argparse.Namespace, env: Environment, catalogue) -> int:
    from movebreak.exercises.render import render_detail, to_json
    from movebreak.usecases.exercises import suggest

    suggestion = suggest(env, catalogue, long=args.long)
    if args.json:
        env.out(_json({"minutes": round(suggestion.duration.total_seconds() / 60, 1),
                       "exercises": to_json(suggestion.exercises)}))
        return ExitStatus.OK
    minutes = round(suggestion.duration.total_seconds() / 60)
    env.out(_("{count} exercises, about {minutes} min:", count=len(suggestion.exercises), minutes=minutes)
            if len(suggestion.exercises) > 1 else _("About {minutes} min:", minutes=minutes))
    for exercise in suggestion.exercises:
        env.out("")
        env.out(render_detail(exercise, current_language()))
    env.out("")
    env.out(_("Done? Record it with: movebreak log {id}", id=suggestion.exercises[0].id))
    return ExitStatus.OK


# --- export ---------------------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.usecases.export import export_history, save_export

    text = export_history(env, fmt=args.format, since=args.since)
    if args.output:
        written = save_export(args.output, text)
        if not _is_stdout(written, env):
            env.out(_("Wrote {path}", path=args.output))
    else:
        env.stdout.write(text)
        env.stdout.flush()
    return ExitStatus.OK


# --- doctor ---------------------------------------------------------------------------------------------


def cmd_doctor(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.usecases.doctor import run_checks

    good, bad, absent = _("OK"), _("FIX"), "--"
    width = max(len(good), len(bad), len(absent))
    for check in run_checks(env):
        mark = absent if check.ok is None else good if check.ok else bad
        env.out(f"{mark:<{width}}  {check.name}: {check.detail}")
    return ExitStatus.OK
# --- config -----------------------------------------------------------------------------------------------


def cmd_config(args: argparse.Namespace, env: Environment) -> int:
    from movebreak import config as config_module

    path = env.paths.config_file
    if args.config_command == "path":
        env.out(str(path))
        return ExitStatus.OK
    cfg = config_module.load(path)
    if args.config_command == "show":
        for problem in cfg.problems:
            env.err(f"movebreak: {problem}")
        env.stdout.write(cfg.to_toml())
        return ExitStatus.OK
    if args.config_command == "check":
        for problem in cfg.problems:
            env.err(str(problem))
        if cfg.problems:
            return ExitStatus.ERROR
        env.out(_("{path}: OK", path=path) if path.exists() else _("{path}: no file, all defaults in use", path=path))
        return ExitStatus.OK
    # edit
    import subprocess

    if not path.exists():
        env.paths.ensure()
        config_module.write_default(path)
    command = config_module.editor_command(path, env.environ)
    if command is None:
        raise MovebreakError(_("no editor found; set $EDITOR or open {path} yourself", path=path))
    try:
        subprocess.run(command, check=False)
    except OSError as error:
        raise MovebreakError(_("could not start the editor {editor}: {reason}; open {path} yourself",
                               editor=command[0], reason=error.strerror, path=path)) from None
    from movebreak.usecases.history import wake_running_app

    wake_running_app(env)  # a running app takes in the edited file now (it keeps values that fail their check)
    after = config_module.load(path)
    for problem in after.problems:
        env.err(str(problem))
    return ExitStatus.ERROR if after.problems else ExitStatus.OK


# --- setup ---------------------------------------------------------------------------------------------


def cmd_setup(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.terminal import is_interactive, setup_in_terminal

    if not is_interactive(env.stdin, env.stdout):
        raise MovebreakError(_("setup asks its questions in a terminal; without one, set exercises.equipment, "
                               "exercises.allow_floor and working_hours with: movebreak config edit"))
    setup_in_terminal(env)
    from movebreak.usecases.history import wake_running_app

    wake_running_app(env)  # a running app uses the answers now
    return ExitStatus.OK


# --- settings --------------------------------------------------------------------------------------------


def cmd_settings(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.tray.settings_window import SettingsWindow
    from movebreak.usecases.history import wake_running_app
    from movebreak.usecases.settings_edit import no_display_reason

    reason = no_display_reason(env)
    if reason:
        raise MovebreakError(_("{reason}; edit the file instead: movebreak config edit", reason=reason))
    said: list[str] = []
    window = SettingsWindow(env, said.append, env.platform, lambda result: wake_running_app(env))
    window.run_here()  # until the window is closed
    if said and not window.shown.is_set():  # Tk is missing or could not open
        raise MovebreakError(said[-1].splitlines()[0].removeprefix("movebreak: "))
    return ExitStatus.OK


# --- autostart --------------------------------------------------------------------------------------------


def cmd_autostart(args: argparse.Namespace, env: Environment) -> int:
    from dataclasses import replace

    from movebreak.autostart import launch_command, make_autostart

    autostart = make_autostart(env.platform, env.environ)
    if args.autostart_command == "enable":
        state = autostart.enable(launch_command(platform=env.platform))
        if state.enabled:
            env.out(_("movebreak will start at login: {where}", where=state.where))
        else:
            env.out(_("The entry is written, but it is still switched off: {where}", where=state.where))
    elif args.autostart_command == "disable":
        before = autostart.status()
        state = autostart.disable()
        if state.enabled:
            raise MovebreakError(_("movebreak still starts at login from {where}; remove that entry yourself",
                                   where=state.where))
        env.out(_("movebreak will no longer start at login ({where}).", where=state.where)
                if before.enabled else _("movebreak was not set to start at login."))
        state = replace(state, command=None)
    else:
        state = autostart.status()
        env.out(_("Autostart: on ({where})", where=state.where) if state.enabled
                else _("Autostart: off ({where})", where=state.where))
    if state.command:
        env.out(_("Command: {command}", command=state.command))
    if state.note:
        env.out(_("Note: {note}", note=state.note))
    return ExitStatus.OK
