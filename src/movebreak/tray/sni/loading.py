"""pystray without a platform backend: ``import pystray`` would pick one, which needs a display."""

from __future__ import annotations

import os
import sys


def pystray_module():
    """pystray, imported with its dummy backend when not imported yet (no display needed)."""
    loaded = sys.modules.get("pystray")
    if loaded is not None:
        return loaded
    previous = os.environ.get("PYSTRAY_BACKEND")
    os.environ["PYSTRAY_BACKEND"] = "dummy"
    try:
        import pystray
    finally:
        if previous is None:
            os.environ.pop("PYSTRAY_BACKEND", None)
        else:
            os.environ["PYSTRAY_BACKEND"] = previous
    return pystray
