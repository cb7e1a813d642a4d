"""``TkWindow``: one Tk window in its own thread, opened from any thread.

The running app has no GUI loop of its own that Tk could share (pystray owns the main
thread), so each window runs ``tk.Tk()`` and its ``mainloop`` in a thread of its own,
where every Tk call of that window happens; other threads only set flags that the window
polls (``open`` again raises it, ``close`` ends it). tkinter is imported when the window
first opens, so an app that never opens a window never loads Tk.

A subclass gives ``WINDOW_CLASS`` and ``build(tk, root)``; it registers the widgets a test
may click with ``self.track(name, widget)`` (their centres on screen are in ``self.widgets``
once ``self.shown`` is set). When tkinter is missing or Tk cannot open, ``notice`` gets
``unavailable_text(reason)`` (or ``missing_tk_text()``) once.

Text follows the system font size. Tk's named fonts are sized in points here and Xft draws
them at the X resources' ``Xft.dpi`` (what GNOME's text scaling and ``xrdb`` set), so Tk
already grows with the system's text; before ``build`` a named font sized in pixels is scaled
by ``Xft.dpi / 96`` too, and every one by ``MOVEBREAK_FONT_SCALE`` when set (like 1.5; the
total is ``self.font_scale``). Windows lay out in font units (``self.em``: the width of "0"),
never in fixed pixels, so they grow with the text. Enter activates the focused button, as
space does; Tab moves the focus.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable

from movebreak.i18n import _

log = logging.getLogger("movebreak.tray")

POLL_MS = 500
BASE_DPI = 96.0  # Xft.dpi at 100 % text size
SCALE_LIMITS = (0.5, 3.0)


class TkWindow:
    WINDOW_CLASS = "Movebreak"

    def __init__(self, notice: Callable[[str], None], platform: str) -> None:
        self.notice = notice
        self.platform = platform
        self.shown = threading.Event()
        self.widgets: dict[str, tuple[int, int]] = {}  # name -> centre on screen, once shown (for tests)
        self.clipped: list[str] = []  # widgets whose text does not fit, once shown (logged; tests assert none)
        self._tracked: dict[str, object] = {}
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._raise = threading.Event()
        self._close = threading.Event()
        self.font_scale = 1.0  # the text size against 100 % (Xft.dpi 96), once built
        self.bounds: tuple[int, int, int, int] = (0, 0, 0, 0)  # x, y, width, height on screen, once shown
        self._root = None

    # --- from any thread ----------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def open(self) -> None:
        """Show the window, or bring it to the front when it is open."""
        if self.platform == "darwin":  # Tk must own the main thread there; the menu bar has every item
            self.notice(_("Use the menu bar icon's menu."))
            return
        with self._lock:
            if self.is_open:
                self._raise.set()
                return
            self._close.clear()
            self.shown.clear()
            self._thread = threading.Thread(target=self._run, name=f"movebreak-{self.WINDOW_CLASS}", daemon=True)
            self._thread.start()

    def close(self, wait: float = 2.0) -> None:
        self._close.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(wait)

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    # --- for subclasses --------------------------------------------------------------------------

    def build(self, tk, root) -> None:
        raise NotImplementedError

    def raised(self) -> None:
        """Called in the window's thread when ``open`` asked for a window already open."""

    def polled(self) -> None:
        """Called in the window's thread every ``POLL_MS`` (update what other threads changed)."""

    def forget(self) -> None:
        """Called in the window's thread once it is gone: drop every reference to its widgets
        (Tcl aborts the process when another thread frees the interpreter)."""

    def unavailable_text(self, reason: str) -> str:
        return _("The movebreak window could not open ({reason}). Use the commands instead: "
                 "movebreak status, log, snooze, pause, resume, summary --open.", reason=reason)

    def missing_tk_text(self) -> str:
        return _("The movebreak window needs tkinter, which is not installed (Debian/Ubuntu: python3-tk). "
                 "Use the commands instead: movebreak status, log, snooze, pause, resume, summary --open.")

    def track(self, name: str, widget):
        self._tracked[name] = widget
        return widget

    def em(self, root, count: float = 1.0) -> int:
        """``count`` widths of "0" in the default font, in pixels: a layout unit that scales with the text."""
        import tkinter.font

        return int(round(tkinter.font.nametofont("TkDefaultFont", root).measure("0") * count))

    # --- the window's own thread -----------------------------------------------------------------

    def _run(self) -> None:
        try:
            import tkinter as tk
        except ImportError:
            self.notice(self.missing_tk_text())
            return
        try:
            root = tk.Tk(className=self.WINDOW_CLASS)
        except Exception as error:  # tk.TclError: no display, no Tk library
            log.warning("the %s window could not open: %s", self.WINDOW_CLASS, error)
            self.notice(self.unavailable_text(str(error)))
            return
        self._root = root
        try:
            set_window_icon(root)
            self.font_scale, system = font_scale(os.environ, lambda: x_resources(root))
            scale_named_fonts(root, self.font_scale, system)
            keyboard_defaults(root)
            self.build(tk, root)
            root.after(POLL_MS, self._poll)
            root.after(50, self._mark_shown)
            root.mainloop()
        except Exception:
            log.exception("the %s window failed", self.WINDOW_CLASS)
        finally:
            self.widgets = {}
            self._tracked = {}
            self._root = None
            try:
                self.forget()
            except Exception:
                log.exception("the %s window failed", self.WINDOW_CLASS)
            try:
                root.destroy()
            except Exception:
                pass
            # Tcl aborts the process if its interpreter is freed by another thread
            # ("Tcl_AsyncDelete: async handler deleted by the wrong thread"): free it here.
            del root
            import gc

            gc.collect()

    def _poll(self) -> None:
        root = self._root
        if root is None:
            return
        if self._close.is_set():
            root.destroy()
            return
        if self._raise.is_set():
            self._raise.clear()
            root.deiconify()
            root.lift()
            root.focus_force()
            self.raised()
        try:
            self.polled()
        except Exception:
            log.exception("updating the %s window failed", self.WINDOW_CLASS)
        root.after(POLL_MS, self._poll)

    def _mark_shown(self) -> None:
        root = self._root
        if root is None:
            return
        root.update_idletasks()
        self.widgets = centres(self._tracked)
        self.clipped = clipped_widgets(root)
        self.bounds = (root.winfo_rootx(), root.winfo_rooty(), root.winfo_width(), root.winfo_height())
        if self.clipped:
            log.warning("the %s window cuts off: %s", self.WINDOW_CLASS, ", ".join(self.clipped))
        root.focus_lastfor().focus_force()  # the widget the window focused, else the window
        self.shown.set()


def with_key(text: str, key: str) -> str:
    """A button's text with the key that presses it, shown: "Close  [Esc]"."""
    return f"{text}  [{key}]"


def wrap_width(root, wanted: int, texts, font: str = "TkDefaultFont") -> int:
    """``wanted`` pixels, or the widest single word of ``texts`` when wider: Tk breaks a word
    longer than a widget's wraplength in the middle."""
    import tkinter.font

    measure = tkinter.font.nametofont(font, root).measure
    words = [word for text in texts for word in tk_words(str(text))]
    return max([wanted, *(measure(word) + 2 for word in words)])


def tk_words(text: str) -> list[str]:
    """The pieces Tk may wrap between: split at ASCII blanks only (a no-break space holds)."""
    return [word for word in re.split(r"[ \t\n]+", text) if word]


def font_scale(environ, resources: Callable[[], str | None]) -> tuple[float, float]:
    """The text size against 100 % (the X resources' ``Xft.dpi`` over 96, times
    ``MOVEBREAK_FONT_SCALE`` when set; kept within 0.5 to 3), and the part of it Tk already
    applies: Xft draws Tk's point-sized fonts at ``Xft.dpi`` itself (GNOME's text scaling
    and xrdb set it), so only fonts sized in pixels, and the override, need scaling here."""
    dpi = xft_dpi(resources() or "")
    system = dpi / BASE_DPI if dpi else 1.0
    wanted = _number(environ.get("MOVEBREAK_FONT_SCALE", "")) or 1.0
    low, high = SCALE_LIMITS
    return min(high, max(low, system * wanted)), system


def xft_dpi(resources: str) -> float | None:
    """``Xft.dpi`` from the text of the RESOURCE_MANAGER property ("Xft.dpi:\t144")."""
    for line in resources.splitlines():
        name, _sep, value = line.partition(":")
        if name.strip() in ("Xft.dpi", "*dpi"):
            number = _number(value)
            if number is not None and number > 0:
                return number
    return None


def _number(text: str) -> float | None:
    try:
        return float(text.strip())
    except ValueError:
        return None


def x_resources(root) -> str | None:
    """The X server's RESOURCE_MANAGER text (what xrdb and GNOME's settings daemon set), or None
    off X11. Read once per window, on the window's own display."""
    if root.tk.call("tk", "windowingsystem") != "x11":
        return None
    try:
        from Xlib import Xatom
        from Xlib.display import Display

        display = Display(root.winfo_screen())
    except Exception:  # no python-xlib, or the display refuses a second connection
        log.debug("no X resources", exc_info=True)
        return None
    try:
        prop = display.screen(0).root.get_full_property(display.intern_atom("RESOURCE_MANAGER"), Xatom.STRING)
        value = prop.value if prop is not None else b""
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    except Exception:
        log.debug("no X resources", exc_info=True)
        return None
    finally:
        display.close()


def scale_named_fonts(root, scale: float, system: float = 1.0) -> None:
    """Every Tk named font (TkDefaultFont, TkHeadingFont, ...) at ``scale`` times its 100 % size:
    a size in pixels (negative) times ``scale``, a size in points times ``scale / system`` (Xft
    already draws points at the system's dpi)."""
    import tkinter.font

    for name in tkinter.font.names(root):
        font = tkinter.font.nametofont(name, root)
        size = int(font.cget("size"))
        factor = scale if size < 0 else scale / system
        if size and abs(factor - 1.0) >= 0.01:
            font.configure(size=int(round(size * factor)))


def keyboard_defaults(root) -> None:
    """Enter activates the focused button, as space does (Tk binds only space); on a check box
    Enter is left to the window (its default button), space ticks it; the focus ring is thick
    enough to see."""
    def invoke(event):
        if str(event.widget.cget("state")) != "disabled":
            event.widget.invoke()
        return "break"

    for widget_class in ("Button", "Radiobutton"):
        root.bind_class(widget_class, "<Return>", invoke)
        root.bind_class(widget_class, "<KP_Enter>", invoke)
    # Tk's own Enter on a check box ticks it; here space ticks and Enter is the window's (Save)
    root.bind_class("Checkbutton", "<Return>", lambda _event: None)
    for widget_class in ("Button", "Checkbutton", "Radiobutton", "Entry", "Spinbox", "Listbox"):
        root.option_add(f"*{widget_class}.highlightThickness", 2)


def centres(widgets: dict[str, object]) -> dict[str, tuple[int, int]]:
    """Each widget's centre on screen (where xdotool clicks it)."""
    return {name: (w.winfo_rootx() + w.winfo_width() // 2, w.winfo_rooty() + w.winfo_height() // 2)
            for name, w in widgets.items() if w.winfo_ismapped()}


def clipped_widgets(root) -> list[str]:
    """Mapped widgets that got less room than they asked for, or reach past their window's
    edge: text that a language or a larger system font would cut off. Each as
    "<class> '<text>'" (or its Tk path)."""
    found: list[str] = []
    top_right = root.winfo_rootx() + root.winfo_width()
    top_bottom = root.winfo_rooty() + root.winfo_height()
    pending = list(root.winfo_children())
    while pending:
        widget = pending.pop()
        pending.extend(widget.winfo_children())
        if not widget.winfo_ismapped() or widget.winfo_toplevel() is not root:
            continue
        short = widget.winfo_reqwidth() > widget.winfo_width() + 1 or widget.winfo_reqheight() > widget.winfo_height() + 1
        outside = (widget.winfo_rootx() + widget.winfo_width() > top_right + 1
                   or widget.winfo_rooty() + widget.winfo_height() > top_bottom + 1)
        if short or outside or _breaks_a_word(widget):
            found.append(_describe(widget))
    return sorted(found)


def _breaks_a_word(widget) -> bool:
    """A wrapping widget with a word wider than its wraplength: Tk cuts the word in two."""
    try:
        wrap = int(widget.winfo_fpixels(widget.cget("wraplength")))
        text = str(widget.cget("text"))
        font = widget.cget("font")
    except Exception:  # no wraplength or text option
        return False
    if wrap <= 0 or not text:
        return False
    import tkinter.font

    measure = tkinter.font.Font(root=widget, font=font).measure
    return any(measure(word) > wrap for word in tk_words(text))


def _describe(widget) -> str:
    try:
        text = str(widget.cget("text"))
    except Exception:
        text = ""
    return f"{widget.winfo_class()} {text[:40]!r}" if text else str(widget)


def set_window_icon(root) -> None:
    try:
        from PIL import ImageTk

        from movebreak.tray.icon import app_icon

        image = ImageTk.PhotoImage(app_icon(64), master=root)
        root.iconphoto(True, image)
        root._movebreak_icon = image  # keep a reference: Tk does not
    except Exception:  # an icon is a nicety
        log.debug("no window icon", exc_info=True)
