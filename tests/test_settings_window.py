"""The settings window with a real Tk under Xvfb, driven by xdotool: a bad duration is named
with the config's message and Save is disabled; a good one is saved into config.toml, keeping
the hand-written comment; nothing is cut off in English or German at 1024x768. And
`movebreak settings` without a display is one line pointing to `movebreak config edit`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from movebreak import config as config_module

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "docs" / "screenshots" / "settings.png"

HAND_WRITTEN = """\
# my own notes: keep them
[reminders]
remind_after = "40m"  # the doctor said so
"""

# The window in a child process: its widgets' centres first, then its state each time asked.
CHILD = """\
import json, sys
from movebreak import i18n
from movebreak.environment import Environment
from movebreak.tray.settings_window import SettingsWindow

i18n.set_language(sys.argv[1])
saved, said = [], []
w = SettingsWindow(Environment(), said.append, "linux", lambda result: saved.append(result.summary()))
w.open()
assert w.shown.wait(20), said
print(json.dumps(w.widgets), flush=True)
for line in sys.stdin:
    if not w.is_open:
        break
    print(json.dumps({"widgets": w.widgets, "problems": w.problems, "save_enabled": w.save_enabled, "status": w.status,
                      "saved": saved, "clipped": w.clipped, "size": w.size}), flush=True)
w.join(20)
print(json.dumps({"open": w.is_open, "said": said}), flush=True)
"""


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "LANGUAGE", "LC_ALL", "LANG")}
    env.update(MOVEBREAK_HOME=str(home), LANG="C", XDG_CONFIG_HOME=str(home / "xdg"), PYTHONUNBUFFERED="1",
               NO_AT_BRIDGE="1", **extra)
    return env


def need_tk_and_x() -> None:
    from conftest import need, need_programs

    need_programs("Xvfb", "xdotool")
    try:
        import tkinter  # noqa: F401
    except ImportError:
        need(False, "tkinter is not installed (Debian/Ubuntu: python3-tk)")


class Window:
    """The child process showing the window, and what it says when asked."""

    def __init__(self, home: Path, x, language: str = "en") -> None:
        self.x = x
        self.proc = subprocess.Popen([sys.executable, "-c", CHILD, language], env=cli_env(home, **x.env),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.widgets = json.loads(self.proc.stdout.readline() or "null")
        assert self.widgets, self.proc.stderr.read()

    def state(self) -> dict:
        self.proc.stdin.write("state\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def click(self, name: str, times: int = 1) -> None:
        from desktop import xdotool

        x, y = self.widgets[name]
        xdotool(self.x.display, "mousemove", str(x), str(y), "click", "--repeat", str(times), "--delay", "80", "1")

    def replace_text(self, name: str, text: str) -> None:
        """Select the field's whole text (a triple click) and type over it."""
        from desktop import xdotool

        self.click(name, times=3)
        xdotool(self.x.display, "type", "--delay", "20", text)

    def wait_for(self, predicate, message: str) -> dict:
        from desktop import wait_until

        found = {}

        def check() -> bool:
            found.update(self.state())
            return predicate(found)

        wait_until(check, timeout=10, interval=0.1, message=f"{message}; last state: {found}")
        return found

    def close(self) -> dict:
        from desktop import xdotool

        xdotool(self.x.display, "key", "Escape")
        self.proc.stdin.write("state\n")  # unblocks the child's loop once the window is gone
        self.proc.stdin.flush()
        out, err = self.proc.communicate(timeout=20)
        assert self.proc.returncode == 0, err
        return json.loads(out.strip().splitlines()[-1])


@pytest.mark.gui
def test_a_bad_duration_is_named_save_is_disabled_and_a_good_one_is_saved_keeping_the_comment(tmp_path):
    from desktop import ProcessStack, start_xvfb

    need_tk_and_x()
    home = tmp_path / "home"
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(HAND_WRITTEN)
    stack = ProcessStack(tmp_path / "logs")
    try:
        window = Window(home, start_xvfb(stack))
        assert window.state()["save_enabled"] is True
        window.replace_text("reminders.remind_after", "5 minutes")
        bad = window.wait_for(lambda s: "reminders.remind_after" in s["problems"], "no problem shown")
        expected = '"5 minutes" is not a duration; write it like "45m", "90s" or "1h30m"'
        assert bad["problems"]["reminders.remind_after"] == f"⚠ {expected}"
        assert bad["save_enabled"] is False
        bad = window.wait_for(lambda s: "problem:reminders.remind_after" in s["widgets"], "the problem line is not shown")
        below, line, next_field = (bad["widgets"][name][1] for name in (
            "reminders.remind_after", "problem:reminders.remind_after", "reminders.repeat_after"))
        assert below < line < next_field  # on a line of its own under its field, never over the next one
        window.click("save")  # a disabled button: nothing is written
        assert path.read_text() == HAND_WRITTEN
        window.replace_text("reminders.remind_after", "30m")
        window.wait_for(lambda s: not s["problems"] and s["save_enabled"], "the problem stayed")
        window.click("save")
        saved = window.wait_for(lambda s: s["saved"], "nothing was saved")
        assert saved["status"] == saved["saved"][0] == "Saved: Remind after sitting for."
        assert window.close()["open"] is False
    finally:
        stack.close()
    text = path.read_text()
    assert text == HAND_WRITTEN.replace('"40m"', '"30m"')  # the comments stay, nothing else written
    assert config_module.load(path)["reminders.remind_after"].total_seconds() == 30 * 60


@pytest.mark.gui
@pytest.mark.parametrize("language", ["en", "de"])
def test_nothing_is_cut_off_at_1024x768(tmp_path, language):
    from desktop import ProcessStack, screenshot, start_xvfb

    need_tk_and_x()
    stack = ProcessStack(tmp_path / "logs")
    try:
        x = start_xvfb(stack, screen="1024x768x24")
        window = Window(tmp_path / "home", x, language)
        state = window.state()
        assert state["clipped"] == []
        width, height = state["size"]
        assert 0 < width <= 1024 and 0 < height <= 768
        if language == "en" and os.environ.get("MOVEBREAK_WRITE_SCREENSHOTS") == "1":
            write_screenshot(screenshot(x.display, tmp_path / "screen.png"), width, height)
        window.close()
    finally:
        stack.close()


def write_screenshot(screen: Path, width: int, height: int) -> None:
    """The window's part of the screen (no window manager: it sits at 0,0), small enough for the README."""
    from PIL import Image

    with Image.open(screen) as image:
        window = image.convert("RGB").crop((0, 0, width, height)).quantize(colors=64)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    window.save(SCREENSHOT, optimize=True)
    assert SCREENSHOT.stat().st_size < 60_000


def test_settings_without_a_display_is_one_line_and_exit_1(tmp_path):
    done = subprocess.run([sys.executable, "-m", "movebreak", "settings"], env=cli_env(tmp_path / "home"),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == ("movebreak: no display to open the settings window on ($DISPLAY is not set); "
                           "edit the file instead: movebreak config edit\n")


def test_settings_where_tk_cannot_open_is_one_line_and_exit_1(tmp_path):
    pytest.importorskip("tkinter", reason="tkinter is not installed (Debian/Ubuntu: python3-tk)")
    done = subprocess.run([sys.executable, "-m", "movebreak", "settings"],
                          env=cli_env(tmp_path / "home", DISPLAY=":9999"),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("movebreak: The settings window could not open (")
    assert lines[0].endswith("edit the file instead: movebreak config edit")


@pytest.mark.gui
def test_movebreak_settings_opens_the_window_and_escape_closes_it(tmp_path):
    from desktop import ProcessStack, start_xvfb, wait_until, window_tree, xdotool

    need_tk_and_x()
    stack = ProcessStack(tmp_path / "logs")
    try:
        x = start_xvfb(stack)
        proc = subprocess.Popen([sys.executable, "-m", "movebreak", "settings"], env=cli_env(tmp_path / "home", **x.env),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_until(lambda: "movebreak settings" in window_tree(x.display) or proc.poll() is not None, timeout=20,
                   message="no settings window")
        assert proc.poll() is None, proc.stderr.read()
        xdotool(x.display, "mousemove", "20", "20", "click", "1")  # no window manager: focus follows the pointer
        xdotool(x.display, "key", "Escape")
        assert proc.wait(timeout=20) == 0, proc.stderr.read()
    finally:
        stack.close()
    assert not (tmp_path / "home" / "config" / "config.toml").exists()
