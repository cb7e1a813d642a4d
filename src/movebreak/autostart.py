"""Start movebreak at login: one interface, one module per operating system.

``make_autostart`` picks the backend once from the platform (like ``idle.make_probe``):
the XDG autostart file on Linux and other free desktops (``autostart_xdg``), a
LaunchAgent on macOS (``autostart_macos``), the HKCU Run key on Windows
(``autostart_windows``). Each OS call sits behind an injectable object, so the macOS and
Windows parts are tested on any machine with fakes.

The app never writes an autostart entry by itself: only ``movebreak autostart enable``
does, so a user's "disable" holds at every later start. Nothing OS-specific is imported
until a backend is used.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

APP_ID = "io.github.movebreak.Movebreak"
"""The one reverse-DNS id: .desktop file, AppStream component, LaunchAgent label, bundle id."""


@dataclass(frozen=True)
class AutostartState:
    enabled: bool
    where: str  # a file path, or a registry key and value name
    command: str | None = None  # the command line the entry starts, when there is one
    note: str | None = None  # one more line worth telling (e.g. "disabled in Task Manager")


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
        from movebreak.autostart_windows import RunKeyAutostart

        return RunKeyAutostart()
    if platform == "darwin":
        from movebreak.autostart_macos import LaunchAgentAutostart

        return LaunchAgentAutostart.for_user(environ)
    from movebreak.autostart_xdg import XdgAutostart

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


def icon_file() -> Path | None:
    """The shipped app icon (256 px), for entries that want a file path."""
    from movebreak.resources import assets_dir

    path = assets_dir() / "icons" / "hicolor" / "256x256" / "apps" / "movebreak.png"
    return path if path.is_file() else None


def write_user_only(path: Path, data: bytes) -> None:
    """Write ``data`` atomically, user-only, leaving a shared folder's mode alone (a link in its place is refused)."""
    from movebreak.storage_files import write_own_file

    write_own_file(path, data)