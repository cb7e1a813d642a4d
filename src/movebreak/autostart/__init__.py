"""Start movebreak at login: one interface, one module per operating system.

``make_autostart`` picks the backend once from the platform (like ``idle.make_probe``):
the XDG autostart file on Linux and other free desktops (``xdg``), a
LaunchAgent on macOS (``macos``), the HKCU Run key on Windows
(``windows``). Each OS call sits behind an injectable object, so the macOS and
Windows parts are tested on any machine with fakes.

The app never writes an autostart entry by itself: only ``movebreak autostart enable``
does, so a user's "disable" holds at every later start. Nothing OS-specific is imported
until a backend is used.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from movebreak.autostart.common import APP_ID, AutostartState

__all__ = ["APP_ID", "Autostart", "AutostartState", "launch_command", "make_autostart"]


class Autostart(Protocol):
    name: str

    def enable(self, command: Sequence[str]) -> AutostartState:
        """Create or update the entry so ``command`` runs at login; idempotent."""

    def disable(self) -> AutostartState:
        """Remove the entry (or mark it disabled); fine when there is none."""

    def status(self) -> AutostartState:
        """Whether movebreak starts at login, and where that is decided."""


def make_autostart(platform: str, environ: Mapping[str, str] | None = None) -> Autostart:
    environ = os.environ if environ is None else environ
    if platform == "win32":
        from movebreak.autostart.windows import RunKeyAutostart

        return RunKeyAutostart()
    if platform == "darwin":
        from movebreak.autostart.macos import LaunchAgentAutostart

        return LaunchAgentAutostart.for_user(environ)
    from movebreak.autostart.xdg import XdgAutostart

    return XdgAutostart.for_user(environ)


def launch_command(
    *,
    platform: str | None = None,
    executable: str | None = None,
    frozen: bool | None = None,
    which: Callable[[str], str | None] | None = None,
) -> list[str]:
    """The command that starts the tray app at login, as absolute as it can be made.

    Frozen (PyInstaller): the standalone executable itself (on Windows its console-less
    twin ``movebreakw.exe``). Otherwise the ``movebreak`` console script of this very
    interpreter (a venv's or pipx's ``bin/``), then one on PATH, then
    ``python -m movebreak``. Login sessions often lack ``~/.local/bin`` on PATH,
    so the path is written out in full. On Windows ``pythonw.exe`` is preferred, so no
    console window opens at login.
    """
    import shutil

    platform = sys.platform if platform is None else platform
    executable = sys.executable if executable is None else executable
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    which = shutil.which if which is None else which
    folder = Path(executable).parent
    if frozen:
        # The Windows build has a console-less twin (packaging/windows/movebreak.spec).
        windowless = folder / "movebreakw.exe"
        if platform == "win32" and windowless.is_file():
            return [str(windowless), "run"]
        return [executable, "run"]
    if platform == "win32":
        windowless = folder / "pythonw.exe"
        interpreter = str(windowless) if windowless.is_file() else executable
        return [interpreter, "-m", "movebreak", "run"]
    beside = folder / "movebreak"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside), "run"]
    found = which("movebreak")
    if found:
        return [str(Path(found).absolute()), "run"]
    return [executable, "-m", "movebreak", "run"]
