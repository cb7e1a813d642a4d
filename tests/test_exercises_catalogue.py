"""The built-in catalogue is complete and honest; a user file adds, overrides and disables,
and a broken one gives one clear line per problem while the built-in catalogue carries on."""

from __future__ import annotations

import json
import random
import re
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from movebreak import i18n
from movebreak.errors import MovebreakError
from movebreak.exercises.catalogue import (
    CATEGORIES,
    EQUIPMENT,
    MAX_FILE_BYTES,
    PLACES,
    Catalogue,
    Exercise,
    builtin_dir,
    load_catalogue,
)
from movebreak.i18n import LANGUAGES
from movebreak.records import Intensity

SEED_EXERCISES = ("step-up", "banded-glute-bridge", "single-leg-deadlift", "crescent-lunge", "glute-bridge")
LINE = re.compile(r"^(?P<file>.+?): exercise '(?P<id>[^']+)': field '(?P<field>[^']+)': (?P<what>.+)$")


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture(scope="module")
def builtin() -> tuple[Catalogue, list[str]]:
    return load_catalogue(None)


@pytest.fixture
def catalogue(builtin) -> Catalogue:
    return builtin[0]


def write(tmp_path: Path, text: str | bytes, name: str = "exercises.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


NEW_EXERCISE = """
[[exercise]]
id = "desk-drum"
category = "cardio"
muscles = ["heart", "shoulders"]
equipment = ["desk"]
place = "desk"
duration = "90s"
met = 3.0
name = { en = "Desk drum", de = "Tischtrommeln" }
steps = { en = ["Drum on the desk."], de = ["Auf dem Tisch trommeln."] }
mistake = { en = "Too quiet.", de = "Zu leise." }
compendium = "02022"
easier = { en = "Drum softly.", de = "Leiser trommeln." }
harder = { en = "Drum with both hands.", de = "Mit beiden Händen trommeln." }
"""


# -- the built-in catalogue -------------------------------------------------------------


def test_builtin_catalogue_has_no_problems(builtin):
    catalogue, problems = builtin
    assert problems == []
    assert len(catalogue) >= 40


def test_builtin_contains_the_five_seed_exercises(catalogue):
    for exercise_id in SEED_EXERCISES:
        assert catalogue.get(exercise_id) is not None, exercise_id


def test_every_exercise_has_both_languages(catalogue):
    for exercise in catalogue:
        for language in LANGUAGES:
            assert exercise.names.get(language, "").strip(), (exercise.id, language, "name")
            assert exercise.mistakes.get(language, "").strip(), (exercise.id, language, "mistake")
            steps = exercise.step_lists.get(language, ())
            assert steps and all(step.strip() for step in steps), (exercise.id, language, "steps")
        # same number of steps in both languages: a translation, not two different exercises
        assert len(exercise.steps("en")) == len(exercise.steps("de")), exercise.id


def test_steps_are_short_and_texts_differ_between_languages(catalogue):
    for exercise in catalogue:
        for language in LANGUAGES:
            assert all(len(step) <= 180 for step in exercise.steps(language)), exercise.id
        assert exercise.name("en") != exercise.name("de") or exercise.id == "step-up"
        assert exercise.mistake("en") != exercise.mistake("de")


def test_fields_use_the_fixed_vocabularies(catalogue):
    for exercise in catalogue:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", exercise.id)
        assert exercise.category in CATEGORIES
        assert exercise.place in PLACES
        assert exercise.equipment and exercise.equipment <= set(EQUIPMENT)
        assert exercise.muscles


def test_met_values_are_honest_for_their_category(catalogue):
    for exercise in catalogue:
        if exercise.category in ("stretch", "mobility"):
            assert 2.0 <= exercise.met < 3.0, exercise.id  # light: never counted as moderate
        elif exercise.category == "strength":
            assert 2.5 <= exercise.met <= 6.0, exercise.id
        else:
            assert 3.0 <= exercise.met <= 9.0, exercise.id


def test_the_mix_suits_an_office(catalogue):
    short_office = [
        e
        for e in catalogue
        if timedelta(minutes=1) <= e.duration <= timedelta(minutes=3)
        and e.place in ("desk", "standing")
        and e.needs <= {"chair", "desk", "wall"}
    ]
    long = [e for e in catalogue if timedelta(minutes=5) <= e.duration <= timedelta(minutes=10)]
    assert len(short_office) >= 30
    assert len(long) >= 3
    for category in CATEGORIES:
        assert len(catalogue.filter(category=category)) >= 5, category
    assert len(catalogue.filter(place="desk")) >= 10


def test_every_exercise_has_a_picture_and_a_reference(catalogue):
    for exercise in catalogue:
        assert exercise.reference, exercise.id
        picture = catalogue.picture_file(exercise)
        assert picture is not None and picture.is_file(), exercise.id
        assert picture.read_text(encoding="utf-8").lstrip().startswith("<svg")


def test_seed_glute_exercises_cite_the_gluteus_activation_review(catalogue):
    for exercise_id in ("step-up", "banded-glute-bridge", "single-leg-deadlift"):
        assert "Reiman" in catalogue.require(exercise_id).reference


def test_no_exercise_promises_a_cure(catalogue):
    for exercise in catalogue:
        text = " ".join([*exercise.names.values(), *exercise.mistakes.values()]
                        + [s for steps in exercise.step_lists.values() for s in steps]).lower()
        for word in ("cure", "heal", "heilt", "pain-free", "schmerzfrei wird"):
            assert word not in text, (exercise.id, word)


@pytest.mark.parametrize(
    "category, met, expected",
    [
        ("strength", 2.8, Intensity.STRENGTH),
        ("strength", 4.0, Intensity.STRENGTH),
        ("cardio", 3.0, Intensity.MODERATE),
        ("cardio", 2.9, Intensity.LIGHT),
        ("cardio", 6.0, Intensity.VIGOROUS),
        ("stretch", 2.3, Intensity.MOBILITY),
        ("mobility", 3.5, Intensity.MOBILITY),  # mobility never earns aerobic credit, whatever its MET
    ],
)
def test_intensity_follows_category_and_met(catalogue, category, met, expected):
    from dataclasses import replace

    exercise = replace(catalogue.require("step-up"), category=category, met=met, counts=frozenset())
    assert exercise.intensity is expected


def test_to_dict_is_json_with_both_languages(catalogue):
    data = json.loads(json.dumps(catalogue.require("crescent-lunge").to_dict()))
    assert data["id"] == "crescent-lunge"
    assert data["duration_seconds"] == 120
    assert set(data["name"]) == set(data["steps"]) == set(data["mistake"]) == set(LANGUAGES)
    assert data["intensity"] == "mobility"


def test_text_falls_back_to_english():
    exercise = Exercise(
        id="x", category="stretch", muscles=("neck",), equipment=frozenset({"none"}), place="desk",
        duration=timedelta(minutes=1), met=2.3, names={"en": "Neck"}, step_lists={"en": ("a",)},
        mistakes={"en": "b"},
    )
    assert exercise.name("de") == "Neck"
    assert exercise.steps("fr") == ("a",)


def test_exercises_are_hashable_and_frozen(catalogue):
    exercise = catalogue.require("step-up")
    assert hash(exercise) == hash(exercise)
    with pytest.raises(Exception):
        exercise.met = 9.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        exercise.names["en"] = "x"  # type: ignore[index]


# -- the Catalogue API ------------------------------------------------------------------


def test_get_require_and_suggestions(catalogue):
    assert catalogue.get("nope") is None
    assert "step-up" in catalogue
    with pytest.raises(MovebreakError, match="did you mean: step-up"):
        catalogue.require("step-upp")
    with pytest.raises(MovebreakError, match="unknown exercise 'zzzzzz'"):
        catalogue.require("zzzzzz")


def test_filter_by_category_equipment_and_place(catalogue):
    strength = catalogue.filter(category="strength")
    assert strength and all(e.category == "strength" for e in strength)
    nothing_needed = catalogue.filter(equipment=set())
    assert nothing_needed and all(e.needs == set() for e in nothing_needed)
    with_band = catalogue.filter(equipment={"band"})
    assert {"banded-glute-bridge", "band-pull-apart"} <= {e.id for e in with_band}
    assert all(e.needs <= {"band"} for e in with_band)
    both = catalogue.filter(category={"stretch", "mobility"}, place="desk")
    assert both and all(e.category in ("stretch", "mobility") and e.place == "desk" for e in both)


def test_builtin_dir_is_in_the_assets():
    assert builtin_dir().name == "exercises"
    assert (builtin_dir() / "strength.toml").is_file()


# -- the user file: what it can do ------------------------------------------------------


def test_missing_user_file_is_not_a_problem(tmp_path, catalogue):
    loaded, problems = load_catalogue(tmp_path / "absent.toml")
    assert problems == []
    assert len(loaded) == len(catalogue)


def test_user_file_adds_an_exercise(tmp_path, catalogue):
    loaded, problems = load_catalogue(write(tmp_path, NEW_EXERCISE))
    assert problems == []
    drum = loaded.require("desk-drum")
    assert drum.duration == timedelta(seconds=90)
    assert drum.origin == "user"
    assert drum.intensity is Intensity.MODERATE
    assert len(loaded) == len(catalogue) + 1


def test_user_exercise_in_one_language_is_fine(tmp_path):
    text = NEW_EXERCISE.replace(', de = "Tischtrommeln"', "").replace(
        ', de = ["Auf dem Tisch trommeln."]', "").replace(', de = "Zu leise."', "")
    loaded, problems = load_catalogue(write(tmp_path, text))
    assert problems == []
    assert loaded.require("desk-drum").name("de") == "Desk drum"


def test_user_file_overrides_fields_of_a_builtin(tmp_path, catalogue):
    path = write(tmp_path, '[[exercise]]\nid = "wall-sit"\nduration = "90s"\nname = { de = "Sitzen an der Wand" }\n')
    loaded, problems = load_catalogue(path)
    assert problems == []
    wall_sit = loaded.require("wall-sit")
    assert wall_sit.duration == timedelta(seconds=90)
    assert wall_sit.name("de") == "Sitzen an der Wand"
    assert wall_sit.name("en") == catalogue.require("wall-sit").name("en")  # the rest is kept
    assert wall_sit.steps("de") == catalogue.require("wall-sit").steps("de")
    assert wall_sit.origin == "user-override"


def test_user_file_disables_exercises(tmp_path, catalogue):
    loaded, problems = load_catalogue(write(tmp_path, 'disabled = ["wall-sit", "glute-bridge"]\n'))
    assert problems == []
    ids = {e.id for e in loaded}
    assert "wall-sit" not in ids and "glute-bridge" not in ids
    assert loaded.get("wall-sit") is not None  # history can still name it
    assert loaded.is_disabled("wall-sit")
    assert len(loaded) == len(catalogue) - 2
    assert len(loaded.all(include_disabled=True)) == len(catalogue)
    assert "wall-sit" not in {e.id for e in loaded.filter(category="strength")}


# -- the user file: one line per problem ------------------------------------------------


@pytest.mark.parametrize(
    "entry, field, fragment",
    [
        ('bogus = 1', "bogus", "unknown field"),
        ('met = "high"', "met", "expected a number, got text"),
        ('met = 40', "met", "outside"),
        ('met = true', "met", "expected a number"),
        ('duration = "soon"', "duration", "not a duration"),
        ('duration = 5', "duration", "expected text like"),
        ('duration = "2h"', "duration", "outside"),
        ('category = "yoga"', "category", "'yoga' is not one of: strength, mobility, stretch, cardio"),
        ('place = "sofa"', "place", "'sofa' is not one of"),
        ('equipment = ["kettlebell"]', "equipment", "'kettlebell' is not one of"),
        ('equipment = ["none", "chair"]', "equipment", "'none' cannot be combined"),
        ('equipment = []', "equipment", "must not be empty"),
        ('equipment = "chair"', "equipment", "expected a list of text"),
        ('muscles = ["elbow-fat"]', "muscles", "'elbow-fat' is not one of"),
        ('muscles = ["neck", "neck"]', "muscles", "listed twice"),
        ('name = "Wall sit"', "name", "expected a table like { en = ..., de = ... }"),
        ('name = { fr = "Assis" }', "name", "unknown language 'fr'"),
        ('name = { en = "" }', "name.en", "must not be empty"),
        ('steps = { en = "one step" }', "steps.en", "expected a list of text"),
        ('steps = { en = [] }', "steps.en", "must not be empty"),
        ('mistake = { de = 3 }', "mistake.de", "expected text, got a number"),
        ('picture = "../secret.svg"', "picture", "relative path"),
        ('picture = "img/none.gif"', "picture", "relative path"),
        ('reference = ""', "reference", "must not be empty"),
    ],
)
def test_a_bad_override_gives_one_line_and_keeps_the_builtin(tmp_path, catalogue, entry, field, fragment):
    path = write(tmp_path, f'[[exercise]]\nid = "wall-sit"\n{entry}\n')
    loaded, problems = load_catalogue(path)
    assert len(problems) == 1, problems
    match = LINE.match(problems[0])
    assert match, problems[0]
    assert match["file"] == str(path)
    assert match["id"] == "wall-sit"
    assert match["field"] == field
    assert fragment in match["what"]
    assert loaded.require("wall-sit") == catalogue.require("wall-sit")
    assert len(loaded) == len(catalogue)


def test_a_new_exercise_missing_fields_names_each(tmp_path, catalogue):
    path = write(tmp_path, '[[exercise]]\nid = "half-done"\ncategory = "cardio"\n')
    loaded, problems = load_catalogue(path)
    fields = sorted(LINE.match(line)["field"] for line in problems)
    assert fields == sorted(["muscles", "equipment", "place", "duration", "met", "name", "steps", "mistake"])
    assert all("missing" in line for line in problems)
    assert loaded.get("half-done") is None
    assert len(loaded) == len(catalogue)


def test_ids_must_be_unique_and_kebab_case(tmp_path):
    text = NEW_EXERCISE + NEW_EXERCISE + '[[exercise]]\nid = "Bad_Id"\n[[exercise]]\nname = { en = "x" }\n'
    loaded, problems = load_catalogue(write(tmp_path, text))
    assert loaded.get("desk-drum") is not None  # the first one counts
    assert any("exercise 'desk-drum': field 'id': the id is used twice in this file" in p for p in problems)
    assert any("exercise #3: field 'id': 'Bad_Id' is not a kebab-case id" in p for p in problems)
    assert any("exercise #4: field 'id': missing" in p for p in problems)
    assert len(problems) == 3


def test_unknown_top_level_fields_and_bad_disabled(tmp_path):
    text = 'colour = "blue"\ndisabled = ["wall-sit", "no-such-thing"]\n'
    loaded, problems = load_catalogue(write(tmp_path, text))
    assert len(problems) == 2
    assert "field 'colour': unknown field; allowed: exercise, disabled" in problems[0]
    assert "field 'disabled': unknown exercise 'no-such-thing'" in problems[1]
    assert loaded.is_disabled("wall-sit")
    _, problems = load_catalogue(write(tmp_path, 'disabled = "wall-sit"\n'))
    assert problems == [f"{tmp_path / 'exercises.toml'}: field 'disabled': expected a list of exercise ids, got text"]
    _, problems = load_catalogue(write(tmp_path, 'exercise = 3\n'))
    assert len(problems) == 1 and "expected [[exercise]] tables, got a number" in problems[0]


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("[[exercise]\nid = ", "not valid TOML"),
        (b"name = \"caf\xe9\"\n", "not UTF-8 text (bad byte at position 11)"),
        ("# padding\n" * (MAX_FILE_BYTES // 10 + 1), f"more than the limit of {MAX_FILE_BYTES}"),
    ],
)
def test_an_unusable_file_is_one_line_and_the_builtin_is_used(tmp_path, catalogue, content, fragment):
    path = write(tmp_path, content)
    loaded, problems = load_catalogue(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: ")
    assert fragment in problems[0]
    assert problems[0].endswith("the built-in catalogue is used")
    assert loaded == catalogue


def test_a_directory_instead_of_a_file_is_one_line(tmp_path, catalogue):
    folder = tmp_path / "exercises.toml"
    folder.mkdir()
    loaded, problems = load_catalogue(folder)
    assert len(problems) == 1 and "a folder, not a regular file" in problems[0]
    assert len(loaded) == len(catalogue)


def test_problems_are_translated(tmp_path):
    i18n.set_language("de")
    _, problems = load_catalogue(write(tmp_path, '[[exercise]]\nid = "wall-sit"\nmet = "hoch"\n'))
    assert problems == [f"{tmp_path / 'exercises.toml'}: Übung 'wall-sit': Feld 'met': erwartet eine Zahl, gefunden: Text"]


def test_a_user_picture_is_resolved_next_to_the_file(tmp_path):
    (tmp_path / "mine.svg").write_text("<svg/>", encoding="utf-8")
    loaded, problems = load_catalogue(write(tmp_path, '[[exercise]]\nid = "wall-sit"\npicture = "mine.svg"\n'))
    assert problems == []
    assert loaded.picture_file(loaded.require("wall-sit")) == (tmp_path / "mine.svg").absolute()
    loaded, problems = load_catalogue(write(tmp_path, '[[exercise]]\nid = "wall-sit"\npicture = "gone.svg"\n'))
    assert len(problems) == 1 and "file not found" in problems[0]
    assert loaded.require("wall-sit").picture == "img/wall-sit.svg"  # the override is left out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=400), st.text(max_size=400)))
def test_no_user_file_makes_loading_raise(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("fuzz")
    loaded, problems = load_catalogue(write(folder, content))
    assert len(loaded) >= 40
    assert all(isinstance(line, str) and "\n" not in line for line in problems)


def test_random_mutations_of_a_valid_file_never_raise(tmp_path):
    rng = random.Random(5)
    lines = NEW_EXERCISE.strip().splitlines()
    values = ['1', '"x"', 'true', '[]', '{}', '["none"]', '{ en = 1 }', '"-1m"', '1979-05-27']
    for _round in range(120):
        mutated = list(lines)
        index = rng.randrange(1, len(mutated))
        key = mutated[index].split("=")[0].strip()
        mutated[index] = f"{key} = {rng.choice(values)}"
        loaded, problems = load_catalogue(write(tmp_path, "\n".join(mutated) + "\n"))
        assert len(loaded) >= 40
        for line in problems:
            assert "\n" not in line


# -- the built-in files are checked the same way, but strictly ---------------------------


def test_builtin_duplicates_and_missing_languages_are_reported(tmp_path):
    one = NEW_EXERCISE
    two = NEW_EXERCISE + NEW_EXERCISE.replace("desk-drum", "desk-drum-2").replace(', de = "Zu leise."', "")
    write(tmp_path, one, "a.toml")
    write(tmp_path, two, "b.toml")
    loaded, problems = load_catalogue(None, builtin=tmp_path)
    assert [e.id for e in loaded] == ["desk-drum"]
    assert len(problems) == 2
    assert "b.toml: exercise 'desk-drum': field 'id': the id is already used" in problems[0]
    assert "b.toml: exercise 'desk-drum-2': field 'mistake': missing the text for: de" in problems[1]


def test_no_builtin_catalogue_is_one_line(tmp_path):
    loaded, problems = load_catalogue(None, builtin=tmp_path / "gone")
    assert len(loaded) == 0
    assert problems == [f"{tmp_path / 'gone'}: no built-in exercise catalogue found"]
