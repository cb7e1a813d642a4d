"""``TrayUI``: the ``UserInterface`` the app runs when a tray can be shown.

``run()`` owns the main thread (pystray's loop; macOS needs it there) until ``stop()``.
The core calls ``refresh()`` after every tick and action, from the scheduler's thread;
it reads the status (cheap) and redraws icon, tooltip and menu only when the look
changes or, for a new ring step or minute, at most once a minute.

Left-click: opens the actions window (``window.py``) on the xorg, GTK and Windows trays;
on macOS and with AppIndicator a click opens the menu, where "Open window" is the same.
Right-click: the menu (not on xorg, which has none: the window has every item).

When pystray cannot start here after all (an X error, a missing library), the user is
told why once and the app goes on in terminal mode instead of stopping.
"""

from __future__ import annotations

import logging
import os
import threading
from contextlib import contextmanager
from datetime import timedelta

from movebreak.i18n import _

log = logging.getLogger("movebreak.tray")

ICON_SIZE = 64
NOTICE_TIMEOUT = timedelta(seconds=10)


class TrayUI:
    def __init__(self, core, backend, env, *, run_actions=None, start=None) -> None:
        """``core`` may be None with ``start``: a callback run once the icon is shown, which
        builds the core, calls ``attach(core)`` and starts the ticks (the app's ``Startup.launch``).
        If it raises, the tray stops and ``start_error`` holds what went wrong; ``run`` then
        returns on the main thread, where the caller shuts down and raises it.

        Only the icon is made before it is shown; the menu's actions, the xorg window and
        the tray state's helpers are imported on first use."""
        self.core = core
        self.backend = backend
        self.env = env
        self._run_actions = run_actions
        self._actions = None
        self._window = None
        self._browser = None  # the exercise browser, while open (made again with the settings of the time)
        self._settings_window = None
        self._policy = None
        self.state = None
        self.icon = None
        self.fallback = None  # the terminal UI, when pystray could not start
        self._suggested: str | None = None
        self._lock = threading.RLock()
        self._stopped = threading.Event()
        self._ready = threading.Event()  # pystray's loop runs: its stop() now works
        self._icon_stopped = False
        self._loop_ended = threading.Event()  # pystray's loop has returned
        self._shown_key = None  # what the tray shows now (None: not yet known)
        self._shown_title: str | None = None
        self._start = start
        self._dock = None  # the xorg icon's DockWatcher (tray/dock.py)
        self.start_error: BaseException | None = None

    def attach(self, core) -> None:
        self.core = core
        self.actions.core = core

    @property
    def actions(self):
        return self._parts()[0]

    @property
    def window(self):
        return self._parts()[1]

    def _parts(self):
        with self._lock:
            if self._actions is None:
                from movebreak.tray.actions import TrayActions, in_background
                from movebreak.tray.window import ActionsWindow

                self._actions = TrayActions(self.core, self.env, self, run=self._run_actions or in_background)
                self._window = ActionsWindow(lambda: self.state, self._actions, self.notice, self.env.platform)
            return self._actions, self._window

    def _close_window(self, **how) -> None:
        for window in (self._window, self._browser, self._settings_window):
            if window is not None:
                window.close(**how)

    def open_exercises(self, exercise_id: str | None = None) -> None:
        """The exercise browser, on ``exercise_id`` when given; brought to the front when open."""
        with self._lock:
            browser = self._browser
            if browser is None or not browser.is_open:
                from movebreak.tray.browser import ExerciseBrowser

                core = self.core
                browser = self._browser = ExerciseBrowser(
                    core.catalogue.all(), core.language, self.notice, self.env.platform, self._log_done,
                    equipment=core.settings.exercises.equipment, allow_floor=core.settings.exercises.allow_floor,
                    pictures_root=core.catalogue.assets_root)
        browser.open(exercise_id)

    def _log_done(self, exercise_id: str, minutes: float | None) -> str:
        """The browser's "Log as done" and the end of "Do it now": the break as the tray logs it."""
        from movebreak.tray.browser import logged_text

        core = self.core
        activity = core.log_break(exercise_id=exercise_id, minutes=minutes)
        self.refresh(force=True)
        return logged_text(activity, core.catalogue.require(exercise_id).name(core.language), core.tz)

    def open_settings(self) -> None:
        """The settings window; a save wakes the app, whose next tick reads the file (running/settings_file.py)."""
        with self._lock:
            window = self._settings_window
            if window is None or not window.is_open:
                from movebreak.tray.settings_window import SettingsWindow

                window = self._settings_window = SettingsWindow(self.env, self.notice, self.env.platform,
                                                                lambda _result: self.core.wake())
        window.open()

    # --- the UserInterface protocol -----------------------------------------------------------

    def show_reminder(self, view) -> None:
        if self.fallback is not None:
            self.fallback.show_reminder(view)
            return
        self._suggested = view.exercise_id
        self.refresh(force=True)

    def open_window(self) -> None:
        """A click on the reminder notification's body: the exercise browser on the reminder's
        exercise, with "Do it now" and "Log as done" (not on macOS, where the menu bar's menu has
        every item, nor in terminal mode)."""
        if self.fallback is None and self.env.platform != "darwin" and self.core is not None:
            reminder = self.core.current_reminder
            self.open_exercises(reminder.exercise_id if reminder is not None else None)

    def notice(self, text: str) -> None:
        log.info("notice: %s", text)
        if self.fallback is not None:
            self.fallback.notice(text)
            return
        notifier = getattr(self.core, "notifier", None)
        if notifier is None:
            return

        def send() -> None:
            try:
                notifier.send(_("movebreak"), text, timeout=NOTICE_TIMEOUT)
            except Exception:
                log.warning("could not show a notice", exc_info=True)

        threading.Thread(target=send, name="movebreak-notice", daemon=True).start()

    def refresh(self, force: bool = False) -> None:
        if self.fallback is not None or self.core is None:
            return
        from movebreak.tray.state import RedrawPolicy, glance

        try:
            status = self.core.status()
            now = self.core.clock.now()
            current = glance(status, now, status.remind_after,
                             unsaved=getattr(self.core, "storage_problem", None) is not None)
            with self._lock:  # never held while calling the core: a tick may hold its lock and call us
                if self._policy is None:
                    self._policy = RedrawPolicy()
                if not self._policy.should_draw(current, now, force=force):
                    return
                self._policy.drawn(current, now)
            state = self._take_state(status, current)
        except Exception:  # a refresh problem must not break the tick that called it
            log.exception("tray refresh failed")
            return
        with self._lock:
            self.state = state
        self._show(state)

    def run(self) -> None:
        try:
            icon, pystray = self._make_icon()
        except Exception as error:  # an environment problem: say it once, keep the app going
            log.warning("the tray could not start", exc_info=True)
            self._run_terminal(_("the tray could not start ({reason})", reason=_one_line(error)))
            return
        self.icon = icon
        self._pystray = pystray
        if self._stopped.is_set():
            return
        try:
            icon.run(setup=self._setup)
        except Exception as error:
            log.warning("the tray stopped with an error", exc_info=True)
            if not self._stopped.is_set():
                self._run_terminal(_("the tray stopped ({reason})", reason=_one_line(error)))
        finally:
            self._loop_ended.set()
            self._close_window()

    def stop(self) -> None:
        self._stopped.set()
        self._close_window(wait=0)
        if self.fallback is not None:
            self.fallback.stop()
        if self._ready.is_set():
            self._stop_icon()
        # else: pystray's loop is not ready and its stop() would do nothing; _setup, which
        # pystray calls once the loop runs, sees _stopped and stops it then.

    def _stop_icon(self) -> None:
        """End pystray's loop, once, from any thread (a signal on the main thread, the window's
        Quit, a failed start in the setup thread)."""
        icon = self.icon
        with self._lock:
            if icon is None or self._icon_stopped:
                return
            self._icon_stopped = True
        try:
            if type(icon).__module__.endswith("_xorg"):
                from movebreak.tray.xorg import send_pending_requests

                send_pending_requests(icon, self._loop_ended)
            icon.stop()
        except Exception:
            log.debug("stopping the icon failed", exc_info=True)

    # --- building ---------------------------------------------------------------------------------

    def _make_icon(self):
        from movebreak.tray.icon import IconKey, draw_icon

        name = getattr(self.backend, "name", None)
        if name in ("gtk", "appindicator"):
            _name_gtk_program()
        with _backend_chosen(name):
            import pystray
        icon_class = pystray.Icon
        if name == "sni":  # our own backend (tray/sni/); pystray was imported with its dummy one
            from movebreak.tray.sni import Icon as icon_class
        # The icon goes up first, drawn from the engine's status alone (cheap); the full state
        # (status line with the week's figures, a suggested exercise) follows in _setup, once
        # the icon is in the tray: a tray app starts at every login and should show at once.
        key = IconKey("sitting", 0)
        if self.core is not None:
            try:
                from movebreak.tray.state import glance

                status = self.core.status()
                key = glance(status, self.core.clock.now(), status.remind_after).key
            except Exception:
                log.debug("no status for the first icon", exc_info=True)
        state = self.state
        title = state.tooltip if state else _("movebreak")
        icon = icon_class("movebreak", draw_icon(key, ICON_SIZE), title, menu=self._menu(pystray))
        self._shown_key = key
        self._shown_title = title
        if type(icon).__module__.endswith("_xorg"):
            from movebreak.tray.xorg import enable_clicks
            from movebreak.tray.xorg_slot import keep_aspect

            enable_clicks(icon)
            keep_aspect(icon)
        return icon, pystray

    def _menu(self, pystray):
        # Nothing of the menu or the window is imported here: this runs before the icon shows.
        if not getattr(self.backend, "has_menu", True):
            # xorg: no menu can be shown; one invisible default item makes the left-click work
            return pystray.Menu(pystray.MenuItem(_("Open window"), lambda: self.window.open(), default=True,
                                                 visible=False))

        def items():
            state = self.state
            if state is None:
                return ()
            from movebreak.tray.menu import build_entries, to_pystray

            opener = None if self.env.platform == "darwin" else self.window.open
            return tuple(to_pystray(build_entries(state, self.actions, open_window=opener), pystray))

        return pystray.Menu(items)

    def _setup(self, icon) -> None:
        self._watch_docking(icon)  # before the first show: it sends the only dock request
        icon.visible = True
        self._ready.set()
        if self._stopped.is_set():  # asked before the loop was ready (see stop)
            self._stop_icon()
            return
        if self.core is None and not self._start_core():
            return
        self.refresh(force=True)

    def _start_core(self) -> bool:
        """Build the rest of the app (see ``__init__``); False, and the tray stopped, if that failed."""
        if self._start is None:
            return False
        try:
            self._start(self)
        except BaseException as error:
            self.start_error = error
            self.stop()
            return False
        return True

    def _take_state(self, status, current):
        from movebreak.tray.state import TrayState, break_choices, state_prefix, tooltip_text

        core = self.core
        line = core.status_line()
        prefix = state_prefix(status, core.tz, unsaved=current.unsaved)
        reminder = core.current_reminder
        suggested = (reminder.exercise_id if reminder is not None and reminder.exercise_id else None) \
            or self._suggested or self._pick_exercise()
        self._suggested = suggested
        pending = str(status.state) == "reminding"
        return TrayState(
            state=str(status.state),
            key=current.key,
            status_line=f"{prefix} · {line}" if prefix else line,
            tooltip=tooltip_text(prefix, line),
            reminder_pending=pending,
            can_snooze=pending and not status.snooze_limit_reached,
            paused=bool(status.paused),
            snooze_minutes=tuple(max(1, round(option.total_seconds() / 60)) for option in status.snooze_options),
            breaks=break_choices(core.catalogue.all(), suggested, core.language,
                                 picture_of=getattr(core.catalogue, "picture_file", None)),
        )

    def _pick_exercise(self) -> str | None:
        try:
            import random

            from movebreak.exercises.choice import choose_exercise

            exercises = self.core.settings.exercises
            suggestion = choose_exercise(self.core.catalogue.all(), random.Random(),
                                         equipment=exercises.equipment, allow_floor=exercises.allow_floor)
            return suggestion.first.id if suggestion is not None else None
        except Exception:
            log.debug("no exercise to suggest", exc_info=True)
            return None

    def _show(self, state) -> None:
        icon = self.icon
        if icon is None or not self._ready.is_set():
            return
        from movebreak.tray.icon import draw_icon

        try:
            # Only what changed goes to the tray: the ring's image changes a dozen times per
            # reminder, the tooltip once a minute; redrawing both every minute cost CPU for nothing.
            if state.key != self._shown_key:
                icon.icon = draw_icon(state.key, ICON_SIZE)
                self._shown_key = state.key
            if state.tooltip != self._shown_title:
                icon.title = state.tooltip
                self._shown_title = state.tooltip
            if hasattr(icon, "set_attention"):  # the sni backend: Status NeedsAttention
                icon.set_attention(state.reminder_pending)
            if getattr(self.backend, "has_menu", True):
                icon.update_menu()
        except Exception:
            log.warning("updating the tray icon failed", exc_info=True)

    def _watch_docking(self, icon) -> None:
        """xorg: dock in a tray that starts late or restarts, and check that the tray took the icon
        (``tray/dock.py``); tells the user once if no tray came within a while."""
        if not type(icon).__module__.endswith("_xorg"):
            return
        from movebreak.tray.dock import watch_docking
        from movebreak.tray.xorg import send_requests_reliably

        send_requests_reliably(icon)
        self._dock = watch_docking(icon, on_no_tray=lambda: self.notice(_(
            "No system tray has appeared: reminders come as notifications, and the icon shows as soon as a tray starts.")))

    def _run_terminal(self, reason: str) -> None:
        from movebreak.terminal import TerminalUI

        if self.core is None and not self._start_core():
            return
        self.fallback = TerminalUI(self.core, self.env.stdout, self.env.stdin)
        self.fallback.say(_("movebreak: {reason}; running in terminal mode. Ctrl+C quits.", reason=reason))
        if not self._stopped.is_set():
            self.fallback.run()


def _name_gtk_program() -> None:
    """Without this the GTK icon's window is called after the script ("__main__.py")."""
    try:
        from gi.repository import GLib

        GLib.set_prgname("movebreak")
        GLib.set_application_name(_("movebreak"))
    except Exception:
        log.debug("could not name the GTK program", exc_info=True)


@contextmanager
def _backend_chosen(name: str | None):
    """``import pystray`` picks its backend from ``PYSTRAY_BACKEND`` at import; set it for that moment
    (to the chosen one, which may differ from the user's: see ``tray/backend.py``). ``sni`` is
    ours: pystray is imported with its dummy backend then, which needs no display."""
    previous = os.environ.get("PYSTRAY_BACKEND")
    if name and name not in ("win32", "darwin"):
        os.environ["PYSTRAY_BACKEND"] = "dummy" if name == "sni" else name
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("PYSTRAY_BACKEND", None)
        else:
            os.environ["PYSTRAY_BACKEND"] = previous


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
