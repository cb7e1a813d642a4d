"""``python -m movebreak.quiet``: what each quiet source reads here, and what it says now."""

from __future__ import annotations

import os
import time

from movebreak.constants import QUIET_SOURCES
from movebreak.quiet import QuietSources


def main() -> int:
    sources = QuietSources(QUIET_SOURCES, os.environ)
    for report in sources.report():
        print(f"{report.source}: {'works' if report.works_here else 'not here'} - {report.detail}")
    started = time.perf_counter()
    reason = sources.check()
    print(f"now: {reason or 'not quiet'} ({(time.perf_counter() - started) * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
