"""The tray: icon, menu and its windows.

- ``icon``: the icon drawn with Pillow (pure).
- ``state``: what the tray shows, taken from the core; when to redraw.
- ``menu``: the menu as data, and its pystray form.
- ``actions``: what each item does, off the tray's thread.
- ``window``: the tkinter actions window (left-click; the only UI on the menu-less xorg tray).
- ``xorg``: the fix that makes left-clicks arrive on pystray's xorg backend (issue #151).
- ``tkwindow``: ``TkWindow``, one Tk window in its own thread (the base of the windows below).
- ``browser``: the exercise browser (Exercises; the reminder notification's body); ``settings_window``:
  the settings window (Settings; a save reaches the running app at once); ``welcome``: the first run.
- ``sni``: the StatusNotifierItem + dbusmenu backend on jeepney (full menu without PyGObject).
- ``ui``: ``TrayUI``, the ``UserInterface`` that the running app (``movebreak.running``) drives.
- ``backend``: which pystray backend can run here, asked before pystray is imported.

What a left-click does: it opens the actions window (xorg, GTK, Windows). On macOS and
with AppIndicator a click opens the menu. Nothing here imports pystray, Pillow or
tkinter at import time; ``TrayUI`` is loaded on first use, so asking ``backend`` (doctor,
terminal mode) does not load the UI.
"""

__all__ = ["TrayUI"]


def __getattr__(name: str):
    if name == "TrayUI":
        from movebreak.tray.ui import TrayUI

        return TrayUI
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
