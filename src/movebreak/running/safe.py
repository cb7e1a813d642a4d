"""``safe(call)``: a probe, clock or notifier call whose failure means "unknown", never a crash."""

from __future__ import annotations

import logging

log = logging.getLogger("movebreak")


def safe(call):
    """``call()``, or None when it raised (logged at debug level)."""
    try:
        return call()
    except Exception:  # a probe problem means "unknown", never a crash
        log.debug("probe call failed", exc_info=True)
        return None
