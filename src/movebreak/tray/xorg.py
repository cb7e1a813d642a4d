"""pystray's pure-X11 (``xorg``) backend: make its left-click arrive, and its stop.

The backend creates the icon window with only ``ExposureMask | StructureNotifyMask``, so
button presses are never delivered and the default action never fires (pystray issue
#151). Adding ``ButtonPressMask`` to that window after it is created fixes it. The
window is ``icon._window`` in pystray 0.19; when a future pystray renames it, this does
nothing and says so in the log, and the CLI commands still work.

Stopping from another thread: see ``send_pending_requests``.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger("movebreak.tray")


def enable_clicks(icon) -> bool:
    """Select button presses on the xorg icon's window; True when done."""
    window = getattr(icon, "_window", None)
    display = getattr(icon, "_display", None)
    if window is None or display is None:
        log.warning("pystray xorg icon has no _window/_display; left-click may not work (pystray #151)")
        return False
    try:
        from Xlib import X

        mask = X.ExposureMask | X.StructureNotifyMask | X.ButtonPressMask
        window.change_attributes(event_mask=mask)
        display.flush()
        return True
    except Exception:  # an X problem here costs the left-click only
        log.warning("could not select button presses on the tray icon window", exc_info=True)
        return False


def send_pending_requests(icon, loop_ended: threading.Event, *, every: float = 0.05, tries: int = 100) -> None:
    """Keep sending what python-xlib holds for the icon's connection until pystray's loop has
    ended (at most ``every * tries`` seconds); call just before ``icon.stop()``.

    From another thread, ``icon.stop()`` sends the loop a client message, and the loop's thread
    then destroys the icon window; the loop ends on that window's DestroyNotify. But python-xlib's
    flush returns at once while another thread is sending, and that thread ends its send without
    taking what was queued meanwhile: the client message or the DestroyWindow can stay queued
    while the loop waits for ever (about one start error in six). A flush made while no other
    thread sends sends it, so a small thread flushes until the loop is over.
    """
    display = getattr(icon, "_display", None)
    if display is None:
        return

    def flush_until_ended() -> None:
        for _ in range(tries):
            if loop_ended.wait(every):
                return
            try:
                display.flush()
            except Exception:  # the connection is gone: the loop has ended anyway
                log.debug("flushing the icon's X connection failed", exc_info=True)
                return

    threading.Thread(target=flush_until_ended, name="movebreak-xorg-stop", daemon=True).start()
