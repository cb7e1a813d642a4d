"""What the running app is set to, typed, built once from the config file.

``config.Config`` reads and checks the file (keys with dots, one problem line per bad value);
``AppSettings.from_config`` turns the checked values into the records the parts of the app
take: the engine's settings, how often to take stock, notifications and exercises. No part of
the running app reads the config by dotted key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from movebreak.constants import QUIET_SOURCES, STRENGTH_DAY_MINUTES
from movebreak.engine.settings import EngineSettings

if TYPE_CHECKING:
    from movebreak.config import Config

DEFAULT_POLL = timedelta(seconds=20)


@dataclass(frozen=True)
class NotificationSettings:
    enabled: bool = True
    timeout: timedelta = timedelta(seconds=30)


@dataclass(frozen=True)
class ExerciseSettings:
    equipment: frozenset[str] = frozenset({"none", "chair", "desk", "wall"})
    allow_floor: bool = False  # floor exercises during working hours
    avoid_repeating: int = 5  # never suggest one of the last N again


@dataclass(frozen=True)
class QuietSettings:
    during: frozenset[str] = frozenset(QUIET_SOURCES)  # what holds a due reminder (constants.QUIET_SOURCES)


@dataclass(frozen=True)
class GoalSettings:
    strength_day: timedelta = timedelta(minutes=STRENGTH_DAY_MINUTES)  # strength work that makes a strength day


@dataclass(frozen=True)
class AppSettings:
    engine: EngineSettings = field(default_factory=EngineSettings)
    poll_every: timedelta = DEFAULT_POLL  # how often the app takes stock; the engine never reads it
    language: str = "auto"
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    exercises: ExerciseSettings = field(default_factory=ExerciseSettings)
    goals: GoalSettings = field(default_factory=GoalSettings)
    quiet: QuietSettings = field(default_factory=QuietSettings)

    @property
    def day_starts_at(self):
        return self.engine.day_starts_at

    @classmethod
    def from_config(cls, cfg: Config) -> AppSettings:
        return cls(
            engine=cfg.engine_settings(),
            poll_every=cfg["tracking.poll_every"],
            language=cfg["language"],
            notifications=NotificationSettings(enabled=cfg["notifications.enabled"],
                                               timeout=cfg["notifications.timeout"]),
            exercises=ExerciseSettings(equipment=frozenset(cfg["exercises.equipment"]),
                                       allow_floor=cfg["exercises.allow_floor"],
                                       avoid_repeating=cfg["exercises.avoid_repeating"]),
            goals=GoalSettings(strength_day=timedelta(minutes=cfg["goals.strength_day_minutes"])),
            quiet=QuietSettings(during=frozenset(cfg["reminders.quiet_during"])),
        )
