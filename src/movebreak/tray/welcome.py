"""The first run's welcome window: what is at hand, the working hours, autostart.

The same questions as ``movebreak setup`` (``usecases/first_run.py``), in a small Tk window
opened once the tray icon shows and the app ticks: it runs in its own thread, where every
Tk call of it happens (as the actions window does), so reminders never wait for it. Skip
(or closing it) writes the default settings, so it is not asked again; where Tk cannot open,
the user gets one notice naming ``movebreak setup``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from movebreak.i18n import _

log = logging.getLogger("movebreak.tray")

WINDOW_CLASS = "MovebreakWelcome"


class WelcomeWindow:
    """``open()`` starts the window's thread; ``on_saved`` gets the saved result's lines."""

    def __init__(self, env, notice: Callable[[str], None], on_saved: Callable[[tuple[str, ...]], None]) -> None:
        self.env = env
        self.notice = notice
        self.on_saved = on_saved
        self.shown = threading.Event()
        self.widgets: dict[str, tuple[int, int]] = {}  # name -> centre on screen, once shown (for tests)
        self._thread: threading.Thread | None = None

    def open(self) -> None:
        self._thread = threading.Thread(target=self._run, name="movebreak-welcome", daemon=True)
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        from movebreak.usecases.first_run import how_to_set_it, offered_answers

        try:
            import tkinter as tk

            offered = offered_answers(self.env)
            root = tk.Tk(className=WINDOW_CLASS)
        except Exception as error:  # no tkinter, no display for Tk: say how to set it, once
            log.warning("the welcome window could not open: %s", error)
            self.notice(how_to_set_it())
            return
        try:
            self._build(tk, root, offered)
            root.mainloop()
        except Exception:
            log.exception("the welcome window failed")
        finally:
            try:
                root.destroy()
            except Exception:
                pass
            del root  # freed in this thread: Tcl aborts when another thread frees its interpreter
            import gc

            gc.collect()

    def _build(self, tk, root, offered) -> None:
        from dataclasses import replace

        from movebreak.errors import MovebreakError
        from movebreak.usecases.first_run import check_hours, save_answers, save_defaults_once

        root.title(_("Welcome to movebreak"))
        root.resizable(False, False)
        frame = tk.Frame(root, padx=12, pady=10)
        frame.grid()
        tk.Label(frame, text=_("What do you have at hand? movebreak suggests exercises that fit."),
                 justify="left", wraplength=380).grid(row=0, column=0, columnspan=2, sticky="w", pady=(0, 6))
        widgets: dict[str, object] = {}
        values = {name: tk.BooleanVar(root, value=getattr(offered, name))
                  for name in ("stairs", "band", "floor", "autostart")}
        labels = {"stairs": _("Stairs or a sturdy step nearby"), "band": _("A resistance band"),
                  "floor": _("Room to lie on the floor (floor exercises during working hours)")}
        for row, name in enumerate(labels, start=1):
            widgets[name] = tk.Checkbutton(frame, text=labels[name], variable=values[name], anchor="w")
            widgets[name].grid(row=row, column=0, columnspan=2, sticky="w")
        tk.Label(frame, text=_("Working hours, Monday to Friday (like 08:00-18:00, or off)")).grid(
            row=4, column=0, sticky="w", pady=(6, 0))
        hours = tk.Entry(frame, width=14)
        hours.insert(0, offered.weekday_hours or "")
        hours.grid(row=4, column=1, sticky="w", pady=(6, 0))
        widgets["hours"] = hours
        widgets["autostart"] = tk.Checkbutton(frame, text=_("Start movebreak when you log in"),
                                              variable=values["autostart"], anchor="w")
        widgets["autostart"].grid(row=5, column=0, columnspan=2, sticky="w", pady=(6, 0))
        problem = tk.Label(frame, text="", fg="#a00000", justify="left", wraplength=380)
        problem.grid(row=6, column=0, columnspan=2, sticky="w")

        def save(_event=None) -> None:
            typed = hours.get().strip()
            try:
                weekday_hours = check_hours(typed) if typed else offered.weekday_hours
                result = save_answers(self.env, replace(
                    offered, stairs=values["stairs"].get(), band=values["band"].get(),
                    floor=values["floor"].get(), weekday_hours=weekday_hours, autostart=values["autostart"].get()))
            except (ValueError, MovebreakError, OSError) as error:
                problem.configure(text=str(error))
                return
            root.destroy()
            self.on_saved(result.lines)

        def skip(_event=None) -> None:
            try:
                save_defaults_once(self.env)
            except (MovebreakError, OSError) as error:
                log.warning("the default settings could not be written: %s", error)
            root.destroy()
            self.notice(_("Skipped: movebreak suggests desk exercises only. Change it any time with: movebreak setup"))

        buttons = tk.Frame(frame, pady=8)
        buttons.grid(row=7, column=0, columnspan=2, sticky="e")
        widgets["skip"] = tk.Button(buttons, text=_("Skip"), command=skip)
        widgets["skip"].grid(row=0, column=0, padx=4)
        widgets["save"] = tk.Button(buttons, text=_("Save"), command=save, default="active")
        widgets["save"].grid(row=0, column=1, padx=4)
        root.bind("<Return>", save)
        root.bind("<Escape>", skip)
        root.protocol("WM_DELETE_WINDOW", skip)

        def mark_shown() -> None:
            root.update_idletasks()
            self.widgets = {name: (w.winfo_rootx() + w.winfo_width() // 2, w.winfo_rooty() + w.winfo_height() // 2)
                            for name, w in widgets.items()}
            self.shown.set()

        root.after(100, mark_shown)
