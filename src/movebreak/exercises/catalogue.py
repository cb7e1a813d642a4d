"""The exercise catalogue: the built-in one from the assets plus the user's own file.

A broken user file must never stop a tray app that starts at every login, so loading
never raises: every problem becomes one line (``FILE: exercise 'ID': field 'X': what is
wrong``), the broken entry is left out, and the built-in catalogue carries on.

The data model is in ``model.py`` and the check of one entry in ``entry.py``; the names are
imported from here as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from movebreak.exercises.entry import Entry, kind_of
from movebreak.exercises.model import (
    CATEGORIES,
    CATEGORY_LABELS,
    EQUIPMENT,
    EQUIPMENT_LABELS,
    MUSCLE_LABELS,
    MUSCLES,
    PLACE_LABELS,
    PLACES,
    Catalogue,
    Exercise,
)
from movebreak.i18n import _

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "EQUIPMENT",
    "EQUIPMENT_LABELS",
    "MAX_FILE_BYTES",
    "MUSCLES",
    "MUSCLE_LABELS",
    "PLACES",
    "PLACE_LABELS",
    "Catalogue",
    "Exercise",
    "builtin_dir",
    "load_catalogue",
]

BUILTIN_TOP_LEVEL = ("exercise",)
USER_TOP_LEVEL = ("exercise", "disabled")

MAX_FILE_BYTES = 512 * 1024


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
            entry = Entry(path, number, raw, problems)
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
        entry = Entry(path, number, raw, problems)
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
                problem=_("expected a list of exercise ids, got {kind}", kind=kind_of(ids)),
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
                problem=_("expected [[exercise]] tables, got {kind}", kind=kind_of(raw)),
            )
        )
        return []
    return list(enumerate(raw, start=1))
