"""The weekly summary: ISO weeks, accounting as plain data, and three renderers (text, JSON, HTML).

Importing this package is cheap (stdlib only), and the renderers are loaded on first
use only (``from movebreak.summary import render_html`` still works): the running app
needs the accounting for its status line but never renders a page, and every module it
does not load is memory it does not hold all day.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

_LAZY = {
    "ACTIVITY_TARGET": "accounting",
    "BASELINE_SITTING_HOURS": "accounting",
    "SITTING_SHARE_BASELINE": "accounting",
    "STRENGTH_DAYS_TARGET": "accounting",
    "DaySummary": "accounting",
    "DayWindow": "weeks",
    "ExerciseDone": "accounting",
    "ExerciseTally": "accounting",
    "IsoWeek": "weeks",
    "WeekSummary": "accounting",
    "WeekTotals": "accounting",
    "build_history": "accounting",
    "build_week": "accounting",
    "history_range": "weeks",
    "render_html": "render_html",
    "to_json": "render_json",
    "render_text": "render_text",
}

__all__ = sorted(_LAZY)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from movebreak.summary.accounting import (  # noqa: F401
        ACTIVITY_TARGET,
        BASELINE_SITTING_HOURS,
        SITTING_SHARE_BASELINE,
        STRENGTH_DAYS_TARGET,
        DaySummary,
        ExerciseDone,
        ExerciseTally,
        WeekSummary,
        WeekTotals,
        build_history,
        build_week,
    )
    from movebreak.summary.render_html import render_html  # noqa: F401
    from movebreak.summary.render_json import to_json  # noqa: F401
    from movebreak.summary.render_text import render_text  # noqa: F401
    from movebreak.summary.weeks import DayWindow, IsoWeek, history_range  # noqa: F401


class _Package(ModuleType):
    """Keeps ``render_text`` / ``render_html`` naming the functions: importing a submodule of
    the same name would otherwise rebind the package attribute to the module."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ModuleType) and _LAZY.get(name) == name:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'movebreak.summary' has no attribute {name!r}")
    value = getattr(import_module(f"movebreak.summary.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
