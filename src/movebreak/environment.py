"""Everything a command touches from the outside world, in one object tests can replace."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from enum import IntEnum
from typing import TextIO

from movebreak.clock import Clock, SystemClock
from movebreak.paths import Paths


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


@dataclass
class Environment:
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdin: TextIO | None = field(default_factory=lambda: sys.stdin)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    clock: Clock = field(default_factory=SystemClock)
    platform: str = sys.platform
    _tz: tzinfo | None = None
    _paths: Paths | None = None

    @property
    def paths(self) -> Paths:
        if self._paths is None:
            self._paths = Paths.resolve(self.environ)
        return self._paths

    @property
    def tz(self) -> tzinfo:
        if self._tz is None:
            from movebreak.timezones import local_timezone

            self._tz = local_timezone()
        return self._tz

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout, flush=True)

    def err(self, text: str) -> None:
        print(text, file=self.stderr, flush=True)
