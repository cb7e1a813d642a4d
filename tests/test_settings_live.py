"""Issue 19, item 2: settings changed while the app runs are used without a restart.

The core follows its real config file on a simulated clock (one ``stat`` per tick); the real
app process takes in `movebreak config edit` within a second (the CLI wakes it) and says,
in one line, which value it kept when the edit was bad.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import timedelta

import pytest

from movebreak import config as config_module
from movebreak import i18n
from movebreak.exercises.catalogue import load_catalogue
from movebreak.running.core import AppCore
from movebreak.running.settings_file import SettingsFile
from movebreak.store import Store
from movebreak.clock import SimulatedClock
from test_app_core import BERLIN, START, RecordingNotifier, ScriptedProbe

MIN = timedelta(minutes=1)
BASE = '# my own note about the file\n[reminders]\nremind_after = "45m"\nwait_for_pause = "0s"\n' \
       '[tracking]\npoll_every = "10s"\n'


class NoticeUI:
    def __init__(self) -> None:
        self.notices: list[str] = []
        self.refreshed = 0

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def refresh(self, force: bool = False) -> None:
        self.refreshed += 1

    def show_reminder(self, view) -> None:
        pass


@pytest.fixture
def live(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(BASE)
    clock = SimulatedClock(START)
    store = Store(tmp_path / "history.sqlite3", now=clock.now)
    cfg = config_module.load(path)
    catalogue, _problems = load_catalogue(None)
    probe = ScriptedProbe(clock)
    core = AppCore(settings=cfg.app_settings(), store=store, clock=clock, tz=BERLIN, probe=probe,
                   notifier=RecordingNotifier(), catalogue=catalogue, language="en", rng=random.Random(3),
                   settings_file=SettingsFile(path, cfg, {"LANG": "en_US.UTF-8"}))
    ui = core.ui = NoticeUI()

    def work(duration: timedelta) -> None:
        end = clock.now() + duration
        while clock.now() < end:
            clock.advance(timedelta(seconds=10))
            probe.touch()
            core.tick()

    def edit(text: str) -> None:
        path.write_text(text)

    yield core, ui, work, edit, path
    store.close()
    i18n.set_language("en")


def test_a_shorter_remind_after_saved_while_running_reminds_at_the_new_time(live):
    core, ui, work, edit, _path = live
    work(20 * MIN)
    edit(BASE.replace('"45m"', '"30m"'))
    work(10 * MIN)
    assert core.status().remind_after == 30 * MIN
    assert core.current_reminder is None  # 29:50 of sitting (it began at the first tick)
    work(timedelta(seconds=10))
    assert core.current_reminder is not None  # 30 min: the new setting, the sitting so far kept
    assert ui.notices == []


def test_a_bad_value_keeps_the_value_in_use_and_says_which_and_why(live):
    core, ui, work, edit, path = live
    edit(BASE.replace('"45m"', '"30m"'))
    work(MIN)
    edit(BASE.replace('"45m"', '"soon"'))
    work(MIN)
    assert core.status().remind_after == 30 * MIN  # not the default 45 min: the value in use
    assert len(ui.notices) == 1
    notice = ui.notices[0]
    assert "reminders.remind_after" in notice and f"{path}:3" in notice and 'keeps "30m"' in notice, notice
    assert "\n" not in notice
    work(MIN)
    assert len(ui.notices) == 1  # said once per change, not at every tick


def test_a_file_that_is_not_toml_keeps_every_setting_in_use(live):
    core, ui, work, edit, _path = live
    edit(BASE.replace('"45m"', '"20m"').replace('"10s"', '"30s"'))
    work(MIN)
    edit("[reminders\nremind_after = ")
    work(MIN)
    assert core.status().remind_after == 20 * MIN and core.settings.poll_every == timedelta(seconds=30)
    assert len(ui.notices) == 1 and "invalid TOML" in ui.notices[0] and "settings in use" in ui.notices[0]


def test_a_deleted_config_means_the_defaults_as_at_the_next_start(live):
    core, _ui, work, edit, path = live
    edit(BASE.replace('"45m"', '"20m"'))
    work(MIN)
    path.unlink()
    work(MIN)
    assert core.status().remind_after == config_module.defaults()["reminders.remind_after"]


def test_everything_the_settings_drive_follows_a_change(live):
    core, _ui, work, edit, _path = live
    retuned: list[dict] = []
    core.probe.retune = lambda **thresholds: retuned.append(thresholds)  # as the Wayland idle probe has
    work(MIN)
    edit('[reminders]\nremind_after = "45m"\nwait_for_pause = "5s"\nsnooze_limit = 1\n'
         '[tracking]\nnatural_break_after = "7m"\npoll_every = "15s"\n'
         '[exercises]\nequipment = ["band"]\n[notifications]\nenabled = false\n'
         '[goals]\nstrength_day_minutes = 20\n')
    work(MIN)
    settings = core.settings
    assert core.reminders.settings is settings and core.engine.settings is settings.engine
    assert core.engine.settings.snooze_limit == 1 and core.engine._gate.wait_for_pause == timedelta(seconds=5)
    assert core._idle.threshold == timedelta(minutes=7)
    assert "band" in settings.exercises.equipment and settings.notifications.enabled is False
    assert core._summary_rules().strength_day == timedelta(minutes=20)
    assert retuned == [{"pause": timedelta(seconds=5), "away": timedelta(minutes=7)}]


def test_a_language_change_is_spoken_at_once(live):
    core, ui, work, edit, _path = live
    work(MIN)
    before = core.status_line()
    edit('language = "de"\n' + BASE)
    work(MIN)
    assert core.language == "de" and i18n.current_language() == "de"
    after = core.status_line()
    assert after != before and "diese Woche" in after, after
    assert ui.refreshed  # the tray redraws its menu in the new language


# --- the real app ---------------------------------------------------------------------------------


def test_config_edit_reaches_the_running_app_within_a_second_and_a_bad_edit_is_kept_out(tmp_path):
    from test_honest_answers import _wait_for_snapshot, make_home
    from test_run_terminal import App, headless_env, run_cli

    home = make_home(tmp_path, '# keep me\n[reminders]\nremind_after = "45m"\n[tracking]\npoll_every = "60s"\n')
    editor = tmp_path / "editor.py"
    editor.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[-1])\n"
                      "p.write_text(p.read_text().replace(sys.argv[1], sys.argv[2]))\n")
    app = App(home, "--no-tray")
    try:
        _wait_for_snapshot(home)
        assert json.loads(run_cli(home, "status", "--json").stdout)["remind_after_minutes"] == 45

        def edit(old: str, new: str) -> float:
            env = {**headless_env(home), "EDITOR": f"{sys.executable} {editor} {old} {new}", "VISUAL": ""}
            import subprocess

            subprocess.run([sys.executable, "-m", "movebreak", "config", "edit"], env=env, check=False,
                           capture_output=True, timeout=30)
            return time.monotonic()

        edited = edit('"45m"', '"25m"')
        while json.loads(run_cli(home, "status", "--json").stdout)["remind_after_minutes"] != 25:
            assert time.monotonic() - edited < 1.0, "the running app did not take in the edit within 1 s"
        edit('"25m"', '"later"')
        line = app.wait_for("reminders.remind_after", timeout=5)
        assert 'keeps "25m"' in line, line
        assert json.loads(run_cli(home, "status", "--json").stdout)["remind_after_minutes"] == 25
        assert "# keep me" in (home / "config" / "config.toml").read_text()
    finally:
        app.interrupt()


@pytest.mark.gui
def test_a_save_in_the_settings_window_reaches_the_running_app_within_a_second(tmp_path):
    """`movebreak settings` under Xvfb, typed into with xdotool, while the app runs (poll: 60 s)."""
    import subprocess

    from conftest import need_programs
    from desktop import ProcessStack, start_xvfb, wait_until, xdotool
    from test_honest_answers import _wait_for_snapshot, make_home
    from test_run_terminal import App, headless_env, run_cli

    need_programs("Xvfb", "xdotool")
    pytest.importorskip("tkinter", reason="tkinter is not installed (Debian/Ubuntu: python3-tk)")
    home = make_home(tmp_path, '# keep me\n[reminders]\nremind_after = "45m"\n[tracking]\npoll_every = "60s"\n')
    path = home / "config" / "config.toml"
    stack = ProcessStack(tmp_path / "logs")
    app = App(home, "--no-tray")
    try:
        x = start_xvfb(stack)
        _wait_for_snapshot(home)
        window = subprocess.Popen([sys.executable, "-m", "movebreak", "settings"], env={**headless_env(home), **x.env},
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        def shown() -> str:
            try:
                return xdotool(x.display, "search", "--onlyvisible", "--class", "MovebreakSettings").strip()
            except AssertionError:  # none yet: xdotool exits 1
                return ""

        wait_until(shown, timeout=20, interval=0.2, message="the settings window did not open")
        time.sleep(0.5)  # the window takes the focus 50 ms after it is mapped (TkWindow._mark_shown)
        # focus starts on "Remind after": select its text, type over it, save with Ctrl+S
        xdotool(x.display, "key", "--delay", "50", "ctrl+slash")
        xdotool(x.display, "type", "--delay", "30", "30m")
        xdotool(x.display, "key", "ctrl+s")
        wait_until(lambda: '"30m"' in path.read_text(), timeout=10, interval=0.02, message="the window did not save")
        saved = time.monotonic()
        while json.loads(run_cli(home, "status", "--json").stdout)["remind_after_minutes"] != 30:
            assert time.monotonic() - saved < 1.0, "the running app did not take in the save within 1 s"
        assert "# keep me" in path.read_text()
        xdotool(x.display, "key", "Escape")
        assert window.wait(timeout=20) == 0, window.stderr.read()
    finally:
        app.interrupt()
        stack.close()


def test_a_pipe_in_place_of_the_config_is_never_read_and_keeps_the_settings(live):
    import os

    core, ui, work, edit, path = live
    edit(BASE.replace('"45m"', '"20m"'))
    work(MIN)
    path.unlink()
    os.mkfifo(path)  # reading it would block the tick forever
    work(MIN)
    assert core.status().remind_after == 20 * MIN
    assert len(ui.notices) == 1 and "not a regular file" in ui.notices[0] and "settings in use" in ui.notices[0]
