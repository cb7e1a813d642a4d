"""What the exercise browser lists: the filters and the search, as plain functions.

Kept apart from the window (``tray/browser.py``) so the choice of exercises is tested
without Tk: a filter is a small immutable record, ``browse`` applies it in catalogue order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import AbstractSet

from movebreak.exercises.model import MUSCLE_LABELS, Exercise
from movebreak.i18n import _

MINE = "mine"  # the equipment filter "what I have": the user's equipment, floor only when allowed
DURATION_LIMITS = (1, 2, 5)  # the duration filter's choices: up to this many minutes


@dataclass(frozen=True)
class Filters:
    """None everywhere lists every exercise."""

    category: str | None = None
    equipment: str | None = None  # None: any; MINE: what the user has; "none": needs nothing; else needs this
    place: str | None = None  # "desk", "standing", "floor"
    max_minutes: float | None = None
    text: str = ""  # the search: name (shown language and English), id, muscles


@dataclass(frozen=True)
class AtHand:
    """The user's equipment and whether floor exercises are welcome (``settings.exercises``)."""

    equipment: AbstractSet[str] = frozenset({"none", "chair", "desk", "wall"})
    allow_floor: bool = False


def _fits_equipment(exercise: Exercise, wanted: str | None, at_hand: AtHand) -> bool:
    if wanted is None:
        return True
    if wanted == MINE:
        return exercise.doable_with(at_hand.equipment) and (at_hand.allow_floor or exercise.place != "floor")
    if wanted == "none":
        return not exercise.needs
    return wanted in exercise.needs


def search_words(exercise: Exercise, language: str) -> str:
    """Everything the search looks in, lower case: the names, the id and the muscles, each
    in the shown language and in English (the current language's labels come from ``_``)."""
    words = [exercise.name(language), exercise.name("en"), exercise.id]
    for muscle in exercise.muscles:
        words.append(muscle)
        if muscle in MUSCLE_LABELS:
            words += [MUSCLE_LABELS[muscle], _(MUSCLE_LABELS[muscle])]
    return " ".join(words).casefold()


def matches(exercise: Exercise, filters: Filters, language: str, at_hand: AtHand = AtHand()) -> bool:
    if filters.category is not None and exercise.category != filters.category:
        return False
    if filters.place is not None and exercise.place != filters.place:
        return False
    if filters.max_minutes is not None and exercise.minutes > filters.max_minutes:
        return False
    if not _fits_equipment(exercise, filters.equipment, at_hand):
        return False
    haystack = search_words(exercise, language)
    return all(word in haystack for word in filters.text.casefold().split())


def browse(exercises: Iterable[Exercise], filters: Filters, language: str,
           at_hand: AtHand = AtHand()) -> tuple[Exercise, ...]:
    """The exercises that pass every filter and contain every word searched for, in order."""
    return tuple(e for e in exercises if matches(e, filters, language, at_hand))


def picture_path(exercise: Exercise, pictures_root: Path | None) -> Path | None:
    """The exercise's picture file (a built-in one is relative to ``assets/exercises``)."""
    if exercise.picture is None:
        return None
    picture = Path(exercise.picture)
    if picture.is_absolute() or pictures_root is None:
        return picture
    return pictures_root / picture


def bitmap_file(picture: Path | None, *, large: bool) -> Path | None:
    """The PNG that Tk can show for ``picture``: a PNG itself, or the PNG drawn next to an SVG
    (``<name>.png``, ``<name>@2x.png`` when ``large``). None for an SVG without one: Tk has no
    SVG renderer, and the window says "no picture" instead."""
    if picture is None:
        return None
    if picture.suffix.lower() == ".png":
        return picture
    for candidate in ((picture.with_name(f"{picture.stem}@2x.png"),) if large else ()) + (picture.with_suffix(".png"),):
        if candidate.is_file():
            return candidate
    return None


def index_of(exercises: Sequence[Exercise], exercise_id: str | None) -> int | None:
    for number, exercise in enumerate(exercises):
        if exercise.id == exercise_id:
            return number
    return None
