"""What is at hand: `movebreak setup` and the first run ask (in a real pseudo-terminal),
write exactly the answered keys, keep the user's comments, skip to the defaults once, and
never wait for an answer nobody can give; then every seed exercise can be suggested."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from movebreak import config as config_module

SEED = {"step-up", "banded-glute-bridge", "single-leg-deadlift", "crescent-lunge", "glute-bridge"}


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "LANGUAGE", "LC_ALL", "LANG")}
    env.update(MOVEBREAK_HOME=str(home), LANG="C", XDG_CONFIG_HOME=str(home / "xdg"), PYTHONUNBUFFERED="1", **extra)
    return env


def _controlling_terminal() -> None:  # in the child: the pty is its terminal, so Ctrl-C is SIGINT
    import fcntl
    import termios

    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A movebreak process on a pseudo-terminal: what it prints is read until a prompt shows."""

    def __init__(self, home: Path, *args: str, **extra: str) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen([sys.executable, "-m", "movebreak", *args], env=cli_env(home, **extra),
                                     stdin=slave, stdout=slave, stderr=slave, close_fds=True,
                                     preexec_fn=_controlling_terminal)
        os.close(slave)
        self.output = ""

    def read_until(self, fragment: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while fragment not in self.output:
            left = deadline - time.monotonic()
            assert left > 0, f"no {fragment!r} in:\n{self.output}"
            ready, _w, _x = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the process ended and closed its side
                    chunk = b""
                if not chunk:
                    assert fragment in self.output, f"ended without {fragment!r}:\n{self.output}"
                    break
                self.output += chunk.decode("utf-8", "replace")
        return self.output

    def answer(self, prompt: str, text: str) -> None:
        self.read_until(prompt)
        self.output = self.output.split(prompt, 1)[1]
        os.write(self.master, text.encode() + b"\n")

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def finish(self, timeout: float = 20.0) -> int:
        try:
            self.read_until("\x00never", timeout=timeout)
        except AssertionError:
            pass
        code = self.proc.wait(timeout=timeout)
        os.close(self.master)
        return code


def effective(home: Path) -> config_module.Config:
    cfg = config_module.load(home / "config" / "config.toml")
    assert not cfg.problems, cfg.problems
    return cfg


def suggested_ids(home: Path, tries: int = 120) -> set[str]:
    """Every exercise `exercises suggest --long` offers over some tries (the choice is random)."""
    seen: set[str] = set()
    for _ in range(tries):
        done = subprocess.run([sys.executable, "-m", "movebreak", "exercises", "suggest", "--long", "--json"],
                              env=cli_env(home), capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        seen |= {exercise["id"] for exercise in json.loads(done.stdout)["exercises"]}
        if SEED <= seen:
            break
    return seen


def test_setup_writes_exactly_the_answers_and_then_every_seed_exercise_can_be_suggested(home):
    # before: with none, chair, desk, wall and no floor, three of the five are out of reach
    assert suggested_ids(home, tries=20) & SEED <= {"single-leg-deadlift", "crescent-lunge"}
    term = Terminal(home, "setup")
    term.answer("Stairs or a sturdy step nearby? [y/N] ", "y")
    term.answer("A resistance band? [y/N] ", "yes")
    term.answer("during working hours)? [y/N] ", "maybe")
    term.answer("Please answer y or n", "y")
    term.answer("[08:00-18:00]: ", "25:00-18:00")
    term.answer("is not a time of day", "07:30-16:00")
    term.answer("Start movebreak when you log in? [y/N] ", "")
    out = term.read_until("Start at login: no")
    assert term.finish() == 0, term.output
    assert "At hand: stairs, resistance band, floor space" in out
    path = home / "config" / "config.toml"
    assert path.stat().st_mode & 0o777 == 0o600
    cfg = effective(home)
    assert set(cfg["exercises.equipment"]) == {"none", "chair", "desk", "wall", "stairs", "band"}
    assert cfg["exercises.allow_floor"] is True
    assert {config_module.toml_value(cfg[f"working_hours.{day}"]) for day in
            ("monday", "tuesday", "wednesday", "thursday", "friday")} == {'"07:30-16:00"'}
    assert cfg["working_hours.saturday"] is None  # not asked, not changed
    assert cfg.values == {**config_module.defaults().values, **{k: cfg[k] for k in (
        "exercises.equipment", "exercises.allow_floor", *(f"working_hours.{d}" for d in
                                                          ("monday", "tuesday", "wednesday", "thursday", "friday")))}}
    assert not (home / "xdg" / "autostart").exists()  # "no" to a login start that was off: nothing written
    status = subprocess.run([sys.executable, "-m", "movebreak", "status"], env=cli_env(home),
                            capture_output=True, text=True, timeout=30)
    assert "At hand: stairs, resistance band, floor space (change it with: movebreak setup)" in status.stdout
    assert SEED <= suggested_ids(home)


def test_skipping_writes_the_defaults_and_the_first_run_does_not_ask_again(home):
    term = Terminal(home, "setup")
    term.answer("Stairs or a sturdy step nearby? [y/N] ", "y")
    term.answer("A resistance band? [y/N] ", "q")
    out = term.read_until("Skipped")
    assert term.finish() == 0
    assert "the default settings are in" in out
    assert effective(home).values == config_module.defaults().values
    assert (home / "config" / "config.toml").read_text().startswith("# movebreak configuration.")
    # the app's first run sees the file: no question, straight to the reminders
    app = Terminal(home, "run", "--no-tray")
    app.read_until("running in terminal mode")
    assert "at hand" not in app.output.lower()
    app.proc.send_signal(2)
    assert app.finish() == 0


def test_ctrl_d_skips_too(home):
    term = Terminal(home, "setup")
    term.read_until("Stairs or a sturdy step nearby?")
    term.send(b"\x04")
    term.read_until("Skipped")
    assert term.finish() == 0
    assert effective(home).values == config_module.defaults().values


def test_ctrl_c_leaves_without_writing(home):
    term = Terminal(home, "setup")
    term.answer("Stairs or a sturdy step nearby? [y/N] ", "y")
    term.read_until("A resistance band?")
    term.send(b"\x03")
    term.read_until("interrupted")
    assert term.finish() == 130
    assert not (home / "config" / "config.toml").exists()


def test_setup_keeps_the_users_comments_order_and_other_keys(home):
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True)
    original = ('# my own notes\nlanguage = "en"  # English, please\n\n[reminders]\nremind_after = "30m"\n\n'
                '[exercises]\n# only what my office has\nequipment = ["chair", "wall"]\navoid_repeating = 3\n')
    path.write_text(original)
    term = Terminal(home, "setup")
    term.answer("Stairs or a sturdy step nearby? [y/N] ", "y")
    term.answer("A resistance band? [y/N] ", "")
    term.answer("during working hours)? [y/N] ", "n")
    term.answer("[08:00-18:00]: ", "")
    term.answer("Start movebreak when you log in? [y/N] ", "n")
    term.read_until("Saved in")
    assert term.finish() == 0
    text = path.read_text()
    assert text == original.replace('equipment = ["chair", "wall"]', 'equipment = ["chair", "wall", "stairs"]')


def test_setup_on_a_config_that_is_not_toml_changes_nothing(home):
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text("[exercises\n")
    term = Terminal(home, "setup")
    for prompt, text in (("nearby? [y/N] ", "y"), ("band? [y/N] ", ""), ("hours)? [y/N] ", ""),
                         ("]: ", ""), ("log in? [y/N] ", "")):
        term.answer(prompt, text)
    out = term.read_until("nothing was changed")
    assert term.finish() == 1
    assert "is not valid TOML" in out and "Traceback" not in out
    assert path.read_text() == "[exercises\n"


def test_the_first_run_in_a_terminal_asks_then_runs(home):
    app = Terminal(home, "run", "--no-tray")
    welcome = app.read_until("Stairs or a sturdy step nearby? [y/N] ")
    assert "movebreak counts how long you sit" in welcome and "no substitute for medical advice" in welcome
    app.answer("Stairs or a sturdy step nearby? [y/N] ", "n")
    app.answer("A resistance band? [y/N] ", "y")
    app.answer("during working hours)? [y/N] ", "y")
    app.answer("[08:00-18:00]: ", "")
    app.answer("Start movebreak when you log in? [y/N] ", "n")
    app.read_until("running in terminal mode")
    app.proc.send_signal(2)
    assert app.finish() == 0
    cfg = effective(home)
    assert "band" in cfg["exercises.equipment"] and "stairs" not in cfg["exercises.equipment"]
    assert cfg["exercises.allow_floor"] is True


def test_without_a_terminal_the_first_run_says_how_in_one_line_and_goes_on(home):
    proc = subprocess.Popen([sys.executable, "-m", "movebreak", "run", "--no-tray"], env=cli_env(home),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        assert 'tell it what you have at hand (stairs, a resistance band, floor space) with "movebreak setup"' in first
        assert "running in terminal mode" in proc.stdout.readline()
    finally:
        proc.send_signal(2)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert not (home / "config" / "config.toml").exists()


def test_setup_without_a_terminal_is_one_line_and_exit_1(home):
    done = subprocess.run([sys.executable, "-m", "movebreak", "setup"], env=cli_env(home), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().startswith("movebreak: setup asks its questions in a terminal")
    assert len(done.stderr.strip().splitlines()) == 1


def test_setup_in_german(home):
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text('language = "de"\n')
    term = Terminal(home, "setup")
    term.answer("Eine Treppe oder eine stabile Stufe in der Nähe? [j/N] ", "ja")
    term.answer("Ein Widerstandsband? [j/N] ", "nein")
    term.answer("(Bodenübungen während der Arbeitszeit)? [j/N] ", "j")
    term.answer("[08:00-18:00]: ", "off")
    term.answer("movebreak bei der Anmeldung starten? [j/N] ", "n")
    out = term.read_until("Start bei der Anmeldung: nein")
    assert term.finish() == 0
    assert "Zur Hand: Treppe, Platz auf dem Boden" in out
    cfg = effective(home)
    assert cfg["working_hours.monday"] is None and cfg["exercises.allow_floor"] is True


@pytest.mark.gui
def test_the_tray_welcome_window_saves_what_is_clicked(tmp_path):
    from conftest import need_programs
    from desktop import ProcessStack, start_xvfb, xdotool

    need_programs("Xvfb", "xdotool")
    try:
        import tkinter  # noqa: F401
    except ImportError:
        from conftest import need

        need(False, "tkinter is not installed (Debian/Ubuntu: python3-tk)")
    stack = ProcessStack(tmp_path / "logs")
    try:
        x = start_xvfb(stack)
        home = tmp_path / "home"
        script = ("import json, sys\n"
                  "from movebreak.environment import Environment\n"
                  "from movebreak.tray.welcome import WelcomeWindow\n"
                  "said = []\n"
                  "w = WelcomeWindow(Environment(), said.append, lambda lines: said.append(' '.join(lines)))\n"
                  "w.open()\n"
                  "assert w.shown.wait(20)\n"
                  "print(json.dumps(w.widgets), flush=True)\n"
                  "w.join(30)\n"
                  "print(json.dumps(said), flush=True)\n")
        proc = subprocess.Popen([sys.executable, "-c", script], env={**cli_env(home), **x.env},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        widgets = json.loads(proc.stdout.readline() or "null")
        assert widgets, proc.stderr.read()
        for name in ("stairs", "floor", "save"):
            xdotool(x.display, "mousemove", str(widgets[name][0]), str(widgets[name][1]), "click", "1")
        said = json.loads(proc.stdout.readline())
        assert proc.wait(timeout=20) == 0
    finally:
        stack.close()
    assert "At hand: stairs, floor space" in said[0]
    cfg = effective(home)
    assert "stairs" in cfg["exercises.equipment"] and cfg["exercises.allow_floor"] is True
