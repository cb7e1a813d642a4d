"""Exercises as text for people and as plain data for ``--json``.

Labels go through ``_()`` (the current language); exercise text comes from the
catalogue in ``language``. Pass ``i18n.current_language()`` so both agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from movebreak.durations import format_duration
from movebreak.exercises.model import (
    CATEGORY_LABELS,
    EQUIPMENT_LABELS,
    MUSCLE_LABELS,
    PLACE_LABELS,
    Exercise,
    met_class,
)
from movebreak.i18n import N_, _, current_language

_MAX_NAME = 34

# One safety line for every place an exercise is shown (reminder, `exercises show`,
# the window, the summary page); written once so the places cannot drift apart.
SAFETY_LINE = N_(
    "Effort is fine; stop on sharp pain, numbness, dizziness or chest pain. With an injury, "
    "recent surgery, pregnancy or a heart condition, ask a professional first."
)
INTENSITY_LABELS = {
    "light": N_("light intensity"),
    "moderate": N_("moderate intensity"),
    "vigorous": N_("vigorous intensity"),
}
COUNTS_LABELS = {
    "aerobic": N_("aerobic minutes"),
    "strength": N_("strength"),
    "mobility": N_("mobility"),
}


def safety_line() -> str:
    """The safety line in the current language (``i18n.using`` for another one)."""
    return _(SAFETY_LINE)


def _label(table: dict[str, str], key: str) -> str:
    return _(table[key]) if key in table else key


def _minutes(exercise: Exercise) -> str:
    value = exercise.minutes
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_list(exercises: Iterable[Exercise], language: str | None = None) -> str:
    """A table: id, name, minutes, category, place; one exercise per line."""
    language = language or current_language()
    rows = [
        (e.id, _clip(e.name(language), _MAX_NAME), _minutes(e), _label(CATEGORY_LABELS, e.category),
         _label(PLACE_LABELS, e.place))
        for e in exercises
    ]
    if not rows:
        return _("No exercises match.")
    header = (_("ID"), _("NAME"), _("MIN"), _("CATEGORY"), _("PLACE"))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(widths[i]) if i == 2 else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    footer = _("{count} exercises", count=len(rows))
    return "\n".join([line(header), *(line(row) for row in rows), "", footer])


def render_detail(exercise: Exercise, language: str | None = None) -> str:
    """Everything a person needs to do the exercise, then what it works and why."""
    language = language or current_language()
    equipment = ", ".join(_label(EQUIPMENT_LABELS, item) for item in sorted(exercise.equipment))
    muscles = ", ".join(_label(MUSCLE_LABELS, item) for item in exercise.muscles)
    lines = [
        f"{exercise.name(language)}  ({exercise.id})",
        _(
            "{duration} · {category} · {place} · {met} MET",
            duration=format_duration(exercise.duration),
            category=_label(CATEGORY_LABELS, exercise.category),
            place=_label(PLACE_LABELS, exercise.place),
            met=f"{exercise.met:g}",
        ),
        "",
    ]
    lines += numbered_steps(exercise, language, width=2)
    lines += ["", _("Avoid: {mistake}", mistake=exercise.mistake(language))]
    lines += variant_lines(exercise, language)
    lines += [
        "",
        _("Works: {muscles}", muscles=muscles),
        _("You need: {equipment}", equipment=equipment),
        effort_line(exercise),
    ]
    if exercise.reference:
        lines.append(_("Reference: {reference}", reference=exercise.reference))
    lines += ["", safety_line()]
    return "\n".join(lines)


def numbered_steps(exercise: Exercise, language: str | None = None, width: int = 0) -> list[str]:
    """Every step, numbered: the set-up step alone is not the exercise."""
    return [f"{number:>{width}}. {step}" for number, step in enumerate(exercise.steps(language), start=1)]


def variant_lines(exercise: Exercise, language: str | None = None) -> list[str]:
    lines = []
    if exercise.easier(language):
        lines.append(_("Easier: {text}", text=exercise.easier(language)))
    if exercise.harder(language):
        lines.append(_("Harder: {text}", text=exercise.harder(language)))
    return lines


def effort_line(exercise: Exercise) -> str:
    """The MET with its intensity word, what the minutes count toward, and the Compendium code."""
    intensity = _(INTENSITY_LABELS[met_class(exercise.met).value])
    counts = ", ".join(_label(COUNTS_LABELS, item) for item in sorted(exercise.counts))
    if exercise.compendium:
        return _("Effort: {met} MET, {intensity} (2024 Compendium code {code}); counts toward: {counts}",
                 met=f"{exercise.met:g}", intensity=intensity, code=exercise.compendium, counts=counts)
    return _("Effort: {met} MET, {intensity}; counts toward: {counts}",
             met=f"{exercise.met:g}", intensity=intensity, counts=counts)


def reminder_body(exercise: Exercise, duration: str, language: str | None = None) -> str:
    """A reminder's body: the name, every step numbered, the mistake, both variants and the
    safety line. Plain text (notification servers differ in what markup they accept)."""
    language = language or current_language()
    lines = [_("{name} ({duration}):", name=exercise.name(language), duration=duration)]
    lines += numbered_steps(exercise, language)
    lines.append(_("Avoid: {mistake}", mistake=exercise.mistake(language)))
    lines += variant_lines(exercise, language)
    lines.append(safety_line())
    return "\n".join(lines)


def to_json(exercises: Iterable[Exercise]) -> list[dict[str, Any]]:
    """Plain data with both languages, ready for json.dumps."""
    return [exercise.to_dict() for exercise in exercises]
