"""The settings window's saving (usecases/settings_edit.py) on real files: the user's comments,
order and unknown keys survive, only changed keys are written, a bad value is refused with
the config's own message, and a file that is not TOML, or a link, is left exactly as it was."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest

from movebreak import config
from movebreak.environment import Environment
from movebreak.errors import MovebreakError
from movebreak.usecases import settings_edit
from movebreak.usecases.settings_edit import check, current_texts, parse, save

HAND_WRITTEN = """\
# my own notes: keep them
language = "en"

[reminders]
# I like short sits
remind_after = "40m"   # after the doctor's advice
snooze = "5m"
my_own_key = 3

[exercises]
equipment = ["none", "chair"]
"""


@pytest.fixture
def env(tmp_path) -> Environment:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    return Environment(stdout=io.StringIO(), stderr=io.StringIO(),
                       environ={"MOVEBREAK_HOME": str(home), "XDG_CONFIG_HOME": str(tmp_path / "xdg")},
                       platform="linux")


def config_file(env: Environment) -> Path:
    return env.paths.config_file


def test_a_save_keeps_the_hand_written_comments_order_and_unknown_keys(env):
    path = config_file(env)
    path.write_text(HAND_WRITTEN)
    result = save(env, {"reminders.remind_after": parse("reminders.remind_after", "30m")})
    text = path.read_text()
    assert result.written == ("reminders.remind_after",)
    assert text == HAND_WRITTEN.replace('remind_after = "40m"', 'remind_after = "30m"')
    assert config.load(path)["reminders.remind_after"] == timedelta(minutes=30)
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_only_keys_whose_value_changed_are_written(env):
    path = config_file(env)
    path.write_text(HAND_WRITTEN)
    changes = {
        "reminders.remind_after": timedelta(minutes=40),  # as the file says
        "reminders.snooze_limit": config.defaults()["reminders.snooze_limit"],  # as the default says
        "working_hours.saturday": parse("working_hours.saturday", "09:00-12:00"),
        "exercises.equipment": parse("exercises.equipment", "chair, stairs"),
        "language": "de",
    }
    result = save(env, changes)
    assert result.written == ("working_hours.saturday", "exercises.equipment", "language")
    text = path.read_text()
    assert 'remind_after = "40m"   # after the doctor\'s advice' in text and "snooze_limit" not in text
    cfg = config.load(path)
    assert cfg["language"] == "de" and cfg["exercises.equipment"] == ("none", "chair", "stairs")
    assert cfg["working_hours.saturday"] is not None and not cfg.problems[1:]
    assert "Saved: Saturday, At hand, Language." == result.summary()


def test_saving_what_the_file_already_says_writes_nothing(env):
    path = config_file(env)
    path.write_text(HAND_WRITTEN)
    before = os.stat(path)
    result = save(env, {"reminders.snooze": timedelta(minutes=5)})
    assert result.written == () and result.summary() == "Nothing to save: no value changed."
    assert os.stat(path).st_mtime_ns == before.st_mtime_ns and path.read_text() == HAND_WRITTEN


def test_without_a_file_nothing_is_created_unless_a_value_changed(env):
    path = config_file(env)
    save(env, {"reminders.remind_after": config.defaults()["reminders.remind_after"]})
    assert not path.exists()
    result = save(env, {"reminders.remind_after": timedelta(minutes=25)})
    assert result.written == ("reminders.remind_after",)
    assert config.load(path)["reminders.remind_after"] == timedelta(minutes=25)
    assert path.read_text().startswith("# movebreak configuration.")  # the commented default file


@pytest.mark.parametrize("dotted, text", [
    ("reminders.remind_after", "5 minutes"), ("reminders.remind_after", "9h"), ("reminders.snooze_options", ""),
    ("reminders.snooze_limit", "many"), ("reminders.snooze_limit", "99"), ("working_hours.monday", "18:00-08:00"),
    ("working_hours.friday", "8-5"),
])
def test_a_bad_value_gets_the_configs_own_message(env, dotted, text):
    key = settings_edit.key_of(dotted)
    with pytest.raises(ValueError) as from_config:
        key.parse(settings_edit.from_text(dotted, text))
    assert check(dotted, text) == str(from_config.value)
    path = config_file(env)
    path.write_text(f"[{key.section}]\n{key.name} = {config.toml_value(settings_edit.from_text(dotted, text))}\n")
    problems = config.load(path).problems
    assert len(problems) == 1 and str(from_config.value) in str(problems[0])  # what `config check` says


def test_a_bad_value_is_refused_and_nothing_is_written(env):
    path = config_file(env)
    path.write_text(HAND_WRITTEN)
    with pytest.raises(MovebreakError) as refused:
        save(env, {"reminders.snooze": timedelta(minutes=2), "reminders.remind_after": timedelta(hours=9)})
    assert str(refused.value) == "key 'reminders.remind_after': \"9h\" is out of range; use 10s to 8h"
    assert path.read_text() == HAND_WRITTEN


def test_good_values_check_clean(env):
    assert all(check(dotted, text) is None for dotted, text in current_texts(env).items())
    assert check("reminders.snooze_options", "5m, 10m 20m") is None
    assert parse("reminders.snooze_options", "5m, 10m") == (timedelta(minutes=5), timedelta(minutes=10))
    assert parse("working_hours.sunday", "off") is None


def test_a_file_that_is_not_toml_is_left_untouched(env):
    path = config_file(env)
    broken = HAND_WRITTEN + "remind_after = = \n"
    path.write_text(broken)
    with pytest.raises(MovebreakError) as refused:
        save(env, {"reminders.remind_after": timedelta(minutes=30)})
    message = str(refused.value)
    assert "is not valid TOML" in message and "nothing was changed" in message and "\n" not in message
    assert path.read_text() == broken


def test_a_symlinked_config_is_refused_and_its_target_untouched(env, tmp_path):
    """As `movebreak setup` and `config edit` do: movebreak never writes its own files through a link."""
    target = tmp_path / "dotfiles" / "movebreak.toml"
    target.parent.mkdir()
    target.write_text(HAND_WRITTEN)
    path = config_file(env)
    path.symlink_to(target)
    assert current_texts(env)["reminders.remind_after"] == "40m"  # read through the link
    with pytest.raises(MovebreakError) as refused:
        save(env, {"reminders.remind_after": timedelta(minutes=30)})
    assert "symbolic link" in str(refused.value)
    assert os.readlink(path) == str(target) and target.read_text() == HAND_WRITTEN


def test_a_hand_edit_made_while_the_window_was_open_stays(env):
    path = config_file(env)
    path.write_text(HAND_WRITTEN)
    shown = current_texts(env)
    typed = dict(shown, **{"reminders.repeat_after": "7m"})
    path.write_text(HAND_WRITTEN.replace('snooze = "5m"', 'snooze = "15m"  # changed by hand'))
    result = save(env, settings_edit.changed_texts(shown, typed))
    assert result.written == ("reminders.repeat_after",)
    cfg = config.load(path)
    assert cfg["reminders.snooze"] == timedelta(minutes=15) and cfg["reminders.repeat_after"] == timedelta(minutes=7)
    assert 'snooze = "15m"  # changed by hand' in path.read_text()


def test_a_file_removed_while_the_window_was_open_is_written_fresh(env):
    path = config_file(env)
    path.write_text(HAND_WRITTEN)
    shown = current_texts(env)
    path.unlink()
    result = save(env, settings_edit.changed_texts(shown, dict(shown, **{"reminders.remind_after": "35m"})))
    assert result.written == ("reminders.remind_after",)
    assert config.load(path)["reminders.remind_after"] == timedelta(minutes=35)


def test_start_at_login_is_switched_and_named(env, tmp_path):
    result = save(env, {"autostart": True})
    assert result.autostart is True and result.written == () and not config_file(env).exists()
    assert list((tmp_path / "xdg" / "autostart").glob("*.desktop"))
    assert result.summary() == "Saved: Start movebreak when you log in."
    assert current_texts(env)["autostart"] == "true"
    assert save(env, {"autostart": True}).changed == ()


def test_shown_texts_round_trip(env):
    path = config_file(env)
    path.write_text(HAND_WRITTEN)
    texts = current_texts(env)
    assert texts["exercises.equipment"] == "chair" and texts["reminders.snooze_options"] == "5m, 10m, 15m, 30m"
    assert texts["working_hours.saturday"] == "off" and texts["notifications.enabled"] == "true"
    assert settings_edit.changed_texts(texts, dict(texts)) == {}


def test_the_files_problems_are_named_as_config_check_names_them(env):
    path = config_file(env)
    assert settings_edit.file_problems(env) == ()
    path.write_text('[reminders]\nremind_after = "forever"\n')
    assert settings_edit.file_problems(env) == tuple(str(p) for p in config.load(path).problems)
    assert 'key \'reminders.remind_after\': "forever" is not a duration' in settings_edit.file_problems(env)[0]


def test_no_app_running_is_not_woken(env):
    from movebreak.usecases.history import wake_running_app

    assert wake_running_app(env) is False


@pytest.mark.parametrize("platform, environ, blocked", [
    ("linux", {}, True), ("linux", {"DISPLAY": ":0"}, False), ("win32", {}, False), ("darwin", {}, False)])
def test_no_display_reason(platform, environ, blocked):
    env = Environment(environ=environ, platform=platform)
    assert (settings_edit.no_display_reason(env) is not None) == blocked
