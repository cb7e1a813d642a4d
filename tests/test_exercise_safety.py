"""Issue 16, items 9 and 10: the catalogue's corrections, counts, Compendium codes, variants and
the safety line, checked on the real built-in files, real user files and the real CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from movebreak.exercises.catalogue import load_catalogue
from movebreak.exercises.model import met_class
from movebreak.exercises.render import reminder_body, safety_line
from movebreak.i18n import LANGUAGES, using
from movebreak.records import Intensity

SAFETY_EN = ("Effort is fine; stop on sharp pain, numbness, dizziness or chest pain. With an injury, "
             "recent surgery, pregnancy or a heart condition, ask a professional first.")
SAFETY_DE = ("Anstrengung ist in Ordnung; hör auf bei stechendem Schmerz, Taubheit, Schwindel oder Schmerzen "
             "in der Brust. Bei einer Verletzung, nach einer Operation, in der Schwangerschaft oder mit einer "
             "Herzerkrankung frag vorher eine Fachperson.")


@pytest.fixture(scope="module")
def catalogue():
    loaded, problems = load_catalogue(None)
    assert problems == []
    return loaded


def texts(exercise, language):
    return [exercise.name(language), *exercise.steps(language), exercise.mistake(language),
            exercise.easier(language), exercise.harder(language)]


# -- the new fields on every built-in ------------------------------------------------------


def test_every_builtin_has_counts_a_compendium_code_and_both_variants_in_every_language(catalogue):
    for exercise in catalogue.all(include_disabled=True):
        assert exercise.counts and exercise.counts <= {"aerobic", "strength", "mobility"}, exercise.id
        assert re.fullmatch(r"[0-9]{5}", exercise.compendium or ""), exercise.id
        for language in LANGUAGES:
            assert exercise.easier_texts.get(language, "").strip(), (exercise.id, language)
            assert exercise.harder_texts.get(language, "").strip(), (exercise.id, language)
        assert exercise.easier("en") != exercise.harder("en"), exercise.id
        assert exercise.easier("en") != exercise.easier("de") and exercise.harder("en") != exercise.harder("de")


def test_references_cite_the_2024_compendium_not_2011(catalogue):
    for exercise in catalogue:
        assert "2011 Compendium" not in exercise.reference, exercise.id
        if "Compendium" in exercise.reference:
            assert exercise.reference.startswith("Herrmann SD et al. (2024). 2024 Adult Compendium")
            assert f"({exercise.compendium} " in exercise.reference, exercise.id
            assert f": {exercise.met} MET" in exercise.reference, exercise.id
    for path in Path(catalogue.assets_root).glob("*.toml"):
        header = path.read_text(encoding="utf-8").split("[[exercise]]")[0]
        assert "2024 Adult Compendium" in header and "2011" not in header, path.name


def test_default_counts_follow_the_category(catalogue):
    assert catalogue.require("chair-squat").counts == {"strength"}
    assert catalogue.require("brisk-walk").counts == {"aerobic"}
    assert catalogue.require("shoulder-rolls").counts == {"mobility"}
    assert catalogue.require("neck-side-stretch").counts == {"mobility"}


def test_stair_climbing_counts_as_aerobic_and_strength(catalogue):
    for exercise_id in ("stair-climb", "stair-walk"):
        exercise = catalogue.require(exercise_id)
        assert exercise.counts == {"aerobic", "strength"}
        assert exercise.aerobic_class is Intensity.MODERATE  # 4.0 MET decides the aerobic credit
        assert exercise.intensity is Intensity.MODERATE


# -- intensity by MET: light < 3, moderate 3 to < 6, vigorous >= 6 -------------------------


@pytest.mark.parametrize(("met", "expected"), [
    (1.0, Intensity.LIGHT), (2.99, Intensity.LIGHT), (3.0, Intensity.MODERATE),
    (5.99, Intensity.MODERATE), (6.0, Intensity.VIGOROUS), (8.8, Intensity.VIGOROUS),
])
def test_aerobic_class_by_met_thresholds(catalogue, met, expected):
    assert met_class(met) is expected
    aerobic = replace(catalogue.require("brisk-walk"), met=met)
    assert aerobic.aerobic_class is expected and aerobic.intensity is expected
    both = replace(catalogue.require("stair-climb"), met=met)
    assert both.aerobic_class is expected and both.intensity is expected


@pytest.mark.parametrize("met", [2.0, 3.0, 6.0])
def test_strength_and_mobility_never_get_an_aerobic_class(catalogue, met):
    strength = replace(catalogue.require("chair-squat"), met=met)
    assert strength.aerobic_class is None and strength.intensity is Intensity.STRENGTH
    mobility = replace(catalogue.require("hip-circles"), met=met)
    assert mobility.aerobic_class is None and mobility.intensity is Intensity.MOBILITY


def test_json_carries_the_new_fields(catalogue):
    data = catalogue.require("stair-climb").to_dict()
    assert data["counts"] == ["aerobic", "strength"] and data["compendium"] == "17133"
    assert set(data["easier"]) == set(data["harder"]) == set(LANGUAGES)


# -- the corrections from the review -----------------------------------------------------


def test_glute_bridge_does_not_work_the_hip_flexors(catalogue):
    for exercise_id in ("glute-bridge", "banded-glute-bridge"):
        exercise = catalogue.require(exercise_id)
        assert "hip-flexors" not in exercise.muscles
        assert not any("front of the hip" in text for text in texts(exercise, "en"))
        assert not any("Hüftvorderseite" in text for text in texts(exercise, "de"))


def test_seated_knee_lift_is_lifted_by_the_hip_flexors(catalogue):
    exercise = catalogue.require("seated-knee-lift")
    assert "hip-flexors" in exercise.muscles
    assert any("hip flexors" in step for step in exercise.steps("en"))
    assert any("Hüftbeuger" in step for step in exercise.steps("de"))
    assert "belly does the lifting" not in exercise.mistake("en")
    assert "Bauch die Arbeit" not in exercise.mistake("de")


def test_calf_raise_does_not_overstate_the_lowering(catalogue):
    exercise = catalogue.require("calf-raise")
    assert "most of the work" not in exercise.mistake("en")
    assert "Großteil" not in exercise.mistake("de")


def test_stair_climb_met_note_and_talk_test_agree_with_moderate(catalogue):
    exercise = catalogue.require("stair-climb")
    assert (exercise.met, exercise.compendium) == (4.0, "17133")
    assert "6.0 here" not in exercise.reference and "never overstates" in exercise.reference
    assert any("not sing" in step and "moderate" in step for step in exercise.steps("en"))
    assert any("nicht mehr singen" in step for step in exercise.steps("de"))


@pytest.mark.parametrize("exercise_id", ["chair-squat", "chair-back-extension"])
def test_chair_exercises_say_no_wheels_no_reclining_chair(catalogue, exercise_id):
    exercise = catalogue.require(exercise_id)
    assert any("no wheels, no reclining chair" in step for step in exercise.steps("en"))
    assert any("ohne Rollen" in step and "nicht kippbar" in step for step in exercise.steps("de"))


def test_step_up_has_a_handrail_cue(catalogue):
    exercise = catalogue.require("step-up")
    assert "handrail" in exercise.steps("en")[0]
    assert "Geländer" in exercise.steps("de")[0]


def test_banded_bridge_puts_the_band_across_the_thighs(catalogue):
    exercise = catalogue.require("banded-glute-bridge")
    assert any("across your thighs, just above the knees" in step for step in exercise.steps("en"))
    assert any("knapp oberhalb der Knie quer über die Oberschenkel" in step for step in exercise.steps("de"))
    assert not any("across your hips" in step for step in exercise.steps("en"))


def test_german_texts_are_clean(catalogue):
    for exercise in catalogue.all(include_disabled=True):
        for text in texts(exercise, "de"):
            assert "Rollstuhl" not in text, exercise.id
            assert not re.search(r"\bdehnt\.$", text), (exercise.id, text)  # "dehnt" needs an object
            assert not re.search(r"\d+-\d+-mal", text), (exercise.id, text)  # "10- bis 15-mal"
            assert not re.search(r"\b\d+-\d+ ", text), (exercise.id, text)  # "20 bis 30 Sekunden"
            for awkward in ("Wasserauffüllen", "über Kopf", "Hub", "Glute Bridge", "Schulterbrücke"):
                assert awkward not in text, (exercise.id, awkward)
    assert catalogue.require("glute-bridge").name("de") == "Beckenheben"
    assert catalogue.require("banded-glute-bridge").name("de") == "Beckenheben mit Band"


# -- the user's file: the new fields, one line per problem -----------------------------


OWN = """
[[exercise]]
id = "desk-drum"
category = "cardio"
muscles = ["heart"]
equipment = ["desk"]
place = "desk"
duration = "1m"
met = 3.0
name = {{ en = "Desk drum" }}
steps = {{ en = ["Drum."] }}
mistake = {{ en = "Too quiet." }}
{extra}
"""


def load_user(tmp_path, extra):
    path = tmp_path / "exercises.toml"
    path.write_text(OWN.format(extra=extra), encoding="utf-8")
    loaded, problems = load_catalogue(path)
    return loaded.get("desk-drum"), problems, path


def test_a_user_exercise_may_leave_out_the_new_fields(tmp_path):
    exercise, problems, _path = load_user(tmp_path, "")
    assert problems == []
    assert exercise.counts == {"aerobic"} and exercise.compendium is None
    assert exercise.easier("en") is None and exercise.harder("de") is None


def test_a_user_exercise_with_every_new_field(tmp_path):
    extra = ('counts = ["aerobic", "strength"]\ncompendium = "02022"\n'
             'easier = { en = "Softly.", de = "Leise." }\nharder = { en = "Loudly." }')
    exercise, problems, _path = load_user(tmp_path, extra)
    assert problems == []
    assert exercise.counts == {"aerobic", "strength"} and exercise.compendium == "02022"
    assert exercise.easier("de") == "Leise." and exercise.harder("de") == "Loudly."


@pytest.mark.parametrize(("extra", "field", "problem"), [
    ('counts = ["cardio"]', "counts", "'cardio' is not one of: aerobic, strength, mobility"),
    ('counts = "aerobic"', "counts", "expected a list of text, got text"),
    ("counts = []", "counts", "must not be empty"),
    ('counts = ["strength", "strength"]', "counts", "a value is listed twice"),
    ("compendium = 2020", "compendium", "expected text like '02022' (in quotes), got a number"),
    ('compendium = "2020"', "compendium", "'2020' is not a 5-digit Compendium activity code like '02022'"),
    ('compendium = "0202A"', "compendium", "'0202A' is not a 5-digit Compendium activity code like '02022'"),
    ('easier = "Softly."', "easier", "expected a table like { en = ..., de = ... }, got text"),
    ('harder = { fr = "Fort." }', "harder", "unknown language 'fr'; known: en, de"),
    ('easier = { en = "" }', "easier.en", "must not be empty"),
])
def test_bad_new_fields_are_one_line_each_and_leave_the_entry_out(tmp_path, extra, field, problem):
    exercise, problems, path = load_user(tmp_path, extra)
    assert exercise is None
    assert problems == [f"{path}: exercise 'desk-drum': field '{field}': {problem}"]


def test_a_builtin_without_the_new_fields_is_reported(tmp_path):
    both = OWN.format(extra="").replace('" }', '", de = "Deutsch" }').replace('"] }', '"], de = ["Trommeln."] }')
    (tmp_path / "a.toml").write_text(both, encoding="utf-8")
    loaded, problems = load_catalogue(None, builtin=tmp_path)
    assert len(loaded) == 0
    assert [p.split(": ", 1)[1] for p in problems] == [
        "exercise 'desk-drum': field 'compendium': missing",
        "exercise 'desk-drum': field 'easier': missing",
        "exercise 'desk-drum': field 'harder': missing",
    ]


def test_an_override_of_the_variants_keeps_the_other_language(tmp_path):
    path = tmp_path / "exercises.toml"
    path.write_text('[[exercise]]\nid = "chair-squat"\neasier = { de = "Ganz hinsetzen." }\ncounts = ["strength", "aerobic"]\n',
                    encoding="utf-8")
    loaded, problems = load_catalogue(path)
    assert problems == []
    exercise = loaded.require("chair-squat")
    assert exercise.easier("de") == "Ganz hinsetzen."
    assert exercise.easier("en").startswith("Sit down fully")
    assert exercise.counts == {"strength", "aerobic"} and exercise.intensity is Intensity.MODERATE


# -- the safety line and the whole exercise wherever one is shown -------------------------


def test_safety_line_is_one_definition_in_both_languages():
    with using("en"):
        assert safety_line() == SAFETY_EN
    with using("de"):
        assert safety_line() == SAFETY_DE


def test_reminder_body_has_every_step_the_mistake_both_variants_and_the_safety_line(catalogue):
    exercise = catalogue.require("single-leg-deadlift")
    for language, safety in (("en", SAFETY_EN), ("de", SAFETY_DE)):
        with using(language):
            body = reminder_body(exercise, "2 min", language).splitlines()
        assert body[0] == f"{exercise.name(language)} (2 min):"
        steps = exercise.steps(language)
        assert body[1:1 + len(steps)] == [f"{n}. {step}" for n, step in enumerate(steps, start=1)]
        rest = "\n".join(body[1 + len(steps):])
        for part in (exercise.mistake(language), exercise.easier(language), exercise.harder(language)):
            assert part in rest
        assert body[-1] == safety


def run_cli(tmp_path, language, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    env.update(MOVEBREAK_HOME=str(tmp_path / "home"), LANGUAGE=language)
    return subprocess.run([sys.executable, "-m", "movebreak", *args], env=env, capture_output=True,
                          text=True, timeout=30)


@pytest.mark.parametrize(("language", "safety", "intensity"), [
    ("en", SAFETY_EN, "Effort: 4 MET, moderate intensity (2024 Compendium code 17133); counts toward: "
                      "aerobic minutes, strength"),
    ("de", SAFETY_DE, "Belastung: 4 MET, moderate Intensität (Compendium 2024, Code 17133); zählt für: "
                      "Ausdauerminuten, Kraft"),
])
def test_exercises_show_gives_the_whole_exercise(tmp_path, catalogue, language, safety, intensity):
    exercise = catalogue.require("stair-climb")
    done = run_cli(tmp_path, language, "exercises", "show", "stair-climb")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for number, step in enumerate(exercise.steps(language), start=1):
        assert f"{number:>2}. {step}" in out
    assert exercise.mistake(language) in out
    assert f"{'Leichter' if language == 'de' else 'Easier'}: {exercise.easier(language)}" in out
    assert f"{'Schwerer' if language == 'de' else 'Harder'}: {exercise.harder(language)}" in out
    assert intensity in out
    assert exercise.reference in out
    assert out.rstrip().endswith(safety)


# -- the pictograms the review asked to redraw ----------------------------------------------


@pytest.fixture(scope="module")
def pictograms(catalogue):
    import importlib.util

    path = Path(catalogue.assets_root) / "make_pictograms.py"
    spec = importlib.util.spec_from_file_location("make_pictograms", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_pictograms_are_what_the_script_draws(catalogue, pictograms):
    for exercise_id in pictograms.EXERCISES:
        shipped = (Path(catalogue.assets_root) / "img" / f"{exercise_id}.svg").read_text(encoding="utf-8")
        assert shipped == pictograms.svg(exercise_id), exercise_id


def test_redrawn_pictograms_show_what_the_steps_say(pictograms):
    ground = pictograms.GROUND
    _category, pose, props = pictograms.EXERCISES["childs-pose"]
    hip, knee, foot = pictograms.POSES[pose]["lines"][-1]
    assert knee[1] == ground and foot[1] == ground and hip[1] < ground  # knees and shins on the floor
    _category, pose, props = pictograms.EXERCISES["calf-raise"]
    for leg in pictograms.POSES[pose]["lines"][-2:]:
        heel, toes = leg[-2], leg[-1]
        assert toes[1] == ground and heel[1] < ground - 4  # the heel is lifted
    _category, pose, props = pictograms.EXERCISES["chair-dip"]
    assert "chair-backrest-left" in props and "wall-far-left" in props
    assert [(14, 50), (14, 22)] in pictograms.PROPS["chair-backrest-left"][0][4]  # the backrest, against the wall
    _category, pose, props = pictograms.EXERCISES["banded-glute-bridge"]
    assert props == ("floor", "band-thighs")
    hip, knee = pictograms.POSES[pose]["lines"][-1][:2]
    ((_kind, _colour, _width, start, control, end),) = pictograms.PROPS["band-thighs"]
    apex = ((start[0] + 2 * control[0] + end[0]) / 4, (start[1] + 2 * control[1] + end[1]) / 4)
    assert hip[0] < apex[0] < knee[0]  # across the thigh, nearer the knee than the hip
    assert apex[0] - hip[0] > knee[0] - apex[0]
    thigh_y = hip[1] + (knee[1] - hip[1]) * (apex[0] - hip[0]) / (knee[0] - hip[0])
    assert 0 <= thigh_y - apex[1] <= 3  # the band lies on top of the thigh (a 4-px stroke)
