"""Terminal mode: reminders printed in the terminal, and a few one-letter commands on stdin."""

from __future__ import annotations

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
        self.say(f"    {view.body}")
        if view.can_snooze:
            self.say("    " + _("b = I took a break · s = snooze · k = skip"))
        else:
            self.say("    " + _("b = I took a break · k = skip (no more snoozes this time)"))

    def notice(self, text: str) -> None:
        self.say(text)

    def refresh(self) -> None:
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


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
