"""The exercise browser, as `movebreak exercises --window` opens it, under Xvfb with a real Tk,
driven with xdotool: the list, the search, the selected exercise with its pictogram, both ways
of logging into the real history, and no text cut off at 1024x768 in English and German.

The window runs in a child process through the real CLI (``movebreak.cli.main``); a spy on
``ExerciseBrowser.open`` lets the test ask that process what the window shows (its plain-data
mirror: ``listed``, ``selected``, ``detail``, ``picture``, ``message``, ``widgets``, ``clipped``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCREENSHOT = REPO / "docs" / "screenshots" / "exercise-browser.png"

CHILD = r"""
import json, sys, threading, time
from movebreak.tray import browser as module

opened = []
original = module.ExerciseBrowser.open

def spy(self, *args, **kwargs):
    speed = float(sys.argv[1])
    if speed != 1:  # the countdown's clock, faster: a minute's exercise in a fraction of a second
        self.monotonic = lambda: time.monotonic() * speed
    opened.append(self)
    return original(self, *args, **kwargs)

module.ExerciseBrowser.open = spy
if sys.argv[2] == "large":  # as if the system font were scaled up: the @2x pictograms
    module.LARGE_FONT_LINESPACE = 0

def answer():
    for line in sys.stdin:
        window = opened[0] if opened else None
        if window is None or not window.shown.is_set():
            print("null", flush=True)
            continue
        print(json.dumps({name: getattr(window, name) for name in
                          ("listed", "selected", "detail", "picture", "message", "widgets", "clipped", "counting")}),
              flush=True)

threading.Thread(target=answer, daemon=True).start()
from movebreak.cli import main
sys.exit(main(sys.argv[3:]))
"""


def cli_env(home: Path, display: str, language: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "LANGUAGE", "LC_ALL", "LANG")}
    env.update(MOVEBREAK_HOME=str(home), LANG="C", LANGUAGE=language, XDG_CONFIG_HOME=str(home / "xdg"),
               PYTHONUNBUFFERED="1", NO_AT_BRIDGE="1", DISPLAY=display)
    return env


class Window:
    """The child process showing the window, and the questions the test asks it."""

    def __init__(self, home: Path, display: str, *args: str, language: str = "en", speed: float = 1,
                 large: bool = False) -> None:
        self.display = display
        self.proc = subprocess.Popen([sys.executable, "-c", CHILD, str(speed), "large" if large else "normal",
                                      "exercises", *args],
                                     env=cli_env(home, display, language), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def state(self) -> dict | None:
        assert self.proc.poll() is None, self.proc.stderr.read()
        self.proc.stdin.write("state\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline() or "null")

    def wait(self, predicate, message: str, timeout: float = 20) -> dict:
        from desktop import wait_until

        return wait_until(lambda: (lambda s: s if s and predicate(s) else None)(self.state()),
                          timeout=timeout, interval=0.1, message=message)

    def key(self, *keys: str) -> None:
        from desktop import xdotool

        xdotool(self.display, "key", "--clearmodifiers", *keys)

    def click(self, state: dict, name: str) -> None:
        from desktop import xdotool

        x, y = state["widgets"][name]
        xdotool(self.display, "mousemove", str(x), str(y), "click", "1")

    def close(self) -> int:
        self.key("Escape")
        try:
            return self.proc.wait(timeout=20)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


def need_window_pieces() -> None:
    from conftest import need, need_programs

    need_programs("Xvfb", "xdotool", "import")
    try:
        import tkinter  # noqa: F401
    except ImportError:
        need(False, "tkinter is not installed (Debian/Ubuntu: python3-tk)")


@pytest.fixture
def screen(tmp_path):
    from desktop import ProcessStack, start_xvfb

    need_window_pieces()
    stack = ProcessStack(tmp_path / "logs")
    try:
        yield start_xvfb(stack)
    finally:
        stack.close()


def logged(home: Path) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "movebreak", "export", "--format", "json"], env=cli_env(home, "", "en"),
                         capture_output=True, text=True, timeout=60, check=True).stdout
    data = json.loads(out)
    rows = data["activities"] if isinstance(data, dict) else data
    return [row for row in rows if row.get("exercise_id")]


def expected_ids(text: str) -> list[str]:
    from movebreak.exercises.browse import MINE, AtHand, Filters, browse
    from movebreak.exercises.catalogue import load_catalogue

    catalogue, _ = load_catalogue()
    return [e.id for e in browse(catalogue.all(), Filters(equipment=MINE, text=text), "en", AtHand())]


TINT = {"strength": "#ffe0b2", "cardio": "#ffcdd2", "mobility": "#c8e6c9", "stretch": "#bbdefb"}  # make_pictograms.py


def catalogue_category(exercise_id: str) -> str:
    from movebreak.exercises.catalogue import load_catalogue

    return load_catalogue()[0].require(exercise_id).category


def pictogram_colours(shot: Path, centre: tuple[int, int]) -> set[tuple[int, int, int]]:
    from PIL import Image

    with Image.open(shot) as image:
        x, y = centre
        region = image.convert("RGB").crop((x - 40, y - 40, x + 40, y + 40))
        return {colour for _count, colour in region.getcolors(80 * 80)}


def near(colours: set[tuple[int, int, int]], hex_colour: str, tolerance: int = 12) -> bool:
    wanted = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return any(all(abs(a - b) <= tolerance for a, b in zip(colour, wanted)) for colour in colours)


@pytest.mark.gui
def test_the_window_lists_searches_shows_the_pictogram_and_logs(screen, tmp_path):
    from desktop import screenshot, xdotool

    home = tmp_path / "home"
    window = Window(home, screen.display, "--window")
    try:
        state = window.wait(lambda s: s["listed"], "the window did not show its list")
        assert state["listed"] == expected_ids("")  # what the user has at hand, by default
        window.click(state, "search")
        xdotool(screen.display, "type", "--delay", "20", "GLUTE")
        state = window.wait(lambda s: s["listed"] == expected_ids("glute"), "the search did not narrow the list")
        assert 0 < len(state["listed"]) < len(expected_ids(""))
        window.key("Return")  # from the search to the list: its first exercise is shown
        state = window.wait(lambda s: s["selected"] == s["listed"][0], "the first match was not selected")
        chosen = state["selected"]
        assert "1. " in state["detail"] and "2. " in state["detail"]
        assert state["picture"] == f"{chosen}.png"
        shot = screenshot(screen.display, tmp_path / "browser.png")
        colours = pictogram_colours(shot, state["widgets"]["picture"])
        tint = TINT[catalogue_category(chosen)]
        assert near(colours, tint) and near(colours, "#263238"), "the pictogram is not on screen"
        if os.environ.get("MOVEBREAK_WRITE_SCREENSHOTS") == "1":
            write_screenshot(shot)
        assert logged(home) == []
        window.key("alt+l")  # Log as done
        state = window.wait(lambda s: s["message"], "Log as done said nothing")
        assert state["message"].startswith("Logged "), state["message"]
        assert window.close() == 0
    finally:
        if window.proc.poll() is None:
            window.proc.kill()
    assert [row["exercise_id"] for row in logged(home)] == [chosen]


@pytest.mark.gui
def test_do_it_now_counts_down_then_logs(screen, tmp_path):
    home = tmp_path / "home"
    window = Window(home, screen.display, "show", "wall-sit", "--window", speed=60)  # 1 min in 1 s
    try:
        state = window.wait(lambda s: s["selected"] == "wall-sit", "wall-sit was not selected")
        window.click(state, "do_now")
        window.wait(lambda s: s["message"].startswith("Logged "), "the countdown did not log at its end", timeout=30)
        assert [row["exercise_id"] for row in logged(home)] == ["wall-sit"]
        window.click(state, "do_now")  # again, but stopped: nothing more is logged
        window.wait(lambda s: s["counting"], "the second countdown did not start")
        window.key("Escape")
        state = window.wait(lambda s: not s["counting"], "Escape did not stop the countdown")
        assert "nothing was logged" in state["message"]
        assert window.close() == 0
    finally:
        if window.proc.poll() is None:
            window.proc.kill()
    assert [row["exercise_id"] for row in logged(home)] == ["wall-sit"]


@pytest.mark.gui
@pytest.mark.parametrize(("language", "large"), [("en", False), ("de", False), ("de", True)])
def test_no_text_is_cut_off_at_1024x768(screen, tmp_path, language, large):
    window = Window(tmp_path / "home", screen.display, "show", "full-body-stretch-sequence",
                    "--window", language=language, large=large)
    try:
        state = window.wait(lambda s: s["selected"], "the window did not open")
        assert state["clipped"] == []
        assert state["picture"] == ("full-body-stretch-sequence@2x.png" if large else "full-body-stretch-sequence.png")
        assert window.close() == 0
    finally:
        if window.proc.poll() is None:
            window.proc.kill()


@pytest.mark.gui
def test_a_user_picture_tk_cannot_show_says_no_picture(screen, tmp_path):
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "mine.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (home / "config" / "exercises.toml").write_text('[[exercise]]\nid = "wall-sit"\npicture = "mine.svg"\n',
                                                    encoding="utf-8")
    window = Window(home, screen.display, "show", "wall-sit", "--window")
    try:
        state = window.wait(lambda s: s["selected"] == "wall-sit", "the window did not open")
        assert state["picture"] is None  # an SVG only: Tk has no renderer for it, the window says so
        window.key("alt+x", "Down")  # to the list, then the next exercise: its built-in PNG again
        state = window.wait(lambda s: s["selected"] != "wall-sit", "Down did not move on")
        assert state["picture"] == f"{state['selected']}.png"
        assert window.close() == 0
    finally:
        if window.proc.poll() is None:
            window.proc.kill()


def test_without_a_display_it_says_why_in_one_line(tmp_path):
    env = cli_env(tmp_path / "home", "", "en")
    del env["DISPLAY"]
    done = subprocess.run([sys.executable, "-m", "movebreak", "exercises", "--window"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "could not open" in lines[0] and "movebreak exercises show ID" in lines[0], lines


def write_screenshot(shot: Path) -> None:
    """The window alone (Xvfb's root is black around it), small, for the README."""
    from PIL import Image

    with Image.open(shot) as image:
        rgb = image.convert("RGB")
        box = rgb.getbbox()  # what is not black
        window = rgb.crop(box) if box else rgb
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        window.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(SCREENSHOT, optimize=True)
    assert SCREENSHOT.stat().st_size < 60_000
