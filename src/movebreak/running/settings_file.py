"""The config file as the running app follows it: edited by hand or saved by the settings
window, a change is used at the next tick, without a restart.

Each tick costs one ``stat`` (size, modification time and inode: an editor that saves by
renaming gives a new inode); the file is read only when that changed. A value that does not
pass its check keeps the value in use, and the user is told which and why, once per change;
a file that cannot be read at all (not TOML, not UTF-8, a pipe in its place) keeps every
value in use. A file deleted under the running app means the defaults, as at the next start.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from movebreak import config
from movebreak.i18n import _, detect_language
from movebreak.settings import AppSettings


@dataclass(frozen=True)
class Reload:
    settings: AppSettings
    language: str  # the language to speak now ("en", "de"), resolved like at the start
    problems: tuple[str, ...]  # one line each, saying which value was kept


class SettingsFile:
    def __init__(self, path: Path, in_use: config.Config, environ: Mapping[str, str]) -> None:
        self.path = path
        self.environ = dict(environ)
        self._in_use = in_use
        self._seen = _signature(path)

    def changed(self) -> Reload | None:
        """The settings to use now, when the file changed since the last look; else None."""
        seen = _signature(self.path)
        if seen == self._seen:
            return None
        self._seen = seen
        read = config.load(self.path)
        values = dict(read.values)
        kept: list[str] = []
        for problem in read.problems:
            if problem.fallback and problem.key is None:  # the whole file: nothing of it is used
                values = dict(self._in_use.values)
                problem = replace(problem, fallback=_("movebreak keeps the settings in use"))
            elif problem.fallback:
                values[problem.key] = self._in_use.values[problem.key]
                problem = replace(problem, fallback=_("movebreak keeps {value} while it runs",
                                                      value=config.toml_value(values[problem.key])))
            kept.append(str(problem))
        self._in_use = config.Config(values, self.path)
        settings = self._in_use.app_settings()
        return Reload(settings, detect_language(settings.language, self.environ), tuple(kept))


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino
