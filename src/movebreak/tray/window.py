"""The small actions window: the menu's items as buttons, for trays without a menu.

pystray's ``xorg`` backend has no menu, so a left-click on the icon opens this window
(on the GTK and Windows trays the left-click opens it too, as the menu's default item).
It is a ``TkWindow``: its own Tk interpreter in its own thread.

Layout: the status line and Close; the suggested exercise with its pictogram (the ``.png``
beside the exercise's picture file, when there is one), its name and duration; then a
heading and a row of buttons per menu item, in four columns whose width is set by the
window's own words in the font's units (so they grow with the text, never with an
exercise's name: the other exercises take two columns each and wrap there). Keys, as in
terminal mode, shown on the buttons: b = I took a break (the suggested exercise), s =
snooze (the first option), p = pause 30 min, r = resume, Escape = close; Tab moves between
the buttons, Enter or space presses one. A disabled Snooze says why in words.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from movebreak.i18n import _
from movebreak.tray.menu import OTHER_MINUTES, PAUSE_MINUTES, minutes_label
from movebreak.tray.tkwindow import TkWindow, with_key, wrap_width

log = logging.getLogger("movebreak.tray")

WINDOW_CLASS = "MovebreakActions"
COLUMNS = 4
WRAP_EMS = 14  # button texts wrap at this many widths of "0" (or at the longest word, when longer)
PICTURE_LINES = 6  # the pictogram is this many text lines high


def keep_together(label: str) -> str:
    """The last two words joined by a no-break space, so "(1 min)" never wraps apart."""
    head, space, tail = label.rpartition(" ")
    return f"{head}\u00a0{tail}" if space else label


def snooze_reason(state) -> str:
    """Why Snooze is disabled, in words (grey alone says nothing to many); "" when it is not."""
    if getattr(state, "can_snooze", False):
        return ""
    if getattr(state, "reminder_pending", False):
        return _("Snooze: no more snoozes for this reminder.")
    return _("Snooze: no reminder is showing.")


def picture_png(picture: str | None) -> Path | None:
    """The PNG to show for an exercise's picture file: the file itself when it is a PNG, else
    the PNG of the same name beside it (the SVGs are rendered to PNGs); None when missing."""
    if not picture:
        return None
    path = Path(picture)
    png = path if path.suffix.lower() == ".png" else path.with_suffix(".png")
    return png if png.is_file() else None


def picture_side(root) -> int:
    """The pictogram's size: ``PICTURE_LINES`` lines of text, so it grows with the font."""
    import tkinter.font

    return tkinter.font.nametofont("TkDefaultFont", root).metrics("linespace") * PICTURE_LINES


class ActionsWindow(TkWindow):
    """One window at a time; ``open`` from any thread shows it or brings it to the front."""

    WINDOW_CLASS = WINDOW_CLASS

    def __init__(self, get_state: Callable[[], object], actions, notice: Callable[[str], None],
                 platform: str) -> None:
        super().__init__(notice, platform)
        self.get_state = get_state
        self.actions = actions
        self._update: Callable[[], None] = lambda: None
        self._keys: dict[str, object] = {}

    @property
    def buttons(self) -> dict[str, tuple[int, int]]:
        """The tracked widgets' centres (the name this window's tests used before ``widgets``)."""
        return self.widgets

    def polled(self) -> None:
        self._update()

    def forget(self) -> None:
        self._update = lambda: None
        self._keys = {}

    # --- the window's own thread ---------------------------------------------------------------

    def build(self, tk, root) -> None:
        root.title(_("movebreak"))
        root.resizable(False, False)
        root.configure(padx=self.em(root, 0.5), pady=self.em(root, 0.5))
        state = self.get_state()
        breaks = list(getattr(state, "breaks", ()))[:COLUMNS]
        width = wrap_width(root, self.em(root, WRAP_EMS), [
            _("Weekly summary"), _("Exercises"), _("Settings"), _("Quit movebreak"), _("until tomorrow")])
        for column in range(COLUMNS):
            root.columnconfigure(column, uniform="actions")
        status = tk.Label(root, justify="left", anchor="w", wraplength=width * (COLUMNS - 1), padx=self.em(root, 1))
        status.grid(row=0, column=0, columnspan=COLUMNS - 1, sticky="w")
        self._row(tk, root, 0, [None, None, None, ("close", _("Close"), lambda: None, "Esc")], width)
        frame = tk.Frame(root, padx=self.em(root, 1))
        frame.grid(row=1, column=0, columnspan=COLUMNS, sticky="nsew")
        self._keys: dict[str, object] = {}
        if breaks:
            self._suggested(tk, root, frame, breaks[0], width)
        row = self._other_exercises(tk, root, 2, breaks[1:], width)
        row = self._section(tk, root, row, _("Other activity…"), [
            (f"other-{minutes}", minutes_label(minutes), _bound(self.actions.log_break, minutes=minutes), None)
            for minutes in OTHER_MINUTES], width)
        snooze_minutes = list(getattr(state, "snooze_minutes", ()))[:COLUMNS]
        row = self._section(tk, root, row, _("Snooze"), [
            (f"snooze-{minutes}", minutes_label(minutes), _bound(self.actions.snooze, minutes), "s" if i == 0 else None)
            for i, minutes in enumerate(snooze_minutes)], width)
        snoozes = [self._tracked[f"snooze-{minutes}"] for minutes in snooze_minutes]
        reason = self.track("snooze-reason", tk.Label(root, anchor="w", justify="left", wraplength=width * COLUMNS,
                                                      padx=self.em(root, 1)))
        reason_row, row = row, row + 1
        row = self._section(tk, root, row, _("Pause"), [
            *((f"pause-{minutes}", minutes_label(minutes), _bound(self.actions.pause, minutes), "p" if i == 0 else None)
              for i, minutes in enumerate(PAUSE_MINUTES)),
            ("pause-tomorrow", _("until tomorrow"), _bound(self.actions.pause, None, until_tomorrow=True), None),
            ("resume", _("Resume"), self.actions.resume, "r")], width)
        resume = self._tracked["resume"]
        tk.Frame(root, height=self.em(root, 0.5)).grid(row=row, column=0)
        self._row(tk, root, row + 1, [
            ("summary", _("Weekly summary"), self.actions.summary, None),
            ("exercises", _("Exercises"), self.actions.exercises, None),
            ("settings", _("Settings"), self.actions.settings, None),
            ("quit", _("Quit movebreak"), self.actions.quit, None)], width, stays_open={"summary", "exercises", "settings"})

        def update() -> None:
            current = self.get_state()
            status.configure(text=getattr(current, "status_line", ""))
            why = snooze_reason(current)
            for widget in snoozes:
                widget.configure(state="disabled" if why else "normal")
            reason.configure(text=why)
            if why and snoozes:
                reason.grid(row=reason_row, column=0, columnspan=COLUMNS, sticky="w")
            else:
                reason.grid_remove()
            resume.configure(state="normal" if getattr(current, "paused", False) else "disabled")

        self._update = update
        for key, widget in self._keys.items():
            if len(key) == 1:
                root.bind(f"<Key-{key}>", lambda _e, w=widget: w.invoke() if str(w.cget("state")) != "disabled" else None)
        root.bind("<Escape>", lambda _event: root.destroy())
        update()
        self._tracked["close"].lift()  # drawn at the top right, reached last with Tab
        (self._tracked.get("break-1") or root).focus_set()

    def _section(self, tk, root, row: int, title: str, items, width: int) -> int:
        """A heading, then its buttons in the fixed columns below it; the next free row."""
        tk.Label(root, text=title, anchor="w", padx=self.em(root, 1)).grid(
            row=row, column=0, columnspan=COLUMNS, sticky="w", pady=(self.em(root, 0.5), 0))
        return self._row(tk, root, row + 1, items, width)

    def _other_exercises(self, tk, root, row: int, choices, width: int) -> int:
        """The other exercises two to a row, each two columns wide: a long name wraps there and
        never widens the columns; the next free row."""
        tk.Label(root, text=_("Other exercise"), anchor="w", padx=self.em(root, 1)).grid(
            row=row, column=0, columnspan=COLUMNS, sticky="w", pady=(self.em(root, 0.5), 0))
        labels = [keep_together(choice.label) for choice in choices]
        wrap = wrap_width(root, 2 * width, labels)
        for index, (choice, label) in enumerate(zip(choices, labels)):
            widget = self._button(tk, root, root, f"break-{index + 2}", label,
                                  _bound(self.actions.log_break, exercise_id=choice.exercise_id), wrap)
            widget.grid(row=row + 1 + index // 2, column=2 * (index % 2), columnspan=2, sticky="nsew", padx=2, pady=2)
        return row + 1 + (len(choices) + 1) // 2

    def _row(self, tk, root, row: int, items, width: int, stays_open=frozenset()) -> int:
        """One button per column (None leaves a column empty); a button closes the window after
        its action unless its name is in ``stays_open``."""
        for column, item in enumerate(items):
            if item is None:
                continue
            name, text, command, key = item
            widget = self._button(tk, root, root, name, text, command, width, key=key, close=name not in stays_open)
            widget.grid(row=row, column=column, sticky="nsew", padx=2, pady=2)
        return row + 1

    def _button(self, tk, root, parent, name: str, text: str, command, width: int, *, key: str | None = None,
                close: bool = True):
        def pressed() -> None:
            command()
            if close:
                root.after(150, root.destroy)

        widget = tk.Button(parent, text=with_key(text, key) if key else text, command=pressed,
                           wraplength=width, justify="center", padx=self.em(root, 0.75))
        if key:
            self._keys[key] = widget
        return self.track(name, widget)

    def _suggested(self, tk, root, frame, choice, width: int) -> None:
        """The suggested exercise: its pictogram, name and duration, and the button that logs it (b)."""
        box = tk.Frame(frame)
        box.pack(anchor="w", fill="x")
        picture = self._picture(root, picture_png(getattr(choice, "picture", None)))
        if picture is not None:
            image = tk.Label(box, image=picture)
            image.pack(side="left", anchor="n", padx=(0, self.em(root, 1)))
            self.track("picture", image)
        words = tk.Frame(box)
        words.pack(side="left", anchor="n")
        tk.Label(words, text=_("Suggested exercise"), anchor="w").pack(anchor="w")
        tk.Label(words, text=keep_together(choice.label), font="TkHeadingFont", anchor="w", justify="left",
                 wraplength=width * 3).pack(anchor="w", pady=(0, self.em(root, 0.5)))
        self._button(tk, root, words, "break-1", _("I did this exercise"),
                     _bound(self.actions.log_break, exercise_id=choice.exercise_id), width * 2, key="b").pack(anchor="w")

    def _picture(self, root, path: Path | None):
        """The pictogram, scaled to ``PICTURE_LINES`` lines of text; None when there is none."""
        if path is None:
            return None
        try:
            from PIL import Image, ImageTk

            side = picture_side(root)
            with Image.open(path) as raw:
                image = raw.convert("RGBA")
            image.thumbnail((side, side))
            photo = ImageTk.PhotoImage(image, master=root)
        except Exception:  # a picture is a nicety: the name says what to do
            log.debug("no pictogram from %s", path, exc_info=True)
            return None
        root._movebreak_picture = photo  # keep a reference: Tk does not
        return photo


def _bound(function: Callable[..., None], *args, **kwargs) -> Callable[[], None]:
    return lambda: function(*args, **kwargs)
