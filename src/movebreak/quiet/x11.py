"""A fullscreen active window on X11, from the window manager's EWMH properties.

The root window's ``_NET_ACTIVE_WINDOW`` names the focused window; its ``_NET_WM_STATE``
holds ``_NET_WM_STATE_FULLSCREEN`` while it is fullscreen (a presentation, a video, a game).
The first reading opens a bare python-xlib connection on the local Unix socket (never TCP;
the bare one skips the ~15 extension and keymap round trips of ``Display()``) and later
readings reuse it, as the X11 idle probe does with its own: measured, opening one per
reading left its buffers to the cyclic garbage collector and grew the process by ~3 MB
over a few hundred readings, while one kept connection costs a socket and nothing while
idle (it selects no events). After an X error it is closed and opened again next time.
A reading is at most five round trips; atoms are looked up with ``only_if_exists``, so it
creates nothing on the server. Under Wayland only XWayland windows have these properties.
"""

from __future__ import annotations

from movebreak.i18n import _
from movebreak.quiet.base import SourceReport, reason_of

ATOM_TYPE = 4  # Xatom.ATOM
WINDOW_TYPE = 33  # Xatom.WINDOW


class _Unknown(Exception):
    """The window manager does not say which window is active."""


class X11Fullscreen:
    name = "fullscreen"
    reason = "fullscreen"

    def __init__(self, display: str, *, wayland: bool = False) -> None:
        self._display = display
        self._wayland = wayland
        self._connection = None
        self._atoms: dict[str, int] = {}  # an atom keeps its number while the server runs

    def _connect(self):
        if self._connection is not None:
            return self._connection
        from Xlib import display as xdisplay

        from movebreak.x11display import unix_display

        local = unix_display(self._display)
        if local is None:
            raise ValueError(_("DISPLAY={display} names an X server over the network; movebreak uses only a "
                               "local one", display=self._display))
        self._connection = xdisplay._BaseDisplay(local)
        return self._connection

    def close(self) -> None:
        connection, self._connection = self._connection, None
        self._atoms.clear()
        if connection is not None:
            try:
                connection.close()
            except Exception:  # already broken; nothing more to free
                pass

    def fullscreen(self) -> bool:
        """Whether the active window is fullscreen; raises _Unknown without _NET_ACTIVE_WINDOW."""
        try:
            return self._read(self._connect())
        except _Unknown:
            raise
        except Exception:
            self.close()  # the server went away or answered nonsense: a new connection next time
            raise
        finally:
            if self._connection is not None:
                self._connection.event_queue.clear()  # MappingNotify reaches every client; nobody reads it here

    def _read(self, connection) -> bool:
        from Xlib import error as xerror

        root = connection.info.roots[connection.default_screen].root
        active = _window_property(connection, root, self._atom(connection, "_NET_ACTIVE_WINDOW"), WINDOW_TYPE)
        if active is None:
            raise _Unknown()
        if not active or not active[0]:
            return False  # nothing has the focus
        state = self._atom(connection, "_NET_WM_STATE")
        wanted = self._atom(connection, "_NET_WM_STATE_FULLSCREEN")
        if not state or not wanted:
            return False  # no window on this server was ever fullscreen
        try:
            states = _window_property(connection, active[0], state, ATOM_TYPE) or ()
        except (xerror.BadWindow, xerror.BadMatch):
            return False  # the window closed in between
        return wanted in states

    def _atom(self, connection, name: str) -> int:
        """The atom's number (kept once it exists), or 0 when no client ever created it."""
        from Xlib.protocol import request

        atom = self._atoms.get(name)
        if atom is None:
            atom = request.InternAtom(display=connection, name=name, only_if_exists=True).atom
            if atom:
                self._atoms[name] = atom
        return atom

    def active(self) -> bool | None:
        if not self._display:
            return None
        try:
            return self.fullscreen()
        except _Unknown:
            return None

    def report(self) -> SourceReport:
        if not self._display:
            return SourceReport(self.name, False, _("no X11 DISPLAY is set: not detected"))
        try:
            self.fullscreen()
        except _Unknown:
            return SourceReport(self.name, False, _("the window manager on {display} does not set "
                                                    "_NET_ACTIVE_WINDOW: not detected", display=self._display))
        except Exception as error:
            return SourceReport(self.name, False, _("cannot read X display {display} ({error}): not detected",
                                                    display=self._display, error=reason_of(error)))
        finally:
            self.close()  # doctor asks once
        if self._wayland:
            return SourceReport(self.name, True, _("reads whether the active window on X display {display} is "
                                                   "fullscreen (_NET_WM_STATE); under Wayland only X11 apps",
                                                   display=self._display))
        return SourceReport(self.name, True, _("reads whether the active window on X display {display} is "
                                               "fullscreen (_NET_WM_STATE)", display=self._display))


def _window_property(connection, window, atom: int, kind: int) -> list[int] | None:
    """A window's 32-bit list property, or None when the window does not have it."""
    from Xlib.protocol import request

    if not atom:
        return None
    reply = request.GetProperty(display=connection, delete=False, window=window, property=atom, type=kind,
                                long_offset=0, long_length=64)
    if not reply.property_type:
        return None
    _format, values = reply.value
    return list(values)
