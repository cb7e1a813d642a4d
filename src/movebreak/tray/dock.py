"""Docking the xorg (XEmbed) icon: wait for a tray, re-dock when one (re)appears, verify it.

pystray's xorg backend sends ``SYSTEM_TRAY_REQUEST_DOCK`` once when the icon is shown, and
again on every icon change, and never checks that the tray took the icon. Three failures follow:

- no tray yet at start (the app starts before the panel at login): the request goes nowhere
  and nothing asks again when the tray comes;
- the tray restarts: the icon window falls back to the root window and stays there;
- the race (about 1 start in 10 under trayer): pystray's first show sends the request twice a
  few milliseconds apart (``_update_icon`` then ``_show``, both ``_assert_docked``). When the
  tray reads both in one go it embeds the window twice, the first socket's removal takes
  the window out again, and it ends unmapped on the root window while pystray believes it
  is docked. Reproduced with two back-to-back requests from a bare client: 10 of 10 lost;
  with 10 ms between them, none.

So ``DockWatcher`` takes docking over: pystray's own request is turned off for the icon
(``_dock_window``), and one request goes out per tray, from a thread of its own that is
blocked in ``next_event`` on its own X connection (no polling: it wakes only for an X event).
It listens for the tray's ``MANAGER`` message on the root window (a tray that starts or
restarts announces itself with it) and for the icon window's ``ReparentNotify`` (docked:
the parent is the tray's socket; undocked: back on the root window). A request not answered
by a reparent within ``CHECK_AFTER`` is sent again, a few times, waiting longer each time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from movebreak.tray.presence import waiting_backend

log = logging.getLogger("movebreak.tray")

CHECK_AFTER = 1.0  # seconds a dock request may take before it is sent again (then 2, 4, ... s)
MAX_TRIES = 6  # requests per tray before waiting for the next MANAGER message
WAIT_FOR_TRAY = 120.0  # seconds at start before the user is told no tray came

_REQUEST_DOCK = 0


class DockWatcher:
    """Keeps the xorg icon docked in whatever tray runs, for the whole run (see the module)."""

    def __init__(self, icon, *, on_no_tray: Callable[[], None] | None = None,
                 wait_for_tray: float = WAIT_FOR_TRAY) -> None:
        """``on_no_tray`` is called once, from the watcher's thread, when no tray came within
        ``wait_for_tray`` seconds of the start."""
        self.icon = icon
        self.window_id = icon._window.id
        self.on_no_tray = on_no_tray
        self.wait_for_tray = wait_for_tray
        self.docked = threading.Event()
        self.requests = 0  # dock requests sent (for the log and tests)
        self._tries = 0
        self._timer: threading.Timer | None = None
        self._display = None
        self._closed = False

    # --- from any thread ----------------------------------------------------------------------

    def start(self) -> None:
        _take_over_docking(self.icon)
        threading.Thread(target=self._run, name="movebreak-dock", daemon=True).start()

    def close(self) -> None:
        self._closed = True
        self._cancel_timer()

    def _arm(self, seconds: float, what: str) -> None:
        """Wake the watcher thread in ``seconds``: a client message to its own window (the thread
        sleeps in ``next_event``; the round trip makes sure the message leaves at once)."""
        self._cancel_timer()

        def fire() -> None:
            display = self._display
            if display is None or self._closed:
                return
            try:
                from Xlib import X
                from Xlib.protocol import event

                message = event.ClientMessage(window=self._own, client_type=self._atoms[what],
                                              data=(32, (X.CurrentTime, 0, 0, 0, 0)))
                from Xlib.protocol import request

                self._own.send_event(message, event_mask=X.NoEventMask)
                request.GetInputFocus(display=display)  # a round trip: sent now, not left in the queue
            except Exception:
                log.debug("could not wake the dock watcher", exc_info=True)

        self._timer = timer = threading.Timer(seconds, fire)
        timer.daemon = True
        timer.start()

    def _cancel_timer(self) -> None:
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()

    # --- the watcher's thread ------------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._connect()
            if not self._request_dock():
                log.info("no system tray yet; the icon docks as soon as one starts")
                if self.on_no_tray is not None and self.wait_for_tray > 0:
                    self._arm(self.wait_for_tray, "_MOVEBREAK_NO_TRAY")
            self._loop()
        except Exception:
            if not self._closed:
                log.warning("watching the tray stopped; the icon may not come back after a tray restart",
                            exc_info=True)
        finally:
            self._cancel_timer()
            display, self._display = self._display, None
            if display is not None:
                try:
                    display.close()
                except Exception:
                    pass

    def _connect(self) -> None:
        """The bare connection (as ``tray/backend.py``): a full ``Display`` also reads every extension
        and the keymap, memory the app keeps for its whole run (issue 9's footprint)."""
        from Xlib import X
        from Xlib.display import _BaseDisplay
        from Xlib.protocol import request

        self._display = display = _BaseDisplay(self.icon._display.get_display_name())
        screen = display.info.roots[display.get_default_screen()]
        self._root = screen.root
        names = ("MANAGER", f"_NET_SYSTEM_TRAY_S{display.get_default_screen()}", "_NET_SYSTEM_TRAY_OPCODE",
                 "_MOVEBREAK_DOCK_CHECK", "_MOVEBREAK_NO_TRAY")
        self._atoms = {name: display.get_atom(name) for name in names}
        self._selection = self._atoms[names[1]]
        self._own = self._root.create_window(0, 0, 1, 1, 0, 0, window_class=X.InputOnly)
        self._icon_window = display.get_resource_class("window")(display, self.window_id)
        # Listen first, then look for the tray: a tray starting in between is not missed.
        self._root.change_attributes(event_mask=X.StructureNotifyMask)  # MANAGER goes to the root
        self._icon_window.change_attributes(event_mask=X.StructureNotifyMask)  # reparent, destroy
        request.GetInputFocus(display=display)  # a round trip: the server has all of the above

    def _loop(self) -> None:
        from Xlib import X

        display = self._display
        while not self._closed:
            event = display.next_event()
            if event.type == X.ClientMessage:
                self._on_message(event)
            elif event.type == X.ReparentNotify and event.window.id == self.window_id:
                self._on_reparent(event.parent.id)
            elif event.type == X.DestroyNotify and event.window.id == self.window_id:
                return  # the icon is gone: the app is stopping

    def _on_message(self, event) -> None:
        kind = event.client_type
        if kind == self._atoms["MANAGER"] and event.data[1][1] == self._selection:
            log.info("a system tray (re)appeared; docking the icon")
            self._tries = 0
            self.docked.clear()
            self._request_dock()
        elif kind == self._atoms["_MOVEBREAK_DOCK_CHECK"]:
            if not self._is_docked():
                self._request_dock()
        elif kind == self._atoms["_MOVEBREAK_NO_TRAY"]:
            if not self.docked.is_set() and self.requests == 0 and self.on_no_tray is not None:
                self.on_no_tray()

    def _on_reparent(self, parent: int) -> None:
        if parent != self._root.id:
            self._cancel_timer()
            self._tries = 0
            if not self.docked.is_set():
                log.info("the icon is docked (after %d request(s))", self.requests)
                self.docked.set()
            return
        # Back on the root window: the tray went away, or it dropped the icon (the race above).
        self.docked.clear()
        try:
            self._icon_window.unmap()  # a tray that died maps its icons on the root window
            self._send_now()
        except Exception:
            log.debug("could not unmap the undocked icon", exc_info=True)
        self._arm(CHECK_AFTER, "_MOVEBREAK_DOCK_CHECK")

    def _send_now(self) -> None:
        """A round trip, not ``flush()``: python-xlib's flush returns at once while the timer's
        thread sends, and what was queued meanwhile would wait for the next X event."""
        from Xlib.protocol import request

        request.GetInputFocus(display=self._display)

    def _is_docked(self) -> bool:
        parent = self._icon_window.query_tree().parent
        return bool(parent) and parent.id != self._root.id

    def _request_dock(self) -> bool:
        """Ask the tray that owns the selection now to embed the icon; False when none does."""
        from Xlib import X
        from Xlib.protocol import event, request

        owner = request.GetSelectionOwner(display=self._display, selection=self._selection).owner
        if owner in (X.NONE, None) or not owner.id:
            return False
        if self._tries >= MAX_TRIES:
            log.warning("the system tray did not take the icon after %d requests; waiting for it to restart",
                        self._tries)
            return True
        message = event.ClientMessage(window=owner, client_type=self._atoms["_NET_SYSTEM_TRAY_OPCODE"],
                                      data=(32, (X.CurrentTime, _REQUEST_DOCK, self.window_id, 0, 0)))
        owner.send_event(message, event_mask=X.NoEventMask)
        self._send_now()
        self.requests += 1
        self._tries += 1
        self._arm(CHECK_AFTER * 2 ** (self._tries - 1), "_MOVEBREAK_DOCK_CHECK")
        return True


def _take_over_docking(icon) -> None:
    """pystray sends a dock request on every show and icon change, twice on the first show (the
    race): from now on it sends none; it draws as if docked, so the icon is current when a tray
    takes it."""
    root = icon._display.screen().root

    def dock_window() -> None:
        icon._systray_manager = root

    icon._dock_window = dock_window
    icon._systray_manager = root


def watch_docking(icon, **callbacks) -> DockWatcher | None:
    """Start a ``DockWatcher`` for pystray's xorg icon (None for any other backend, or a pystray
    whose icon has no ``_window``/``_display``)."""
    if not type(icon).__module__.endswith("_xorg"):
        return None
    if getattr(icon, "_window", None) is None or getattr(icon, "_display", None) is None:
        log.warning("pystray's xorg icon has no _window/_display; a late or restarted tray gets no icon")
        return None
    watcher = DockWatcher(icon, **callbacks)
    watcher.start()
    return watcher


def waiting_choice(env, choice):
    """``choice`` (from ``choose_backend``) found no usable tray: when that is only because no tray
    runs yet, the backend that waits for one instead (``presence.waiting_backend``), said once."""
    waiting = waiting_backend(env.environ, env.platform)
    if waiting is None:
        return choice
    from movebreak.i18n import _

    env.out(_("movebreak: no system tray yet; reminders already work, and the icon shows as soon as a tray starts."))
    return waiting
