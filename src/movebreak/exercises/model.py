"""The exercise catalogue as data: the ``Exercise`` record, the ``Catalogue`` of them, and the
allowed categories, equipment, places and muscles with their labels. No file is read here
(``catalogue.py`` loads the files).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import AbstractSet, Any

from movebreak.constants import EQUIPMENT
from movebreak.durations import format_duration, minutes
from movebreak.errors import MovebreakError
from movebreak.i18n import LANGUAGES, N_, _
from movebreak.records import Intensity, intensity_of_met

CATEGORIES = ("strength", "mobility", "stretch", "cardio")
PLACES = ("desk", "standing", "floor")
COUNTS = ("aerobic", "strength", "mobility")
# What an exercise counts toward when its file does not say (``counts``).
DEFAULT_COUNTS = {
    "strength": frozenset({"strength"}),
    "cardio": frozenset({"aerobic"}),
    "mobility": frozenset({"mobility"}),
    "stretch": frozenset({"mobility"}),
}

# Labels are translated where they are shown (render.py, the tray, the summary).
CATEGORY_LABELS = {
    "strength": N_("strength"),
    "mobility": N_("mobility"),
    "stretch": N_("stretch"),
    "cardio": N_("cardio"),
}
PLACE_LABELS = {
    "desk": N_("at the desk"),
    "standing": N_("standing room"),
    "floor": N_("on the floor"),
}
EQUIPMENT_LABELS = {
    "none": N_("nothing"),
    "chair": N_("a sturdy chair"),
    "desk": N_("a desk"),
    "wall": N_("a wall"),
    "band": N_("a resistance band"),
    "stairs": N_("stairs or a step"),
}
MUSCLE_LABELS = {
    "glutes": N_("glutes"),
    "hip-abductors": N_("outer hips"),
    "adductors": N_("inner thighs"),
    "hip-flexors": N_("hip flexors"),
    "quadriceps": N_("front thighs"),
    "hamstrings": N_("back of the thighs"),
    "calves": N_("calves"),
    "ankles": N_("ankles"),
    "core": N_("core"),
    "obliques": N_("side abdominals"),
    "lower-back": N_("lower back"),
    "upper-back": N_("upper back"),
    "spine": N_("spine"),
    "chest": N_("chest"),
    "shoulders": N_("shoulders"),
    "triceps": N_("triceps"),
    "forearms": N_("forearms and wrists"),
    "neck": N_("neck"),
    "heart": N_("heart and lungs"),
}
MUSCLES = tuple(MUSCLE_LABELS)


met_class = intensity_of_met  # light / moderate / vigorous by MET: one rule, in records.py


@dataclass(frozen=True)
class Exercise:
    """One exercise. Text is kept per language and falls back to English."""

    id: str
    category: str
    muscles: tuple[str, ...]
    equipment: frozenset[str]
    place: str
    duration: timedelta
    met: float
    names: Mapping[str, str] = field(hash=False)
    step_lists: Mapping[str, tuple[str, ...]] = field(hash=False)
    mistakes: Mapping[str, str] = field(hash=False)
    counts: frozenset[str] = frozenset()  # empty: DEFAULT_COUNTS of the category
    compendium: str | None = None  # 2024 Adult Compendium activity code whose MET this uses
    easier_texts: Mapping[str, str] = field(default_factory=dict, hash=False)
    harder_texts: Mapping[str, str] = field(default_factory=dict, hash=False)
    reference: str | None = None
    picture: str | None = None  # relative to assets/exercises, or absolute for a user picture
    origin: str = field(default="built-in", compare=False)  # "built-in", "user" or "user-override"

    @staticmethod
    def _pick(table: Mapping[str, Any], language: str | None) -> Any:
        for candidate in (language, "en", *LANGUAGES):
            if candidate in table:
                return table[candidate]
        return next(iter(table.values()))

    def name(self, language: str | None = None) -> str:
        return self._pick(self.names, language)

    def steps(self, language: str | None = None) -> tuple[str, ...]:
        return self._pick(self.step_lists, language)

    def mistake(self, language: str | None = None) -> str:
        return self._pick(self.mistakes, language)

    def easier(self, language: str | None = None) -> str | None:
        return self._pick(self.easier_texts, language) if self.easier_texts else None

    def harder(self, language: str | None = None) -> str | None:
        return self._pick(self.harder_texts, language) if self.harder_texts else None

    def __post_init__(self) -> None:
        if not self.counts:  # the category decides when the file does not
            object.__setattr__(self, "counts", DEFAULT_COUNTS.get(self.category, frozenset({"mobility"})))

    @property
    def aerobic_class(self) -> Intensity | None:
        """Light, moderate or vigorous by MET, only for what counts as aerobic; else None."""
        if "aerobic" not in self.counts:
            return None
        return met_class(self.met)

    @property
    def intensity(self) -> Intensity:
        """The one kind a logged break of this exercise is stored with (records.Activity):
        strength when it strengthens and is not aerobic, the MET class when aerobic, else
        mobility. The accounting reads ``counts`` for exercises that are both."""
        aerobic = self.aerobic_class
        if aerobic is not None:
            return aerobic
        if "strength" in self.counts:
            return Intensity.STRENGTH
        return Intensity.MOBILITY

    @property
    def needs(self) -> frozenset[str]:
        """The equipment beyond "none" that the exercise needs."""
        return self.equipment - {"none"}

    @property
    def minutes(self) -> float:
        return minutes(self.duration)

    def doable_with(self, available: AbstractSet[str]) -> bool:
        return self.needs <= set(available)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "place": self.place,
            "duration": format_duration(self.duration),
            "duration_seconds": int(self.duration.total_seconds()),
            "met": self.met,
            "intensity": str(self.intensity),
            "counts": sorted(self.counts),
            "compendium": self.compendium,
            "muscles": list(self.muscles),
            "equipment": sorted(self.equipment),
            "name": dict(self.names),
            "steps": {language: list(steps) for language, steps in self.step_lists.items()},
            "mistake": dict(self.mistakes),
            "easier": dict(self.easier_texts),
            "harder": dict(self.harder_texts),
            "reference": self.reference,
            "picture": self.picture,
            "origin": self.origin,
        }


@dataclass(frozen=True)
class Catalogue:
    """The exercises in catalogue order; disabled ones stay findable by id for history."""

    exercises: tuple[Exercise, ...] = ()
    disabled: frozenset[str] = frozenset()
    assets_root: Path | None = None  # where relative pictures live

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {exercise.id: exercise for exercise in self.exercises})

    def get(self, exercise_id: str) -> Exercise | None:
        """Any exercise by id, disabled ones included (old history still names them)."""
        return self._by_id.get(exercise_id)  # type: ignore[attr-defined]

    def require(self, exercise_id: str) -> Exercise:
        """Like get(), but an unknown id is a MovebreakError naming the closest ids."""
        found = self.get(exercise_id)
        if found is not None:
            return found
        close = difflib.get_close_matches(exercise_id, list(self._by_id), n=3)  # type: ignore[attr-defined]
        if close:
            raise MovebreakError(
                _("unknown exercise '{id}'; did you mean: {ids}", id=exercise_id, ids=", ".join(close))
            )
        raise MovebreakError(_("unknown exercise '{id}'; 'movebreak exercises' lists them", id=exercise_id))

    def is_disabled(self, exercise_id: str) -> bool:
        return exercise_id in self.disabled

    def all(self, *, include_disabled: bool = False) -> tuple[Exercise, ...]:
        if include_disabled:
            return self.exercises
        return tuple(e for e in self.exercises if e.id not in self.disabled)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self.all())

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id  # type: ignore[attr-defined]

    def filter(
        self,
        *,
        category: str | Iterable[str] | None = None,
        equipment: AbstractSet[str] | None = None,
        place: str | Iterable[str] | None = None,
        include_disabled: bool = False,
    ) -> tuple[Exercise, ...]:
        """Exercises of these categories and places that need only ``equipment``.

        ``equipment`` is what the user has ("none" is always there): {"band"} keeps the
        exercises that need nothing or a band.
        """
        categories = {category} if isinstance(category, str) else None if category is None else set(category)
        places = {place} if isinstance(place, str) else None if place is None else set(place)
        return tuple(
            e
            for e in self.all(include_disabled=include_disabled)
            if (categories is None or e.category in categories)
            and (places is None or e.place in places)
            and (equipment is None or e.doable_with(equipment))
        )

    def picture_file(self, exercise: Exercise) -> Path | None:
        if exercise.picture is None:
            return None
        picture = Path(exercise.picture)
        if picture.is_absolute() or self.assets_root is None:
            return picture
        return self.assets_root / picture
