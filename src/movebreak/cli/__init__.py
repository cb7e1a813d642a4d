"""The command line: parse, call a use case (``movebreak.usecases``), render. One place turns
errors into one line.

``movebreak run`` (what a login starts) goes straight to ``movebreak.startup`` without
argparse or the command table: the tray icon should appear as soon as it can.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

from movebreak.cli.parser import build_parser
from movebreak.environment import Environment, ExitStatus
from movebreak.errors import MovebreakError
from movebreak.i18n import _

__all__ = ["build_parser", "main"]

Handler = Callable[[Any, Environment], int]
# The argument lists that start the app; anything else (--help included) goes through argparse.
RUN_ARGS = {(): False, ("run",): False, ("run", "--no-tray"): True}


def _edge(handler: Handler) -> Handler:
    """Turn the errors a user can cause or fix into one line on stderr and exit 1."""

    @functools.wraps(handler)
    def wrapper(args: Any, env: Environment) -> int:
        try:
            return handler(args, env)
        except BrokenPipeError:
            # The reader went away (`movebreak export | head`): stop quietly, like other tools.
            _silence_stdout()
            return ExitStatus.OK
        except MovebreakError as error:
            env.err(f"movebreak: {error}")
        except OSError as error:
            where = error.filename or ""
            env.err(_("movebreak: {reason}: {path}", reason=error.strerror or error, path=where))
        except Exception as error:
            if not _is_history_error(error):
                raise
            env.err(_("movebreak: the history could not be used ({reason}): {path}",
                      reason=error, path=env.paths.database))
        return ExitStatus.ERROR

    return wrapper


def _is_history_error(error: Exception) -> bool:
    # Not imported here: a command that never opened the history never loaded sqlite3.
    sqlite3 = sys.modules.get("sqlite3")
    return sqlite3 is not None and isinstance(error, sqlite3.DatabaseError)


def _run(args: Any, env: Environment) -> int:
    from movebreak.startup import run_app

    return run_app(env, force_terminal=bool(getattr(args, "no_tray", False)))


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def configured_language(env: Environment) -> str:
    """The language the config file asks for ("auto": the system's), read before argparse speaks.

    A config that cannot be read or holds a bad value falls back to the system's language: a
    broken file must never stop ``--help``; ``config check`` names its problems."""
    from movebreak import i18n

    configured = None
    try:
        from movebreak import config

        configured = config.load(env.paths.config_file)["language"]
    except Exception:  # a broken config is `config check`'s business, never a reason to fail here
        configured = None
    return i18n.detect_language(configured, env.environ)


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    env = env or Environment()
    from movebreak import i18n

    i18n.set_language(i18n.detect_language(None, env.environ))
    words = tuple(sys.argv[1:] if argv is None else argv)
    if words in RUN_ARGS:
        # the app reads its config (and language) itself, after the tray icon is shown
        return _call(_run, SimpleNamespace(command="run", no_tray=RUN_ARGS[words]), env)
    # Every other command speaks the configured language, argparse's own help and errors included;
    # i18n.using holds for this thread only, so the app's threads (`run` below) never see it.
    with i18n.using(configured_language(env)):
        parser = build_parser()
        with contextlib.redirect_stdout(env.stdout), contextlib.redirect_stderr(env.stderr):
            args = parser.parse_args(list(words))
        command = args.command or "run"
        if command != "run":
            from movebreak.cli import commands as handlers

            return _call(getattr(handlers, f"cmd_{command}"), args, env)
    if args.command is None:
        args.no_tray = False
    return _call(_run, args, env)


def _call(handler: Handler, args: Any, env: Environment) -> int:
    try:
        return int(_edge(handler)(args, env))
    except KeyboardInterrupt:
        env.err(_("movebreak: interrupted"))
        return ExitStatus.INTERRUPTED
