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


def send_requests_reliably(icon) -> bool:
    """Make what pystray's xorg icon asks of the X server leave at once; True when done.

    The same python-xlib flaw as above, while the icon runs: pystray's loop thread queues the
    new tooltip (``set_wm_name``) or the icon's pixels (``put_pil_image``) without a flush, and
    another thread's flush that is sending just then ends without taking them; they wait for
    pystray's next X event, which may be minutes away (seen: the tooltip of 1 start in 3 under
    CPU load never set; pystray's own dock request is lost the same way). So: after each event
    pystray's loop handles, a round trip when something is still queued (a reply cannot come
    before the request is sent); and the calls other threads make into that loop go one at a
    time, so no flush of one strands the request of another.
    """
    display = getattr(icon, "_display", None)
    handlers = getattr(icon, "_message_handlers", None)
    protocol = getattr(display, "display", None)
    if display is None or not isinstance(handlers, dict) or not hasattr(protocol, "request_queue"):
        log.warning("pystray xorg icon is not as expected; its updates may reach the screen late")
        return False

    def then_send(handler):
        def handled(event) -> None:
            try:
                handler(event)
            finally:
                if protocol.request_queue or protocol.data_send:
                    try:
                        display.sync()
                    except Exception:  # the connection is closing: the loop ends anyway
                        log.debug("could not send the icon's requests", exc_info=True)
        return handled

    for kind, handler in list(handlers.items()):
        handlers[kind] = then_send(handler)
    one_at_a_time = threading.Lock()

    def serialised(method):
        def call() -> None:
            if threading.current_thread() is getattr(icon, "_thread", None):
                return method()  # pystray's loop itself: runs the method directly, no waiting
            with one_at_a_time:
                return method()
        return call

    for name in ("_show", "_hide", "_update_icon", "_update_title"):
        method = getattr(icon, name, None)
        if callable(method):
            setattr(icon, name, serialised(method))
    return True
