"""Fixtures for tests with real desktop parts (Xvfb, a tray, a private D-Bus, notifications).

Star-imported by ``conftest.py``. The shared pieces live for the whole session and start in
this order: Xvfb (``xvfb``) → a private session bus (``session_bus``) → trayer
(``tray``, before any app, so icons dock) → the recording notification server
(``notification_server``). The function-scoped ``desktop`` fixture bundles them with an
empty ``MOVEBREAK_HOME`` and a process stack for the app under test::

    def test_reminder(desktop):
        app = desktop.run_app("run")                 # python -m movebreak run, real env
        note = desktop.notifications.wait_for(1)[0]  # what the server received
        desktop.screenshot("reminder")               # test-artifacts/reminder.png

A missing program skips the test, or fails it under ``MOVEBREAK_REQUIRE_GUI=1``
(``need_programs`` in conftest). Every process is started here, stopped by PID in reverse
order, and waited on; they also get SIGKILL if pytest itself dies (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest

__all__ = [
    # building blocks
    "ProcessStack",
    "XServer",
    "SessionBus",
    "Tray",
    "NotificationServer",
    "Desktop",
    "start_xvfb",
    "start_session_bus",
    "start_trayer",
    "start_notification_server",
    "tray_owner",
    "wait_until",
    "xdotool",
    "window_tree",
    "screenshot",
    "desktop_env",
    # fixtures
    "desktop_processes",
    "xvfb",
    "session_bus",
    "tray",
    "notification_server",
    "notifications",
    "processes",
    "private_bus",
    "desktop",
]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
START_TIMEOUT = 10.0
T = TypeVar("T")


def _need_programs(*names: str) -> None:
    """conftest's skip-or-fail rule; imported late because conftest imports this module."""
    from conftest import need_programs

    need_programs(*names)


# -- processes ------------------------------------------------------------------------------


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class ProcessStack:
    """Processes started for tests; stopped by PID in reverse order and waited on.

    Each one's stdout and stderr go to ``<log_dir>/<name>.log`` (read with ``log(name)``),
    never to an unread pipe that could fill up and block it.
    """

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = Path(log_dir)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._running: list[tuple[str, subprocess.Popen]] = []

    def start(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        pass_fds: Sequence[int] = (),
        cwd: str | Path | None = None,
    ) -> subprocess.Popen:
        with open(self.log_path(name), "ab") as log:
            proc = subprocess.Popen(
                list(argv),
                env=env,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=tuple(pass_fds),
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        self._running.append((name, proc))
        return proc

    def log_path(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def log(self, name: str) -> str:
        path = self.log_path(name)
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self, proc: subprocess.Popen, *, sig: int = signal.SIGTERM, timeout: float = 5.0) -> int:
        """Signal one process, wait for it (SIGKILL after ``timeout``), return its exit status."""
        if proc.poll() is None:
            try:
                proc.send_signal(sig)
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            except ProcessLookupError:
                proc.wait()
        self._running = [(n, p) for n, p in self._running if p is not proc]
        return proc.returncode

    def stop_pid(self, pid: int) -> int | None:
        """Stop the process with this PID if this stack started it; its exit status, or None."""
        for _name, proc in list(self._running):
            if proc.pid == pid:
                return self.stop(proc)
        return None

    def close(self) -> None:
        while self._running:
            self.stop(self._running[-1][1])


def _read_ready_line(fd: int, proc: subprocess.Popen, what: str, log: Callable[[], str]) -> str:
    """Read one line a child writes to ``fd`` once it is ready (``-displayfd`` and friends)."""
    deadline = time.monotonic() + START_TIMEOUT
    data = b""
    try:
        while b"\n" not in data:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(f"{what} was not ready within {START_TIMEOUT:.0f} s; log:\n{log()}")
            readable, _, _ = select.select([fd], [], [], min(remaining, 0.1))
            if readable:
                chunk = os.read(fd, 256)
                if not chunk:
                    raise RuntimeError(f"{what} exited (status {proc.wait()}) before it was ready; log:\n{log()}")
                data += chunk
            elif proc.poll() is not None:
                raise RuntimeError(f"{what} exited (status {proc.returncode}) before it was ready; log:\n{log()}")
    finally:
        os.close(fd)
    return data.split(b"\n", 1)[0].decode().strip()


def wait_until(predicate: Callable[[], T], *, timeout: float = 5.0, interval: float = 0.02, message: str = "") -> T:
    """Poll an outside process (X server, bus) until ``predicate()`` is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(message or f"condition not met within {timeout} s")
        time.sleep(interval)


# -- the pieces -----------------------------------------------------------------------------


@dataclass(frozen=True)
class XServer:
    display: str  # ":N"
    pid: int

    @property
    def env(self) -> dict[str, str]:
        return {"DISPLAY": self.display}


def start_xvfb(stack: ProcessStack, *, screen: str = "1024x768x24") -> XServer:
    """Xvfb on a free display (``-displayfd``), local connections only (``-nolisten tcp``)."""
    _need_programs("Xvfb")
    read_fd, write_fd = os.pipe()
    try:
        proc = stack.start(
            "xvfb",
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_fd,),
        )
    finally:
        os.close(write_fd)
    number = _read_ready_line(read_fd, proc, "Xvfb", lambda: stack.log("xvfb"))
    return XServer(display=f":{number}", pid=proc.pid)


BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <!-- A private session bus for tests: no service directories, so nothing is auto-started. -->
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@dataclass(frozen=True)
class SessionBus:
    address: str
    pid: int
    config: Path

    @property
    def env(self) -> dict[str, str]:
        return {"DBUS_SESSION_BUS_ADDRESS": self.address}


def start_session_bus(stack: ProcessStack, name: str = "dbus") -> SessionBus:
    """A private dbus-daemon with its own config (no service directories, eavesdropping allowed)."""
    _need_programs("dbus-daemon")
    folder = Path(tempfile.mkdtemp(prefix="mb-bus-"))  # short: socket paths max out at 107 bytes
    config = folder / "session.conf"
    config.write_text(BUS_CONFIG.format(socket=folder / "bus"))
    read_fd, write_fd = os.pipe()
    try:
        proc = stack.start(
            name,
            ["dbus-daemon", f"--config-file={config}", "--nofork", "--nosyslog", f"--print-address={write_fd}"],
            pass_fds=(write_fd,),
        )
    finally:
        os.close(write_fd)
    address = _read_ready_line(read_fd, proc, "dbus-daemon", lambda: stack.log(name))
    return SessionBus(address=address, pid=proc.pid, config=config)


def tray_owner(display: str) -> int:
    """The X window id that owns the system tray selection ``_NET_SYSTEM_TRAY_S0`` (0: none)."""
    from Xlib import X
    from Xlib.display import Display

    connection = Display(display)
    try:
        owner = connection.get_selection_owner(connection.intern_atom("_NET_SYSTEM_TRAY_S0"))
        return 0 if owner in (None, X.NONE) else int(owner.id)
    finally:
        connection.close()


@dataclass(frozen=True)
class Tray:
    pid: int
    owner: int  # window id of the _NET_SYSTEM_TRAY_S0 owner

    @property
    def owner_hex(self) -> str:
        return hex(self.owner)


def start_trayer(stack: ProcessStack, x: XServer) -> Tray:
    """trayer, an XEmbed system tray, docked at the top right; ready once it owns the selection."""
    _need_programs("trayer")
    env = {**os.environ, **x.env}
    proc = stack.start(
        "trayer",
        ["trayer", "--edge", "top", "--align", "right", "--SetDockType", "true", "--expand", "true",
         "--widthtype", "request", "--height", "32", "--transparent", "false", "--tint", "0x303030"],
        env=env,
    )

    def owned() -> int:
        if proc.poll() is not None:
            raise RuntimeError(f"trayer exited with {proc.returncode}; log:\n{stack.log('trayer')}")
        return tray_owner(x.display)

    owner = wait_until(owned, timeout=START_TIMEOUT, message=f"trayer never took the tray selection:\n{stack.log('trayer')}")
    return Tray(pid=proc.pid, owner=owner)


@dataclass
class NotificationServer:
    """The recorder in ``tests/notification_server.py``, running on ``bus``."""

    process: subprocess.Popen
    record: Path
    bus: SessionBus
    stack: ProcessStack = field(repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def _entries(self) -> list[dict]:
        if not self.record.exists():
            return []
        text = self.record.read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines(keepends=True) if line.endswith("\n")]

    def received(self) -> list[dict]:
        """Every Notify call so far: app_name, summary, body, actions, hints, expire_timeout, id."""
        return [entry for entry in self._entries() if entry.get("method", "Notify") == "Notify"]

    def closed(self) -> list[int]:
        """The ids of every CloseNotification call so far, in order."""
        return [entry["id"] for entry in self._entries() if entry.get("method") == "CloseNotification"]

    def emit(self, member: str, notification_id: int, detail: str | int, *, to: str = "") -> None:
        """Make the server emit ``ActionInvoked`` (detail: the action key) or ``NotificationClosed``
        (detail: the reason) from its own connection: to every listener, or only to ``to``."""
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        target = DBusAddress("/org/freedesktop/Notifications", bus_name="org.freedesktop.Notifications",
                             interface="org.movebreak.TestServer")
        with open_dbus_connection(self.bus.address) as conn:
            reply = conn.send_and_get_reply(
                new_method_call(target, "Emit", "suss", (member, notification_id, str(detail), to)), timeout=5)
        assert reply.header.message_type.name == "method_return", reply.body

    def click(self, action: str, notification_id: int | None = None, *, unicast: bool = False) -> None:
        """The user clicks ``action`` on a notification (default: the last one received); with
        ``unicast`` the signal goes only to the connection that sent it, as dunst does."""
        note = self.received()[-1] if notification_id is None else \
            [n for n in self.received() if n["id"] == notification_id][-1]
        self.emit("ActionInvoked", note["id"], action, to=note["sender"] if unicast else "")

    def wait_for(self, count: int = 1, *, timeout: float = 5.0) -> list[dict]:
        """Wait until at least ``count`` notifications arrived; fail listing what did arrive."""
        try:
            def enough() -> list[dict] | None:
                got = self.received()
                return got if len(got) >= count else None

            return wait_until(enough, timeout=timeout)
        except AssertionError:
            raise AssertionError(f"expected {count} notification(s) within {timeout} s, got {self.received()}") from None

    def clear(self) -> None:
        self.record.write_text("", encoding="utf-8")

    def stop(self) -> int:
        return self.stack.stop(self.process)


def start_notification_server(stack: ProcessStack, bus: SessionBus, record: Path, name: str = "notifications",
                              capabilities: Sequence[str] = ("body", "actions"),
                              double_reply: bool = False) -> NotificationServer:
    """Start the recording server; returns once it owns org.freedesktop.Notifications."""
    read_fd, write_fd = os.pipe()
    try:
        proc = stack.start(
            name,
            [sys.executable, str(HERE / "notification_server.py"), "--record", str(record), "--ready-fd", str(write_fd),
             "--capabilities", ",".join(capabilities), *(["--double-reply"] if double_reply else [])],
            env={**os.environ, **bus.env},
            pass_fds=(write_fd,),
        )
    finally:
        os.close(write_fd)
    _read_ready_line(read_fd, proc, "notification server", lambda: stack.log(name))
    return NotificationServer(process=proc, record=Path(record), bus=bus, stack=stack)


# -- helpers on a running X server ----------------------------------------------------------


def _x_run(display: str, argv: Sequence[str], timeout: float = 10.0) -> str:
    # errors="replace": pystray's xorg icon names its window with the Latin-1 tooltip ("·" = 0xb7)
    result = subprocess.run(
        list(argv), env={**os.environ, "DISPLAY": display}, capture_output=True, text=True, timeout=timeout,
        errors="replace",
    )
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout


def xdotool(display: str, *args: str) -> str:
    """Run xdotool on ``display``, e.g. ``xdotool(d, "mousemove", "10", "10", "click", "1")``."""
    _need_programs("xdotool")
    return _x_run(display, ["xdotool", *args])


def window_tree(display: str, attempts: int = 5) -> str:
    """``xwininfo -root -tree``: every window with its id, name, class and geometry.

    xwininfo fails (BadWindow, exit 1) when a window goes away while it walks the tree, as
    happens while an icon docks; the walk is repeated then, a few times at most.
    """
    _need_programs("xwininfo")
    argv = ["xwininfo", "-root", "-tree"]
    for _attempt in range(attempts - 1):
        try:
            return _x_run(display, argv)
        except AssertionError:
            time.sleep(0.1)
    return _x_run(display, argv)


def screenshot(display: str, path: Path) -> Path:
    """Save the whole screen (``import -window root``) as PNG."""
    _need_programs("import")
    path.parent.mkdir(parents=True, exist_ok=True)
    _x_run(display, ["import", "-window", "root", str(path)])
    return path


def desktop_env(x: XServer | None, bus: SessionBus | None, home: Path, **extra: str) -> dict[str, str]:
    """The environment for the real app: this X server and bus only, no Wayland, no AT bus."""
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
    runtime = home / "runtime"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    env.update(
        {
            "MOVEBREAK_HOME": str(home),
            "NO_AT_BRIDGE": "1",
            "XDG_SESSION_TYPE": "x11",
            "XDG_RUNTIME_DIR": str(runtime),
            "PYTHONUNBUFFERED": "1",
        }
    )
    if x is not None:
        env.update(x.env)
    if bus is not None:
        env.update(bus.env)
    env.update(extra)
    return env


@dataclass
class Desktop:
    """One test's view of the shared desktop, with its own MOVEBREAK_HOME and processes."""

    x: XServer
    bus: SessionBus
    tray: Tray
    notifications: NotificationServer
    home: Path
    artifacts: Path
    processes: ProcessStack

    @property
    def display(self) -> str:
        return self.x.display

    def env(self, **extra: str) -> dict[str, str]:
        return desktop_env(self.x, self.bus, self.home, **extra)

    def xdotool(self, *args: str) -> str:
        return xdotool(self.display, *args)

    def tree(self) -> str:
        return window_tree(self.display)

    def screenshot(self, name: str) -> Path:
        return screenshot(self.display, self.artifacts / f"{name}.png")

    def spawn(self, name: str, argv: Sequence[str], **extra_env: str) -> subprocess.Popen:
        """Start a process in this desktop; stopped (SIGTERM, then SIGKILL) after the test."""
        return self.processes.start(name, argv, env=self.env(**extra_env), cwd=REPO)

    def run_app(self, *args: str, name: str = "movebreak", **extra_env: str) -> subprocess.Popen:
        """``python -m movebreak ARGS`` with this desktop's environment; output in ``log(name)``."""
        return self.spawn(name, [sys.executable, "-m", "movebreak", *args], **extra_env)

    def log(self, name: str = "movebreak") -> str:
        return self.processes.log(name)


# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def desktop_processes(tmp_path_factory):
    """The stack behind the shared pieces; a backstop that stops anything still running."""
    stack = ProcessStack(tmp_path_factory.mktemp("desktop-logs"))
    yield stack
    stack.close()


@pytest.fixture(scope="session")
def xvfb(desktop_processes) -> XServer:
    x = start_xvfb(desktop_processes)
    yield x
    desktop_processes.stop_pid(x.pid)


@pytest.fixture(scope="session")
def session_bus(desktop_processes) -> SessionBus:
    bus = start_session_bus(desktop_processes)
    yield bus
    desktop_processes.stop_pid(bus.pid)
    shutil.rmtree(bus.config.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def tray(xvfb, desktop_processes) -> Tray:
    started = start_trayer(desktop_processes, xvfb)
    yield started
    desktop_processes.stop_pid(started.pid)


@pytest.fixture(scope="session")
def notification_server(session_bus, desktop_processes, tmp_path_factory) -> NotificationServer:
    server = start_notification_server(
        desktop_processes, session_bus, tmp_path_factory.mktemp("notifications") / "received.jsonl"
    )
    yield server
    server.stop()


@pytest.fixture
def notifications(notification_server) -> NotificationServer:
    """The shared server with an empty record; restarted if an earlier test stopped it."""
    if not notification_server.running:
        raise RuntimeError("the shared notification server was stopped; use private_bus to test that")
    notification_server.clear()
    return notification_server


@pytest.fixture
def processes(tmp_path):
    """A process stack for one test (its logs under tmp_path/logs)."""
    stack = ProcessStack(tmp_path / "logs")
    yield stack
    stack.close()


@pytest.fixture
def private_bus(processes) -> SessionBus:
    """A fresh private session bus with nothing on it, for this test only."""
    bus = start_session_bus(processes, name="private-dbus")
    yield bus
    processes.stop_pid(bus.pid)
    shutil.rmtree(bus.config.parent, ignore_errors=True)


@pytest.fixture
def desktop(xvfb, session_bus, tray, notifications, artifacts, processes, tmp_path) -> Desktop:
    return Desktop(
        x=xvfb,
        bus=session_bus,
        tray=tray,
        notifications=notifications,
        home=tmp_path / "home",
        artifacts=artifacts,
        processes=processes,
    )
