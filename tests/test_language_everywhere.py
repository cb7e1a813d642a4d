"""`language = "de"` in config.toml makes every command German, argparse's own help and errors
included; a broken config never stops `--help`; `--at` takes German day words.

Real processes where argparse prints (`python -m movebreak ...`), `cli.main` with a private
home and a simulated clock for the commands' own messages.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import test_cli

from movebreak import i18n

BERLIN = ZoneInfo("Europe/Berlin")


def write_config(home: Path, text: str) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text(text, encoding="utf-8")


def cli(home: Path, *args: str, lang: str = "C") -> subprocess.CompletedProcess:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(MOVEBREAK_HOME=str(home), LANG=lang)
    return subprocess.run([sys.executable, "-m", "movebreak", *args], env=env, capture_output=True, text=True,
                          timeout=30)


class Run(test_cli.Run):
    """test_cli's main() runner with a private home and a simulated clock, in a given system locale."""

    def __call__(self, *argv: str, lang: str = "C") -> tuple[int, str, str]:
        return super().__call__(*argv, extra_env={"LANG": lang})


@pytest.fixture
def german(tmp_path) -> Run:
    home = tmp_path / "home"
    write_config(home, 'language = "de"\n')
    return Run(home)


@pytest.mark.parametrize("args", [["--help"], ["log", "--help"], ["config", "show", "--help"]])
def test_help_is_german_when_the_config_says_de(tmp_path, args):
    write_config(tmp_path, 'language = "de"\n')
    done = cli(tmp_path, *args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Aufruf: movebreak"), done.stdout
    assert "Optionen:" in done.stdout and "diese Hilfe zeigen und beenden" in done.stdout
    assert "usage:" not in done.stdout and "show this help message" not in done.stdout


def test_log_help_shows_the_german_day_words(tmp_path):
    write_config(tmp_path, 'language = "de"\n')
    done = cli(tmp_path, "log", "--help")
    assert "„gestern 14:30“" in done.stdout.replace("\n", " ").replace("  ", " ")


@pytest.mark.parametrize(("args", "german"), [
    (["log", "--kind", "sitting"], "Argument --kind: ungültige Auswahl: 'sitting'"),
    (["config"], "diese Argumente fehlen: ACTION"),
    (["status", "--bogus"], "unbekannte Argumente: --bogus"),
    (["summary", "--week", "2026-W47", "--last"], "nicht zusammen mit dem Argument --week"),
])
def test_usage_mistakes_are_german_one_line_plus_usage_exit_2(tmp_path, args, german):
    write_config(tmp_path, 'language = "de"\n')
    done = cli(tmp_path, *args)
    assert done.returncode == 2
    assert done.stderr.startswith("Aufruf: movebreak"), done.stderr
    assert german in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("config", [
    'language = "de"\n[reminders\n',  # not TOML at all
    'language = "fr"\n',  # a value the config refuses: "auto" is used
])
def test_a_broken_config_never_stops_help_and_the_system_language_is_used(tmp_path, config):
    write_config(tmp_path, config)
    english = cli(tmp_path, "--help", lang="C")
    assert english.returncode == 0 and english.stdout.startswith("usage: movebreak"), english.stderr
    german = cli(tmp_path, "--help", lang="de_DE.UTF-8")
    assert german.returncode == 0 and german.stdout.startswith("Aufruf: movebreak"), german.stderr


def test_a_folder_in_place_of_the_config_never_stops_help(tmp_path):
    (tmp_path / "config" / "config.toml").mkdir(parents=True)
    done = cli(tmp_path, "--help", lang="de_DE.UTF-8")
    assert done.returncode == 0 and done.stdout.startswith("Aufruf: movebreak"), done.stderr


def test_language_en_in_the_config_beats_a_german_system(tmp_path):
    write_config(tmp_path, 'language = "en"\n')
    run = Run(tmp_path)
    code, out, _err = run("status", lang="de_DE.UTF-8")
    assert code == 0 and "Today: sitting" in out
    done = cli(tmp_path, "--help", lang="de_DE.UTF-8")
    assert done.stdout.startswith("usage: movebreak")


def test_status_log_and_summary_are_german(german):
    code, out, err = german("log", "--minutes", "20", "--kind", "moderate", "--at", "gestern 14:30")
    assert code == 0, err
    assert out.startswith("Eingetragen: 20 Min. Aktivität (moderat), ab 14:30."), out
    assert "Diese Woche: 20/150 aktive Min." in out
    code, out, err = german("status")
    assert code == 0, err
    assert "movebreak läuft nicht" in out and "Heute:" in out and "Diese Woche (2026-W48)" in out
    code, out, err = german("summary")
    assert code == 0, err
    assert out.startswith("Woche 2026-W48 · Mo 23. Nov."), out
    assert "Di 24. Nov." in out  # the activity "gestern" (Tuesday) is in the table
    assert i18n.current_language() == "en"  # i18n.using: the command's language does not stay behind


def test_the_summary_page_is_german(german, tmp_path):
    page = tmp_path / "week.html"
    code, out, err = german("summary", "--html", str(page))
    assert code == 0, err
    assert out.startswith("Übersicht geschrieben nach"), out
    assert '<html lang="de">' in page.read_text(encoding="utf-8")


def test_doctor_and_export_are_german(german, tmp_path):
    code, out, err = german("doctor")
    assert code == 0, err
    assert "Konfiguration:" in out and "Verlauf:" in out and "Protokolldatei:" in out
    assert all(line.startswith(("OK ", "BEHEBEN ", "-- ")) for line in out.splitlines()), out
    target = tmp_path / "history.json"
    code, out, err = german("export", "-o", str(target))
    assert code == 0, err
    assert out.strip() == f"{target} geschrieben"
    assert "activities" in json.loads(target.read_text())
    code, out, err = german("export", "--since", "gestern")
    assert code == 1 and err.startswith("movebreak: --since: „gestern“ ist kein Datum"), err


def test_german_moments_for_at(german):
    for text, when in (("gestern 14:30", "2026-11-24T13:30:00Z"), ("heute 9:00", "2026-11-25T08:00:00Z"),
                       ("vorgestern 8:15", "2026-11-23T07:15:00Z"), ("Gestern 7:05", "2026-11-24T06:05:00Z")):
        code, _out, err = german("log", "--at", text)
        assert code == 0, (text, err)
        code, out, err = german("export", "--format", "json")
        starts = {row["start"] for row in json.loads(out)["activities"]}
        assert when in starts, (text, starts)


def test_a_wrong_moment_is_one_german_line(german):
    code, out, err = german("log", "--at", "morgen 14:30")
    assert code == 1 and out == ""
    assert err.strip() == ("movebreak: --at: „morgen 14:30“ ist kein Zeitpunkt; "
                           "schreib ihn wie „14:30“, „gestern 14:30“ oder „2026-11-20 14:30“"), err
    code, out, err = german("log", "--at", "gestern 25:00")
    assert code == 1 and err.strip() == "movebreak: --at: „gestern 25:00“ ist keine Uhrzeit", err


def test_english_still_takes_yesterday_and_german_words(tmp_path):
    run = Run(tmp_path)
    code, out, err = run("log", "--at", "gestern 14:30")
    assert code == 0 and "from 14:30" in out, err
    code, out, err = run("log", "--at", "tomorrow 14:30")
    assert code == 1 and '"tomorrow 14:30" is not a date and time' in err

