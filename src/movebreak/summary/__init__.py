"""The weekly summary: accounting as plain data, and three renderers (text, JSON, HTML).

Importing this package is cheap (stdlib only); the renderers import nothing heavy either.
"""

from movebreak.summary.accounting import (
    ACTIVITY_TARGET,
    BASELINE_SITTING_HOURS,
    SITTING_SHARE_BASELINE,
    STRENGTH_DAYS_TARGET,
    DaySummary,
    DayWindow,
    ExerciseDone,
    ExerciseTally,
    IsoWeek,
    WeekSummary,
    WeekTotals,
    build_history,
    build_week,
    history_range,
)
from movebreak.summary.render_html import render_html
from movebreak.summary.render_json import to_json
from movebreak.summary.render_text import render_text

__all__ = [
    "ACTIVITY_TARGET",
    "BASELINE_SITTING_HOURS",
    "SITTING_SHARE_BASELINE",
    "STRENGTH_DAYS_TARGET",
    "DaySummary",
    "DayWindow",
    "ExerciseDone",
    "ExerciseTally",
    "IsoWeek",
    "WeekSummary",
    "WeekTotals",
    "build_history",
    "build_week",
    "history_range",
    "render_html",
    "render_text",
    "to_json",
]
