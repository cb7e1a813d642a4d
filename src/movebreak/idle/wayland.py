"""Idle time on Wayland compositors other than GNOME's: sway, Hyprland, niri, KDE Plasma.

Wayland gives a client no "time since the last input"; it offers a notification that fires
``idled`` after a timeout without input and ``resumed`` at the next input:
``ext_idle_notifier_v1`` (staging; wlroots 0.17+, KWin 6, niri, Hyprland) or the older
``org_kde_kwin_idle`` (KWin 5, wlroots up to 0.17: sway 1.7 on Debian 12 has only this one).
Both have the same two events, so one client speaks both (``wayland_wire``). With
``ext_idle_notifier_v1`` version 2 the notification ignores idle inhibitors (a playing
video), like the X11 and GNOME idle counters do; with the others an inhibitor keeps the
user "present".

Two notifications, each on its own connection, so that the app is not woken while the user
types or is away:
* **away** (the natural-break threshold): a thread blocked in ``recv`` stamps the moment
  ``idled`` arrives, so idle time = now − that moment + threshold, to the millisecond. It
  wakes twice per real break, never otherwise.
* **pause** (a few seconds: the reminder's "wait for a pause in typing"): read without
  waiting when asked, never woken. Seen idle → idle is at least the pause plus the time since.
Otherwise the user touched something within the pause: idle time is given as 0.

X11 idle through XWayland is never used under Wayland: it sees only the input X programs
get. Check by hand: ``python -m movebreak.idle.wayland``.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from datetime import timedelta

from movebreak.i18n import N_, _
from movebreak.idle.base import ProbeBase
from movebreak.idle.wayland_wire import DISPLAY_ID, Wire, WireError, read_string, read_uint, socket_path, string, uint

log = logging.getLogger(__name__)

EXT = "ext_idle_notifier_v1"
KDE = "org_kde_kwin_idle"
SEAT = "wl_seat"
PROTOCOL_NAMES = {EXT: "ext-idle-notify-v1", KDE: "org_kde_kwin_idle"}
IDLED, RESUMED = 0, 1  # the notification's events, the same in both protocols
RETRY_GONE = 30.0  # seconds before connecting again after the compositor went away
RETRY_NOT_OFFERED = 600.0  # ... after it offered no idle protocol (it will not gain one soon)
MIN_PAUSE = timedelta(seconds=1)


class NotOffered(WireError):
    """The compositor has no idle protocol (or no seat): asking again soon will not help."""


class IdleWatch:
    """One connection holding one idle notification: whether the user is idle, and since when.

    ``since`` is the monotonic time ``idled`` was read (None while not idle). With
    ``reader=True`` a thread reads each event as it arrives (an exact time); else ``poll()``
    reads what is waiting when asked (the time of that poll, a lower bound on the idle time).
    """

    def __init__(self, path: str, timeout: timedelta, *, reader: bool, monotonic: Callable[[], float],
                 connect_timeout: float = 1.0) -> None:
        self.timeout = timeout
        self.since: float | None = None
        self.error: str | None = None
        self._monotonic = monotonic
        self._wire = wire = Wire(path, timeout=connect_timeout)
        try:
            self.protocol, self.compositor = self._subscribe(wire)
        except BaseException:
            wire.close()
            raise
        self.thread: threading.Thread | None = None
        if reader:
            wire.settimeout(None)
            self.thread = threading.Thread(target=self._read_forever, name="movebreak-wayland-idle", daemon=True)
            self.thread.start()
        else:
            wire.settimeout(0)

    def _subscribe(self, wire: Wire) -> tuple[str, str]:
        """Find the globals, bind a seat and the idle protocol, create the notification."""
        registry, found = _globals(wire)
        interface = next((name for name in (EXT, KDE) if name in found), None)
        if interface is None or SEAT not in found:
            raise NotOffered(_("the compositor {compositor} offers neither ext-idle-notify-v1 nor org_kde_kwin_idle "
                               "(X11 idle through XWayland would see only the input X programs get, so it is not "
                               "used)", compositor=_compositor(wire)))
        seat = _bind(wire, registry, found[SEAT], SEAT, 1)
        version = min(found[interface][1], 2)
        manager = _bind(wire, registry, found[interface], interface, version if interface == EXT else 1)
        self._id = wire.new_id()
        milliseconds = max(1, int(self.timeout.total_seconds() * 1000))
        if interface == EXT:  # get_input_idle_notification (v2, ignores inhibitors) or get_idle_notification
            wire.send(manager, 2 if version >= 2 else 1, uint(self._id), uint(milliseconds), uint(seat))
        else:  # get_idle_timeout(id, seat, timeout)
            wire.send(manager, 0, uint(self._id), uint(seat), uint(milliseconds))
        return PROTOCOL_NAMES[interface], _compositor(wire)

    def poll(self) -> None:
        """Apply the events waiting on the socket (never waits); raises WireError when it broke."""
        if self.error is not None:
            raise WireError(self.error)
        self._handle(self._wire.receive())

    def _read_forever(self) -> None:
        try:
            while True:
                self._handle(self._wire.receive())
        except WireError as error:
            self.error = str(error)
        except Exception as error:  # a socket closed under the thread by close()
            self.error = _("the Wayland compositor went away: {error}", error=error)

    def _handle(self, messages) -> None:
        for message in messages:
            if message.sender == self._id and message.opcode == IDLED:
                self.since = self._monotonic()
            elif message.sender == self._id and message.opcode == RESUMED:
                self.since = None
            elif message.sender == DISPLAY_ID and message.opcode == 0:  # wl_display.error
                raise WireError(_("the Wayland compositor refused a request: {detail}", detail=_error_text(message)))

    def close(self) -> None:
        self._wire.close()
        if self.thread is not None:
            self.thread.join(timeout=1.0)


def _globals(wire: Wire) -> tuple[int, dict[str, tuple[int, int]]]:
    """The registry's id and ``interface → (name, version)`` of every global, after one round trip."""
    registry, callback = wire.new_id(), wire.new_id()
    wire.send(DISPLAY_ID, 1, uint(registry))  # get_registry
    wire.send(DISPLAY_ID, 0, uint(callback))  # sync: its "done" comes after every global
    found: dict[str, tuple[int, int]] = {}
    while True:
        for message in wire.receive():
            if message.sender == callback:
                return registry, found
            if message.sender == registry and message.opcode == 0:  # global(name, interface, version)
                name, offset = read_uint(message.body)
                interface, offset = read_string(message.body, offset)
                version, _offset = read_uint(message.body, offset)
                found.setdefault(interface, (name, version))
            elif message.sender == DISPLAY_ID and message.opcode == 0:
                raise WireError(_("the Wayland compositor refused a request: {detail}", detail=_error_text(message)))


def _bind(wire: Wire, registry: int, found: tuple[int, int], interface: str, version: int) -> int:
    new = wire.new_id()
    wire.send(registry, 0, uint(found[0]), string(interface), uint(version), uint(new))  # wl_registry.bind
    return new


def _error_text(message) -> str:
    try:
        _object, offset = read_uint(message.body)
        code, offset = read_uint(message.body, offset)
        text, _offset = read_string(message.body, offset)
        return f"{text} ({code})"
    except WireError:
        return "?"


def _compositor(wire: Wire) -> str:
    """The compositor's program name (sway, Hyprland, kwin_wayland), or "" when it cannot be seen."""
    pid = wire.peer_pid()
    try:
        with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as comm:
            return comm.read().strip()
    except (OSError, TypeError):
        return ""


class WaylandIdleProbe(ProbeBase):
    name = "wayland"
    label = N_("Wayland idle via ext-idle-notify-v1 or org_kde_kwin_idle")

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        *,
        pause: timedelta = timedelta(seconds=3),
        away: timedelta = timedelta(minutes=5),
        lock: Callable[[], bool | None] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._environ = os.environ if environ is None else environ
        self.pause = max(pause, MIN_PAUSE)
        self.away = max(away, self.pause)
        self._lock = lock
        self._monotonic = monotonic
        self._watches: tuple[IdleWatch, IdleWatch] | None = None
        self._retry_at: float | None = None
        self.protocol: str | None = None
        self.compositor = ""
        self.problem: str | None = None

    def retune(self, *, pause: timedelta, away: timedelta) -> None:
        """Other thresholds (the settings changed while running): the compositor is asked anew."""
        pause, away = max(pause, MIN_PAUSE), max(away, max(pause, MIN_PAUSE))
        if (pause, away) != (self.pause, self.away):
            self.pause, self.away = pause, away
            self.close()

    def idle(self) -> timedelta | None:
        watches = self._watches or self._connect()
        if watches is None:
            return None
        away, pause = watches
        try:
            if away.error is not None:
                raise WireError(away.error)
            pause.poll()
        except WireError as error:
            self._lost(str(error), RETRY_GONE)
            return None
        now = self._monotonic()
        since = away.since
        if since is not None:
            return timedelta(seconds=max(0.0, now - since)) + self.away
        since = pause.since
        if since is not None:
            return min(timedelta(seconds=max(0.0, now - since)) + self.pause, self.away)
        return timedelta(0)

    def _connect(self) -> tuple[IdleWatch, IdleWatch] | None:
        if self._retry_at is not None and self._monotonic() < self._retry_at:
            return None
        away = None
        try:
            path = socket_path(self._environ)
            away = IdleWatch(path, self.away, reader=True, monotonic=self._monotonic)
            pause = IdleWatch(path, self.pause, reader=False, monotonic=self._monotonic)
        except WireError as error:
            if away is not None:
                away.close()
            self._lost(str(error), RETRY_NOT_OFFERED if isinstance(error, NotOffered) else RETRY_GONE)
            return None
        self._watches = (away, pause)
        self.protocol, self.compositor = away.protocol, away.compositor
        self._retry_at = None
        if self.problem is not None:
            log.info("Wayland idle works again: %s", self.source())
        self.problem = None
        return self._watches

    def _lost(self, problem: str, retry_after: float) -> None:
        """Close what is open, say why once (not at every tick), and try again later."""
        self.close()
        if problem != self.problem:
            log.warning("idle time unknown: %s", problem)
        self.problem = problem
        self._retry_at = self._monotonic() + retry_after

    def source(self) -> str:
        """What ``doctor`` names: the protocol and the compositor, e.g. "ext-idle-notify-v1 (sway)"."""
        if self.protocol is None:
            return _(self.label)
        if self.compositor:
            return _("Wayland idle via {protocol} ({compositor})", protocol=self.protocol, compositor=self.compositor)
        return _("Wayland idle via {protocol}", protocol=self.protocol)

    def describe(self) -> str:
        if self.idle() is not None:
            return _("{source}: OK", source=self.source())
        return _("{source}: not working — {problem}", source=self.source(), problem=self.problem)

    def locked(self) -> bool | None:
        return self._lock() if self._lock is not None else None

    def close(self) -> None:
        watches, self._watches = self._watches, None
        for watch in watches or ():
            watch.close()


def seconds_since_last_input() -> float | None:
    value = WaylandIdleProbe().idle()
    return None if value is None else value.total_seconds()


if __name__ == "__main__":
    from movebreak.idle._cli import run

    raise SystemExit(run(WaylandIdleProbe, sys.argv[1:], "movebreak.idle.wayland"))
