"""The hand check shared by every OS module: print idle seconds in a loop."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence

from movebreak.i18n import _


def run(make: Callable[[], object], argv: Sequence[str], prog: str) -> int:
    """``python -m movebreak.idle.<os> [--once] [--interval SECONDS]``; Ctrl+C ends it with 0.

    The first reading decides: if it fails, print one line saying why and exit 1.
    """
    once = "--once" in argv
    interval = 1.0
    if "--interval" in argv:
        try:
            interval = max(0.05, float(argv[list(argv).index("--interval") + 1]))
        except (IndexError, ValueError):
            print(_("{prog}: --interval needs a number of seconds", prog=prog), file=sys.stderr)
            return 2
    try:
        probe = make()
        first = True
        while True:
            value = probe.idle()
            if value is None:
                line = _("{prog}: idle time unknown — {problem}", prog=prog, problem=probe.problem)
                print(line, file=sys.stderr, flush=True)
                if first:
                    return 1
            else:
                print(f"{value.total_seconds():.1f}", flush=True)
            first = False
            if once:
                return 0
            time.sleep(interval)
    except KeyboardInterrupt:
        return 0
    except BrokenPipeError:
        return 0
