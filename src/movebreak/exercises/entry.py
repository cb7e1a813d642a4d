"""One ``[[exercise]]`` table of a catalogue file, checked field by field.

Every problem becomes one line (``FILE: exercise 'ID': field 'X': what is wrong``) in the
shared list, and an entry with a problem is left out (a missing picture only loses the picture).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from movebreak.durations import format_duration, parse_duration
from movebreak.exercises.model import CATEGORIES, COUNTS, DEFAULT_COUNTS, EQUIPMENT, MUSCLES, PLACES, Exercise
from movebreak.i18n import LANGUAGES, N_, _

FIELDS = (
    "id",
    "category",
    "muscles",
    "equipment",
    "place",
    "duration",
    "met",
    "counts",
    "compendium",
    "reference",
    "picture",
    "name",
    "steps",
    "mistake",
    "easier",
    "harder",
)
REQUIRED = ("category", "muscles", "equipment", "place", "duration", "met", "name", "steps", "mistake")
REQUIRED_BUILTIN = ("compendium", "easier", "harder")  # a user's own exercise may leave them out
_COMPENDIUM = re.compile(r"^[0-9]{5}$")

MIN_DURATION = timedelta(seconds=15)
MAX_DURATION = timedelta(minutes=30)
MIN_MET, MAX_MET = 1.0, 15.0
MAX_TEXT = 400
PICTURE_SUFFIXES = (".svg", ".png")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 60


_KINDS = {
    str: N_("text"),
    bool: N_("true/false"),
    int: N_("a number"),
    float: N_("a number"),
    list: N_("a list"),
    dict: N_("a table"),
}


def kind_of(value: object) -> str:
    return _(_KINDS.get(type(value), N_("a date or time")))


class Entry:
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
                        problem=_("expected a table, got {kind}", kind=kind_of(raw))))
            return
        value = raw.get("id")
        if value is None:
            self.problem("id", _("missing"))
        elif not isinstance(value, str):
            self.problem("id", _("expected text, got {kind}", kind=kind_of(value)))
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
            self.problem(name, _("expected text, got {kind}", kind=kind_of(value)))
        elif value not in allowed:
            self.problem(name, _("'{value}' is not one of: {allowed}", value=value, allowed=", ".join(allowed)))
        else:
            return value
        return None

    def _names_list(self, name: str, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
        value = self.raw[name]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(name, _("expected a list of text, got {kind}", kind=kind_of(value)))
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
            self.problem("duration", _("expected text like '2m' or '90s', got {kind}", kind=kind_of(value)))
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
            self.problem("met", _("expected a number, got {kind}", kind=kind_of(value)))
            return None
        if not MIN_MET <= value <= MAX_MET:
            self.problem("met", _("{value} is outside {low} to {high}", value=value, low=MIN_MET, high=MAX_MET))
            return None
        return float(value)

    def _counts(self) -> frozenset[str] | None:
        values = self._names_list("counts", COUNTS)
        return None if values is None else frozenset(values)

    def _compendium(self) -> str | None:
        value = self.raw["compendium"]
        if not isinstance(value, str):
            self.problem("compendium", _("expected text like '02022' (in quotes), got {kind}", kind=kind_of(value)))
            return None
        if not _COMPENDIUM.fullmatch(value.strip()):
            self.problem("compendium",
                         _("'{value}' is not a 5-digit Compendium activity code like '02022'", value=value))
            return None
        return value.strip()

    def _optional_text(self, name: str) -> str | None:
        value = self.raw[name]
        if not isinstance(value, str):
            self.problem(name, _("expected text, got {kind}", kind=kind_of(value)))
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
                name, _("expected a table like {{ en = ..., de = ... }}, got {kind}", kind=kind_of(value))
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
            self.problem(f"{name}.{language}", _("expected text, got {kind}", kind=kind_of(text)))
        elif not text.strip():
            self.problem(f"{name}.{language}", _("must not be empty"))
        elif len(text) > MAX_TEXT:
            self.problem(f"{name}.{language}", _("longer than {limit} characters", limit=MAX_TEXT))
        else:
            return " ".join(text.split())
        return None

    def _steps(self, name: str, language: str, steps: Any) -> tuple[str, ...] | None:
        if not isinstance(steps, list) or not all(isinstance(step, str) for step in steps):
            self.problem(f"{name}.{language}", _("expected a list of text, got {kind}", kind=kind_of(steps)))
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
            "counts": self._counts,
            "compendium": self._compendium,
            "reference": lambda: self._optional_text("reference"),
            "picture": lambda: self._picture(picture_root),
            "name": lambda: self._texts("name", strict, base.names if base else None),
            "steps": lambda: self._texts("steps", strict, base.step_lists if base else None),
            "mistake": lambda: self._texts("mistake", strict, base.mistakes if base else None),
            "easier": lambda: self._texts("easier", strict, base.easier_texts if base else None),
            "harder": lambda: self._texts("harder", strict, base.harder_texts if base else None),
        }
        for name, check in checks.items():
            if name in self.raw:
                result = check()
                if result is not None:
                    values[name] = result
        return values

    def build(self, *, strict: bool, picture_root: Path, origin: str = "built-in") -> Exercise | None:
        before = self.count
        for name in REQUIRED + (REQUIRED_BUILTIN if origin == "built-in" else ()):
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
            counts=values.get("counts", frozenset()),
            compendium=values.get("compendium"),
            easier_texts=MappingProxyType(values.get("easier", {})),
            harder_texts=MappingProxyType(values.get("harder", {})),
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
        for name, target in (("name", "names"), ("steps", "step_lists"), ("mistake", "mistakes"),
                             ("easier", "easier_texts"), ("harder", "harder_texts")):
            if name in values:
                changes[target] = MappingProxyType(values.pop(name))
        if "picture" in values:
            changes["picture"] = str((picture_root / values.pop("picture")).absolute())
        if "category" in values and "counts" not in values and base.counts == DEFAULT_COUNTS.get(base.category):
            changes["counts"] = frozenset()  # the new category's default, not the old one's
        changes.update(values)
        return replace(base, **changes)
