"""The renderers: stable JSON, the terminal table, and the page (parsed without a browser)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest

from movebreak.i18n import current_language, set_language
from movebreak.summary import build_history, build_week, render_html, render_text, to_json
from movebreak.summary.accounting import IsoWeek
from movebreak.summary.render_json import round_minutes
from test_summary_seed import BERLIN, SCRIPT, SEEDED_WEEKS, seeded_history

DAY_KEYS = {
    "date", "sitting_minutes", "tracked_minutes", "working_sitting_minutes", "working_tracked_minutes",
    "off_hours_sitting_minutes", "off_hours_tracked_minutes", "sitting_share", "rated", "at_or_under_baseline",
    "longest_sitting_minutes", "sitting_bouts_30", "sitting_bouts_60", "hours_tracked", "hours_moved", "hours",
    "moderate_minutes", "vigorous_minutes", "aerobic_minutes", "light_minutes", "strength_minutes",
    "mobility_minutes", "strength_day", "muscles", "breaks_taken", "natural_breaks", "logged_breaks",
    "reminders_snoozed", "reminders_skipped", "reminders_ignored", "exercises",
}
# the interface: these totals keys, spelled exactly so
TOTAL_KEYS = {"moderate_minutes", "vigorous_minutes", "aerobic_minutes", "light_minutes", "strength_minutes",
              "strength_days", "mobility_minutes", "sitting_share", "sitting_bouts_30", "sitting_bouts_60",
              "longest_sitting_minutes"}


@pytest.fixture(scope="module")
def summaries():
    return build_history(SEEDED_WEEKS, BERLIN, **seeded_history().kwargs())


@pytest.fixture(scope="module")
def week47(summaries):
    return summaries[-1]


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


# ----------------------------------------------------------------- JSON


def test_json_has_the_stable_keys(week47):
    data = to_json(week47)
    assert (data["schema"], data["week"]) == (2, "2026-W47")
    assert len(data["days"]) == 7 and all(DAY_KEYS == set(day) for day in data["days"])
    assert TOTAL_KEYS <= set(data["totals"]) and "activity_minutes" not in data["totals"]
    assert data["targets"]["aerobic_minutes"] == 150 and data["targets"]["strength_day_minutes"] == 10
    assert data["targets"]["strength_days"] == 2
    assert data["targets"]["sitting_share_baseline"] == 0.7875
    assert (data["streak"], data["streak_before"]) == (0, 1)
    assert [h["week"] for h in data["history"]] == [f"2026-W{n}" for n in range(39, 47)]
    assert json.loads(json.dumps(data)) == data  # plain JSON types only


def test_json_numbers_of_the_seeded_week(week47):
    data = to_json(week47)
    monday = data["days"][0]
    assert {k: monday[k] for k in ("date", "sitting_minutes", "tracked_minutes", "sitting_share",
                                   "longest_sitting_minutes", "aerobic_minutes", "breaks_taken",
                                   "natural_breaks", "logged_breaks", "reminders_snoozed", "sitting_bouts_30",
                                   "sitting_bouts_60", "hours_moved", "hours_tracked")} == {
        "date": "2026-11-16", "sitting_minutes": 425.0, "tracked_minutes": 540.0, "sitting_share": 0.787,
        "longest_sitting_minutes": 120.0, "aerobic_minutes": 25.0, "breaks_taken": 2,
        "natural_breaks": 1, "logged_breaks": 1, "reminders_snoozed": 1,
        # spans of 90, 90, 45, 120 and 80 min; of 08..16 h, 9, 11, 12, 15 and 16 held a break
        "sitting_bouts_30": 5, "sitting_bouts_60": 4, "hours_moved": 5, "hours_tracked": 9,
    }
    assert [(h["hour"], h["state"]) for h in monday["hours"] if h["state"] != "untracked"] == [
        (8, "sat"), (9, "moved"), (10, "sat"), (11, "moved"), (12, "moved"), (13, "sat"), (14, "sat"),
        (15, "moved"), (16, "moved")]
    totals = data["totals"]
    assert (totals["sitting_minutes"], totals["tracked_minutes"], totals["aerobic_minutes"], totals["strength_minutes"],
            totals["strength_days"], totals["sitting_share"]) == (1845.0, 2280.0, 35.0, 50.0, 1, 0.8092)
    assert data["days"][5]["sitting_share"] is None
    assert data["days"][2]["exercises"][1] == {
        "at": "2026-11-18T18:30+01:00", "name": "", "exercise_id": None, "kind": "logged",
        "intensity": "strength", "minutes": 30.0, "note": f"Leg day {SCRIPT}",
    }


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, 0.0), (59, 1.0), (5397, 90.0), (5391, 89.9), (5392.99, 89.9), (3, 0.1), (2.99, 0.0), (-30, -0.5)],
)
def test_minutes_round_to_one_decimal_half_up(seconds, expected):
    assert round_minutes(timedelta(seconds=seconds)) == expected


def test_empty_week_json():
    data = to_json(build_week(IsoWeek(2026, 45), BERLIN))
    assert data["totals"]["has_data"] is False
    assert all(day["sitting_minutes"] == 0.0 and day["sitting_share"] is None for day in data["days"])
    assert data["exercises"] == [] and data["history"] == [] and data["streak"] == 0


# ----------------------------------------------------------------- text


def test_text_table_of_the_seeded_week(week47):
    text = render_text(week47)
    lines = text.splitlines()
    assert lines[0] == "Week 2026-W47 · Mon 16 Nov – Sun 22 Nov 2026"
    assert re.match(r"^Day\s+Sitting\s+Share\s+Longest\s+≥30/≥60\s+Moved\s+WHO min\s+Strength\s+Breaks$", lines[2])
    assert lines[4].split() == ["Mon", "16", "Nov", "7:05", "79", "%", "2:00", "5/4", "5/9", "25", "·", "4"]
    assert lines[6].split() == ["Wed", "18", "Nov", "6:40", "83", "%", "3:00", "3/3", "3/9", "0", "50/10", "✓", "2"]
    assert lines[9].split()[3:] == ["–", "–", "–", "–", "–", "0", "·", "0"]
    assert lines[12].split() == ["Week", "30:45", "81", "%", "4:00", "15/14", "15/41", "35", "1/2", "9"]
    assert "Progress: 35/150 WHO aerobic min · 1/2 strength days" in lines
    assert "At or under the baseline on 2 of 5 days with at least 1:00 tracked in working hours" in lines
    assert "WHO aerobic minutes: 35 moderate + 2 × 0 vigorous = 35 of 150" in lines
    assert "Strength days: 1 of 2 (a day counts from 10 min; 50 min in all) · Wed" in lines
    assert "WHO goals not met yet this week; met the week before" in lines
    assert ("Sitting in working hours: 30:45 of 38:00 tracked (81 %); office baseline: about 6.3 of 8 working "
            "hours sitting (79 %)") in lines
    assert "Bull et al. 2020, Br J Sports Med" in text and "Daneshmandi et al. 2017" in text
    assert lines[-1] == "This summary encourages movement; it is not medical advice and no substitute for it."
    assert all(line == line.rstrip() for line in lines)
    widths = {len(line) for line in lines[2:13]}
    assert len(widths) == 1  # the columns line up


def test_text_in_german(week47):
    set_language("de")
    text = render_text(week47)
    assert text.startswith("Woche 2026-W47 · Mo 16. Nov. – So 22. Nov. 2026\n")
    assert "Fortschritt: 35/150 WHO-Ausdauerminuten · 1/2 Krafttage" in text
    assert "Büro-Richtwert: etwa 6,3 von 8 Arbeitsstunden im Sitzen (79 %)" in text
    assert "79 %" in text and "keine medizinische Beratung" in text and "78,7" not in text


def test_text_of_an_empty_week_says_so():
    text = render_text(build_week(IsoWeek(2026, 45), BERLIN))
    assert "No data for this week." in text
    assert "Progress: 0/150 WHO aerobic min · 0/2 strength days" in text


@pytest.mark.parametrize(("streak", "before", "line"), [
    (1, 0, "Both WHO goals met this week"),
    (3, 2, "Both WHO goals met: 3 weeks in a row"),
    (0, 0, "WHO goals not met yet this week"),
    (0, 4, "WHO goals not met yet this week; met 4 weeks in a row before"),
])
def test_streak_line(week47, streak, before, line):
    from dataclasses import replace
    assert line in render_text(replace(week47, streak=streak, streak_before=before)).splitlines()


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_finished_week_never_says_this_week_or_yet(summaries, language):
    from movebreak.summary.accounting import WeekPhase
    from dataclasses import replace

    set_language(language)
    for summary in summaries:
        finished = replace(summary, phase=WeekPhase.FINISHED)
        for text in (render_text(finished), render_html(finished, language=language)):
            lowered = text.lower()
            for phrase in (("this week", "(yet)", " yet", "none yet") if language == "en" else
                           ("diese woche", "noch nicht", "(noch)", "bisher keine")):
                assert phrase not in lowered, (str(summary.week), phrase)
    assert f"WHO goals not met in week 2026-W47" in render_text(replace(summaries[-1], phase=WeekPhase.FINISHED)) \
        or language == "de"


@pytest.mark.parametrize(("language", "one", "many"), [
    ("en", "At or under the baseline on 0 of 1 day with", "At or under the baseline on 2 of 5 days with"),
    ("de", "an 0 von 1 Tag mit", "an 2 von 5 Tagen mit"),
])
def test_plurals_fit_the_count(week47, language, one, many):
    from dataclasses import replace

    set_language(language)
    assert many in render_text(week47)
    single = replace(week47, totals=replace(week47.totals, rated_days=1, days_at_or_under_baseline=0))
    assert one in render_text(single)


# ----------------------------------------------------------------- HTML (no browser)


class Hooks(HTMLParser):
    """Collects (key, date or week, data-value, visible text) of every data-key element."""

    def __init__(self):
        super().__init__()
        self.stack: list[list] = []
        self.found: list[tuple[str, str | None, str, str]] = []
        self.scripts = 0
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href"):
            if name in attrs:
                self.links.append(attrs[name])
        if tag in ("circle", "line", "rect", "meta", "br", "path") and "data-key" not in attrs:
            return
        self.stack.append([tag, attrs, ""])

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, attrs, text = self.stack.pop()
            if "data-key" in attrs:
                scope = attrs.get("data-date") or attrs.get("data-week")
                if "data-hour" in attrs:
                    scope = f'{scope}T{int(attrs["data-hour"]):02d}'
                self.found.append((attrs["data-key"], scope, attrs["data-value"], text.strip()))
            if self.stack:
                self.stack[-1][2] += text
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2] += data


def parse_hooks(page: str) -> Hooks:
    parser = Hooks()
    parser.feed(page)
    return parser


def _json_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def expected_hooks(data: dict) -> dict[tuple[str, str | None], str]:
    """What every hook on the page must say, from the JSON."""
    expected = {}
    day_keys = ("working_sitting_minutes", "working_tracked_minutes", "sitting_share", "off_hours_sitting_minutes",
                "longest_sitting_minutes", "sitting_bouts_30", "sitting_bouts_60", "aerobic_minutes",
                "strength_minutes", "breaks_taken", "natural_breaks", "logged_breaks",
                "reminders_snoozed", "reminders_skipped", "reminders_ignored")
    for day in data["days"]:
        for key in day_keys:
            expected[(key, day["date"])] = _json_value(day[key])
        for hour in day["hours"]:
            expected[("hour", f'{day["date"]}T{hour["hour"]:02d}')] = hour["state"]
    for week in data["history"] + [data["totals"]]:
        expected[("aerobic_minutes", week["week"])] = _json_value(week["aerobic_minutes"])
    totals = data["totals"]
    for key in ("aerobic_minutes", "strength_days", "sitting_share", "days_at_or_under_baseline", "rated_days",
                "working_sitting_minutes", "working_tracked_minutes", "off_hours_sitting_minutes",
                "longest_sitting_minutes", "sitting_bouts_30", "sitting_bouts_60", "breaks_taken", "natural_breaks",
                "logged_breaks", "reminders_snoozed", "reminders_skipped", "reminders_ignored"):
        expected[(key, None)] = _json_value(totals[key])
    expected[("streak", None)] = _json_value(data["streak"])
    expected[("target_aerobic_minutes", None)] = _json_value(data["targets"]["aerobic_minutes"])
    expected[("target_strength_days", None)] = _json_value(data["targets"]["strength_days"])
    return expected


def check_page_against_json(found, data: dict, language: str = "en") -> int:
    """Each hook's data-value equals the JSON, and its visible text shows that value."""
    expected = expected_hooks(data)
    seen = {}
    for key, scope, value, text in found:
        assert (key, scope) in expected, (key, scope)
        assert value == expected[(key, scope)], (key, scope, value)
        seen.setdefault((key, scope), set()).add(value)
        assert visible_matches(key, value, text, language), (key, scope, value, text)
    assert set(seen) == set(expected), set(expected) - set(seen)
    return len(found)


def visible_matches(key: str, value: str, text: str, language: str) -> bool:
    decimal = "," if language == "de" else "."
    if text == "–":  # a day without tracked time shows a dash for its durations and share
        return float(value or 0) == 0
    if value in ("true", "false"):
        return text == ("✓" if value == "true" else "·")
    if key == "hour":
        return text.startswith({"moved": "✓", "sat": "■", "untracked": "·"}[value])
    if key == "strength_minutes":
        return text == "·" if float(value) == 0 else text.split("/")[0] == str(int(float(value)))
    if key == "strength_days":
        return text.split("/")[0] == value
    if key.endswith("_minutes") and ":" in text:
        hours, minutes = text.split(":")
        whole = int(float(value) + 0.5)
        return (int(hours), int(minutes)) == divmod(whole, 60)
    if key.endswith("share"):
        return text == f"{round(float(value) * 100)} %"
    number = float(value)
    shown = str(int(number)) if number.is_integer() else str(number).replace(".", decimal)
    return text == shown


@pytest.mark.parametrize("language", ["en", "de"])
def test_page_numbers_equal_the_json(week47, language):
    data = to_json(week47)
    page = render_html(week47, language=language)
    hooks = parse_hooks(page)
    assert check_page_against_json(hooks.found, data, language) > 100
    assert current_language() == "en"  # the page language does not leak


def test_page_is_self_contained_and_escapes_user_text(week47):
    page = render_html(week47, language="en")
    hooks = parse_hooks(page)
    assert hooks.scripts == 0 and hooks.links == []
    assert "url(" not in page and "@import" not in page and "http://" not in page and "https://" not in page
    assert SCRIPT not in page
    assert "Yoga flow &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Leg day &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "prefers-color-scheme: dark" in page


def test_page_shows_the_parts_asked_for(week47):
    page = render_html(week47, language="en")
    assert "Office baseline 6:18" in page  # the line across the sitting bars
    assert "office baseline: about 6.3 of 8 working hours sitting" in page
    assert "Bull et al. 2020, Br J Sports Med" in page and "Daneshmandi et al. 2017" in page
    assert page.count('class="dot done"') == 1 and page.count('class="dot"') == 1  # 1 of 2 strength days
    assert "115 min to go" in page and 'id="hour-grid"' in page
    for week in range(39, 48):
        assert f">W{week}<" in page
    assert "it is not medical advice" in page
    assert "stop on sharp pain" in page.lower() and 'id="safety"' in page  # the exercises' safety line
    assert '<html lang="en">' in page


def test_page_in_german(week47):
    page = render_html(week47, language="de")
    assert '<html lang="de">' in page
    assert "Deine Woche in Bewegung" in page and "Büro-Richtwert 6:18" in page
    assert "keine medizinische Beratung" in page


def test_page_history_argument_takes_summaries_or_totals(summaries):
    week47 = summaries[-1]
    bare = build_week(week47.week, BERLIN, **seeded_history().kwargs())
    from_summaries = render_html(bare, summaries[-5:-1], language="en")
    from_totals = render_html(bare, [s.totals for s in summaries[-5:]], language="en")  # the week itself is dropped
    assert from_summaries == from_totals
    assert ">W42<" not in from_summaries and ">W43<" in from_summaries


def test_page_of_an_empty_week():
    summary = build_week(IsoWeek(2026, 45), BERLIN)
    page = render_html(summary, language="en")
    assert "No data for this week." in page and "No exercises logged this week." in page
    check_page_against_json(parse_hooks(page).found, to_json(summary))


@pytest.mark.parametrize(("language", "one", "many"), [("en", "week", "weeks"), ("de", "Woche", "Wochen")])
def test_the_streak_card_says_one_week_in_the_singular(week47, language, one, many):
    from dataclasses import replace

    assert f'data-value="1">1</span><small> {one}</small>' in render_html(replace(week47, streak=1), language=language)
    assert f'data-value="3">3</span><small> {many}</small>' in render_html(replace(week47, streak=3), language=language)
