from datetime import time, timedelta
from pathlib import Path

import pytest

from movebreak import config
from movebreak.engine.settings import FRIDAY, SATURDAY


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "config.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_means_defaults_and_no_problems(tmp_path):
    cfg = config.load(tmp_path / "absent.toml")
    assert cfg.problems == ()
    settings = cfg.engine_settings()
    assert settings.remind_after == timedelta(minutes=45)
    assert settings.natural_break_after == timedelta(minutes=5)
    assert settings.working_hours.days[FRIDAY] == (time(8), time(18))
    assert SATURDAY not in settings.working_hours.days


def test_show_output_is_valid_toml_that_loads_back_to_the_same_values(tmp_path):
    path = write(tmp_path, '[reminders]\nremind_after = "1h30m"\n[working_hours]\nsaturday = "09:00-12:00"\n')
    cfg = config.load(path)
    assert cfg.problems == ()
    again = config.load(write(tmp_path, cfg.to_toml()))
    assert again.problems == ()
    assert again.values == cfg.values
    assert again["reminders.remind_after"] == timedelta(minutes=90)
    assert again.working_hours.days[SATURDAY] == (time(9), time(12))


def test_commented_default_file_loads_cleanly_and_explains_each_key(tmp_path):
    path = tmp_path / "c" / "config.toml"
    config.write_default(path)
    text = path.read_text()
    assert config.load(path).problems == ()
    assert text.count("# ") >= 10
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("text", "key", "line", "fragment"),
    [
        ('[reminders]\nremind_after = "4x"\n', "reminders.remind_after", 2, '"4x" is not a duration'),
        ('[reminders]\n\nsnooze_limit = "three"\n', "reminders.snooze_limit", 3, "whole number"),
        ('[tracking]\npoll_every = "2h"\n', "tracking.poll_every", 2, "out of range"),
        ('[working_hours]\nmonday = "18:00-08:00"\n', "working_hours.monday", 2, "ends before it starts"),
        ('[working_hours]\nalways = "yes"\n', "working_hours.always", 2, "true or false"),
        ('language = "fr"\n', "language", 1, "expected one of"),
        ('[exercises]\nequipment = ["kettlebell"]\n', "exercises.equipment", 2, "unknown equipment"),
        ('[reminders]\nquiet_during = ["meetings"]\n', "reminders.quiet_during", 2, "unknown quiet sources 'meetings'"),
        ('[reminders]\nquiet_during = "calls"\n', "reminders.quiet_during", 2, 'expected a list like ["do-not'),
        ('[reminders]\nwait_for_pause = "2m"\n', "reminders.wait_for_pause", 2, "out of range"),
        ('[goals]\nstrength_day_minutes = 500\n', "goals.strength_day_minutes", 2, "out of range"),
        ('[reminders]\nremindafter = "45m"\n', "reminders.remindafter", 2, "unknown key"),
    ],
)
def test_each_bad_value_is_one_line_with_file_line_and_key_and_the_default_is_kept(tmp_path, text, key, line, fragment):
    path = write(tmp_path, text)
    cfg = config.load(path)
    assert len(cfg.problems) == 1
    message = str(cfg.problems[0])
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: ")
    assert f"'{key}'" in message
    assert fragment in message
    if key in config.defaults().values:
        assert cfg[key] == config.defaults()[key]


def test_good_values_survive_next_to_a_bad_one(tmp_path):
    cfg = config.load(write(tmp_path, '[reminders]\nremind_after = "30m"\nrepeat_after = "nope"\n'))
    assert cfg["reminders.remind_after"] == timedelta(minutes=30)
    assert cfg["reminders.repeat_after"] == timedelta(minutes=10)
    assert len(cfg.problems) == 1


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("[reminders\nremind_after = 1\n", "invalid TOML"),
        (b"[reminders]\nremind_after = \"\xff\xfe\"\n", "not UTF-8"),
        ("[sounds]\nvolume = 3\n", "unknown section [sounds]"),
    ],
)
def test_unreadable_files_give_one_line_and_defaults(tmp_path, content, fragment):
    cfg = config.load(write(tmp_path, content))
    assert len(cfg.problems) == 1
    assert fragment in str(cfg.problems[0])
    assert "\n" not in str(cfg.problems[0])
    assert cfg["reminders.remind_after"] == timedelta(minutes=45)


def test_huge_file_is_refused_without_reading_it_whole(tmp_path):
    path = write(tmp_path, "# x\n" * (config.MAX_CONFIG_BYTES // 4 + 10))
    cfg = config.load(path)
    assert "more than" in str(cfg.problems[0])


def test_bom_is_accepted(tmp_path):
    cfg = config.load(write(tmp_path, '\ufeff[reminders]\nremind_after = "20m"\n'))
    assert cfg.problems == ()
    assert cfg["reminders.remind_after"] == timedelta(minutes=20)


def test_always_working_hours(tmp_path):
    cfg = config.load(write(tmp_path, "[working_hours]\nalways = true\n"))
    assert cfg.working_hours.always is True


def test_editor_command_prefers_visual_then_editor(tmp_path):
    path = tmp_path / "c.toml"
    assert config.editor_command(path, {"VISUAL": "code --wait", "EDITOR": "vi"}) == ["code", "--wait", str(path)]
    assert config.editor_command(path, {"EDITOR": "nano"}) == ["nano", str(path)]


def test_a_value_with_a_newline_is_shown_escaped_in_its_one_line(tmp_path):
    # found by the hypothesis fuzz in test_reliability_files: '"day_starts_at" = "\n"' gave a two-line problem
    path = tmp_path / "config.toml"
    path.write_text('[tracking]\nday_starts_at = "8\\n00"\n[goals]\nstrength_day_minutes = 0\n', encoding="utf-8")
    cfg = config.load(path)
    lines = [str(problem) for problem in cfg.problems]
    assert len(lines) == 2 and all("\n" not in line for line in lines)
    assert 'got "8\\n00"' in lines[0]
    assert "strength_day_minutes" in lines[1] and "0 is out of range; use 1 to 120" in lines[1]
    assert cfg.app_settings().goals.strength_day == timedelta(minutes=10)  # the default is kept
