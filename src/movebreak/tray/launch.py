"""Opening files for the user from the tray, per operating system, without waiting.

Each function takes the platform and the process starter as arguments, so the Windows
and macOS branches are unit-tested on Linux with their calls faked. Every problem comes
back as one line (or None when all went well); nothing here raises for the environment.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from movebreak.i18n import _

log = logging.getLogger("movebreak.tray")

# Editors that need a terminal: a tray app has none to give them.
TERMINAL_EDITORS = frozenset({"vi", "vim", "nvim", "nano", "pico", "emacs", "joe", "jed", "mcedit", "ed", "micro",
                              "kak", "hx", "helix", "ne", "sensible-editor", "editor"})


def spawn(argv: Sequence[str]) -> str | None:
    """Start ``argv`` detached from us and return at once; a thread reaps it later."""
    try:
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=(os.name == "posix"),
            close_fds=True,
        )
    except OSError as error:
        return _("could not start {program}: {reason}", program=argv[0], reason=error.strerror or error)
    threading.Thread(target=process.wait, name="movebreak-reaper", daemon=True).start()
    return None


def opener_command(path: Path, platform: str, which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """The command that opens ``path`` with its default application (None on Windows: startfile)."""
    if platform == "darwin":
        return ["open", str(path)]
    if platform == "win32":
        return None
    for candidate in ("xdg-open", "gio", "kde-open5", "exo-open"):
        if which(candidate):
            return [candidate, "open", str(path)] if candidate == "gio" else [candidate, str(path)]
    return None


def open_path(
    path: Path,
    platform: str = sys.platform,
    *,
    which: Callable[[str], str | None] = shutil.which,
    start: Callable[[Sequence[str]], str | None] = spawn,
    startfile: Callable[[str], None] | None = None,
) -> str | None:
    """Open a file or folder with the user's default application; a problem as one line."""
    if platform == "win32":
        starter = startfile or getattr(os, "startfile", None)
        if starter is None:
            return _("cannot open {path} here", path=path)
        try:
            starter(str(path))
        except OSError as error:
            return _("could not open {path}: {reason}", path=path, reason=error.strerror or error)
        return None
    command = opener_command(path, platform, which)
    if command is None:
        return _("no program to open files was found (install xdg-utils); the file is {path}", path=path)
    return start(command)


def settings_command(path: Path, environ: Mapping[str, str], platform: str,
                     which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """The editor for the config file, as ``config.editor_command`` picks it, minus terminal editors.

    ``$VISUAL``/``$EDITOR`` usually name an editor that needs a terminal; started from the
    tray it would have none, so then the file's default application opens it instead.
    """
    from movebreak.config import editor_command

    if environ.get("VISUAL") or environ.get("EDITOR"):
        command = editor_command(path, environ)
        if command and Path(command[0]).name not in TERMINAL_EDITORS:
            return command
    if platform == "win32":
        return ["notepad.exe", str(path)]
    if platform == "darwin":
        return ["open", "-t", str(path)]
    return opener_command(path, platform, which)


def open_settings(path: Path, environ: Mapping[str, str], platform: str = sys.platform, *,
                  which: Callable[[str], str | None] = shutil.which,
                  start: Callable[[Sequence[str]], str | None] = spawn) -> str | None:
    """Write the commented default config if there is none, then open it without waiting."""
    from movebreak import config as config_module

    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            config_module.write_default(path)
    except OSError as error:
        return _("could not write {path}: {reason}", path=path, reason=error.strerror or error)
    command = settings_command(path, environ, platform, which)
    if command is None:
        return _("no editor found; set $VISUAL or open {path} yourself", path=path)
    return start(command)
