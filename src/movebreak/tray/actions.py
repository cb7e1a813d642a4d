"""What the menu items and the window's buttons do, each off the tray's own thread.

Every action runs through ``run`` (a background thread in the app, inline in tests), so
a click returns at once even while a tick holds the core's lock or a browser starts. A
``MovebreakError`` (e.g. "There is no reminder to snooze.") and any environment problem
become a ``notice`` for the user; nothing here lets a traceback out.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from movebreak.errors import MovebreakError
from movebreak.i18n import _

log = logging.getLogger("movebreak.tray")


def in_background(name: str, work: Callable[[], None]) -> None:
    threading.Thread(target=work, name=f"movebreak-{name}", daemon=True).start()


class TrayActions:
    def __init__(self, core, env, ui, run: Callable[[str, Callable[[], None]], None] = in_background) -> None:
        self.core = core
        self.env = env
        self.ui = ui
        self._run = run

    def _do(self, name: str, work: Callable[[], object]) -> None:
        def guarded() -> None:
            try:
                work()
            except MovebreakError as error:
                self.ui.notice(str(error))
            except Exception as error:  # an action must never take the tray down
                log.exception("tray action %s failed", name)
                self.ui.notice(_("That did not work: {reason}", reason=error))
            self.ui.refresh(force=True)

        self._run(name, guarded)

    # --- the core ---------------------------------------------------------------------------

    def log_break(self, exercise_id: str | None = None, minutes: float | None = None) -> None:
        self._do("break", lambda: self.core.log_break(exercise_id=exercise_id, minutes=minutes))

    def snooze(self, minutes: float | None = None) -> None:
        self._do("snooze", lambda: self.core.snooze(minutes))

    def pause(self, minutes: float | None = None, *, until_tomorrow: bool = False) -> None:
        duration = timedelta(minutes=minutes) if minutes else None
        self._do("pause", lambda: self.core.pause(duration, until_tomorrow=until_tomorrow))

    def resume(self) -> None:
        self._do("resume", self.core.resume)

    # --- opening things -------------------------------------------------------------------------

    def summary(self) -> None:
        """``movebreak summary --open``: this week's page in the cache, opened in the browser; a
        problem on the way (a damaged history row, no browser) becomes a notice."""

        def work() -> None:
            from movebreak.usecases.summary import weekly_summary, write_summary_page

            out, err = io.StringIO(), io.StringIO()
            quiet = self.env.with_streams(out, err, None)
            page = write_summary_page(quiet, weekly_summary(quiet), open_page=True)
            if page.problem:
                self.ui.notice(page.problem)
            elif err.getvalue().strip():
                self.ui.notice(err.getvalue().strip().splitlines()[-1])

        self._do("summary", work)

    def exercises(self) -> None:
        """The exercise browser (tray/browser.py)."""
        self.ui.open_exercises()

    def settings(self) -> None:
        """The settings window (tray/settings_window.py); a save reaches the running app at once."""
        self.ui.open_settings()

    def quit(self) -> None:
        self.ui.stop()
