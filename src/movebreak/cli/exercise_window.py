"""``movebreak exercises --window``: the exercise browser, run by the CLI process itself.

The window logs with the same use case as ``movebreak log EXERCISE`` (written durably, the
running app woken) and shows the line that command prints. It blocks until the window is
closed; with no display (or no tkinter) it says why in one line and exits 1.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from movebreak.environment import Environment, ExitStatus
from movebreak.errors import MovebreakError
from movebreak.i18n import current_language

if TYPE_CHECKING:
    from movebreak.exercises.model import Catalogue


def open_exercise_window(env: Environment, catalogue: Catalogue, exercise_id: str | None, *,
                         describe: Callable[..., tuple[str, ...]], monotonic: Callable[[], float] | None = None) -> int:
    """Open the browser (``exercise_id`` selected), wait until it is closed."""
    from movebreak.tray.browser import ExerciseBrowser
    from movebreak.usecases.breaks import log_break
    from movebreak.usecases.exercises import find_exercise
    from movebreak.usecases.history import load_settings

    if exercise_id is not None:
        find_exercise(catalogue, exercise_id)  # an unknown id is a usage mistake, said before any window
    settings = load_settings(env).exercises
    said: list[str] = []

    def log_done(chosen: str, minutes: float) -> str:
        return describe(log_break(env, exercise_id=chosen, minutes=f"{minutes:g}"), env)[0]

    extra = {"monotonic": monotonic} if monotonic is not None else {}
    browser = ExerciseBrowser(catalogue.all(), current_language(), said.append, sys.platform, log_done,
                              equipment=settings.equipment, allow_floor=settings.allow_floor,
                              pictures_root=catalogue.assets_root, **extra)
    quiet = logging.NullHandler()  # the window's log lines are the app's; here the one line below says it
    logging.getLogger("movebreak").addHandler(quiet)
    browser.open(exercise_id)
    while browser.is_open:
        browser.join(0.5)  # in steps: Ctrl-C still reaches this thread
    if said and not browser.shown.is_set():
        raise MovebreakError(said[0])
    return ExitStatus.OK
