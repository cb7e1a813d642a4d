"""The use cases the CLI and the tray share: plain data back, nothing printed, no argparse."""

import ast
import io
from datetime import datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from movebreak.clock import SimulatedClock
from movebreak.environment import Environment
from movebreak.records import BreakKind, Intensity
from movebreak.tray.actions import TrayActions
from movebreak.usecases import breaks, reminders, summary

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=BERLIN)  # a Wednesday
SRC = Path(__file__).resolve().parents[1] / "src" / "movebreak"


@pytest.fixture
def env(tmp_path):
    return Environment(stdout=io.StringIO(), stderr=io.StringIO(), stdin=None,
                       environ={"MOVEBREAK_HOME": str(tmp_path / "home"), "LANG": "C"},
                       clock=SimulatedClock(NOW), _tz=BERLIN)


@pytest.mark.parametrize(("options", "until"), [
    ({}, None),
    ({"duration": timedelta(minutes=90)}, NOW + timedelta(minutes=90)),
    ({"until_tomorrow": True}, datetime(2026, 11, 26, 4, 0, tzinfo=BERLIN)),
    ({"until_tomorrow": True, "duration": timedelta(minutes=5)}, datetime(2026, 11, 26, 4, 0, tzinfo=BERLIN)),
])
def test_pause_until_is_one_rule(options, until):
    assert reminders.pause_until(NOW, BERLIN, time(4), **options) == until


def test_new_break_defaults_to_five_minutes_ending_now_or_the_exercise():
    plain = breaks.new_break(NOW.astimezone(BERLIN))
    assert (plain.kind, plain.duration, plain.end, plain.intensity) == (BreakKind.LOGGED, timedelta(minutes=5),
                                                                         NOW, None)
    exercise = SimpleNamespace(id="wall-sit", duration=timedelta(minutes=2), intensity=Intensity.STRENGTH)
    done = breaks.new_break(NOW, exercise=exercise, start=NOW - timedelta(hours=1), note="x")
    assert (done.at, done.duration, done.exercise_id, done.intensity, done.note) == (
        NOW - timedelta(hours=1), timedelta(minutes=2), "wall-sit", Intensity.STRENGTH, "x")


def test_log_break_returns_what_was_saved_and_the_week_without_printing(env):
    done = breaks.log_break(env, minutes="20", kind="moderate")
    assert done.saved.id is not None and done.minutes == 20.0 and done.intensity is Intensity.MODERATE
    assert done.week == breaks.WeekFigures(20.0, 0)
    assert env.stdout.getvalue() == "" and env.stderr.getvalue() == ""


def test_the_tray_summary_writes_the_cached_page_and_says_when_no_browser_opens(env, monkeypatch):
    import webbrowser

    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda uri: opened.append(uri) or False)
    notices = []
    ui = SimpleNamespace(notice=notices.append, refresh=lambda force=False: None)
    TrayActions(None, env, ui, run=lambda name, work: work()).summary()
    page = env.paths.summary_html
    assert page.read_text(encoding="utf-8").startswith("<!") and opened == [page.resolve().as_uri()]
    assert notices == [summary.open_in_browser(page)]


def test_only_the_cli_imports_argparse_and_nothing_but_the_entry_point_imports_the_cli():
    users = []
    for path in SRC.rglob("*.py"):
        if path.relative_to(SRC).parts[0] in ("cli", "__main__.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(name.split(".")[0] == "argparse" for name in names) \
                    or any(name.startswith("movebreak.cli") for name in names):
                users.append(str(path.relative_to(SRC)))
    assert users == []
