"""The small actions window: the menu's items as buttons, for trays without a menu.

pystray's ``xorg`` backend has no menu, so a left-click on the icon opens this window
(on the GTK and Windows trays the left-click opens it too, as the menu's default item).
tkinter is imported when the window first opens, in the window's own thread, where every
Tk call of that window happens; other threads only set flags that the window polls. When
tkinter is missing or cannot open, the user gets a notice naming the CLI commands.

Keys, as in terminal mode: b = I took a break (the suggested exercise), s = snooze
(the first option), p = pause 30 min, r = resume, Escape = close.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from movebreak.i18n import _
from movebreak.tray.menu import OTHER_MINUTES, PAUSE_MINUTES, minutes_label

log = logging.getLogger("movebreak.tray")

WINDOW_CLASS = "MovebreakActions"
POLL_MS = 500


def missing_tk_text() -> str:
    return _("The movebreak window needs tkinter, which is not installed (Debian/Ubuntu: python3-tk). "
             "Use the commands instead: movebreak status, log, snooze, pause, resume, summary --open.")


class ActionsWindow:
    """One window at a time; ``open`` from any thread shows it or brings it to the front."""

    def __init__(self, get_state: Callable[[], object], actions, notice: Callable[[str], None],
                 platform: str) -> None:
        self.get_state = get_state
        self.actions = actions
        self.notice = notice
        self.platform = platform
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._raise = threading.Event()
        self._close = threading.Event()
        self.buttons: dict[str, tuple[int, int]] = {}  # name -> centre on screen, once shown
        self.shown = threading.Event()

    @property
    def is_open(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def open(self) -> None:
        if self.platform == "darwin":  # Tk must own the main thread there; the menu bar has every item
            self.notice(_("Use the menu bar icon's menu."))
            return
        with self._lock:
            if self.is_open:
                self._raise.set()
                return
            self._close.clear()
            self.shown.clear()
            self._thread = threading.Thread(target=self._run, name="movebreak-window", daemon=True)
            self._thread.start()

    def close(self, wait: float = 2.0) -> None:
        self._close.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(wait)

    # --- the window's own thread ---------------------------------------------------------------

    def _run(self) -> None:
        try:
            import tkinter as tk
        except ImportError:
            self.notice(missing_tk_text())
            return
        try:
            root = tk.Tk(className=WINDOW_CLASS)
        except Exception as error:  # tk.TclError: no display, no Tk library
            log.warning("the actions window could not open: %s", error)
            self.notice(_("The movebreak window could not open ({reason}). Use the commands instead: "
                          "movebreak status, log, snooze, pause, resume, summary --open.", reason=error))
            return
        try:
            self._build(tk, root)
            root.mainloop()
        except Exception:
            log.exception("the actions window failed")
        finally:
            self.buttons = {}
            try:
                root.destroy()
            except Exception:
                pass
            # Tcl aborts the process if its interpreter is freed by another thread
            # ("Tcl_AsyncDelete: async handler deleted by the wrong thread"): free it here.
            del root
            import gc

            gc.collect()

    def _build(self, tk, root) -> None:
        root.title(_("movebreak"))
        root.resizable(False, False)
        self._set_icon(tk, root)
        status = tk.Label(root, justify="left", anchor="w", wraplength=420, padx=8, pady=6)
        status.grid(row=0, column=0, columnspan=5, sticky="we")
        widgets: dict[str, object] = {}
        snooze_buttons: list[object] = []
        row = 1

        def label(text: str) -> None:
            tk.Label(root, text=text, anchor="w", padx=8).grid(row=row, column=0, sticky="w")

        def button(name: str, text: str, command: Callable[[], None], column: int, *, close: bool = True):
            def pressed() -> None:
                command()
                if close:
                    root.after(150, root.destroy)

            widget = tk.Button(root, text=text, command=pressed)
            widget.grid(row=row, column=column, sticky="we", padx=2, pady=2)
            widgets[name] = widget
            return widget

        state = self.get_state()
        label(_("I took a break"))
        breaks = list(getattr(state, "breaks", ()))[:3]
        for column, choice in enumerate(breaks, start=1):
            button(f"break-{column}", choice.label, _bound(self.actions.log_break, exercise_id=choice.exercise_id),
                   column)
        row += 1
        label(_("Other activity…"))
        for column, minutes in enumerate(OTHER_MINUTES, start=1):
            button(f"other-{minutes}", minutes_label(minutes), _bound(self.actions.log_break, minutes=minutes), column)
        row += 1
        label(_("Snooze"))
        for column, minutes in enumerate(getattr(state, "snooze_minutes", ()), start=1):
            snooze_buttons.append(button(f"snooze-{minutes}", minutes_label(minutes),
                                         _bound(self.actions.snooze, minutes), column))
        row += 1
        label(_("Pause"))
        for column, minutes in enumerate(PAUSE_MINUTES, start=1):
            button(f"pause-{minutes}", minutes_label(minutes), _bound(self.actions.pause, minutes), column)
        button("pause-tomorrow", _("until tomorrow"), _bound(self.actions.pause, None, until_tomorrow=True),
               len(PAUSE_MINUTES) + 1)
        resume = button("resume", _("Resume"), self.actions.resume, len(PAUSE_MINUTES) + 2)
        row += 1
        button("summary", _("Weekly summary"), self.actions.summary, 1, close=False)
        button("exercises", _("Exercises"), self.actions.exercises, 2, close=False)
        button("settings", _("Settings"), self.actions.settings, 3, close=False)
        button("quit", _("Quit movebreak"), self.actions.quit, 4)

        def update() -> None:
            current = self.get_state()
            status.configure(text=getattr(current, "status_line", ""))
            can_snooze = bool(getattr(current, "can_snooze", False))
            for widget in snooze_buttons:
                widget.configure(state="normal" if can_snooze else "disabled")
            resume.configure(state="normal" if getattr(current, "paused", False) else "disabled")

        def poll() -> None:
            if self._close.is_set():
                root.destroy()
                return
            if self._raise.is_set():
                self._raise.clear()
                root.deiconify()
                root.lift()
            update()
            root.after(POLL_MS, poll)

        def key(name: str):
            return lambda _event: widgets[name].invoke() if name in widgets else None

        if breaks:
            root.bind("<Key-b>", key("break-1"))
        if snooze_buttons:
            root.bind("<Key-s>", key(next(n for n in widgets if n.startswith("snooze-"))))
        root.bind("<Key-p>", key(f"pause-{PAUSE_MINUTES[0]}"))
        root.bind("<Key-r>", key("resume"))
        root.bind("<Escape>", lambda _event: root.destroy())
        update()
        root.update_idletasks()
        self.buttons = {name: (w.winfo_rootx() + w.winfo_width() // 2, w.winfo_rooty() + w.winfo_height() // 2)
                        for name, w in widgets.items()}
        root.after(POLL_MS, poll)
        root.after(50, self._mark_shown(root, widgets))

    def _mark_shown(self, root, widgets):
        def mark() -> None:
            root.update_idletasks()
            self.buttons = {name: (w.winfo_rootx() + w.winfo_width() // 2, w.winfo_rooty() + w.winfo_height() // 2)
                            for name, w in widgets.items()}
            root.focus_force()
            self.shown.set()

        return mark

    @staticmethod
    def _set_icon(tk, root) -> None:
        try:
            from PIL import ImageTk

            from movebreak.tray.icon import app_icon

            image = ImageTk.PhotoImage(app_icon(64), master=root)
            root.iconphoto(True, image)
            root._movebreak_icon = image  # keep a reference: Tk does not
        except Exception:  # an icon is a nicety
            log.debug("no window icon", exc_info=True)


def _bound(function: Callable[..., None], *args, **kwargs) -> Callable[[], None]:
    return lambda: function(*args, **kwargs)
