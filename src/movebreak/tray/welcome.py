"""The first run's welcome window: what movebreak does, what is at hand, the working hours, autostart.

The same questions as ``movebreak setup`` (``usecases/first_run.py``), in a small Tk window
opened once the tray icon shows and the app ticks: a ``TkWindow``, in its own thread, so
reminders never wait for it. Skip (or closing it) writes the default settings, so it is not
asked again; where Tk cannot open, the user gets one notice naming ``movebreak setup``.
Keyboard: Tab moves, space ticks a box, Enter saves (or presses the focused button),
Escape skips; the buttons say so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from movebreak.i18n import _
from movebreak.tray.tkwindow import TkWindow, with_key

log = logging.getLogger("movebreak.tray")

WINDOW_CLASS = "MovebreakWelcome"
TEXT_EMS = 48  # the text wraps at this many widths of "0"


class WelcomeWindow(TkWindow):
    """``open()`` starts the window's thread; ``on_saved`` gets the saved result's lines."""

    WINDOW_CLASS = WINDOW_CLASS

    def __init__(self, env, notice: Callable[[str], None], on_saved: Callable[[tuple[str, ...]], None]) -> None:
        super().__init__(notice, env.platform)
        self.env = env
        self.on_saved = on_saved

    def open(self) -> None:
        if self.platform == "darwin":  # Tk cannot run outside the main thread there
            self.notice(self.missing_tk_text())
            return
        super().open()

    def unavailable_text(self, reason: str) -> str:
        from movebreak.usecases.first_run import how_to_set_it

        return how_to_set_it()

    def missing_tk_text(self) -> str:
        from movebreak.usecases.first_run import how_to_set_it

        return how_to_set_it()

    def build(self, tk, root) -> None:
        from movebreak.usecases.first_run import offered_answers, what_it_does

        try:
            offered = offered_answers(self.env)
        except Exception as error:  # an unreadable config: say how to set it, once
            log.warning("the welcome window could not read the settings: %s", error)
            self.notice(self.unavailable_text(str(error)))
            root.after_idle(root.destroy)
            return
        root.title(_("Welcome to movebreak"))
        root.resizable(False, False)
        wrap = self.em(root, TEXT_EMS)
        frame = tk.Frame(root, padx=12, pady=10)
        frame.grid()
        tk.Label(frame, text=_("Welcome to movebreak"), font="TkCaptionFont").grid(row=0, column=0, columnspan=2,
                                                                                 sticky="w")
        tk.Label(frame, text=what_it_does(), justify="left", wraplength=wrap).grid(
            row=1, column=0, columnspan=2, sticky="w", pady=(4, 8))
        tk.Label(frame, text=_("What do you have at hand? movebreak suggests exercises that fit."),
                 justify="left", wraplength=wrap).grid(row=2, column=0, columnspan=2, sticky="w", pady=(0, 4))
        values = {name: tk.BooleanVar(root, value=getattr(offered, name))
                  for name in ("stairs", "band", "floor", "autostart")}
        labels = {"stairs": _("Stairs or a sturdy step nearby"), "band": _("A resistance band"),
                  "floor": _("Room to lie on the floor (floor exercises during working hours)")}
        for row, name in enumerate(labels, start=3):
            self.track(name, tk.Checkbutton(frame, text=labels[name], variable=values[name], anchor="w",
                                            justify="left", wraplength=wrap)).grid(row=row, column=0, columnspan=2,
                                                                                   sticky="w")
        tk.Label(frame, text=_("Working hours, Monday to Friday (like 08:00-18:00, or off)"), justify="left",
                 wraplength=wrap - self.em(root, 16)).grid(row=6, column=0, sticky="w", pady=(6, 0))
        hours = self.track("hours", tk.Entry(frame, width=14))
        hours.insert(0, offered.weekday_hours or "")
        hours.grid(row=6, column=1, sticky="w", pady=(6, 0))
        self.track("autostart", tk.Checkbutton(frame, text=_("Start movebreak when you log in"),
                                               variable=values["autostart"], anchor="w")).grid(
            row=7, column=0, columnspan=2, sticky="w", pady=(6, 0))
        problem = tk.Label(frame, text="", fg="#a00000", justify="left", wraplength=wrap)
        problem.grid(row=8, column=0, columnspan=2, sticky="w")

        def save(_event=None) -> None:
            self._save(root, offered, values, hours.get().strip(), problem)

        def skip(_event=None) -> None:
            self._skip(root)

        tk.Label(frame, text=_("Tab moves between the fields, space ticks a box."), justify="left",
                 wraplength=wrap).grid(row=9, column=0, columnspan=2, sticky="w", pady=(6, 0))
        buttons = tk.Frame(frame, pady=8)
        buttons.grid(row=10, column=0, columnspan=2, sticky="e")
        self.track("skip", tk.Button(buttons, text=with_key(_("Skip"), "Esc"), command=skip)).grid(
            row=0, column=0, padx=4)
        self.track("save", tk.Button(buttons, text=with_key(_("Save"), "Enter"), command=save,
                                     default="active")).grid(row=0, column=1, padx=4)
        root.bind("<Return>", save)
        root.bind("<KP_Enter>", save)
        root.bind("<Escape>", skip)
        root.protocol("WM_DELETE_WINDOW", skip)
        self._tracked["stairs"].focus_set()

    def _save(self, root, offered, values, typed: str, problem) -> None:
        """The answers written to config.toml; a bad working-hours value says why and keeps the window."""
        from dataclasses import replace

        from movebreak.errors import MovebreakError
        from movebreak.usecases.first_run import check_hours, save_answers

        try:
            weekday_hours = check_hours(typed) if typed else offered.weekday_hours
            result = save_answers(self.env, replace(
                offered, stairs=values["stairs"].get(), band=values["band"].get(),
                floor=values["floor"].get(), weekday_hours=weekday_hours, autostart=values["autostart"].get()))
        except (ValueError, MovebreakError, OSError) as error:
            problem.configure(text=_("Not saved: {reason}", reason=error))
            return
        root.destroy()
        self.on_saved(result.lines)

    def _skip(self, root) -> None:
        from movebreak.errors import MovebreakError
        from movebreak.usecases.first_run import save_defaults_once

        try:
            save_defaults_once(self.env)
        except (MovebreakError, OSError) as error:
            log.warning("the default settings could not be written: %s", error)
        root.destroy()
        self.notice(_("Skipped: movebreak suggests desk exercises only. Change it any time with: movebreak setup"))
