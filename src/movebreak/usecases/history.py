"""Opening what a use case needs: the config, the history (for a role), the catalogue, and
waking the running app after writing for it."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING

from movebreak.environment import Environment
from movebreak.i18n import _

if TYPE_CHECKING:
    from movebreak.settings import AppSettings
    from movebreak import config as config_module
    from movebreak.exercises.catalogue import Catalogue
    from movebreak.store import Store


def load_settings(env: Environment) -> AppSettings:
    """The typed settings from the config file (its problems are for `config check`)."""
    return load_config(env).app_settings()


def load_config(env: Environment, *, report: bool = False) -> config_module.Config:
    from movebreak import config as config_module

    cfg = config_module.load(env.paths.config_file)
    if report:
        for problem in cfg.problems:
            env.err(f"movebreak: {problem}")
    return cfg


def open_store(env: Environment, *, mode: str = "app") -> Store:
    """The history for the running app (``app``), a CLI command that writes (``write``: each
    write acknowledged only once it is in the file, never while the app's -wal or -shm is
    missing) or one that only reads (``read``: works on a full disk too)."""
    from movebreak.store import Store, check_side_files

    app_running = mode != "app" and app_pid(env) is not None
    if app_running:
        check_side_files(env.paths.database, wake=lambda: wake_running_app(env))
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


def load_catalogue(env: Environment, *, report: bool = True) -> Catalogue:
    from movebreak.exercises.catalogue import load_catalogue as load

    catalogue, problems = load(env.paths.user_exercises_file)
    if report:
        for problem in problems:
            env.err(f"movebreak: {problem}")
    return catalogue


def summary_rules(env: Environment, settings: AppSettings, catalogue: Catalogue | None = None):
    """How the summary counts: the user's settings and exercise catalogue (read here unless the
    caller has it already), names in the current language. Without a readable catalogue the
    summary still shows (logged kinds only)."""
    from movebreak.i18n import current_language
    from movebreak.reports import summary_rules as rules

    if catalogue is None:
        try:
            catalogue = load_catalogue(env, report=False)
        except Exception:  # the summary must show even if the catalogue cannot be read
            catalogue = None
    return rules(settings, catalogue, current_language())


# --- the running app ------------------------------------------------------------------------


def wake_app(env: Environment, store: Store) -> bool:
    """Ask the running app to take in what this command wrote now, not at its next poll.

    Only an app that said in its status snapshot that it handles the signal gets it (an older
    one would be killed by it). True when the signal was sent."""
    return _wake(env, store.get_state("status"))


def wake_running_app(env: Environment) -> bool:
    """``wake_app`` for a command that has not opened the history (the app must repair it first;
    or the command changed only the config file, which the app reads again when woken): the
    snapshot is read on a read-only connection that is closed again at once. True when the
    running app was told; an app that is not running reads everything when it starts."""
    import sqlite3

    try:
        db = sqlite3.connect(f"{env.paths.database.absolute().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            row = db.execute("SELECT value FROM app_state WHERE key = 'status'").fetchone()
        finally:
            db.close()
        return _wake(env, (json.loads(row[0]), None) if row else None)
    except (sqlite3.Error, ValueError, OSError):
        return False  # then the app repairs it at its next poll


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


def await_answer(env: Environment, store: Store, command_id: int, *, wait: timedelta):
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
