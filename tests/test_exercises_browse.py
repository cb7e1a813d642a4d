"""The exercise browser's filters and search (exercises/browse.py), without a window."""

from __future__ import annotations

import pytest

from movebreak import i18n
from movebreak.exercises.browse import MINE, AtHand, Filters, browse, index_of
from movebreak.exercises.catalogue import load_catalogue


@pytest.fixture(scope="module")
def exercises():
    loaded, problems = load_catalogue()
    assert problems == []
    return loaded.all()


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def ids(found) -> set[str]:
    return {e.id for e in found}


def test_no_filter_lists_everything_in_catalogue_order(exercises):
    assert browse(exercises, Filters(), "en") == tuple(exercises)


def test_each_filter_keeps_only_what_it_names(exercises):
    assert {e.category for e in browse(exercises, Filters(category="cardio"), "en")} == {"cardio"}
    assert {e.place for e in browse(exercises, Filters(place="floor"), "en")} == {"floor"}
    assert all(e.minutes <= 2 for e in browse(exercises, Filters(max_minutes=2), "en"))
    assert all(not e.needs for e in browse(exercises, Filters(equipment="none"), "en"))
    band = browse(exercises, Filters(equipment="band"), "en")
    assert band and all("band" in e.needs for e in band)
    both = browse(exercises, Filters(category="strength", place="floor", max_minutes=1), "en")
    assert both and all(e.category == "strength" and e.place == "floor" and e.minutes <= 1 for e in both)


def test_what_i_have_follows_the_equipment_and_the_floor_setting(exercises):
    desk_only = browse(exercises, Filters(equipment=MINE), "en", AtHand(frozenset({"none", "desk"}), False))
    assert desk_only and all(e.needs <= {"desk"} and e.place != "floor" for e in desk_only)
    with_floor = browse(exercises, Filters(equipment=MINE), "en", AtHand(frozenset({"none", "band"}), True))
    assert "banded-glute-bridge" in ids(with_floor) and "banded-glute-bridge" not in ids(desk_only)


def test_search_finds_names_and_muscles_case_insensitively(exercises):
    assert ids(browse(exercises, Filters(text="GLUTE BRIDGE"), "en")) == {"glute-bridge", "banded-glute-bridge"}
    calves = browse(exercises, Filters(text="calves"), "en")
    assert "calf-raise" in ids(calves) and all("calves" in e.muscles for e in calves)
    assert browse(exercises, Filters(text="no such exercise"), "en") == ()


def test_search_in_german_finds_german_names_and_muscle_labels(exercises):
    bridge = next(e for e in exercises if e.id == "glute-bridge")
    german_name = bridge.name("de")
    assert german_name != bridge.name("en")
    with i18n.using("de"):
        found = browse(exercises, Filters(text=german_name.upper()), "de")
        assert "glute-bridge" in ids(found)
        calves = browse(exercises, Filters(text="waden"), "de")
    assert "calf-raise" in ids(calves)
    assert browse(exercises, Filters(text="waden"), "en") == ()  # English labels in English


def test_index_of_finds_the_selected_exercise(exercises):
    assert index_of(exercises, exercises[3].id) == 3
    assert index_of(exercises, "gone") is None and index_of(exercises, None) is None


@pytest.mark.parametrize("language", ["en", "de"])
def test_each_alt_letter_of_the_window_reaches_one_thing(language):
    from movebreak.tray.browser import BUTTON_LABELS, FIELD_LABELS, LIST_LABEL, mnemonic

    with i18n.using(language):
        labels = [mnemonic(i18n._(text)) for text in [*FIELD_LABELS.values(), LIST_LABEL, *BUTTON_LABELS.values()]]
    letters = [text[index].lower() for text, index in labels if index >= 0]
    assert len(letters) == len(set(letters)) == len(labels) - 1, labels  # Close is Esc


def test_the_tray_says_what_was_logged_as_movebreak_log_does():
    from datetime import datetime, timedelta, timezone

    from movebreak.records import Activity, BreakKind
    from movebreak.tray.browser import logged_text

    start = datetime(2026, 11, 30, 13, 5, tzinfo=timezone.utc)
    activity = Activity(at=start, kind=BreakKind.LOGGED, duration=timedelta(minutes=2), exercise_id="wall-sit")
    assert logged_text(activity, "Wall sit", timezone(timedelta(hours=1))) == "Logged 2 min: Wall sit, from 14:05."
    with i18n.using("de"):
        assert logged_text(activity, "Wandsitzen", timezone.utc).startswith("Eingetragen: 2 Min.")
