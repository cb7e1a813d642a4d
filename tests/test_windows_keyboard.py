"""The actions and welcome windows for real: Tk on Xvfb in a child process, driven by
xdotool's keys only. Each window fits at 1024x768 in English and German and at 1.5 times
the font (no text cut off, nothing past the screen), does what its shown keys say, and the
README's screenshots are taken here (written with MOVEBREAK_WRITE_SCREENSHOTS=1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import need, need_programs

from desktop import REPO, ProcessStack, screenshot, start_xvfb, wait_until, xdotool

pytestmark = pytest.mark.gui

SCREEN = (1024, 768)
SHOTS = REPO / "docs" / "screenshots"
CHILD = r'''
import json, os, sys
kind, language, picture = sys.argv[1], sys.argv[2], sys.argv[3]
from movebreak import i18n
i18n.set_language(language)
said = []
if kind == "actions":
    from movebreak.tray.icon import IconKey
    from movebreak.tray.state import BreakChoice, TrayState
    from movebreak.tray.window import ActionsWindow
    from movebreak.exercises.catalogue import load_catalogue
    from movebreak.i18n import _

    by_id = {e.id: e for e in load_catalogue(None)[0].all()}
    # the suggestion, then the exercises with the longest names in English and in German
    CHOICES = ("march-in-place", "seated-hamstring-stretch", "chair-back-extension", "crescent-lunge")

    class Actions:
        def __getattr__(self, name):
            return lambda *args, **kwargs: said.append([name, list(args), kwargs])

    state = TrayState("reminding", IconKey("due", 12), "Time to move · Sitting 45 min · this week 85/150 active min",
                      "tip", True, os.environ.get("TEST_CAN_SNOOZE") == "1", os.environ.get("TEST_PAUSED") == "1",
                      (5, 10), tuple(BreakChoice(id_, _("{name} ({minutes} min)", name=by_id[id_].name(language),
                                                         minutes=int(by_id[id_].duration.total_seconds() // 60)),
                                                   picture if id_ == "march-in-place" else None)
                                     for id_ in CHOICES))
    window = ActionsWindow(lambda: state, Actions(), said.append, "linux")
else:
    from movebreak.environment import Environment
    from movebreak.tray.welcome import WelcomeWindow

    window = WelcomeWindow(Environment(), said.append, lambda lines: said.append(" ".join(lines)))
window.open()
assert window.shown.wait(20)
print(json.dumps({"widgets": window.widgets, "clipped": window.clipped, "bounds": window.bounds,
                  "scale": window.font_scale}), flush=True)
window.join(60)
print(json.dumps(said), flush=True)
'''


@pytest.fixture(scope="module")
def screen(tmp_path_factory):
    need_programs("Xvfb", "xdotool")
    need(_has_tk(), "tkinter is not installed (Debian/Ubuntu: python3-tk)")
    stack = ProcessStack(tmp_path_factory.mktemp("windows-logs"))
    try:
        yield start_xvfb(stack, screen="x".join(map(str, SCREEN)) + "x24")
    finally:
        stack.close()


def _has_tk() -> bool:
    try:
        import tkinter  # noqa: F401
    except ImportError:
        return False
    return True


class Window:
    """One window in a child process: its layout once shown, then what it did."""

    def __init__(self, x, home: Path, kind: str, language: str = "en", picture: str = "", **extra: str) -> None:
        env = {k: v for k, v in os.environ.items()
               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "LANGUAGE", "LC_ALL", "LANG",
                            "MOVEBREAK_FONT_SCALE")}
        env.update({"MOVEBREAK_HOME": str(home), "LANG": "C", "XDG_CONFIG_HOME": str(home / "xdg"),
                    "PYTHONUNBUFFERED": "1", "TEST_CAN_SNOOZE": "1", **x.env, **extra})
        self.x = x
        self.proc = subprocess.Popen([sys.executable, "-c", CHILD, kind, language, picture], env=env, cwd=REPO,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line:
            self.proc.kill()
            raise AssertionError(f"the {kind} window never showed: {self.proc.stderr.read()}")
        layout = json.loads(line)
        self.widgets, self.clipped, self.bounds, self.scale = (layout[k] for k in ("widgets", "clipped", "bounds",
                                                                                    "scale"))

    def keys(self, *keys: str) -> None:
        xdotool(self.x.display, "key", "--delay", "120", *keys)

    def done(self) -> list:
        """What the window did, once it closed."""
        try:
            said = json.loads(self.proc.stdout.readline() or "null")
            assert self.proc.wait(timeout=20) == 0, self.proc.stderr.read()
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        assert said is not None, self.proc.stderr.read()
        return said

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def assert_fits(window: Window) -> None:
    x, y, width, height = window.bounds
    assert window.clipped == []
    assert width > 0 and x + width <= SCREEN[0] and y + height <= SCREEN[1], window.bounds


# --- the actions window ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("scale", ["1", "1.5"])
def test_the_actions_window_cuts_nothing_off(screen, tmp_path, language, scale):
    window = Window(screen, tmp_path, "actions", language, MOVEBREAK_FONT_SCALE=scale)
    try:
        assert window.scale == float(scale)
        assert_fits(window)
        window.keys("Escape")
        assert window.done() == []
    finally:
        window.close()


SUGGESTED = ["log_break", [], {"exercise_id": "march-in-place"}]


@pytest.mark.parametrize("keys, extra, expected", [
    (["Return"], {}, [SUGGESTED]),                                      # the focus starts on the suggested exercise
    (["b"], {}, [SUGGESTED]),
    (["Tab", "space"], {}, [["log_break", [], {"exercise_id": "seated-hamstring-stretch"}]]),
    (["Tab", "Tab", "Tab", "Tab", "Return"], {}, [["log_break", [], {"minutes": 5}]]),  # past the 3 others
    (["s"], {}, [["snooze", [5], {}]]),
    (["p"], {}, [["pause", [30], {}]]),
    (["r"], {"TEST_PAUSED": "1"}, [["resume", [], {}]]),
    (["r", "Escape"], {}, []),                                          # not paused: r does nothing
    (["s", "Escape"], {"TEST_CAN_SNOOZE": "0"}, []),                    # no snooze left: s does nothing
    (["Escape"], {}, []),
    (["shift+Tab", "Return"], {}, []),                                  # backwards from the first: Close, last
], ids=["enter", "b", "tab-space", "tab-to-other-activity", "s", "p", "r", "r-not-paused", "s-disabled", "escape", "shift-tab-close"])
def test_the_actions_window_by_keyboard_only(screen, tmp_path, keys, extra, expected):
    window = Window(screen, tmp_path, "actions", **extra)
    try:
        window.keys(*keys)
        assert window.done() == expected
    finally:
        window.close()


def test_a_disabled_snooze_says_why_in_words(screen, tmp_path):
    window = Window(screen, tmp_path, "actions", TEST_CAN_SNOOZE="0")
    try:
        assert "snooze-reason" in window.widgets  # the words are shown, not only greyed buttons
        window.keys("Escape")
        window.done()
    finally:
        window.close()
    window = Window(screen, tmp_path, "actions")
    try:
        assert "snooze-reason" not in window.widgets and "snooze-5" in window.widgets
        window.keys("Escape")
        window.done()
    finally:
        window.close()


def test_the_pictogram_shows_when_its_png_exists(screen, tmp_path):
    svg = tmp_path / "img" / "march-in-place.svg"
    svg.parent.mkdir()
    svg.write_text("<svg/>", encoding="utf-8")
    window = Window(screen, tmp_path, "actions", picture=str(svg))
    try:
        assert "picture" not in window.widgets
        window.keys("Escape")
        window.done()
    finally:
        window.close()
    pictogram(svg.with_suffix(".png"))
    window = Window(screen, tmp_path, "actions", picture=str(svg))
    try:
        assert "picture" in window.widgets
        window.keys("Escape")
        window.done()
    finally:
        window.close()


def pictogram(path: Path) -> Path:
    """The exercise's own PNG when the catalogue has one, else a stand-in (the app's icon)."""
    shipped = REPO / "assets" / "exercises" / "img" / "march-in-place.png"
    if shipped.is_file():
        path.write_bytes(shipped.read_bytes())
    else:
        from movebreak.tray.icon import app_icon

        app_icon(128).save(path)
    return path


# --- the welcome window ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("scale", ["1", "1.5"])
def test_the_welcome_window_cuts_nothing_off(screen, tmp_path, language, scale):
    window = Window(screen, tmp_path / "home", "welcome", language, MOVEBREAK_FONT_SCALE=scale)
    try:
        assert window.scale == float(scale)
        assert_fits(window)
        window.keys("Escape")
        window.done()
    finally:
        window.close()


def test_the_welcome_window_by_keyboard_only_saves_what_was_ticked(screen, tmp_path):
    from test_first_run import effective

    home = tmp_path / "home"
    window = Window(screen, home, "welcome")
    try:
        # The focus starts on the first box: tick stairs, Tab past the band, tick the floor, Enter saves.
        window.keys("space", "Tab", "Tab", "space", "Return")
        said = window.done()
    finally:
        window.close()
    assert len(said) == 1 and "At hand: stairs, floor space" in said[0]
    cfg = effective(home)
    assert "stairs" in cfg["exercises.equipment"] and "band" not in cfg["exercises.equipment"]
    assert cfg["exercises.allow_floor"] is True


def test_the_welcome_window_keeps_a_bad_working_time_out_of_the_file(screen, tmp_path):
    home = tmp_path / "home"
    window = Window(screen, home, "welcome")
    try:
        # Tab to the hours (Tk selects the text there), type over it, Enter: refused, the window stays
        window.keys("Tab", "Tab", "Tab")
        xdotool(screen.display, "type", "--delay", "60", "25:00-18:00")
        window.keys("Return", "Escape")  # had Enter saved, the window would be gone and Escape do nothing
        said = window.done()
    finally:
        window.close()
    assert len(said) == 1 and said[0].startswith("Skipped")
    assert "25:00" not in (home / "config" / "config.toml").read_text(encoding="utf-8")


def test_the_welcome_window_escape_skips_and_writes_the_defaults(screen, tmp_path):
    from test_first_run import effective

    home = tmp_path / "home"
    window = Window(screen, home, "welcome")
    try:
        window.keys("space", "Escape")  # a box ticked, then skipped: nothing of it is saved
        said = window.done()
    finally:
        window.close()
    assert len(said) == 1 and said[0].startswith("Skipped")
    assert (home / "config" / "config.toml").is_file()
    assert "stairs" not in effective(home)["exercises.equipment"]


def test_the_font_follows_xft_dpi(tmp_path):
    """GNOME's text scaling and xrdb set Xft.dpi: the windows' text and size follow it (Tk's
    point-sized fonts through Xft, any pixel-sized one scaled by the window), never twice."""
    need_programs("Xvfb")
    need(_has_tk(), "tkinter is not installed (Debian/Ubuntu: python3-tk)")
    from Xlib import Xatom
    from Xlib.display import Display

    def opened(x) -> Window:
        window = Window(x, tmp_path / "home", "welcome")
        try:
            assert_fits(window)
            window.keys("Escape")
            window.done()
        finally:
            window.close()
        return window

    stack = ProcessStack(tmp_path / "logs")
    try:
        x = start_xvfb(stack)
        plain = opened(x)
        display = Display(x.display)
        display.screen().root.change_property(display.intern_atom("RESOURCE_MANAGER"), Xatom.STRING, 8,
                                              b"Xft.antialias:\t1\nXft.dpi:\t144\n")
        display.sync()
        display.close()
        large = opened(x)
    finally:
        stack.close()
    assert (plain.scale, large.scale) == (1.0, 1.5)
    assert 1.3 < large.bounds[2] / plain.bounds[2] < 1.7, (plain.bounds, large.bounds)


# --- the README's screenshots ---------------------------------------------------------------------------


def shot(x, window: Window, name: str, tmp_path: Path):
    """The window cut out of a screenshot, in a small palette PNG (written to docs/screenshots
    when MOVEBREAK_WRITE_SCREENSHOTS=1); returns the image."""
    from PIL import Image

    left, top, width, height = window.bounds
    whole = screenshot(x.display, tmp_path / f"{name}-screen.png")
    with Image.open(whole) as image:
        cut = image.convert("RGB").crop((left, top, left + width, top + height))
    small = cut.quantize(colors=64)
    path = tmp_path / f"{name}.png"
    small.save(path, optimize=True)
    assert path.stat().st_size < 60_000, path.stat().st_size
    if os.environ.get("MOVEBREAK_WRITE_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / f"{name}.png").write_bytes(path.read_bytes())
    return cut


def colours_around(image, centre, bounds, radius: int) -> int:
    x, y = centre[0] - bounds[0], centre[1] - bounds[1]
    return len(image.crop((x - radius, y - radius, x + radius, y + radius)).getcolors(1 << 16) or ())


def test_screenshots_of_the_windows(screen, tmp_path):
    need_programs("import")
    picture = pictogram(tmp_path / "march-in-place.png")
    window = Window(screen, tmp_path / "home", "actions", picture=str(picture))
    try:
        wait_until(lambda: "picture" in window.widgets, timeout=1)
        image = shot(screen, window, "actions", tmp_path)
        # the pictogram is drawn: many colours where it is, one where the window is plain
        assert colours_around(image, window.widgets["picture"], window.bounds, 30) > 8
        assert colours_around(image, (window.bounds[0] + window.bounds[2] - 4, window.bounds[1] + 4), window.bounds,
                              2) == 1
        window.keys("Escape")
        window.done()
    finally:
        window.close()
    window = Window(screen, tmp_path / "home", "welcome")
    try:
        image = shot(screen, window, "welcome", tmp_path)
        assert colours_around(image, window.widgets["save"], window.bounds, 10) > 2  # the Save button's text
        window.keys("Escape")
        window.done()
    finally:
        window.close()
