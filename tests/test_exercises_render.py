"""The CLI's views of the catalogue: a table, the instructions, and JSON with both languages."""

from __future__ import annotations

import json

import pytest

from movebreak import i18n
from movebreak.exercises.catalogue import Catalogue, load_catalogue
from movebreak.exercises.render import render_detail, render_list, to_json
from movebreak.i18n import LANGUAGES


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(None)[0]


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def test_list_is_a_table_with_one_line_per_exercise(catalogue):
    text = render_list(catalogue, "en")
    lines = text.splitlines()
    assert lines[0].split() == ["ID", "NAME", "MIN", "CATEGORY", "PLACE"]
    assert lines[-1] == f"{len(catalogue)} exercises"
    body = lines[1:-2]
    assert len(body) == len(catalogue)
    for exercise, line in zip(catalogue, body):
        assert line.startswith(exercise.id + " ")
        assert exercise.name("en")[:20] in line
    step_up = next(line for line in body if line.startswith("step-up "))
    assert "  2  " in step_up and "strength" in step_up and "standing room" in step_up


def test_list_columns_line_up(catalogue):
    lines = render_list(catalogue.filter(category="stretch"), "en").splitlines()
    end = lines[0].index("MIN") + len("MIN")
    for line in lines[1:-2]:
        assert line[end - 1].isdigit() and line[end] == " ", line  # minutes right-aligned under "MIN"


def test_list_in_german(catalogue):
    i18n.set_language("de")
    text = render_list(catalogue.filter(category="strength"), "de")
    assert text.splitlines()[0].split() == ["ID", "NAME", "MIN", "KATEGORIE", "ORT"]
    assert "Einbeiniges Kreuzheben" in text
    assert "Kraft" in text and "im Stehen" in text


def test_empty_list_says_so():
    assert render_list([], "en") == "No exercises match."


def test_detail_has_everything_needed_to_do_it(catalogue):
    exercise = catalogue.require("single-leg-deadlift")
    text = render_detail(exercise, "en")
    assert text.splitlines()[0] == "Single-leg deadlift  (single-leg-deadlift)"
    assert "2m · strength · standing room · 3.5 MET" in text
    for number, step in enumerate(exercise.steps("en"), start=1):
        assert f"{number:>2}. {step}" in text
    assert f"Avoid: {exercise.mistake('en')}" in text
    assert "Works: glutes, back of the thighs, lower back, core" in text
    assert "You need: nothing" in text
    assert "Reference: Reiman MP" in text


def test_detail_in_german(catalogue):
    i18n.set_language("de")
    exercise = catalogue.require("step-up")
    text = render_detail(exercise, "de")
    assert exercise.steps("de")[0] in text
    assert "Vermeide: " + exercise.mistake("de") in text
    assert "Du brauchst: eine Treppe oder Stufe" in text
    assert "Beansprucht: Gesäß" in text


def test_every_exercise_renders_in_both_languages(catalogue):
    for language in LANGUAGES:
        i18n.set_language(language)
        for exercise in catalogue:
            text = render_detail(exercise, language)
            assert exercise.name(language) in text
            assert "{" not in text.replace("{{", "")  # no unfilled placeholder


def test_json_has_every_exercise_in_both_languages(catalogue):
    data = json.loads(json.dumps(to_json(catalogue)))
    assert len(data) == len(catalogue) >= 40
    for item in data:
        for key in ("name", "steps", "mistake"):
            assert set(item[key]) == set(LANGUAGES), (item["id"], key)
        assert item["category"] in ("strength", "mobility", "stretch", "cardio")
        assert item["intensity"] in ("strength", "moderate", "mobility")
        assert isinstance(item["met"], float)
        assert item["equipment"] == sorted(item["equipment"])
