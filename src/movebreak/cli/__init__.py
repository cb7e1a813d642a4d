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


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    env = env or Environment()
    from movebreak import i18n

    i18n.set_language(i18n.detect_language(None, env.environ))
    words = tuple(sys.argv[1:] if argv is None else argv)
    if words in RUN_ARGS:
        args: Any = SimpleNamespace(command="run", no_tray=RUN_ARGS[words])
        handler: Handler = _run
    else:
        parser = build_parser()
        with contextlib.redirect_stdout(env.stdout), contextlib.redirect_stderr(env.stderr):
            args = parser.parse_args(list(words))
        command = args.command or "run"
        if command == "run" and args.command is None:
            args.no_tray = False
        if command == "run":
            handler = _run
        else:
            from movebreak.cli import commands as handlers

            handler = getattr(handlers, f"cmd_{command}")
    try:
        return int(_edge(handler)(args, env))
    except KeyboardInterrupt:
        env.err(_("movebreak: interrupted"))
        return ExitStatus.INTERRUPTED


