"""The reference points every figure is measured against, and the names shared by config and
catalogue: defined once here, shown everywhere from here.

- WHO guidelines on physical activity (Bull et al. 2020, Br J Sports Med): at least 150 minutes
  of moderate activity a week, plus muscle-strengthening activity on 2 or more days.
- Office baseline (Daneshmandi et al. 2017): a typical office worker sits about 6.3 hours of
  an 8-hour shift.
"""

from __future__ import annotations

from datetime import timedelta

ACTIVITY_TARGET = timedelta(minutes=150)
ACTIVITY_TARGET_MINUTES = 150
STRENGTH_DAYS_TARGET = 2
STRENGTH_DAY_MINUTES = 10  # default: a day counts as a strength day from 10 minutes of strength work

BASELINE_SITTING_HOURS = 6.3
SHIFT_HOURS = 8.0
SITTING_SHARE_BASELINE = 0.7875  # 6.3 / 8

# What a user may have at hand for exercises ("none" is always there).
EQUIPMENT = ("none", "chair", "desk", "wall", "band", "stairs")
OFFICE_EQUIPMENT = frozenset({"none", "chair", "desk", "wall"})  # at every desk

# What may hold a due reminder (reminders.quiet_during): the desktop's do-not-disturb, a
# fullscreen window (a presentation, a video), a call (a microphone or camera in use).
QUIET_SOURCES = ("do-not-disturb", "fullscreen", "calls")
