"""The settings window: the main keys of config.toml, checked as you type, saved keeping the file's comments.

Every field shows its effective value now; each change is checked by the config key's own
parser (``usecases/settings_edit.py``), the problem shown under the field with a "⚠" in
front (not in colour only), and Save stays disabled while any field is wrong. Save writes
only what changed (the file is read again first: a hand edit made meanwhile stays), then
says "Saved: …" and calls ``on_saved(result)`` — the running app applies the settings
from there; ``movebreak settings`` wakes the app instead. Escape or Cancel closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from movebreak.i18n import _
from movebreak.tray.tkwindow import TkWindow

log = logging.getLogger("movebreak.tray")

WARNING = "⚠"
WRAP = 330  # pixels a problem line may take before it wraps (the fields' column stays as wide as it was)
# Which group goes in which column: the window fits 1024x768 with the system's default font.
COLUMNS = ((0, 1), (2, 3, 4))


class SettingsWindow(TkWindow):
    """``SettingsWindow(env, notice, platform, on_saved).open()``; ``on_saved(SaveResult)`` is
    called in the window's thread after each successful save."""

    WINDOW_CLASS = "MovebreakSettings"

    def __init__(self, env, notice: Callable[[str], None], platform: str, on_saved: Callable[[object], None]) -> None:
        super().__init__(notice, platform)
        self.env = env
        self.on_saved = on_saved
        # for tests and the CLI (plain data, read from any thread): what the window shows now
        self.problems: dict[str, str] = {}  # dotted key -> the problem line shown under its field
        self.save_enabled = False
        self.status = ""  # "Saved: …", or why saving failed
        self.size: tuple[int, int] = (0, 0)
        self._shown_texts: dict[str, str] = {}
        self._getters: dict[str, Callable[[], str]] = {}
        self._setters: dict[str, Callable[[str], None]] = {}
        self._problem_labels: dict[str, object] = {}
        self._refreshing = False

    def unavailable_text(self, reason: str) -> str:
        return _("The settings window could not open ({reason}); edit the file instead: movebreak config edit",
                 reason=reason)

    def missing_tk_text(self) -> str:
        return _("The settings window needs tkinter, which is not installed (Debian/Ubuntu: python3-tk); "
                 "edit the file instead: movebreak config edit")

    def run_here(self) -> None:
        """Show the window in this thread until it is closed (``movebreak settings``: the CLI's
        main thread, which on macOS is where Tk must run). Why it could not open is the
        notice's one line only: the log's warning saying the same is kept off the terminal."""
        quiet = _ErrorsOnly()
        log.addFilter(quiet)
        try:
            self._run()
        finally:
            log.removeFilter(quiet)

    # --- building (the window's thread) ----------------------------------------------------------

    def build(self, tk, root) -> None:
        from movebreak.usecases.settings_edit import FIELDS, GROUPS, current_texts

        self._shown_texts = current_texts(self.env)
        root.title(_("movebreak settings"))
        root.resizable(False, False)
        frame = tk.Frame(root, padx=10, pady=8)
        frame.grid(sticky="nsew")
        tk.Label(frame, text=_('Durations like "45m", "90s" or "1h30m"; hours like "08:00-18:00" or "off".'),
                 justify="left", anchor="w").grid(row=0, column=0, columnspan=2, sticky="w", pady=(0, 6))
        for column, groups in enumerate(COLUMNS):
            holder = tk.Frame(frame)
            holder.grid(row=1, column=column, sticky="nw", padx=(0, 10) if column == 0 else 0)
            for index in groups:
                box = tk.LabelFrame(holder, text=_(GROUPS[index]), padx=8, pady=4)
                box.grid(sticky="new", pady=(0, 6))
                box.columnconfigure(1, weight=1)
                row = 0
                for field in FIELDS:
                    if field.group == GROUPS[index]:
                        row = self._add_field(tk, root, box, field, row)
        self._add_buttons(tk, root, frame)
        for dotted, text in self._shown_texts.items():
            self._setters[dotted](text)
        self._revalidate_all()
        self._update_days()
        self._show_file_problem()
        first = self._tracked.get("reminders.remind_after")
        if first is not None:
            root.after(150, first.focus_force)  # after TkWindow focuses the window itself

    def _add_field(self, tk, root, box, field, row: int) -> int:
        """The field's widgets from ``row`` on, and under them its problem line (shown only when
        there is one; its row is kept, so it never lands on the next field); the next free row."""
        if field.kind == "text":
            tk.Label(box, text=_(field.label), anchor="w").grid(row=row, column=0, sticky="w", pady=1)
            var = tk.StringVar(root)
            entry = self.track(field.dotted, tk.Entry(box, textvariable=var, width=18))
            entry.grid(row=row, column=1, sticky="w", padx=(8, 0), pady=1)
            self._getters[field.dotted], self._setters[field.dotted] = var.get, var.set
            watched = [var]
        elif field.kind == "flag":
            var = tk.BooleanVar(root)
            self.track(field.dotted, tk.Checkbutton(box, text=_(field.label), variable=var, anchor="w")).grid(
                row=row, column=0, columnspan=2, sticky="w")
            self._getters[field.dotted] = lambda var=var: "true" if var.get() else "false"
            self._setters[field.dotted] = lambda text, var=var: var.set(text.strip() == "true")
            watched = [var]
        else:
            watched = self._add_options(tk, root, box, field, row)
            row += 1
        problem = tk.Label(box, text="", fg="#a00000", anchor="w", justify="left", wraplength=WRAP)
        problem.grid(row=row + 1, column=0, columnspan=2, sticky="w")
        problem.grid_remove()
        self._problem_labels[field.dotted] = self.track(f"problem:{field.dotted}", problem)
        for var in watched:
            var.trace_add("write", lambda *_args, dotted=field.dotted: self._edited(dotted))
        return row + 2

    def _add_options(self, tk, root, box, field, row) -> list:
        """A checkbox per name ("names") or a radio button per choice ("choice"), under the field's label."""
        tk.Label(box, text=_(field.label), anchor="w").grid(row=row, column=0, columnspan=2, sticky="w")
        line = tk.Frame(box)
        line.grid(row=row + 1, column=0, columnspan=2, sticky="w", padx=(12, 0))
        if field.kind == "choice":
            var = tk.StringVar(root)
            for index, (value, label) in enumerate(field.options):
                self.track(f"{field.dotted}={value}", tk.Radiobutton(
                    line, text=_(label), value=value, variable=var)).grid(row=0, column=index, sticky="w")
            self._getters[field.dotted], self._setters[field.dotted] = var.get, var.set
            return [var]
        ticks = {value: tk.BooleanVar(root) for value, _label in field.options}
        per_row = 2 if len(field.options) > 3 else 1
        for index, (value, label) in enumerate(field.options):
            self.track(f"{field.dotted}={value}", tk.Checkbutton(
                line, text=_(label), variable=ticks[value], anchor="w")).grid(
                row=index // per_row, column=index % per_row, sticky="w")
        self._getters[field.dotted] = lambda: ", ".join(value for value, tick in ticks.items() if tick.get())

        def show(text: str) -> None:
            chosen = {item.strip() for item in text.split(",")}
            for value, tick in ticks.items():
                tick.set(value in chosen)

        self._setters[field.dotted] = show
        return list(ticks.values())

    def _add_buttons(self, tk, root, frame) -> None:
        self._status_label = tk.Label(frame, text="", anchor="w", justify="left", wraplength=2 * WRAP + 120)
        self._status_label.grid(row=2, column=0, columnspan=2, sticky="w")
        buttons = tk.Frame(frame, pady=6)
        buttons.grid(row=3, column=0, columnspan=2, sticky="e")
        self._save_button = self.track("save", tk.Button(buttons, text=_("Save (Ctrl+S)"), command=self._save,
                                                         default="active"))
        self._save_button.grid(row=0, column=0, padx=4)
        self.track("cancel", tk.Button(buttons, text=_("Cancel (Esc)"), command=root.destroy)).grid(
            row=0, column=1, padx=4)
        root.bind("<Control-s>", self._save)
        root.bind("<Control-S>", self._save)
        root.bind("<Return>", self._save)
        root.bind("<KP_Enter>", self._save)
        root.bind("<Escape>", lambda _event: root.destroy())
        root.protocol("WM_DELETE_WINDOW", root.destroy)

    # --- as you type ------------------------------------------------------------------------------

    def _edited(self, dotted: str) -> None:
        self._validate(dotted)
        self._update_save()
        if dotted == "working_hours.always":
            self._update_days()
        if not self._refreshing:
            self._show_status("")

    def _validate(self, dotted: str) -> None:
        from movebreak.usecases.settings_edit import check

        problem = check(dotted, self._getters[dotted]())
        label = self._problem_labels[dotted]
        others = {key: text for key, text in self.problems.items() if key != dotted}
        if problem:  # a new dict each time: another thread (a test, the CLI) may be reading the old one
            self.problems = {**others, dotted: f"{WARNING} {problem}"}
            label.configure(text=self.problems[dotted])
            label.grid()
        else:
            self.problems = others
            label.configure(text="")
            label.grid_remove()

    def _revalidate_all(self) -> None:
        for dotted in self._getters:
            self._validate(dotted)
        self._update_save()

    def _update_save(self) -> None:
        self.save_enabled = not self.problems
        self._save_button.configure(state="normal" if self.save_enabled else "disabled")

    def _update_days(self) -> None:
        """With "any hour" ticked the days do not count: their fields are greyed out (still shown)."""
        always = self._getters["working_hours.always"]() == "true"
        for dotted, widget in self._tracked.items():
            if dotted.startswith("working_hours.") and dotted != "working_hours.always" and dotted in self._getters:
                widget.configure(state="disabled" if always else "normal")

    def _show_file_problem(self) -> None:
        """A hand edit the config cannot use (not TOML, a bad value): said at once, not at Save."""
        from movebreak.usecases.settings_edit import file_problems

        problems = file_problems(self.env)
        if problems:
            more = _(" (and {count} more: movebreak config check)", count=len(problems) - 1) if problems[1:] else ""
            self._show_status(f"{WARNING} {problems[0]}{more}")

    def _show_status(self, text: str) -> None:
        self.status = text
        self._status_label.configure(text=text)

    # --- saving -------------------------------------------------------------------------------------

    def _save(self, _event=None):
        from movebreak.errors import MovebreakError
        from movebreak.usecases.settings_edit import changed_texts, current_texts, save

        if self.problems:
            self._show_status(_("{mark} Fix the marked fields first.", mark=WARNING))
            return "break"
        texts = {dotted: get() for dotted, get in self._getters.items()}
        try:
            result = save(self.env, changed_texts(self._shown_texts, texts))
        except (ValueError, MovebreakError, OSError) as error:
            self._show_status(f"{WARNING} {error}")
            return "break"
        self._refresh(current_texts(self.env))
        self._show_status(result.summary())
        try:
            self.on_saved(result)
        except Exception:  # the file is saved; applying it is the app's business
            log.exception("applying the saved settings failed")
        return "break"

    def _refresh(self, texts: dict[str, str]) -> None:
        """Show what the file says now (a hand edit of other keys included): the next save compares with it."""
        self._refreshing = True
        try:
            self._shown_texts = texts
            for dotted, text in texts.items():
                if self._getters[dotted]() != text:
                    self._setters[dotted](text)
        finally:
            self._refreshing = False

    def polled(self) -> None:
        """Keep the widgets' centres current for tests (a problem line moves the fields below it)."""
        if self.shown.is_set():
            from movebreak.tray.tkwindow import centres

            self.widgets = centres(self._tracked)

    def _mark_shown(self) -> None:
        root = self._root
        if root is not None:
            root.update_idletasks()
            self.size = (root.winfo_width(), root.winfo_height())
        super()._mark_shown()


class _ErrorsOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR
