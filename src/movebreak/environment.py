"""Everything a command touches from the outside world, in one object tests can replace."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
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


_STDIN = object()  # "the process's stdin"; None means no input at all


class Environment:
    """The streams, environment variables, clock and platform; the time zone and the paths
    are looked up on first use. (A plain class: ``movebreak run`` builds one before the
    tray icon shows, and a dataclass would load ``dataclasses`` and ``inspect`` for it.)"""

    def __init__(
        self,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        stdin: TextIO | None | object = _STDIN,
        environ: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        platform: str = sys.platform,
        _tz: tzinfo | None = None,
        _paths: Paths | None = None,
    ) -> None:
        self.stdout: TextIO = sys.stdout if stdout is None else stdout
        self.stderr: TextIO = sys.stderr if stderr is None else stderr
        self.stdin: TextIO | None = sys.stdin if stdin is _STDIN else stdin  # type: ignore[assignment]
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.clock: Clock = SystemClock() if clock is None else clock
        self.platform = platform
        self._tz = _tz
        self._paths = _paths

    def with_streams(self, stdout: TextIO, stderr: TextIO, stdin: TextIO | None) -> "Environment":
        """The same environment writing to other streams (the tray runs a use case this way and shows its warnings as notices)."""
        return Environment(stdout, stderr, stdin, self.environ, self.clock, self.platform, self._tz, self._paths)

    @property
    def paths(self) -> Paths:
        if self._paths is None:
            self._paths = Paths.resolve(self.environ)
        return self._paths

    @property
    def tz(self) -> tzinfo:
        if self._tz is None:
            from movebreak.timezones import local_timezone_checked

            self._tz, problem = local_timezone_checked()
            if problem:  # said once per command: the fallback zone is used from here on
                self.err(f"movebreak: {problem}")
        return self._tz

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout, flush=True)

    def err(self, text: str) -> None:
        print(text, file=self.stderr, flush=True)
