"""Where movebreak keeps its files. Resolved when the app starts, never at import."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

APP_NAME = "movebreak"


class Paths(NamedTuple):  # not a dataclass: this is on the path to the tray icon (movebreak.startup)
    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def user_exercises_file(self) -> Path:
        return self.config_dir / "exercises.toml"

    @property
    def database(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "movebreak.lock"

    @property
    def summary_html(self) -> Path:
        return self.cache_dir / "summary.html"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "movebreak.log"

    @classmethod
    def resolve(cls, environ: Mapping[str, str] | None = None) -> "Paths":
        """MOVEBREAK_HOME=DIR puts everything under DIR; otherwise platformdirs decides."""
        environ = os.environ if environ is None else environ
        home = environ.get("MOVEBREAK_HOME")
        if home:
            root = Path(home).expanduser().absolute()
            return cls(root / "config", root / "data", root / "cache", root / "logs")
        import platformdirs

        return cls(
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )

    def ensure(self) -> None:
        """Create movebreak's own four folders, readable by the user only on POSIX.

        Only these folders are made 0700, and only when their mode is wrong (a read-only
        folder can still be read); the folders above them (``MOVEBREAK_HOME``, ``~/.config``)
        are created with the user's umask if missing and never chmodded. An own folder may
        be a symbolic link the user made (to keep the files elsewhere): it is followed, but
        the folder it leads to must belong to the user, or it is one line and left alone.
        """
        for folder in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if sys.platform != "win32":
                _make_user_only(folder)

    def as_dict(self) -> dict[str, str]:
        return {
            "config": str(self.config_file),
            "exercises": str(self.user_exercises_file),
            "history": str(self.database),
            "summary": str(self.summary_html),
            "log": str(self.log_file),
        }


def _make_user_only(folder: Path) -> None:
    """chmod 0700 through a descriptor of the folder itself, only if it is the user's."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        found = os.fstat(fd)
        if found.st_mode & 0o777 == 0o700:
            return
        if found.st_uid != os.geteuid():
            from movebreak.errors import MovebreakError
            from movebreak.i18n import _

            raise MovebreakError(_("{folder} belongs to another user; movebreak keeps its files only in "
                                   "folders of yours", folder=folder))
        os.fchmod(fd, 0o700)
    finally:
        os.close(fd)
