"""Extreme values everywhere a number or a time enters: one line, never a traceback, never a refused start.

The real CLI (subprocesses with a private MOVEBREAK_HOME), the real AppCore on a real history with
a simulated clock (terminal mode's commands and the tray's calls), and a history edited by hand.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from movebreak import config as config_module
from movebreak.clock import SimulatedClock
from movebreak.errors import MovebreakError
from movebreak.exercises.catalogue import load_catalogue
from movebreak.running.core import AppCore
from movebreak.store import Store
from test_app_core import RecordingNotifier, ScriptedProbe
from test_run_terminal import FAST, App, headless_env

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN)  # a Monday, in working hours


def cli(home: Path, *args: str, tz: str | None = "UTC") -> subprocess.CompletedProcess:
    env = headless_env(home)
    if tz is not None:
        env["TZ"] = tz
    return subprocess.run([sys.executable, "-m", "movebreak", *args], env=env, capture_output=True, text=True,
                          timeout=30)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    """The one stderr line of a refused command (exit 1 or 2, no traceback)."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (1, 2), (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("movebreak:"), lines
    return lines[0]


@pytest.fixture
def home(tmp_path) -> Path:
    root = tmp_path / "home"
    (root / "config").mkdir(parents=True)
    return root


# --- the CLI: every number and moment it takes --------------------------------------------------------

REFUSED = [
    (("log", "--minutes", "nan"), '--minutes: "nan" is not a number of minutes'),
    (("log", "--minutes", "inf"), "--minutes: minutes must be more than 0 and at most 600, got inf"),
    (("log", "--minutes=-inf"), "--minutes: minutes must be more than 0 and at most 600"),
    (("log", "--minutes", "1e9"), "--minutes: minutes must be more than 0 and at most 600, got 1e9"),
    (("log", "--minutes", "1e400"), "--minutes: minutes must be more than 0 and at most 600"),
    (("log", "--minutes", "0"), "--minutes: minutes must be more than 0"),
    (("log", "--minutes", "-1"), "--minutes: minutes must be more than 0"),
    (("log", "--minutes", "600.01"), "at most 600"),
    (("log", "--at", "0001-01-01 00:00"), "is before 1970-01-01"),
    (("log", "--at", "0001-01-01T00:00+05:00"), "is before 1970-01-01"),  # OverflowError in to_db before
    (("log", "--at", "1969-12-31 23:59"), "is before 1970-01-01"),
    (("log", "--at", "1970-01-01T00:30+01:00"), "is before 1970-01-01"),
    (("log", "--at", "9999-12-31 23:59"), "is in the future"),
    (("log", "--at", "9999-12-31T23:59-05:00"), "is in the future"),
    (("pause", "999999999999h"), "pause: \"999999999999h\" is too long for a duration"),  # OverflowError before
    (("pause", "9" * 400 + "s"), "too long for a duration"),
    (("pause", "0s"), "pause: a pause must be more than 0 and at most 7 days"),
    (("pause", "169h"), "pause: a pause must be more than 0 and at most 7 days"),
    (("pause", "1e9"), "pause: \"1e9\" is not a duration"),
    (("pause", "inf"), "pause: \"inf\" is not a duration"),
    (("pause", "0"), "pause: \"0\" is not a duration"),
    (("snooze", "inf"), "snooze: a snooze must be more than 0 and at most 30 min"),
    (("snooze", "1e9"), "snooze: a snooze must be more than 0 and at most 30 min"),
    (("snooze", "0"), "snooze: a snooze must be more than 0"),
    (("snooze", "31"), "snooze: a snooze must be more than 0 and at most 30 min"),
    (("snooze", "nan"), 'snooze: "nan" is not a number of minutes'),
    (("summary", "--week", "0001-W01"), "--week: \"0001-W01\" is outside the weeks a summary can show"),
    (("summary", "--week", "1969-W01"), "is outside the weeks a summary can show, 1970-W01 to 9998-W53"),
    (("summary", "--week", "9999-W52"), "is outside the weeks"),
    (("summary", "--week", "9999-W53", "--json"), "is outside the weeks"),
    (("summary", "--week", "9" * 5000 + "-W01"), "--week:"),
]


@pytest.mark.parametrize(("argv", "message"), REFUSED, ids=[" ".join(a)[:40] for a, _m in REFUSED])
def test_the_cli_refuses_an_extreme_value_in_one_line(home, argv, message):
    line = one_line_error(cli(home, *argv))
    assert message in line


@pytest.mark.parametrize(
    "argv",
    [
        ("summary", "--week", "1970-W01"),
        ("summary", "--week", "9998-W53", "--json"),
        ("export", "--since", "0001-01-01"),
        ("export", "--since", "9999-12-31", "--format", "csv"),
    ],
)
@pytest.mark.parametrize("tz", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])  # UTC+14 and UTC-11
def test_calendar_edges_that_make_sense_work_in_zones_far_from_utc(home, argv, tz):
    result = cli(home, *argv, tz=tz)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


# --- the time zone ------------------------------------------------------------------------------------


@pytest.mark.parametrize("setting", [":/etc/nonexistent", "Foo/Bar", "UTC+99", "../../etc/passwd"])
def test_a_tz_python_cannot_use_gives_one_warning_and_every_command_works(home, setting):
    for argv in (("status", "--json"), ("log", "--minutes", "5"), ("summary", "--json"), ("export",)):
        result = cli(home, *argv, tz=setting)
        assert result.returncode == 0, (argv, result.stderr)
        assert "Traceback" not in result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f'movebreak: TZ "{setting}" is not a time zone'), lines
    assert json.loads(cli(home, "export", tz=setting).stdout)["activities"]


def test_a_posix_tz_rule_keeps_its_daylight_saving(home):
    """EST5EDT with its DST rule: July is UTC-4, January UTC-5 (a fixed offset would get one wrong)."""
    rule = "EST5EDT,M3.2.0,M11.1.0"
    for moment in ("2026-01-05 12:00", "2026-07-01 12:00"):
        result = cli(home, "log", "--minutes", "5", "--at", moment, tz=rule)
        assert result.returncode == 0 and result.stderr == "", result.stderr
    starts = [a["start"] for a in json.loads(cli(home, "export", tz=rule).stdout)["activities"]]
    assert starts == ["2026-01-05T17:00:00Z", "2026-07-01T16:00:00Z"]


# --- config and catalogue durations ----------------------------------------------------------------


def test_huge_config_durations_are_one_line_each_and_the_defaults_are_used(home):
    (home / "config" / "config.toml").write_text(
        '[reminders]\nremind_after = "999999999999h"\nsnooze = "1e400s"\n'
        'snooze_options = ["99999999999999999999h", "5m"]\n'
        f'[tracking]\npoll_every = "{"9" * 400}s"\n')
    check = cli(home, "config", "check")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    lines = check.stderr.splitlines()
    assert len(lines) == 4 and all("using the default" in line for line in lines), lines
    assert "too long for a duration" in lines[0]
    status = cli(home, "status")
    assert status.returncode == 0 and len(status.stderr.splitlines()) == 0  # status does not report config
    shown = cli(home, "config", "show").stdout
    assert 'remind_after = "45m"' in shown and 'snooze_options = ["5m", "10m", "15m", "30m"]' in shown


@pytest.mark.parametrize("duration", ['"999999999999h"', f'"{"9" * 400}s"', '"0s"', '"-1s"', "1e300", '"1e300s"'])
def test_an_extreme_catalogue_duration_is_one_line_and_the_built_in_catalogue_stays(home, duration):
    before = len(json.loads(cli(home, "exercises", "--json").stdout))
    (home / "config" / "exercises.toml").write_text(f'[[exercise]]\nid = "wall-sit"\nduration = {duration}\n')
    result = cli(home, "exercises", "--json")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "field 'duration'" in lines[0], lines
    exercises = json.loads(result.stdout)
    assert len(exercises) == before
    assert next(e for e in exercises if e["id"] == "wall-sit")["duration_seconds"] > 0


# --- terminal mode and the tray: the same limits, the same words ------------------------------------------


@pytest.fixture
def core(tmp_path):
    clock = SimulatedClock(START)
    store = Store(tmp_path / "history.sqlite3", now=clock.now)
    cfg = config_module.parse_text('[tracking]\npoll_every = "10s"\n', tmp_path / "config.toml")
    catalogue, _problems = load_catalogue(None)
    probe = ScriptedProbe(clock)
    app = AppCore(settings=cfg.app_settings(), store=store, clock=clock, tz=BERLIN, probe=probe, notifier=RecordingNotifier(),
                  catalogue=catalogue, language="en", rng=random.Random(7))
    app.tick()
    yield app
    store.close()


TERMINAL = [
    ("b inf", "break: minutes must be more than 0 and at most 600, got inf"),  # OverflowError before
    ("b 1e9", "break: minutes must be more than 0 and at most 600, got 1e9"),  # OverflowError before
    ("b 0", "break: minutes must be more than 0 and at most 600, got 0"),  # a 0-minute break before
    ("b -1", "break: minutes must be more than 0"),
    ("b nan", 'break: "nan" is not a number of minutes'),
    ("s inf", "snooze: a snooze must be more than 0 and at most 30 min"),
    ("s 1e9", "snooze: a snooze must be more than 0 and at most 30 min"),
    ("s 0", "snooze: a snooze must be more than 0"),
    ("s 31", "snooze: a snooze must be more than 0 and at most 30 min"),
    ("p 0s", "pause: a pause must be more than 0 and at most 7 days"),  # paused until resumed before
    ("p 169h", "pause: a pause must be more than 0 and at most 7 days"),
    ("p 999999999999h", 'pause: "999999999999h" is too long for a duration'),
    ("p 1e9", 'pause: "1e9" is not a duration'),
    ("p inf", 'pause: "inf" is not a duration'),
    ("p 0", 'pause: "0" is not a duration'),
]


@pytest.mark.parametrize(("line", "message"), TERMINAL, ids=[line for line, _m in TERMINAL])
def test_terminal_mode_refuses_an_extreme_value_in_one_line_and_changes_nothing(core, line, message):
    breaks_before = core.store.last_activity_id()
    answer = core.handle_text_command(line)
    assert answer is not None and "\n" not in answer
    assert answer.startswith(message.split(":", 1)[0] + ":"), answer
    assert message in answer
    assert core.store.last_activity_id() == breaks_before
    assert core.store.active_pause(core.clock.now()) is None
    assert not core.status().paused


@pytest.mark.parametrize(
    ("argv", "line"),
    [(("log", "--minutes", "inf"), "b inf"), (("log", "--minutes", "0"), "b 0"), (("snooze", "31"), "s 31"),
     (("snooze", "nan"), "s nan"), (("pause", "169h"), "p 169h"), (("pause", "1e9"), "p 1e9")],
)
def test_the_cli_and_terminal_mode_say_the_same_after_naming_the_input(home, core, argv, line):
    from_cli = one_line_error(cli(home, *argv)).split(": ", 2)[2]
    from_terminal = core.handle_text_command(line).split(": ", 1)[1]
    assert from_cli == from_terminal


def test_terminal_mode_takes_the_largest_values_allowed(core):
    assert core.handle_text_command("b 600") == "Break recorded: 600 min."
    until = core.handle_text_command("p 168h")
    assert until.startswith("Paused until ")
    assert core.store.active_pause(core.clock.now()).end == core.clock.now() + timedelta(days=7)


def test_the_tray_calls_check_the_same_limits(core):
    with pytest.raises(MovebreakError, match="^break: minutes must be more than 0 and at most 600, got inf$"):
        core.log_break(minutes=float("inf"))
    with pytest.raises(MovebreakError, match="^pause: a pause must be more than 0"):
        core.pause(timedelta(0))  # was: paused until resumed
    with pytest.raises(MovebreakError, match="^snooze: a snooze must be more than 0 and at most 30 min"):
        core.snooze(1e9)
    assert core.store.active_pause(core.clock.now()) is None


def test_a_hand_edited_snooze_command_is_refused_in_one_answer_and_the_tick_goes_on(core, tmp_path):
    import json
    import sqlite3

    other = Store(tmp_path / "history.sqlite3")
    other.enqueue_command("snooze", {"minutes": 1e300})
    with other.transaction() as db:
        db.execute("INSERT INTO commands (created_utc, kind, payload) VALUES (?, 'snooze', '{not json')",
                   ("2026-11-23T08:00:00+00:00",))
        db.execute("INSERT INTO commands (created_utc, kind, payload) VALUES (?, 'snooze', '[1, 2]')",
                   ("2026-11-23T08:00:00+00:00",))
    other.close()
    core.clock.advance(timedelta(seconds=10))
    core.tick()  # an OverflowError escaped the tick before
    with sqlite3.connect(tmp_path / "history.sqlite3") as db:
        answers = [json.loads(r[0]) if r[0] else None for r in db.execute("SELECT result FROM commands ORDER BY id")]
    assert answers[0] == {"ok": False, "message": "snooze: a snooze must be more than 0 and at most 30 min "
                                                  "(the longest snooze in the settings), got 1e+300"}
    core.clock.advance(timedelta(seconds=10))
    core.tick()
    with sqlite3.connect(tmp_path / "history.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM commands WHERE done_utc IS NULL").fetchone()[0] == 0


# --- a history edited by hand ---------------------------------------------------------------------------

NOW_TEXT = "2026-11-30T08:00:00.000000+00:00"
BAD_ACTIVITIES = [
    ("garbage", "logged", 5, None),
    ("2026-02-30T10:00:00+00:00", "logged", 5, None),  # an impossible date
    (NOW_TEXT, "logged", 1e300, None),
    (NOW_TEXT, "logged", -5, None),
    (NOW_TEXT, "logged", None, None),
    (NOW_TEXT, "sprint", 5, None),
    (NOW_TEXT, "logged", 5, "heavy"),
    (None, "logged", 5, None),
    (NOW_TEXT, "logged", float("inf"), None),
    (NOW_TEXT, "logged", "abc", None),
    (12345, "logged", 5, None),
]


def edit_history(path: Path, now_text: str) -> None:
    """Rows the app never writes: tables rebuilt without their CHECK and NOT NULL constraints."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA ignore_check_constraints = ON")
    for table, columns in (
            ("activities", "id INTEGER PRIMARY KEY, at_utc, kind, exercise_id, minutes, intensity, note, created_utc"),
            ("sitting_spans", "id INTEGER PRIMARY KEY, start_utc, end_utc, closed"),
            ("reminders", "id INTEGER PRIMARY KEY, at_utc, outcome, sitting_minutes, snooze_minutes, exercise_id")):
        db.execute(f"ALTER TABLE {table} RENAME TO old_{table}")
        db.execute(f"CREATE TABLE {table} ({columns})")
        db.execute(f"INSERT INTO {table} SELECT * FROM old_{table}")
        db.execute(f"DROP TABLE old_{table}")
    for at, kind, minutes, intensity in [(a.replace(NOW_TEXT, now_text) if isinstance(a, str) else a, *rest)
                                         for a, *rest in BAD_ACTIVITIES]:
        db.execute("INSERT INTO activities (at_utc, kind, minutes, intensity, created_utc) VALUES (?, ?, ?, ?, ?)",
                   (at, kind, minutes, intensity, now_text))
    db.executemany("INSERT INTO sitting_spans (start_utc, end_utc, closed) VALUES (?, ?, ?)",
                   [(now_text, "2000-01-01T00:00:00+00:00", 0), ("2026-13-30T09:00:00+00:00", "x", 1), (None, None, 0)])
    db.executemany("INSERT INTO reminders (at_utc, outcome, sitting_minutes, snooze_minutes) VALUES (?, ?, ?, ?)",
                   [(now_text, "exploded", 1e300, None), (now_text, "snoozed", 10, 1e300),
                    (now_text, "snoozed", None, 5)])
    db.execute("INSERT INTO pauses (start_utc, end_utc, reason) VALUES ('2026-11-23T07:00:00+00:00', 'garbage', 'x')")
    db.execute("INSERT INTO tracked_spans (start_utc, end_utc) VALUES (?, 'zz')", (now_text,))
    db.executemany("INSERT INTO commands (created_utc, kind, payload) VALUES (?, 'snooze', ?)",
                   [(now_text, "{not json"), (now_text, '{"minutes": 1e300}'), (now_text, "[1, 2]"),
                    (now_text, "[" * 100_000)])
    db.execute("INSERT OR REPLACE INTO app_state (key, value, updated_utc) VALUES ('engine', '{garbage', ?)",
               (now_text,))
    db.execute("INSERT OR REPLACE INTO app_state (key, value, updated_utc) VALUES ('status', '[1]', 'nope')")
    db.commit()
    db.close()


@pytest.fixture
def edited(home) -> Path:
    """A real history with one good break, then the bad rows above (dated now, to fall in this week)."""
    logged = cli(home, "log", "--minutes", "20", "--kind", "moderate", "--note", "the good one")
    assert logged.returncode == 0, logged.stderr
    now_text = datetime.now().astimezone().isoformat(timespec="microseconds")
    edit_history(home / "data" / "history.sqlite3", now_text)
    return home


@pytest.mark.parametrize(
    "argv",
    [("status",), ("status", "--json"), ("summary",), ("summary", "--json"), ("export", "--format", "csv"),
     ("export", "--format", "json")],
)
def test_a_hand_edited_history_still_shows_each_bad_row_named_once(edited, argv):
    result = cli(edited, *argv)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines, "the left-out rows are named"
    assert all(line.startswith("movebreak: ") and " of table " in line for line in lines), lines
    assert len(lines) == len(set(lines)) and len(lines) <= 10
    if argv[0] == "export":
        text = result.stdout
        rows = (json.loads(text)["activities"] if argv[-1] == "json"
                else [r for r in csv.DictReader(io.StringIO(text)) if r["record"] == "activity"])
        assert [row["note"] for row in rows if row["note"]] == ["the good one"]
    if argv[-1] == "--json" and argv[0] == "status":
        assert json.loads(result.stdout)["week"]["aerobic_minutes"] == 20.0
    if argv == ("summary", "--json"):
        json.loads(result.stdout)


def test_the_app_starts_and_ticks_on_a_hand_edited_history(edited):
    (edited / "config" / "config.toml").write_text(FAST)
    app = App(edited, "--no-tray")
    try:
        app.wait_for("running in terminal mode")
        deadline = time.monotonic() + 15
        state = None
        while time.monotonic() < deadline and state in (None, "starting", "not-running"):
            status = cli(edited, "status", "--json")
            assert status.returncode == 0, status.stderr
            state = json.loads(status.stdout)["state"]
        assert state not in (None, "starting", "not-running"), "the app's ticks write its status"
        assert app.proc.poll() is None
    finally:
        out, err = app.interrupt()
    assert app.proc.returncode == 0, err
    assert "Traceback" not in err and "Traceback" not in out


# --- what log accepts, export gives back ------------------------------------------------------------------


EDGES = [
    ("--at", "1970-01-01 00:00", "--minutes", "600"),
    ("--at", "1970-01-01T05:00+05:00", "--minutes", "0.001"),
    ("--at", "1969-12-31 23:59"),
    ("--at", "0001-01-01 00:00"),
    ("--at", "0001-01-01T00:00+05:00"),
    ("--minutes", "600"),
    ("--minutes", "0.001", "--kind", "strength"),
    ("--at", "yesterday 23:59", "--minutes", "600"),
]


@pytest.mark.parametrize("tz", ["UTC", "Pacific/Kiritimati"])
def test_every_break_log_accepts_at_the_edges_is_exported(home, tz):
    accepted = []
    for number, edge in enumerate(EDGES):
        result = cli(home, "log", *edge, "--note", f"edge {number}", tz=tz)
        assert "Traceback" not in result.stderr, (edge, result.stderr)
        if result.returncode == 0:
            accepted.append(f"edge {number}")
        else:
            one_line_error(result)
    assert len(accepted) >= 4  # 1970-01-01 00:00 UTC and the 600-minute ones
    exported = json.loads(cli(home, "export", tz=tz).stdout)["activities"]
    assert sorted(row["note"] for row in exported) == sorted(accepted)
    table = [row for row in csv.DictReader(io.StringIO(cli(home, "export", "--format", "csv", tz=tz).stdout))]
    assert sorted(row["note"] for row in table if row["record"] == "activity") == sorted(accepted)
    since = json.loads(cli(home, "export", "--since", "1970-01-01", tz="UTC").stdout)["activities"]
    assert sorted(row["note"] for row in since) == sorted(accepted)
