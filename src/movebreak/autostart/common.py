"""What the autostart backends share: the app id, the state they report, the shipped icon and
the atomic user-only write. The package's ``__init__`` and every backend import it; it
imports neither, so the package has no import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

APP_ID = "io.github.movebreak.Movebreak"
"""The one reverse-DNS id: .desktop file, AppStream component, LaunchAgent label, bundle id."""


@dataclass(frozen=True)
class AutostartState:
    enabled: bool
    where: str  # a file path, or a registry key and value name
    command: str | None = None  # the command line the entry starts, when there is one
    note: str | None = None  # one more line worth telling (e.g. "disabled in Task Manager")


def icon_file() -> Path | None:
    """The shipped app icon (256 px), for entries that want a file path."""
    from movebreak.resources import assets_dir

    path = assets_dir() / "icons" / "hicolor" / "256x256" / "apps" / "movebreak.png"
    return path if path.is_file() else None


def write_user_only(path: Path, data: bytes) -> None:
    """Write ``data`` atomically, user-only, leaving a shared folder's mode alone (a link in its place is refused)."""
    from movebreak.storage_files import write_own_file

    write_own_file(path, data)
