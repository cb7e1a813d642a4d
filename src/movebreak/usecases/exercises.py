"""The exercise catalogue: one exercise, a filtered list, or what to do now."""

from __future__ import annotations

from typing import TYPE_CHECKING

from movebreak.environment import Environment
from movebreak.errors import MovebreakError
from movebreak.i18n import _
from movebreak.usecases.history import load_catalogue, load_settings, open_store

if TYPE_CHECKING:
    from movebreak.exercises.catalogue import Catalogue, Exercise


def find_exercise(catalogue: Catalogue, exercise_id: str) -> Exercise:
    exercise = catalogue.get(exercise_id)
    if exercise is None:
        raise MovebreakError(_("unknown exercise '{id}' (see: movebreak exercises)", id=exercise_id))
    return exercise


def list_exercises(catalogue: Catalogue, *, category: str | None = None,
                   equipment: str | None = None) -> list[Exercise]:
    """The catalogue, only ``category`` if given, only what needs nothing but ``equipment`` if given."""
    chosen = list(catalogue.all())
    if category:
        chosen = [e for e in chosen if e.category == category]
    if equipment:
        allowed = {"none", equipment}
        chosen = [e for e in chosen if set(e.equipment) <= allowed]
    return chosen


def suggest(env: Environment, catalogue: Catalogue | None = None, *, long: bool = False):
    """What to do now (a ``Suggestion``): one exercise for a short break, or a 5-10 minute
    routine with ``long``, from the user's equipment, favouring strength while the week is short of it."""
    import random

    from movebreak.reports import suggest_exercise

    if catalogue is None:
        catalogue = load_catalogue(env)
    settings = load_settings(env)
    with open_store(env, mode="read") as store:
        suggestion = suggest_exercise(settings, catalogue, store, env.clock.now(), env.tz, random.Random(),
                                      purpose="long_break" if long else "reminder")
    if suggestion is None:
        raise MovebreakError(_("no exercise fits your equipment and settings (see: movebreak config show)"))
    return suggestion
