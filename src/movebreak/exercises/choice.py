"""Which exercise to suggest: pure rules, given everything (no files, no clock).

The rules, in the order they apply:

1. Only exercises the user can do now: not disabled, needing only the equipment they have
   ("none" is always there), and no floor exercise during working hours unless allowed.
2. The time fits: a reminder suggests one exercise of 1-3 min; a longer break a routine of
   several exercises that lasts 5-10 min in total.
3. Nothing from ``recent`` (oldest first, newest last, as a history list grows). When every
   fitting exercise is recent, the one used longest ago comes back first.
4. While the week has fewer strength days than the WHO's 2, strength comes first: a
   reminder is a strength exercise with probability ``STRENGTH_SHARE_WHEN_BEHIND``, and a
   routine always holds one.

All randomness comes from the ``random.Random`` passed in, over a stably ordered pool, so
a seeded generator gives the same suggestions every time.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import AbstractSet, Literal, Protocol

from movebreak.constants import OFFICE_EQUIPMENT
from movebreak.records import Intensity

Purpose = Literal["reminder", "long_break"]

REMINDER_SHORTEST = timedelta(minutes=1)
REMINDER_LONGEST = timedelta(minutes=3)
ROUTINE_SHORTEST = timedelta(minutes=5)
ROUTINE_LONGEST = timedelta(minutes=10)
ROUTINE_MOST_EXERCISES = 5
WHO_STRENGTH_DAYS = 2
STRENGTH_SHARE_WHEN_BEHIND = 0.7
ALWAYS_AVAILABLE = frozenset({"none"})
_ATTEMPTS = 30
# A routine warms up, then works, then stretches.
_ROUTINE_ORDER = {"cardio": 0, "mobility": 1, "strength": 2, "stretch": 3}


class Choosable(Protocol):
    """What the chooser reads from an exercise (model.Exercise has it all)."""

    @property
    def id(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def place(self) -> str: ...
    @property
    def duration(self) -> timedelta: ...
    @property
    def equipment(self) -> frozenset[str]: ...
    @property
    def met(self) -> float: ...


@dataclass(frozen=True)
class Suggestion:
    """One exercise for a reminder, or the exercises of a routine in the order to do them."""

    purpose: Purpose
    exercises: tuple[Choosable, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(exercise.id for exercise in self.exercises)

    @property
    def duration(self) -> timedelta:
        return sum((exercise.duration for exercise in self.exercises), timedelta(0))

    @property
    def first(self) -> Choosable:
        return self.exercises[0]

    @property
    def intensity(self) -> Intensity:
        """Strength if any part is; else moderate if the time-weighted MET reaches 3."""
        if any(exercise.category == "strength" for exercise in self.exercises):
            return Intensity.STRENGTH
        seconds = self.duration.total_seconds()
        if seconds > 0:
            weighted = sum(e.met * e.duration.total_seconds() for e in self.exercises) / seconds
            if weighted >= 3.0:
                return Intensity.MODERATE
        return Intensity.MOBILITY


def available(
    exercises: Iterable[Choosable],
    *,
    equipment: AbstractSet[str] = OFFICE_EQUIPMENT,
    allow_floor: bool = False,
    working_hours: bool = True,
    disabled: AbstractSet[str] = frozenset(),
) -> list[Choosable]:
    """Rule 1, sorted by id so that the rng sees the same order whatever the input order."""
    have = set(equipment) | ALWAYS_AVAILABLE
    floor_ok = allow_floor or not working_hours
    return sorted(
        (
            e
            for e in exercises
            if e.id not in disabled
            and set(e.equipment) <= have
            and (floor_ok or e.place != "floor")
        ),
        key=lambda e: e.id,
    )


def choose_exercise(
    exercises: Iterable[Choosable],
    rng: random.Random,
    *,
    recent: Sequence[str] = (),
    purpose: Purpose = "reminder",
    strength_days_this_week: int = 0,
    equipment: AbstractSet[str] = OFFICE_EQUIPMENT,
    allow_floor: bool = False,
    working_hours: bool = True,
    disabled: AbstractSet[str] = frozenset(),
) -> Suggestion | None:
    """The suggestion for a reminder or a longer break; None when nothing is available.

    ``exercises`` may be a Catalogue (its iteration already leaves out disabled ones) or
    any list of exercises; ``recent`` holds the ids suggested lately, newest last.
    """
    pool = available(
        exercises, equipment=equipment, allow_floor=allow_floor, working_hours=working_hours, disabled=disabled
    )
    if not pool:
        return None
    behind = strength_days_this_week < WHO_STRENGTH_DAYS
    if purpose == "reminder":
        return Suggestion("reminder", (_one(pool, rng, recent, behind),))
    if purpose == "long_break":
        return Suggestion("long_break", _routine(pool, rng, recent, behind))
    raise ValueError(f"unknown purpose {purpose!r}")


def _staleness(exercise: Choosable, recent: Sequence[str]) -> int:
    """How long ago it was suggested: 0 for the newest, len(recent) + 1 for not lately."""
    for age, exercise_id in enumerate(reversed(recent)):
        if exercise_id == exercise.id:
            return age
    return len(recent) + 1


def _stalest(candidates: list[Choosable], recent: Sequence[str]) -> list[Choosable]:
    """Those not in recent; when there are none, those suggested longest ago."""
    oldest = max(_staleness(e, recent) for e in candidates)
    return [e for e in candidates if _staleness(e, recent) == oldest]


def _one(pool: list[Choosable], rng: random.Random, recent: Sequence[str], behind: bool) -> Choosable:
    fitting = [e for e in pool if REMINDER_SHORTEST <= e.duration <= REMINDER_LONGEST]
    if not fitting:  # nothing of 1-3 min: anything up to 3 min, else the shortest there is
        fitting = [e for e in pool if e.duration <= REMINDER_LONGEST]
    if not fitting:
        shortest = min(e.duration for e in pool)
        fitting = [e for e in pool if e.duration == shortest]
    candidates = _stalest(fitting, recent)
    if behind:
        strength = [e for e in candidates if e.category == "strength"]
        other = [e for e in candidates if e.category != "strength"]
        if strength and other:
            return rng.choice(strength if rng.random() < STRENGTH_SHARE_WHEN_BEHIND else other)
    return rng.choice(candidates)


def _routine(
    pool: list[Choosable], rng: random.Random, recent: Sequence[str], behind: bool
) -> tuple[Choosable, ...]:
    fitting = [e for e in pool if e.duration <= ROUTINE_LONGEST - REMINDER_SHORTEST]
    if not fitting:
        return (min(pool, key=lambda e: (e.duration, e.id)),)
    # Widen the allowed set one staleness step at a time until a valid routine is possible.
    levels = sorted({_staleness(e, recent) for e in fitting}, reverse=True)
    best: tuple[Choosable, ...] = ()
    for depth in range(1, len(levels) + 1):
        allowed = [e for e in fitting if _staleness(e, recent) >= levels[depth - 1]]
        for _attempt in range(_ATTEMPTS):
            routine = _build_routine(allowed, rng, behind)
            if _valid_routine(routine):
                return _ordered(routine)
            if _total(routine) > _total(best) or (_total(routine) == _total(best) and len(routine) > len(best)):
                best = routine
    return _ordered(best)  # the pool is too small for 5 min of several exercises: the best there is


def _total(routine: Sequence[Choosable]) -> timedelta:
    return sum((e.duration for e in routine), timedelta(0))


def _valid_routine(routine: Sequence[Choosable]) -> bool:
    return len(routine) >= 2 and ROUTINE_SHORTEST <= _total(routine) <= ROUTINE_LONGEST


def _build_routine(allowed: list[Choosable], rng: random.Random, behind: bool) -> tuple[Choosable, ...]:
    target = ROUTINE_SHORTEST + (ROUTINE_LONGEST - ROUTINE_SHORTEST) * rng.random()
    chosen: list[Choosable] = []
    total = timedelta(0)
    if behind:
        strength = [e for e in allowed if e.category == "strength"]
        if strength:
            first = rng.choice(strength)
            chosen.append(first)
            total += first.duration
    while len(chosen) < ROUTINE_MOST_EXERCISES and (total < target or len(chosen) < 2):
        slots_after = ROUTINE_MOST_EXERCISES - len(chosen) - 1
        options = [
            e
            for e in allowed
            if e.id not in {c.id for c in chosen}
            and total + e.duration <= ROUTINE_LONGEST
            # leave room for a second exercise, and do not fall short with the slots left
            and (chosen or total + e.duration <= ROUTINE_LONGEST - REMINDER_SHORTEST)
            and (slots_after > 0 or total + e.duration >= ROUTINE_SHORTEST)
        ]
        if not options:
            break
        pick = rng.choice(options)
        chosen.append(pick)
        total += pick.duration
    return tuple(chosen)


def _ordered(routine: Sequence[Choosable]) -> tuple[Choosable, ...]:
    return tuple(sorted(routine, key=lambda e: _ROUTINE_ORDER.get(e.category, len(_ROUTINE_ORDER))))
