"""The exercise browser: every exercise with its pictogram, steps, mistake, variants and effort.

A list with filters and a search on the left (``exercises/browse.py`` decides what it
lists), the selected exercise on the right, and two ways to record it: *Do it now* counts
its duration down inside the window and then logs it, *Log as done* logs it at once. The
window knows nothing of the running app: whoever opens it passes ``log_done(exercise_id,
minutes)``, which records the exercise and returns the line to show (the tray: AppCore's
``log_break``; ``movebreak exercises --window``: the use case of ``movebreak log``).

Keyboard: Ctrl+F searches, Alt with an underlined letter reaches each filter and button,
Tab walks search, filters, list, text, buttons in that order; Escape stops a countdown, or
closes the window.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from movebreak.errors import MovebreakError
from movebreak.exercises.browse import DURATION_LIMITS, MINE, AtHand, Filters, bitmap_file, browse, picture_path
from movebreak.exercises.model import CATEGORIES, CATEGORY_LABELS, EQUIPMENT_LABELS, PLACE_LABELS, PLACES
from movebreak.i18n import N_, _, using
from movebreak.tray.tkwindow import TkWindow

if TYPE_CHECKING:
    from movebreak.exercises.model import Exercise

log = logging.getLogger("movebreak.tray")

TICK_MS = 200  # how often the countdown is redrawn
LARGE_FONT_LINESPACE = 26  # TkDefaultFont taller than this (pixels): the @2x pictograms
MAX_NAME_COLUMN = 400  # pixels: a longer name is cut in the list (shown whole on the right)
# "&" marks the letter Alt reaches; the letters differ in every language (tests/test_exercises_browse.py).
FIELD_LABELS = {"category": N_("&Category"), "equipment": N_("&Equipment"), "place": N_("&Place"),
                "duration": N_("D&uration")}
LIST_LABEL = N_("E&xercises")
BUTTON_LABELS = {"do_now": N_("&Do it now"), "log": N_("&Log as done"), "stop": N_("S&top"), "close": N_("Close")}


def mnemonic(text: str) -> tuple[str, int]:
    """"&Log as done" -> ("Log as done", 0): the label and the index of its underlined letter."""
    index = text.find("&")
    if index < 0:
        return text, -1
    return text[:index] + text[index + 1:], index


def logged_text(activity, name: str, tz) -> str:
    """The line ``movebreak log`` prints, for a ``log_done`` that has the saved ``Activity``
    (the tray: ``AppCore.log_break`` returns it)."""
    minutes = activity.duration.total_seconds() / 60
    return _("Logged {minutes} min: {what}, from {time}.", minutes=f"{minutes:.1f}".removesuffix(".0"), what=name,
             time=activity.at.astimezone(tz).strftime("%H:%M"))


class ExerciseBrowser(TkWindow):
    WINDOW_CLASS = "MovebreakExercises"

    def __init__(self, exercises: Sequence[Exercise], language: str, notice: Callable[[str], None], platform: str,
                 log_done: Callable[[str, float], str], *, equipment: frozenset[str] | None = None,
                 allow_floor: bool = False, pictures_root: Path | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__(notice, platform)
        self.exercises = tuple(exercises)
        self.language = language
        self.log_done = log_done
        self.at_hand = AtHand(equipment if equipment is not None else AtHand().equipment, allow_floor)
        self.pictures_root = pictures_root
        self.monotonic = monotonic  # the countdown's clock (tests pass a fast one)
        self._wanted: str | None = None  # the exercise ``open`` asked for, selected in the window's thread
        self._wanted_lock = threading.Lock()
        # What the window shows, as plain data (read by tests from another thread):
        self.listed: tuple[str, ...] = ()
        self.selected: str | None = None
        self.detail = ""
        self.picture: str | None = None  # the PNG shown, or None ("no picture")
        self.message = ""
        self.counting = False

    # --- from any thread ----------------------------------------------------------------------

    def open(self, exercise_id: str | None = None) -> None:  # type: ignore[override]
        """Show the window (or raise it) with ``exercise_id`` selected when given."""
        with self._wanted_lock:
            self._wanted = exercise_id
        super().open()

    def unavailable_text(self, reason: str) -> str:
        return _("The exercise window could not open ({reason}). See an exercise with: movebreak exercises show ID",
                 reason=reason)

    def missing_tk_text(self) -> str:
        return _("The exercise window needs tkinter, which is not installed (Debian/Ubuntu: python3-tk). "
                 "See an exercise with: movebreak exercises show ID")

    # --- the window's thread ---------------------------------------------------------------------

    def _run(self) -> None:
        with using(self.language):  # this thread's language: the app's, or the CLI's configured one
            super()._run()

    def raised(self) -> None:
        self._select_wanted()

    def build(self, tk, root) -> None:
        from tkinter import font, ttk

        self._tk, self._root_widget = tk, root
        self.selected, self.counting, self.message = None, False, ""  # a window opened again starts afresh
        root.title(_("movebreak exercises"))
        large = font.nametofont("TkDefaultFont").metrics("linespace") > LARGE_FONT_LINESPACE
        self._large_pictures = large
        outer = ttk.Frame(root, padding=10)
        outer.grid(sticky="nsew")
        root.columnconfigure(0, weight=1)
        root.rowconfigure(0, weight=1)
        left = ttk.Frame(outer)
        left.grid(row=0, column=0, sticky="nsew", padx=(0, 12))
        right = ttk.Frame(outer)
        right.grid(row=0, column=1, sticky="nsew")
        outer.columnconfigure(1, weight=1)
        outer.rowconfigure(0, weight=1)
        self._build_filters(tk, ttk, left)
        self._build_list(ttk, font, left)
        self._build_detail(tk, ttk, right)
        self._build_buttons(ttk, right)
        hint = ttk.Label(outer, text=_("Ctrl+F: search · Alt+underlined letter: that field or button · "
                                       "Enter on a button: press it · Esc: stop or close"), wraplength=900)
        hint.grid(row=1, column=0, columnspan=2, sticky="w", pady=(8, 0))
        root.bind("<Control-f>", lambda _e: self._focus(self._search))
        root.bind("<Escape>", self._escape)
        root.protocol("WM_DELETE_WINDOW", root.destroy)
        self._refresh_list()
        if not self._select_wanted() and self.listed:
            self._select(self.listed[0])
        self._search.focus_set()

    def _labelled(self, ttk, parent, row: int, text: str, widget, name: str):
        label_text, underline = mnemonic(text)
        label = ttk.Label(parent, text=label_text, underline=underline)
        label.grid(row=row, column=0, sticky="w", pady=2)
        widget.grid(row=row, column=1, sticky="ew", pady=2)
        if underline >= 0:
            key = label_text[underline].lower()
            self._root_widget.bind(f"<Alt-{key}>", lambda _e: self._focus(widget))
        self.track(name, widget)
        return widget

    def _build_filters(self, tk, ttk, parent) -> None:
        self._search_text = tk.StringVar(parent)
        self._search = ttk.Entry(parent, textvariable=self._search_text, width=24)
        self._labelled(ttk, parent, 0, _("Search (Ctrl+F)"), self._search, "search")
        self._search_text.trace_add("write", lambda *_a: self._refresh_list())
        self._search.bind("<Return>", lambda _e: self._focus(self._tree))
        self._choices: dict[str, list[tuple[object, str]]] = {
            "category": [(None, _("All categories"))] + [(c, _(CATEGORY_LABELS[c])) for c in CATEGORIES],
            "equipment": [(MINE, _("What I have at hand")), (None, _("Any equipment")), ("none", _("Nothing"))]
            + [(item, _(label)) for item, label in EQUIPMENT_LABELS.items() if item != "none"],
            "place": [(None, _("Any place"))] + [(p, _(PLACE_LABELS[p])) for p in PLACES],
            "duration": [(None, _("Any duration"))]
            + [(limit, _("Up to {minutes} min", minutes=limit)) for limit in DURATION_LIMITS],
        }
        self._combos = {}
        for row, (name, choices) in enumerate(self._choices.items(), start=1):
            widest = max(len(label) for _value, label in choices)
            combo = ttk.Combobox(parent, values=[label for _value, label in choices], state="readonly",
                                 width=widest + 1)
            combo.current(0)
            combo.bind("<<ComboboxSelected>>", lambda _e: self._refresh_list())
            self._combos[name] = self._labelled(ttk, parent, row, _(FIELD_LABELS[name]), combo, name)
        parent.columnconfigure(1, weight=1)

    def _build_list(self, ttk, font, parent) -> None:
        text, underline = mnemonic(_(LIST_LABEL))
        ttk.Label(parent, text=text, underline=underline).grid(row=5, column=0, columnspan=2, sticky="w",
                                                               pady=(8, 2))
        self._root_widget.bind(f"<Alt-{text[underline].lower()}>", lambda _e: self._focus(self._tree))
        frame = ttk.Frame(parent)
        frame.grid(row=6, column=0, columnspan=2, sticky="nsew")
        parent.rowconfigure(6, weight=1)
        tree = ttk.Treeview(frame, columns=("name", "minutes"), show="headings", height=16, selectmode="browse")
        measure = font.nametofont("TkDefaultFont").measure
        widest = max([measure(e.name(self.language)) for e in self.exercises] + [measure(_("Exercise"))])
        tree.column("name", width=min(widest + 16, MAX_NAME_COLUMN), stretch=True)
        tree.column("minutes", width=max(measure("00.0"), measure(_("min"))) + 16, anchor="e", stretch=False)
        tree.heading("name", text=_("Exercise"), anchor="w")
        tree.heading("minutes", text=_("min"), anchor="e")
        scroll = ttk.Scrollbar(frame, orient="vertical", command=tree.yview)
        tree.configure(yscrollcommand=scroll.set)
        tree.grid(row=0, column=0, sticky="nsew")
        scroll.grid(row=0, column=1, sticky="ns")
        frame.rowconfigure(0, weight=1)
        frame.columnconfigure(0, weight=1)
        tree.bind("<<TreeviewSelect>>", self._on_select)
        tree.bind("<FocusIn>", self._on_list_focus)
        self._tree = self.track("list", tree)
        self._count = ttk.Label(parent, text="")
        self._count.grid(row=7, column=0, columnspan=2, sticky="w", pady=(2, 0))

    def _build_detail(self, tk, ttk, parent) -> None:
        head = ttk.Frame(parent)
        head.grid(row=0, column=0, sticky="ew")
        size = 192 if self._large_pictures else 96
        self._picture_label = ttk.Label(head, text="", anchor="center", justify="center")
        self._blank = tk.PhotoImage(master=self._root_widget, width=size, height=size)  # keeps the place
        self._picture_label.grid(row=0, column=0, rowspan=2, sticky="nw", padx=(0, 10))
        self.track("picture", self._picture_label)
        self._name = ttk.Label(head, text="", font="TkHeadingFont", wraplength=420, justify="left")
        self._name.grid(row=0, column=1, sticky="sw")
        self._meta = ttk.Label(head, text="", wraplength=420, justify="left")
        self._meta.grid(row=1, column=1, sticky="nw")
        frame = ttk.Frame(parent)
        frame.grid(row=1, column=0, sticky="nsew", pady=(8, 0))
        parent.rowconfigure(1, weight=1)
        parent.columnconfigure(0, weight=1)
        text = tk.Text(frame, width=52, height=24, wrap="word", font="TkDefaultFont", relief="flat",
                       borderwidth=4, highlightthickness=1, takefocus=True)
        scroll = ttk.Scrollbar(frame, orient="vertical", command=text.yview)
        text.configure(yscrollcommand=scroll.set, state="disabled")
        text.grid(row=0, column=0, sticky="nsew")
        scroll.grid(row=0, column=1, sticky="ns")
        frame.rowconfigure(0, weight=1)
        frame.columnconfigure(0, weight=1)
        self._text = self.track("details", text)

    def _build_buttons(self, ttk, parent) -> None:
        self._status = ttk.Label(parent, text="", wraplength=480, justify="left")
        self._status.grid(row=2, column=0, sticky="ew", pady=(8, 0))
        self._progress = ttk.Progressbar(parent, mode="determinate", maximum=1000)
        self._progress.grid(row=3, column=0, sticky="ew", pady=(4, 0))
        row = ttk.Frame(parent)
        row.grid(row=4, column=0, sticky="e", pady=(8, 0))
        self._buttons = {}
        commands = {"do_now": self._start_countdown, "log": self._log_now, "stop": self._stop_countdown,
                    "close": lambda: self._root_widget.destroy()}
        for column, (name, command) in enumerate(commands.items()):
            label, underline = mnemonic(_(BUTTON_LABELS[name]))
            button = ttk.Button(row, text=label, underline=underline, command=command)
            button.grid(row=0, column=column, padx=(6, 0))
            button.bind("<Return>", lambda _e, b=button: b.invoke())
            if underline >= 0:
                self._root_widget.bind(f"<Alt-{label[underline].lower()}>", lambda _e, b=button: b.invoke())
            self._buttons[name] = self.track(name, button)
        self._buttons["stop"].state(["disabled"])

    # --- what is listed and shown --------------------------------------------------------------

    def _filters(self) -> Filters:
        values = {name: self._choices[name][max(combo.current(), 0)][0] for name, combo in self._combos.items()}
        return Filters(category=values["category"], equipment=values["equipment"], place=values["place"],
                       max_minutes=values["duration"], text=self._search_text.get())

    def _refresh_list(self) -> None:
        found = browse(self.exercises, self._filters(), self.language, self.at_hand)
        tree = self._tree
        tree.delete(*tree.get_children())
        for exercise in found:
            tree.insert("", "end", iid=exercise.id, values=(exercise.name(self.language), f"{exercise.minutes:g}"))
        self.listed = tuple(e.id for e in found)
        self._count.configure(text=_("{shown} of {total} exercises", shown=len(found), total=len(self.exercises)))
        if self.selected in self.listed:
            tree.selection_set(self.selected)
            tree.focus(self.selected)
            tree.see(self.selected)

    def _select_wanted(self) -> bool:
        with self._wanted_lock:
            wanted, self._wanted = self._wanted, None
        if wanted is None or all(e.id != wanted for e in self.exercises):
            return False
        if wanted not in self.listed:  # filtered out: show everything rather than hide what was asked for
            self._search_text.set("")
            for name, combo in self._combos.items():
                combo.current([value for value, _label in self._choices[name]].index(None))
            self._refresh_list()
        self._select(wanted)
        return True

    def _select(self, exercise_id: str) -> None:
        self._tree.selection_set(exercise_id)
        self._tree.focus(exercise_id)
        self._tree.see(exercise_id)
        self._show(exercise_id)

    def _on_list_focus(self, _event=None) -> None:
        """Reaching the list (Enter in the search, Alt+X, Tab) shows its first exercise when the one
        shown is not listed: the arrow keys then go on from there."""
        if self.listed and self.selected not in self.listed:
            self._select(self.listed[0])

    def _on_select(self, _event=None) -> None:
        chosen = self._tree.selection()
        if chosen and chosen[0] != self.selected:
            self._show(chosen[0])

    def _show(self, exercise_id: str) -> None:
        from movebreak.exercises.render import render_detail

        exercise = self._exercise(exercise_id)
        if self.counting:
            self._stop_countdown()
        self.selected = exercise_id
        self._show_picture(exercise)
        self._name.configure(text=exercise.name(self.language))
        self._meta.configure(text=_("{minutes} min · {category} · {place}", minutes=f"{exercise.minutes:g}",
                                    category=_(CATEGORY_LABELS.get(exercise.category, exercise.category)),
                                    place=_(PLACE_LABELS.get(exercise.place, exercise.place))))
        self.detail = "\n".join(render_detail(exercise, self.language).splitlines()[2:]).strip("\n")
        self._text.configure(state="normal")
        self._text.delete("1.0", "end")
        self._text.insert("1.0", self.detail)
        self._text.configure(state="disabled")
        self._say("")
        self._progress.configure(value=0)

    def _show_picture(self, exercise: Exercise) -> None:
        png = bitmap_file(picture_path(exercise, self._pictures_root()), large=self._large_pictures)
        image = None
        if png is not None:
            try:
                image = self._tk.PhotoImage(master=self._root_widget, file=str(png))
            except Exception as error:  # tk.TclError: not a picture Tk can read
                log.info("no picture for %s: %s", exercise.id, error)
        if image is None:
            self._picture_label.configure(image=self._blank, text=_("no picture"), compound="center")
            self.picture = None
        else:
            self._picture_label.configure(image=image, text="", compound="none")
            self.picture = png.name
        self._picture_label.image = image  # Tk keeps no reference of its own

    def _pictures_root(self) -> Path:
        if self.pictures_root is None:
            from movebreak.exercises.catalogue import builtin_dir

            self.pictures_root = builtin_dir()
        return self.pictures_root

    def _exercise(self, exercise_id: str) -> Exercise:
        return next(e for e in self.exercises if e.id == exercise_id)

    def _say(self, text: str) -> None:
        self.message = text
        self._status.configure(text=text)

    def _focus(self, widget) -> str:
        widget.focus_set()
        return "break"

    def _escape(self, _event=None) -> None:
        if self.counting:
            self._stop_countdown()
        else:
            self._root_widget.destroy()

    # --- recording it ------------------------------------------------------------------------

    def _log(self, exercise_id: str, minutes: float) -> None:
        """Say only what happened: the line ``log_done`` returned once it has, or why it failed."""
        try:
            self._say(self.log_done(exercise_id, minutes))
        except MovebreakError as error:
            self._say(str(error))

    def _log_now(self) -> None:
        if self.selected is None:
            return
        if self.counting:
            self._stop_countdown()
        self._log(self.selected, self._exercise(self.selected).minutes)

    def _start_countdown(self) -> None:
        if self.selected is None or self.counting:
            return
        self.counting = True
        self._counted = self.selected
        self._started = self.monotonic()
        self._length = self._exercise(self.selected).duration.total_seconds()
        self._buttons["stop"].state(["!disabled"])
        self._buttons["do_now"].state(["disabled"])
        self._buttons["stop"].focus_set()
        self._tick()

    def _tick(self) -> None:
        if not self.counting:
            return
        left = self._length - (self.monotonic() - self._started)
        if left <= 0:
            self._end_countdown()
            self._progress.configure(value=1000)
            self._log(self._counted, self._length / 60)
            return
        self._progress.configure(value=1000 * (1 - left / self._length))
        seconds = int(left + 0.999)
        self._say(_("Do it now: {time} left. Stop or Esc ends it without logging.",
                    time=f"{seconds // 60}:{seconds % 60:02d}"))
        self._root_widget.after(TICK_MS, self._tick)

    def _end_countdown(self) -> None:
        self.counting = False
        self._buttons["stop"].state(["disabled"])
        self._buttons["do_now"].state(["!disabled"])
        self._buttons["do_now"].focus_set()

    def _stop_countdown(self) -> None:
        if not self.counting:
            return
        self._end_countdown()
        self._progress.configure(value=0)
        self._say(_("Stopped: nothing was logged."))
