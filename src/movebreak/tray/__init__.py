"""The tray: icon, menu and the small actions window.

- ``icon``: the icon drawn with Pillow (pure).
- ``state``: what the tray shows, taken from the core; when to redraw.
- ``menu``: the menu as data, and its pystray form.
- ``actions``: what each item does, off the tray's thread.
- ``window``: the tkinter actions window (left-click; the only UI on the menu-less xorg tray).
- ``xorg``: the fix that makes left-clicks arrive on pystray's xorg backend (issue #151).
- ``launch``: opening files and the settings, per OS.
- ``ui``: ``TrayUI``, the ``UserInterface`` that the running app (``movebreak.running``) drives.

What a left-click does: it opens the actions window (xorg, GTK, Windows). On macOS and
with AppIndicator a click opens the menu. Nothing here imports pystray, Pillow or
tkinter at import time.
"""

from movebreak.tray.ui import TrayUI

__all__ = ["TrayUI"]
