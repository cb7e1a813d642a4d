"""Terminal mode: reminders printed in the terminal, and a few one-letter commands on stdin."""

from __future__ import annotations

import textwrap

import threading
from typing import TYPE_CHECKING, TextIO

from movebreak.i18n import N_, _

if TYPE_CHECKING:
    from movebreak.running.core import AppCore
    from movebreak.running.interface import ReminderView


HELP = [
    ("b", N_("I took a break")),
    ("s [MIN]", N_("snooze")),
    ("k", N_("skip this reminder")),
    ("p [DURATION]", N_("pause (no argument: until resumed)")),
    ("r", N_("resume")),
    ("?", N_("status")),
    ("q", N_("quit")),
]


class TerminalUI:
    """Prints what the tray would show; reads commands when stdin is a terminal."""

    def __init__(self, core: "AppCore", stdout: TextIO, stdin: TextIO | None) -> None:
        self.core = core
        self.stdout = stdout
        self.stdin = stdin
        self._stop = threading.Event()

    def say(self, text: str) -> None:
        print(text, file=self.stdout, flush=True)

    # --- the UI interface the core calls --------------------------------------------------

    def show_reminder(self, view: "ReminderView") -> None:
        self.say(f"\n*** {view.title}")
        self.say(textwrap.indent(view.body, "    "))
        if view.can_snooze:
            self.say("    " + _("b = I took a break · s = snooze · k = skip"))
        else:
            self.say("    " + _("b = I took a break · k = skip (no more snoozes this time)"))

    def notice(self, text: str) -> None:
        self.say(text)

    def refresh(self, force: bool = False) -> None:
        """Nothing to redraw in a terminal."""

    def stop(self) -> None:
        self._stop.set()

    # --- the main loop --------------------------------------------------------------------

    def run(self) -> None:
        interactive = self.stdin is not None and _isatty(self.stdin)
        if interactive:
            self.say(_("Commands: {commands}", commands=", ".join(f"{key} = {_(what)}" for key, what in HELP)))
            reader = threading.Thread(target=self._read_commands, name="movebreak-stdin", daemon=True)
            reader.start()
        self._stop.wait()

    def _read_commands(self) -> None:
        assert self.stdin is not None
        for line in self.stdin:
            if self._stop.is_set():
                return
            reply = self.core.handle_text_command(line.strip())
            if reply:
                self.say(reply)
            if line.strip().lower() in ("q", "quit"):
                return
        # end of input: keep running (a service without a terminal), only Ctrl+C/quit ends


# --- the setup questions (first run in a terminal, `movebreak setup`) -------------------------------------

YES = frozenset({"y", "yes", "j", "ja"})
NO = frozenset({"n", "no", "nein"})
SKIP = frozenset({"q", "quit"})


class Skipped(Exception):
    """q or end of input (Ctrl-D): the rest of the questions keep their defaults."""


def is_interactive(stdin: TextIO | None, stdout: TextIO) -> bool:
    """Questions only where someone can answer them and see them."""
    return stdin is not None and _isatty(stdin) and _isatty(stdout)


def ask_setup(offered, stdin: TextIO, stdout: TextIO, check_hours):
    """Ask what is at hand, the working hours and autostart; Enter keeps the value offered.

    Returns the answers (``offered`` with the changes), or None when the user skipped (q,
    Ctrl-D). Ctrl-C raises KeyboardInterrupt: the caller leaves without writing."""
    from dataclasses import replace

    def say(text: str) -> None:
        print(text, file=stdout, flush=True)

    def read(prompt: str) -> str:
        print(prompt, end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:  # Ctrl-D
            say("")
            raise Skipped
        answer = line.strip()
        if answer.lower() in SKIP:
            raise Skipped
        return answer

    def yes_no(question: str, default: bool) -> bool:
        while True:
            answer = read(f"{question} [{_('Y/n') if default else _('y/N')}] ").lower()
            if not answer:
                return default
            if answer in YES or answer in NO:
                return answer in YES
            say("  " + _("Please answer y or n (q skips the rest)."))

    def hours(default: str | None) -> str | None:
        shown = default if default is not None else _("as set now")
        while True:
            answer = read(_("Working hours, Monday to Friday (like 08:00-18:00, or off) [{hours}]: ", hours=shown))
            if not answer:
                return default
            try:
                return check_hours(answer)
            except ValueError as error:
                say(f"  {error}")

    say(_("What do you have at hand? movebreak suggests exercises that fit. "
          "Enter keeps the value in brackets, q skips the rest."))
    try:
        return replace(
            offered,
            stairs=yes_no(_("Stairs or a sturdy step nearby?"), offered.stairs),
            band=yes_no(_("A resistance band?"), offered.band),
            floor=yes_no(_("Room to lie on the floor (floor exercises during working hours)?"), offered.floor),
            weekday_hours=hours(offered.weekday_hours),
            autostart=yes_no(_("Start movebreak when you log in?"), offered.autostart),
        )
    except Skipped:
        return None


def setup_in_terminal(env) -> bool:
    """The setup questions, then the answers saved (or, skipped, the default file once, so the
    first run does not ask again); True when answers were saved. Ctrl-C: KeyboardInterrupt, nothing written."""
    from movebreak.usecases import first_run

    if first_run.is_first_run(env.paths):
        env.out(first_run.what_it_does())
    env.paths.ensure()
    answers = ask_setup(first_run.offered_answers(env), env.stdin, env.stdout, first_run.check_hours)
    if answers is None:
        wrote = first_run.save_defaults_once(env)
        env.out(_("Skipped: the default settings are in {path} (change them with: movebreak setup).",
                  path=env.paths.config_file) if wrote else _("Skipped: nothing was changed."))
        return False
    for line in first_run.save_answers(env, answers).lines:
        env.out(line)
    return True


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
