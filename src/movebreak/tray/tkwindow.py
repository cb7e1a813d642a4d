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
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from movebreak.i18n import _

log = logging.getLogger("movebreak.tray")

POLL_MS = 500


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

    def unavailable_text(self, reason: str) -> str:
        return _("The movebreak window could not open ({reason}). Use the commands instead: "
                 "movebreak status, log, snooze, pause, resume, summary --open.", reason=reason)

    def missing_tk_text(self) -> str:
        return _("The movebreak window needs tkinter, which is not installed (Debian/Ubuntu: python3-tk). "
                 "Use the commands instead: movebreak status, log, snooze, pause, resume, summary --open.")

    def track(self, name: str, widget):
        self._tracked[name] = widget
        return widget

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
        if self.clipped:
            log.warning("the %s window cuts off: %s", self.WINDOW_CLASS, ", ".join(self.clipped))
        root.focus_force()
        self.shown.set()


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
        if short or outside:
            found.append(_describe(widget))
    return sorted(found)


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
