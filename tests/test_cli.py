import io
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from movebreak.cli import build_parser, main
from movebreak.clock import SimulatedClock
from movebreak.environment import Environment

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=BERLIN)  # a Wednesday
REPO = Path(__file__).resolve().parents[1]


class Run:
    """main() with its own environment: captured output, a simulated clock, a private home."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.clock = SimulatedClock(NOW)

    def __call__(self, *argv: str, extra_env: dict | None = None) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        environ = {"MOVEBREAK_HOME": str(self.home), "LANG": "C", **(extra_env or {})}
        env = Environment(stdout=out, stderr=err, stdin=None, environ=environ, clock=self.clock, _tz=BERLIN)
        try:
            code = main(list(argv), env)
        except SystemExit as exit_:
            code = exit_.code
        return code, out.getvalue(), err.getvalue()


@pytest.fixture
def run(tmp_path):
    return Run(tmp_path / "home")


def status(run) -> dict:
    code, out, err = run("status", "--json")
    assert code == 0, err
    return json.loads(out)


def test_log_minutes_then_status_shows_them(run):
    code, out, err = run("log", "--minutes", "20", "--kind", "moderate")
    assert code == 0, err
    assert "Logged 20 min" in out
    data = status(run)
    assert data["running"] is False
    assert data["week"]["aerobic_minutes"] == 20.0
    assert data["today"]["aerobic_minutes"] == 20.0
    assert data["week"]["strength_days"] == 0
    assert data["week"]["week"] == "2026-W48"


def test_a_plain_break_counts_as_a_break_but_not_as_activity(run):
    assert run("log")[0] == 0
    data = status(run)
    assert data["week"]["aerobic_minutes"] == 0
    assert data["today"]["breaks"] == 1


def test_strength_log_at_a_past_time_counts_on_that_day(run):
    code, _, err = run("log", "--minutes", "15", "--kind", "strength", "--at", "2026-11-23 17:30", "--note", "gym")
    assert code == 0, err
    data = status(run)
    assert data["week"]["strength_days"] == 1  # 15 strength minutes: at least the 10 a strength day needs
    assert data["week"]["aerobic_minutes"] == 0  # strength never counts as aerobic minutes
    assert data["today"]["strength_minutes"] == 0  # it was Monday, today is Wednesday


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("log", "--minutes", "0"), "more than 0"),
        (("log", "--minutes", "abc"), "not a number"),
        (("log", "--kind", "heavy"), "invalid choice"),
        (("log", "--at", "25:99"), "not a time of day"),
        (("log", "--at", "next week"), "not a date and time"),
        (("log", "--at", "2026-11-26 09:00"), "in the future"),
        (("pause", "forever"), "not a duration"),
        (("pause", "30m", "--until-tomorrow"), "not both"),
        (("summary", "--week", "2026-W60"), "--week"),
        (("export", "--since", "yesterday"), "not a date"),
        (("snooze",), "not running"),
    ],
)
def test_user_mistakes_give_one_line_no_traceback_and_non_zero(run, argv, fragment):
    code, out, err = run(*argv)
    assert code in (1, 2)
    assert fragment in err
    assert "Traceback" not in err
    message_lines = [line for line in err.splitlines() if not line.startswith("usage:") and line.startswith(" ") is False]
    assert len(message_lines) == 1, err


def test_pause_resume_and_status(run):
    assert run("pause", "30m")[0] == 0
    data = status(run)
    assert data["paused"] is True
    assert datetime.fromisoformat(data["paused_until"]) == NOW + timedelta(minutes=30)
    run.clock.advance(timedelta(minutes=31))
    assert status(run)["paused"] is False
    run("pause")
    assert status(run)["paused_until"] is None and status(run)["paused"] is True
    code, out, _ = run("resume")
    assert "resumed" in out
    assert status(run)["paused"] is False
    assert "not paused" in run("resume")[1]


def test_pause_until_tomorrow_respects_day_starts_at(run):
    config = run.home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[tracking]\nday_starts_at = "04:00"\n')
    run("pause", "--until-tomorrow")
    until = datetime.fromisoformat(status(run)["paused_until"]).astimezone(BERLIN)
    assert until == datetime(2026, 11, 26, 4, 0, tzinfo=BERLIN)


def test_export_json_and_csv_hold_the_logged_break(run):
    run("log", "--minutes", "12", "--kind", "mobility", "--note", 'say "hi", <b>')
    code, out, _ = run("export", "--format", "json")
    data = json.loads(out)
    assert data["activities"][0]["minutes"] == 12.0
    assert data["activities"][0]["note"] == 'say "hi", <b>'
    code, out, _ = run("export", "--format", "csv", "--since", "2026-11-25")
    lines = out.strip().splitlines()
    assert lines[0].startswith("record,start,end,minutes")
    assert lines[1].startswith("activity,") and ",mobility," in lines[1]
    code, out, _ = run("export", "--since", "2026-11-26")
    assert json.loads(out)["activities"] == []


def test_export_to_a_file(run, tmp_path):
    target = tmp_path / "out.csv"
    run("log", "--minutes", "5", "--kind", "moderate")
    assert run("export", "--format", "csv", "-o", str(target))[0] == 0
    assert target.read_text().count("\n") == 2


def test_config_path_show_check(run):
    code, out, _ = run("config", "path")
    assert out.strip() == str(run.home / "config" / "config.toml")
    code, out, _ = run("config", "check")
    assert code == 0 and "defaults" in out
    code, out, _ = run("config", "show")
    assert 'remind_after = "45m"' in out
    config = run.home / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[reminders]\nremind_after = "soon"\n')
    code, out, err = run("config", "check")
    assert code == 1
    assert err.strip() == (f"{config}:2: key 'reminders.remind_after': \"soon\" is not a duration; "
                           'write it like "45m", "90s" or "1h30m"; using the default "45m"')


def test_config_edit_writes_a_commented_default_and_runs_the_editor(run, tmp_path):
    marker = tmp_path / "edited"
    editor = f"{sys.executable} -c \"import sys, pathlib; pathlib.Path(r'{marker}').write_text(sys.argv[1])\""
    code, _, err = run("config", "edit", extra_env={"EDITOR": editor})
    assert code == 0, err
    config = run.home / "config" / "config.toml"
    assert marker.read_text() == str(config)
    assert "# " in config.read_text() and 'remind_after = "45m"' in config.read_text()


def test_doctor_reports_each_part(run):
    code, out, _ = run("doctor")
    assert code == 0
    for part in ("version", "tray", "notifications", "idle detection", "history", "config"):
        assert re.search(rf"^(OK  |FIX ) {part}: ", out, re.M), part
    assert "no DISPLAY" in out


def test_every_command_has_help_and_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, sub in subparsers.choices.items():
        assert sub.description, name
        assert f"movebreak {name}" in readme, f"README does not document `movebreak {name}`"
        for action in sub._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, f"{name} {action.option_strings}"


def test_real_process_log_then_status_json(tmp_path):
    """The issue's own check, as a user types it."""
    env = {**os.environ, "MOVEBREAK_HOME": str(tmp_path / "x")}
    env.pop("DISPLAY", None)
    logged = subprocess.run([sys.executable, "-m", "movebreak", "log", "--minutes", "20", "--kind", "moderate"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert logged.returncode == 0, logged.stderr
    shown = subprocess.run([sys.executable, "-m", "movebreak", "status", "--json"],
                           env=env, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["week"]["aerobic_minutes"] == 20.0


def test_version_flag(run, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert re.fullmatch(r"movebreak \d+\.\d+\.\d+\n", capsys.readouterr().out)


def test_a_closed_pipe_ends_quietly(tmp_path):
    env = {**os.environ, "MOVEBREAK_HOME": str(tmp_path / "x")}
    for _ in range(30):
        subprocess.run([sys.executable, "-m", "movebreak", "log", "--minutes", "1"], env=env, capture_output=True)
    proc = subprocess.Popen([sys.executable, "-m", "movebreak", "export"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert err.decode() == ""


def test_exercises_suggest_a_short_one_and_a_long_routine(run):
    code, out, err = run("exercises", "suggest", "--json")
    assert code == 0, err
    short = json.loads(out)
    assert len(short["exercises"]) == 1 and 1 <= short["minutes"] <= 3
    code, out, err = run("exercises", "suggest", "--long", "--json")
    routine = json.loads(out)
    assert len(routine["exercises"]) >= 2 and 5 <= routine["minutes"] <= 10
    assert len({e["id"] for e in routine["exercises"]}) == len(routine["exercises"])
    code, out, _ = run("exercises", "suggest")
    assert "Done? Record it with: movebreak log " in out


def test_exercises_suggest_respects_the_configured_equipment(run):
    config = run.home / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[exercises]\nequipment = ["none"]\n')
    for _ in range(20):
        data = json.loads(run("exercises", "suggest", "--long", "--json")[1])
        assert all(set(e["equipment"]) <= {"none"} for e in data["exercises"]), data


def test_json_flag_works_before_and_after_show(run):
    assert json.loads(run("exercises", "--json", "show", "step-up")[1])["id"] == "step-up"
    assert json.loads(run("exercises", "show", "step-up", "--json")[1])["id"] == "step-up"
