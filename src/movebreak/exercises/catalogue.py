"""The exercise catalogue: the built-in one from the assets plus the user's own file.

A broken user file must never stop a tray app that starts at every login, so loading
never raises: every problem becomes one line (``FILE: exercise 'ID': field 'X': what is
wrong``), the broken entry is left out, and the built-in catalogue carries on.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import AbstractSet, Any

from movebreak.durations import format_duration, minutes, parse_duration
from movebreak.errors import MovebreakError
from movebreak.i18n import LANGUAGES, N_, _
from movebreak.records import Intensity

CATEGORIES = ("strength", "mobility", "stretch", "cardio")
EQUIPMENT = ("none", "chair", "desk", "wall", "band", "stairs")
PLACES = ("desk", "standing", "floor")

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

FIELDS = (
    "id",
    "category",
    "muscles",
    "equipment",
    "place",
    "duration",
    "met",
    "reference",
    "picture",
    "name",
    "steps",
    "mistake",
)
REQUIRED = ("category", "muscles", "equipment", "place", "duration", "met", "name", "steps", "mistake")
BUILTIN_TOP_LEVEL = ("exercise",)
USER_TOP_LEVEL = ("exercise", "disabled")

MAX_FILE_BYTES = 512 * 1024
MIN_DURATION = timedelta(seconds=15)
MAX_DURATION = timedelta(minutes=30)
MIN_MET, MAX_MET = 1.0, 15.0
MAX_TEXT = 400
PICTURE_SUFFIXES = (".svg", ".png")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 60


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

    @property
    def intensity(self) -> Intensity:
        """How the minutes count toward the WHO week (see records.Activity)."""
        if self.category == "strength":
            return Intensity.STRENGTH
        if self.met >= 3.0:
            return Intensity.MODERATE
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
            "muscles": list(self.muscles),
            "equipment": sorted(self.equipment),
            "name": dict(self.names),
            "steps": {language: list(steps) for language, steps in self.step_lists.items()},
            "mistake": dict(self.mistakes),
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


def builtin_dir() -> Path:
    from movebreak.resources import assets_dir

    return assets_dir() / "exercises"


def load_catalogue(
    user_file: Path | None = None, *, builtin: Path | None = None
) -> tuple[Catalogue, list[str]]:
    """The built-in catalogue merged with ``user_file``, and one line per problem found.

    A missing user file is not a problem. A user file that cannot be read or parsed adds
    one line and is ignored as a whole; a bad entry in it adds a line per bad field and is
    left out; everything else in it still applies.
    """
    folder = builtin_dir() if builtin is None else builtin
    problems: list[str] = []
    exercises: dict[str, Exercise] = {}
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    if not files:
        problems.append(_("{file}: no built-in exercise catalogue found", file=folder))
    for path in files:
        document = _read_toml(path, problems)
        if document is None:
            continue
        _check_top_level(document, path, BUILTIN_TOP_LEVEL, problems)
        for number, raw in _entries(document, path, problems):
            entry = _Entry(path, number, raw, problems)
            if entry.id is None:
                continue
            if entry.id in exercises:
                entry.problem("id", _("the id is already used by another built-in exercise"))
                continue
            built = entry.build(strict=True, picture_root=folder)
            if built is not None:
                exercises[entry.id] = built

    disabled: set[str] = set()
    if user_file is not None:
        _apply_user_file(Path(user_file), exercises, disabled, problems)
    catalogue = Catalogue(tuple(exercises.values()), frozenset(disabled), folder)
    return catalogue, problems


def _apply_user_file(
    path: Path, exercises: dict[str, Exercise], disabled: set[str], problems: list[str]
) -> None:
    if not path.exists():
        return
    document = _read_toml(path, problems)
    if document is None:
        return
    _check_top_level(document, path, USER_TOP_LEVEL, problems)
    builtin_ids = set(exercises)
    seen: set[str] = set()
    for number, raw in _entries(document, path, problems):
        entry = _Entry(path, number, raw, problems)
        if entry.id is None:
            continue
        if entry.id in seen:
            entry.problem("id", _("the id is used twice in this file"))
            continue
        seen.add(entry.id)
        if entry.id in builtin_ids:
            changed = entry.override(exercises[entry.id], picture_root=path.parent)
            if changed is not None:
                exercises[entry.id] = changed
        else:
            built = entry.build(strict=False, picture_root=path.parent, origin="user")
            if built is not None:
                exercises[entry.id] = built
    ids = document.get("disabled", [])
    if not isinstance(ids, list) or not all(isinstance(item, str) for item in ids):
        problems.append(
            _(
                "{file}: field '{field}': {problem}",
                file=path,
                field="disabled",
                problem=_("expected a list of exercise ids, got {kind}", kind=_kind(ids)),
            )
        )
        return
    for exercise_id in ids:
        if exercise_id not in exercises:
            problems.append(
                _(
                    "{file}: field '{field}': {problem}",
                    file=path,
                    field="disabled",
                    problem=_("unknown exercise '{id}'", id=exercise_id),
                )
            )
        disabled.add(exercise_id)


def _read_toml(path: Path, problems: list[str]) -> dict[str, Any] | None:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    from movebreak.storage_files import NotRegularFile, TooLarge, read_regular_file

    fallback = _("the built-in catalogue is used")
    try:  # only a regular file: a pipe would wait forever, /dev/zero never ends
        data = read_regular_file(path, MAX_FILE_BYTES)
    except NotRegularFile as error:
        problems.append(_("{file}: {kind}, not a regular file; {fallback}", file=path, kind=error.kind,
                          fallback=fallback))
        return None
    except TooLarge as error:
        problems.append(
            _(
                "{file}: the file has {size} bytes, more than the limit of {limit}; {fallback}",
                file=path,
                size=error.size,
                limit=MAX_FILE_BYTES,
                fallback=fallback,
            )
        )
        return None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        problems.append(_("{file}: cannot read the file ({reason}); {fallback}", file=path, reason=reason, fallback=fallback))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(
            _(
                "{file}: not UTF-8 text (bad byte at position {position}); {fallback}",
                file=path,
                position=error.start,
                fallback=fallback,
            )
        )
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problems.append(_("{file}: not valid TOML ({reason}); {fallback}", file=path, reason=error, fallback=fallback))
        return None


def _check_top_level(document: dict[str, Any], path: Path, allowed: tuple[str, ...], problems: list[str]) -> None:
    for key in document:
        if key not in allowed:
            problems.append(
                _(
                    "{file}: field '{field}': {problem}",
                    file=path,
                    field=key,
                    problem=_("unknown field; allowed: {allowed}", allowed=", ".join(allowed)),
                )
            )


def _entries(document: dict[str, Any], path: Path, problems: list[str]) -> list[tuple[int, Any]]:
    raw = document.get("exercise", [])
    if not isinstance(raw, list):
        problems.append(
            _(
                "{file}: field '{field}': {problem}",
                file=path,
                field="exercise",
                problem=_("expected [[exercise]] tables, got {kind}", kind=_kind(raw)),
            )
        )
        return []
    return list(enumerate(raw, start=1))


_KINDS = {
    str: N_("text"),
    bool: N_("true/false"),
    int: N_("a number"),
    float: N_("a number"),
    list: N_("a list"),
    dict: N_("a table"),
}


def _kind(value: object) -> str:
    return _(_KINDS.get(type(value), N_("a date or time")))


class _Entry:
    """One [[exercise]] table being checked; problems go to the shared list."""

    def __init__(self, path: Path, number: int, raw: Any, problems: list[str]) -> None:
        self.path = path
        self.number = number
        self.raw: dict[str, Any] = raw if isinstance(raw, dict) else {}
        self.problems = problems
        self.count = 0
        self.id: str | None = None
        if not isinstance(raw, dict):
            self._add(_("{file}: exercise #{number}: {problem}", file=path, number=number,
                        problem=_("expected a table, got {kind}", kind=_kind(raw))))
            return
        value = raw.get("id")
        if value is None:
            self.problem("id", _("missing"))
        elif not isinstance(value, str):
            self.problem("id", _("expected text, got {kind}", kind=_kind(value)))
        elif not _ID.fullmatch(value) or len(value) > MAX_ID:
            self.problem(
                "id",
                _("'{value}' is not a kebab-case id (lowercase letters, digits, single hyphens)", value=value),
            )
        else:
            self.id = value
        for key in raw:
            if key not in FIELDS:
                self.problem(key, _("unknown field; allowed: {allowed}", allowed=", ".join(FIELDS)))

    def _add(self, line: str) -> None:
        self.count += 1
        # one line, whatever the file held (a value with a line break is shown escaped)
        self.problems.append(line.replace("\r", "\\r").replace("\n", "\\n"))

    def problem(self, field_name: str, what: str) -> None:
        if self.id is None:
            self._add(
                _("{file}: exercise #{number}: field '{field}': {problem}",
                  file=self.path, number=self.number, field=field_name, problem=what)
            )
        else:
            self._add(
                _("{file}: exercise '{id}': field '{field}': {problem}",
                  file=self.path, id=self.id, field=field_name, problem=what)
            )

    # -- fields -------------------------------------------------------------------------

    def _choice(self, name: str, allowed: tuple[str, ...]) -> str | None:
        value = self.raw[name]
        if not isinstance(value, str):
            self.problem(name, _("expected text, got {kind}", kind=_kind(value)))
        elif value not in allowed:
            self.problem(name, _("'{value}' is not one of: {allowed}", value=value, allowed=", ".join(allowed)))
        else:
            return value
        return None

    def _names_list(self, name: str, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
        value = self.raw[name]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(name, _("expected a list of text, got {kind}", kind=_kind(value)))
            return None
        if not value:
            self.problem(name, _("must not be empty"))
            return None
        ok = True
        for item in value:
            if item not in allowed:
                self.problem(name, _("'{value}' is not one of: {allowed}", value=item, allowed=", ".join(allowed)))
                ok = False
        if len(set(value)) != len(value):
            self.problem(name, _("a value is listed twice"))
            ok = False
        return tuple(value) if ok else None

    def _equipment(self) -> frozenset[str] | None:
        values = self._names_list("equipment", EQUIPMENT)
        if values is None:
            return None
        if "none" in values and len(values) > 1:
            self.problem("equipment", _("'none' cannot be combined with other equipment"))
            return None
        return frozenset(values)

    def _duration(self) -> timedelta | None:
        value = self.raw["duration"]
        if not isinstance(value, str):
            self.problem("duration", _("expected text like '2m' or '90s', got {kind}", kind=_kind(value)))
            return None
        try:
            parsed = parse_duration(value)
        except ValueError:
            self.problem("duration", _("'{value}' is not a duration like '2m' or '90s'", value=value))
            return None
        if not MIN_DURATION <= parsed <= MAX_DURATION:
            self.problem(
                "duration",
                _("{value} is outside {low} to {high}", value=value,
                  low=format_duration(MIN_DURATION), high=format_duration(MAX_DURATION)),
            )
            return None
        return parsed

    def _met(self) -> float | None:
        value = self.raw["met"]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem("met", _("expected a number, got {kind}", kind=_kind(value)))
            return None
        if not MIN_MET <= value <= MAX_MET:
            self.problem("met", _("{value} is outside {low} to {high}", value=value, low=MIN_MET, high=MAX_MET))
            return None
        return float(value)

    def _optional_text(self, name: str) -> str | None:
        value = self.raw[name]
        if not isinstance(value, str):
            self.problem(name, _("expected text, got {kind}", kind=_kind(value)))
            return None
        if not value.strip():
            self.problem(name, _("must not be empty"))
            return None
        return value.strip()

    def _picture(self, root: Path) -> str | None:
        value = self._optional_text("picture")
        if value is None:
            return None
        relative = PurePosixPath(value)
        if relative.is_absolute() or ".." in relative.parts or relative.suffix.lower() not in PICTURE_SUFFIXES:
            self.problem("picture", _("expected a relative path to an .svg or .png file, got '{value}'", value=value))
            return None
        target = root / relative
        if not target.is_file():  # reported, but the exercise is kept without its picture
            self.problem("picture", _("file not found: {path}", path=target))
            self.count -= 1
            return None
        return value

    def _texts(self, name: str, strict: bool, base: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
        """A {language: text} table (steps: {language: [text, ...]}), merged over ``base``."""
        value = self.raw[name]
        if not isinstance(value, dict):
            self.problem(
                name, _("expected a table like {{ en = ..., de = ... }}, got {kind}", kind=_kind(value))
            )
            return None
        merged: dict[str, Any] = dict(base or {})
        ok = True
        for language, text in value.items():
            if language not in LANGUAGES:
                self.problem(
                    name, _("unknown language '{language}'; known: {languages}", language=language,
                            languages=", ".join(LANGUAGES))
                )
                ok = False
                continue
            checked = self._steps(name, language, text) if name == "steps" else self._text(name, language, text)
            if checked is None:
                ok = False
            else:
                merged[language] = checked
        if not ok:
            return None
        missing = [language for language in LANGUAGES if language not in merged]
        if strict and missing:
            self.problem(name, _("missing the text for: {languages}", languages=", ".join(missing)))
            return None
        if not merged:
            self.problem(name, _("needs the text in at least one of: {languages}", languages=", ".join(LANGUAGES)))
            return None
        return merged

    def _text(self, name: str, language: str, text: Any) -> str | None:
        if not isinstance(text, str):
            self.problem(f"{name}.{language}", _("expected text, got {kind}", kind=_kind(text)))
        elif not text.strip():
            self.problem(f"{name}.{language}", _("must not be empty"))
        elif len(text) > MAX_TEXT:
            self.problem(f"{name}.{language}", _("longer than {limit} characters", limit=MAX_TEXT))
        else:
            return " ".join(text.split())
        return None

    def _steps(self, name: str, language: str, steps: Any) -> tuple[str, ...] | None:
        if not isinstance(steps, list) or not all(isinstance(step, str) for step in steps):
            self.problem(f"{name}.{language}", _("expected a list of text, got {kind}", kind=_kind(steps)))
            return None
        if not steps:
            self.problem(f"{name}.{language}", _("must not be empty"))
            return None
        checked = [self._text(name, language, step) for step in steps]
        if any(step is None for step in checked):
            return None
        return tuple(step for step in checked if step is not None)

    def _fields(self, strict: bool, picture_root: Path, base: Exercise | None) -> dict[str, Any]:
        """Every present field checked; a field that failed is left out of the result."""
        values: dict[str, Any] = {}
        checks = {
            "category": lambda: self._choice("category", CATEGORIES),
            "place": lambda: self._choice("place", PLACES),
            "muscles": lambda: self._names_list("muscles", MUSCLES),
            "equipment": self._equipment,
            "duration": self._duration,
            "met": self._met,
            "reference": lambda: self._optional_text("reference"),
            "picture": lambda: self._picture(picture_root),
            "name": lambda: self._texts("name", strict, base.names if base else None),
            "steps": lambda: self._texts("steps", strict, base.step_lists if base else None),
            "mistake": lambda: self._texts("mistake", strict, base.mistakes if base else None),
        }
        for name, check in checks.items():
            if name in self.raw:
                result = check()
                if result is not None:
                    values[name] = result
        return values

    def build(self, *, strict: bool, picture_root: Path, origin: str = "built-in") -> Exercise | None:
        before = self.count
        for name in REQUIRED:
            if name not in self.raw:
                self.problem(name, _("missing"))
        values = self._fields(strict, picture_root, None)
        if self.count != before or self.id is None:
            return None
        picture = values.get("picture")
        if picture is not None and origin != "built-in":
            picture = str((picture_root / picture).absolute())
        return Exercise(
            id=self.id,
            category=values["category"],
            muscles=values["muscles"],
            equipment=values["equipment"],
            place=values["place"],
            duration=values["duration"],
            met=values["met"],
            names=MappingProxyType(values["name"]),
            step_lists=MappingProxyType(values["steps"]),
            mistakes=MappingProxyType(values["mistake"]),
            reference=values.get("reference"),
            picture=picture,
            origin=origin,
        )

    def override(self, base: Exercise, *, picture_root: Path) -> Exercise | None:
        before = self.count
        values = self._fields(False, picture_root, base)
        if self.count != before:
            return None
        changes: dict[str, Any] = {"origin": "user-override"}
        for name, target in (("name", "names"), ("steps", "step_lists"), ("mistake", "mistakes")):
            if name in values:
                changes[target] = MappingProxyType(values.pop(name))
        if "picture" in values:
            changes["picture"] = str((picture_root / values.pop("picture")).absolute())
        changes.update(values)
        from dataclasses import replace

        return replace(base, **changes)
