"""One function per CLI command: open what it needs, call the core, render the result."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timedelta, timezone
from typing import Any

from movebreak import config as config_module
from movebreak import limits
from movebreak.environment import Environment, ExitStatus
from movebreak.errors import MovebreakError
from movebreak.i18n import N_, _
from movebreak.records import Activity, BreakKind, Intensity, Pause

STATUS_STALE_AFTER = timedelta(seconds=90)
ANSWER_WAIT = timedelta(seconds=5)  # how long a command waits for the running app to answer
INTENSITY_LABELS = {"moderate": N_("moderate"), "strength": N_("strength"), "mobility": N_("mobility")}  # a snapshot older than this is from a stopped app


# --- shared opening helpers ---------------------------------------------------------------


def load_config(env: Environment, *, report: bool = False) -> config_module.Config:
    cfg = config_module.load(env.paths.config_file)
    if report:
        for problem in cfg.problems:
            env.err(f"movebreak: {problem}")
    return cfg


def open_store(env: Environment, *, mode: str = "app"):
    """The history for the running app (``app``), a CLI command that writes (``write``: each
    write acknowledged only once it is in the file, never while the app's -wal or -shm is
    missing) or one that only reads (``read``: works on a full disk too)."""
    from movebreak.store import Store, check_side_files

    app_running = mode != "app" and app_pid(env) is not None
    if app_running:
        check_side_files(env.paths.database, wake=lambda: _wake_from_file(env))
    # while the app runs, only the app moves a damaged-looking history aside (see Store)
    if mode == "read" and env.paths.database.exists():
        store = Store(env.paths.database, now=env.clock.now, readonly=True, repair=not app_running)
    else:
        env.paths.ensure()
        store = Store(env.paths.database, now=env.clock.now, durable=mode == "write", repair=not app_running)
    store.on_problem = lambda message: env.err(f"movebreak: {message}")  # a hand-edited row: one line
    if store.recovered_from is not None:
        env.err(_("movebreak: the history file was damaged; it was kept as {saved} and a new one was started",
                  saved=store.recovered_from))
    return store


def app_pid(env: Environment) -> int | None:
    from movebreak.instance import running_pid

    return running_pid(env.paths.lock_file)


def load_catalogue(env: Environment, *, report: bool = True):
    from movebreak.exercises.catalogue import load_catalogue as load

    catalogue, problems = load(env.paths.user_exercises_file)
    if report:
        for problem in problems:
            env.err(f"movebreak: {problem}")
    return catalogue


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


# --- run ----------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.startup import run_app

    return run_app(env, force_terminal=bool(getattr(args, "no_tray", False)))


# --- status ---------------------------------------------------------------------------------


def status_data(env: Environment, store, cfg: config_module.Config) -> dict[str, Any]:
    from movebreak.engine.days import local_day
    from movebreak.reports import this_week

    now = env.clock.now()
    day_starts_at = cfg["tracking.day_starts_at"]
    summary = this_week(store, now, env.tz, day_starts_at=day_starts_at)
    week = summary.week
    local_date = local_day(now, env.tz, day_starts_at)
    today = next((day for day in summary.days if day.date == local_date), None)
    pid = app_pid(env)
    snapshot = store.get_state("status")
    live: dict[str, Any] | None = None
    if pid is not None and snapshot is not None and now - snapshot[1] <= STATUS_STALE_AFTER:
        live = _live_status(snapshot[0])
    pause = store.active_pause(now)
    data: dict[str, Any] = {
        "running": pid is not None,
        "pid": pid if pid and pid > 0 else None,
        "state": (live or {}).get("state", "paused" if pause else "not-running" if pid is None else "starting"),
        "continuous_sitting_minutes": (live or {}).get("continuous_sitting_minutes"),
        "next_reminder_at": (live or {}).get("next_reminder_at"),
        "snoozes_used": (live or {}).get("snoozes_used"),
        "idle_seconds": (live or {}).get("idle_seconds"),
        "paused_until": (pause.end.isoformat() if pause and pause.end else None) if pause else None,
        "paused": pause is not None,
        "updated_at": snapshot[1].isoformat() if live and snapshot else None,
        "today": {
            "date": local_date.isoformat(),
            "sitting_minutes": round(today.sitting.total_seconds() / 60, 1) if today else 0.0,
            "activity_minutes": round(today.activity.total_seconds() / 60, 1) if today else 0.0,
            "breaks": (today.breaks_taken + today.natural_breaks + today.logged_breaks) if today else 0,
        },
        "week": {
            "week": str(week),
            "activity_minutes": round(summary.totals.activity.total_seconds() / 60, 1),
            "activity_target": 150,
            "strength_days": summary.totals.strength_days,
            "strength_days_target": 2,
        },
    }
    return data


def _live_status(value: Any) -> dict[str, Any] | None:
    """The running app's snapshot with only values of the right type (it may be hand-edited)."""
    if not isinstance(value, dict):
        return None
    live = dict(value)
    for key in ("continuous_sitting_minutes", "idle_seconds", "snoozes_used"):
        number = live.get(key)
        if isinstance(number, bool) or not isinstance(number, (int, float)) or number != number \
                or abs(number) == float("inf"):
            live[key] = None
    if not isinstance(live.get("state"), str):
        live.pop("state", None)
    try:
        datetime.fromisoformat(live["next_reminder_at"]).astimezone(timezone.utc)
    except (KeyError, TypeError, ValueError, OverflowError):
        live["next_reminder_at"] = None
    return live


def cmd_status(args: argparse.Namespace, env: Environment) -> int:
    cfg = load_config(env)
    with open_store(env, mode="read") as store:
        data = status_data(env, store, cfg)
    if args.json:
        env.out(json.dumps(data, indent=2, ensure_ascii=False))
        return ExitStatus.OK
    states = {
        "sitting": _("sitting"), "away": _("away from the desk"), "reminding": _("time to move"),
        "snoozed": _("snoozed"), "paused": _("paused"), "outside-hours": _("outside working hours"),
        "not-running": _("not running"), "starting": _("starting"),
    }
    state = states.get(data["state"], data["state"])
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
    env.out(_("Today: sitting {sitting} min, active {active} min, {breaks} breaks",
              sitting=round(today["sitting_minutes"]), active=round(today["activity_minutes"]), breaks=today["breaks"]))
    env.out(_("This week ({week}): {active}/150 active min, {strength}/2 strength days",
              week=week["week"], active=round(week["activity_minutes"]), strength=week["strength_days"]))
    return ExitStatus.OK


# --- log --------------------------------------------------------------------------------------


def cmd_log(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.timeparse import parse_moment

    now = env.clock.now()
    exercise = None
    if args.exercise:
        catalogue = load_catalogue(env)
        exercise = catalogue.get(args.exercise)
        if exercise is None:
            raise MovebreakError(_("unknown exercise '{id}' (see: movebreak exercises)", id=args.exercise))
    minutes = limits.break_minutes(args.minutes, "--minutes") if args.minutes is not None else None
    if minutes is None:
        minutes = exercise.duration.total_seconds() / 60 if exercise else 5.0
    if args.kind:
        intensity = Intensity(args.kind)
    else:
        intensity = exercise.intensity if exercise else None
    if args.at:
        try:
            start = parse_moment(args.at, now=now, tz=env.tz)
        except ValueError as error:
            raise MovebreakError(_("--at: {reason}", reason=error)) from None
        start = limits.moment(start, now, args.at, "--at")
    else:
        start = now - timedelta(minutes=minutes)
    note = args.note
    if note is not None and len(note) > 2000:
        raise MovebreakError(_("--note: a note may have at most 2000 characters, this one has {count}",
                               count=len(note)))
    activity = Activity(
        at=start,
        kind=BreakKind.LOGGED,
        duration=timedelta(minutes=minutes),
        exercise_id=exercise.id if exercise else None,
        intensity=intensity,
        note=note,
    )
    cfg = load_config(env)
    with open_store(env, mode="write") as store:
        saved = store.add_activity(activity)
        data = status_data(env, store, cfg)
        wake_app(env, store)
    what = exercise.name(_language()) if exercise else (
        _("{kind} activity", kind=_(INTENSITY_LABELS[intensity.value])) if intensity else _("a break"))
    env.out(_("Logged {minutes} min: {what}, from {time}.", minutes=_fmt_minutes(minutes), what=what,
              time=_local(saved.at, env)))
    env.out(_("This week: {active}/150 active min, {strength}/2 strength days",
              active=round(data["week"]["activity_minutes"]), strength=data["week"]["strength_days"]))
    return ExitStatus.OK


def _language() -> str:
    from movebreak.i18n import current_language

    return current_language()


def _fmt_minutes(minutes: float) -> str:
    return str(int(minutes)) if float(minutes).is_integer() else f"{minutes:.1f}"


# --- snooze / pause / resume ---------------------------------------------------------------------


def wake_app(env: Environment, store) -> bool:
    """Ask the running app to take in what this command wrote now, not at its next poll.

    Only an app that said in its status snapshot that it handles the signal gets it (an older
    one would be killed by it). True when the signal was sent."""
    return _wake(env, store.get_state("status"))


def _wake_from_file(env: Environment) -> None:
    """``wake_app`` before this command has opened the history (the app must repair it first):
    the snapshot is read on a read-only connection that is closed again at once."""
    import sqlite3

    try:
        db = sqlite3.connect(f"{env.paths.database.absolute().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            row = db.execute("SELECT value FROM app_state WHERE key = 'status'").fetchone()
        finally:
            db.close()
        _wake(env, (json.loads(row[0]), None) if row else None)
    except (sqlite3.Error, ValueError, OSError):
        pass  # then the app repairs it at its next poll


def _wake(env: Environment, snapshot) -> bool:
    import os
    import signal

    pid = app_pid(env)
    if not pid or pid <= 0 or snapshot is None or not isinstance(snapshot[0], dict):
        return False
    name = snapshot[0].get("wake")
    if snapshot[0].get("pid") != pid or name != "SIGUSR1" or not hasattr(signal, "SIGUSR1"):
        return False
    try:
        os.kill(pid, signal.SIGUSR1)
    except OSError:
        return False
    return True


def await_answer(env: Environment, store, command_id: int, *, wait: timedelta):
    """The running app's answer to a command, or None when it gave none within ``wait``
    (then the command is withdrawn if the app had not taken it yet)."""
    import time

    deadline = env.clock.monotonic() + wait.total_seconds()
    while True:
        taken, answer = store.command_answer(command_id)
        if answer is not None:
            return answer
        if env.clock.monotonic() >= deadline:
            if not taken and store.withdraw_command(command_id):
                return None
            taken, answer = store.command_answer(command_id)
            return answer if answer is not None and not answer.get("withdrawn") else {"taken": True}
        time.sleep(0.02)


def cmd_snooze(args: argparse.Namespace, env: Environment) -> int:
    cfg = load_config(env)
    longest = limits.longest_snooze(cfg.engine_settings())
    minutes = limits.snooze_minutes(args.minutes, longest, "snooze") if args.minutes is not None else None
    if app_pid(env) is None:
        raise MovebreakError(_("movebreak is not running, so there is no reminder to snooze (start it with: movebreak run)"))
    if minutes is None:
        minutes = cfg["reminders.snooze"].total_seconds() / 60
    with open_store(env, mode="write") as store:
        command_id = store.enqueue_command("snooze", {"minutes": minutes})
        woken = wake_app(env, store)
        wait = ANSWER_WAIT if woken else cfg["tracking.poll_every"] + ANSWER_WAIT
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
    if until:
        env.out(_("Snoozed for {minutes} min: the reminder comes again at {time}.", minutes=_fmt_minutes(minutes),
                  time=_local(datetime.fromisoformat(until), env)))
    else:
        env.out(_("Snoozed for {minutes} min.", minutes=_fmt_minutes(minutes)))
    return ExitStatus.OK


def pause_until(env: Environment, cfg, *, duration: timedelta | None, until_tomorrow: bool) -> datetime | None:
    from movebreak.engine.days import next_day_start

    now = env.clock.now()
    if until_tomorrow:
        return next_day_start(now, env.tz, cfg["tracking.day_starts_at"])
    if duration is not None:
        return now + duration
    return None


def cmd_pause(args: argparse.Namespace, env: Environment) -> int:
    cfg = load_config(env)
    if args.duration and args.until_tomorrow:
        raise MovebreakError(_("pause: give a duration or --until-tomorrow, not both"))
    duration = None
    if args.duration:
        duration = limits.pause_duration(args.duration, "pause")
    now = env.clock.now()
    until = pause_until(env, cfg, duration=duration, until_tomorrow=args.until_tomorrow)
    with open_store(env, mode="write") as store:
        store.add_pause(Pause(start=now, end=until, reason="cli"))
        wake_app(env, store)
    if until is None:
        env.out(_("Reminders paused until you resume (movebreak resume)."))
    else:
        env.out(_("Reminders paused until {time}.", time=until.astimezone(env.tz).strftime("%a %H:%M")))
    return ExitStatus.OK


def cmd_resume(args: argparse.Namespace, env: Environment) -> int:
    with open_store(env, mode="write") as store:
        ended = store.end_pauses(env.clock.now())
        if ended:
            wake_app(env, store)
    env.out(_("Reminders resumed.") if ended else _("Reminders were not paused."))
    return ExitStatus.OK


# --- summary -----------------------------------------------------------------------------------------


def cmd_summary(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.reports import current_week, week_summary
    from movebreak.summary import IsoWeek, render_html, render_text, to_json

    cfg = load_config(env)
    day_starts_at = cfg["tracking.day_starts_at"]
    if args.week:
        try:
            week = IsoWeek.parse(limits.week_text(args.week, "--week"))
        except ValueError as error:
            raise MovebreakError(_("--week: {reason}", reason=error)) from None
    else:
        week = current_week(env.clock.now(), env.tz, day_starts_at)
        if args.last:
            week = week.previous()
    names = exercise_names(env)
    with open_store(env, mode="read") as store:
        summary = week_summary(store, week, env.tz, day_starts_at=day_starts_at, weeks_back=7, exercise_names=names)
    if args.json:
        env.out(json.dumps(to_json(summary), indent=2, ensure_ascii=False))
        return ExitStatus.OK
    if args.html or args.open:
        from pathlib import Path

        from movebreak.storage_files import write_own_text, write_user_file

        page = render_html(summary, language=_language())
        if args.html:  # the user's file: exactly that one, 0600 if new (it shows the history)
            target = Path(args.html).expanduser()
            written = write_user_file(target, page.encode("utf-8"), private=True)
        else:  # movebreak's cached page
            target, written = env.paths.summary_html, None
            write_own_text(target, page)
        if args.open:
            open_in_browser(target, env)
        if not _is_stdout(written, env):
            env.out(_("Wrote the summary to {path}", path=target))
        return ExitStatus.OK
    env.out(render_text(summary))
    return ExitStatus.OK


def exercise_names(env: Environment) -> dict[str, str]:
    try:
        catalogue = load_catalogue(env, report=False)
    except Exception:  # the summary must show even if the catalogue cannot be read
        return {}
    return {exercise.id: exercise.name(_language()) for exercise in catalogue.all()}


def open_in_browser(path, env: Environment) -> None:
    import webbrowser

    if not webbrowser.open(path.resolve().as_uri()):
        env.err(_("movebreak: no browser could be opened; the page is at {path}", path=path))


# --- exercises ---------------------------------------------------------------------------------------


def cmd_exercises(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.exercises.render import render_detail, render_list, to_json

    catalogue = load_catalogue(env)
    if args.exercises_command == "show":
        exercise = catalogue.get(args.id)
        if exercise is None:
            raise MovebreakError(_("unknown exercise '{id}' (see: movebreak exercises)", id=args.id))
        if args.json:
            env.out(json.dumps(to_json([exercise])[0], indent=2, ensure_ascii=False))
        else:
            env.out(render_detail(exercise, _language()))
        return ExitStatus.OK
    if args.exercises_command == "suggest":
        return _suggest(args, env, catalogue)
    chosen = list(catalogue.all())
    if args.category:
        chosen = [e for e in chosen if e.category == args.category]
    if args.equipment:
        allowed = {"none", args.equipment}
        chosen = [e for e in chosen if set(e.equipment) <= allowed]
    if args.json:
        env.out(json.dumps(to_json(chosen), indent=2, ensure_ascii=False))
    else:
        env.out(render_list(chosen, _language()))
    return ExitStatus.OK


def _suggest(args: argparse.Namespace, env: Environment, catalogue) -> int:
    import random

    from movebreak.exercises.render import render_detail, to_json
    from movebreak.reports import suggest_exercise

    cfg = load_config(env)
    with open_store(env, mode="read") as store:
        suggestion = suggest_exercise(cfg, catalogue, store, env.clock.now(), env.tz, random.Random(),
                                      purpose="long_break" if args.long else "reminder")
    if suggestion is None:
        raise MovebreakError(_("no exercise fits your equipment and settings (see: movebreak config show)"))
    if args.json:
        env.out(json.dumps({"minutes": round(suggestion.duration.total_seconds() / 60, 1),
                            "exercises": to_json(suggestion.exercises)}, indent=2, ensure_ascii=False))
        return ExitStatus.OK
    minutes = round(suggestion.duration.total_seconds() / 60)
    env.out(_("{count} exercises, about {minutes} min:", count=len(suggestion.exercises), minutes=minutes)
            if len(suggestion.exercises) > 1 else _("About {minutes} min:", minutes=minutes))
    for exercise in suggestion.exercises:
        env.out("")
        env.out(render_detail(exercise, _language()))
    env.out("")
    env.out(_("Done? Record it with: movebreak log {id}", id=suggestion.exercises[0].id))
    return ExitStatus.OK


# --- export ---------------------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.export import export_csv, export_json
    from movebreak.timeparse import parse_date

    since = None
    if args.since:
        try:
            since = parse_date(args.since)
        except ValueError as error:
            raise MovebreakError(_("--since: {reason}", reason=error)) from None
        since = limits.since_date(since)  # before 1970: everything
    with open_store(env, mode="read") as store:
        text = (export_csv if args.format == "csv" else export_json)(store, since=since, tz=env.tz,
                                                                     now=env.clock.now())
    if args.output:
        from pathlib import Path

        from movebreak.storage_files import write_user_file

        # exactly the named file (or pipe, or terminal); a new file is 0600: it holds the history
        written = write_user_file(Path(args.output).expanduser(), text.encode("utf-8"), private=True)
        if not _is_stdout(written, env):
            env.out(_("Wrote {path}", path=args.output))
    else:
        env.stdout.write(text)
        env.stdout.flush()
    return ExitStatus.OK


# --- doctor ---------------------------------------------------------------------------------------------


def cmd_doctor(args: argparse.Namespace, env: Environment) -> int:
    from movebreak.doctor import run_checks

    for check in run_checks(env):
        mark = "OK  " if check.ok else "FIX "
        env.out(f"{mark} {check.name}: {check.detail}")
    return ExitStatus.OK


# --- config -----------------------------------------------------------------------------------------------


def cmd_config(args: argparse.Namespace, env: Environment) -> int:
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
    after = config_module.load(path)
    for problem in after.problems:
        env.err(str(problem))
    return ExitStatus.ERROR if after.problems else ExitStatus.OK


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
