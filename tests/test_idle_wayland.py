"""The Wayland idle client against a real headless sway, and its wire edge cases against a tiny
in-test compositor (a Unix socket speaking the wire format)."""

from __future__ import annotations

import array
import logging
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import need_programs
from desktop import wait_until
from movebreak.idle import make_probe
from movebreak.idle.wayland import RETRY_GONE, RETRY_NOT_OFFERED, WaylandIdleProbe

PAUSE, AWAY = timedelta(seconds=1), timedelta(seconds=2)
SLACK = timedelta(milliseconds=400)  # a slow CI box between the compositor's timer and our reading


# -- a real sway --------------------------------------------------------------------------------


@dataclass
class Sway:
    runtime: Path
    proc: subprocess.Popen

    @property
    def environ(self) -> dict[str, str]:
        return {"XDG_RUNTIME_DIR": str(self.runtime), "WAYLAND_DISPLAY": "wayland-1",
                "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "sway"}

    def ipc(self) -> str:
        return str(next(self.runtime.glob("sway-ipc.*.sock")))

    def move_pointer(self) -> None:
        """Input through sway's own seat command: it counts as user activity, like a real mouse."""
        done = subprocess.run(["swaymsg", "-s", self.ipc(), "seat", "seat0", "cursor", "move", "3", "3"],
                              capture_output=True, text=True, timeout=10)
        assert done.returncode == 0, done.stdout + done.stderr


def start_sway(processes, root: Path) -> Sway:
    """Headless sway (no GPU, no input devices). sway refuses root: then it runs as nobody."""
    need_programs("sway", "swaymsg")
    runtime, home = root / "run", root / "home"
    for folder in (runtime, home):
        folder.mkdir(mode=0o700)
    config = root / "sway.conf"
    config.write_text("output HEADLESS-1 mode 800x600\nxwayland disable\n")
    argv = ["sway", "-c", str(config)]
    if os.geteuid() == 0:
        os.chmod(root, 0o755)
        for folder in (runtime, home):
            shutil.chown(folder, "nobody", "nogroup")
        argv = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *argv]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime), "WLR_BACKENDS": "headless",
           "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman", "WLR_HEADLESS_OUTPUTS": "1"}
    proc = processes.start("sway", argv, env=env)
    wait_until(lambda: (runtime / "wayland-1").exists() and any(runtime.glob("sway-ipc.*.sock")), timeout=15,
               message=f"sway did not start: {processes.log('sway')}")
    return Sway(runtime, proc)


@pytest.fixture
def sway_root():
    root = Path(tempfile.mkdtemp(prefix="mb-sway-"))  # not under pytest's 0700 tmp: sway may run as nobody
    root.chmod(0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def sway(processes, sway_root) -> Sway:
    return start_sway(processes, sway_root)


@pytest.fixture
def probe(sway):
    probe = WaylandIdleProbe(sway.environ, pause=PAUSE, away=AWAY)
    yield probe
    probe.close()


def reading(probe) -> timedelta:
    value = probe.idle()
    assert value is not None, probe.problem
    return value


@pytest.mark.gui
def test_idle_grows_without_input_and_resets_after_input_on_real_sway(sway, probe):
    assert reading(probe) == timedelta(0)  # just subscribed: nothing known before
    assert probe.protocol in ("org_kde_kwin_idle", "ext-idle-notify-v1") and probe.compositor == "sway"
    assert probe.describe() == f"Wayland idle via {probe.protocol} (sway): OK"

    wait_until(lambda: reading(probe) >= PAUSE, timeout=5, message="no 'idled' after the pause")
    past_away = wait_until(lambda: (v := reading(probe)) >= AWAY and v, timeout=5,
                           message="no 'idled' after the break threshold")
    grown = wait_until(lambda: (v := reading(probe)) >= past_away + timedelta(milliseconds=300) and v, timeout=3)
    assert grown < AWAY + timedelta(seconds=3)

    sway.move_pointer()
    wait_until(lambda: reading(probe) == timedelta(0), timeout=3, message="input did not reset idle time")
    wait_until(lambda: reading(probe) >= PAUSE, timeout=5, message="idle time did not grow again")


@pytest.mark.gui
def test_idle_time_past_the_break_threshold_is_exact(sway, probe):
    """Past the threshold the value is measured from the moment of the last input, not a guess."""
    reading(probe)
    before = time.monotonic()
    sway.move_pointer()  # sway saw the input between these two moments
    after = time.monotonic()
    wait_until(lambda: reading(probe) >= AWAY, timeout=5)
    time.sleep(0.5)  # let idle time grow past the threshold (sway's time, not the domain's)
    value = reading(probe)
    now = time.monotonic()
    shortest, longest = timedelta(seconds=now - after), timedelta(seconds=now - before)
    assert shortest - SLACK <= value <= longest, (shortest, value, longest)


@pytest.mark.gui
def test_asking_wakes_neither_the_reader_thread_nor_the_compositor(sway, probe):
    """The reader thread sleeps in recv while nothing happens; an ask sends nothing."""
    reading(probe)
    away, pause = probe._watches
    wait_until(lambda: reading(probe) >= AWAY, timeout=5)
    reader = Path(f"/proc/self/task/{away.thread.native_id}/status")
    compositor = Path(f"/proc/{sway.proc.pid}/status")
    before = _switches(reader), _switches(compositor)
    sent = []
    original = pause._wire.send
    pause._wire.send = away._wire.send = lambda *a: sent.append(a) or original(*a)
    started = time.perf_counter()
    for _ in range(200):
        reading(probe)
    per_ask = (time.perf_counter() - started) / 200
    after = _switches(reader), _switches(compositor)
    assert after[0] == before[0]  # the reader thread was not woken
    assert after[1] - before[1] <= 2  # sway: no request reached it (its own timers aside)
    assert sent == []
    assert per_ask < 0.002, per_ask


def _switches(status: Path) -> int:
    fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
    return int(fields["voluntary_ctxt_switches"]) + int(fields["nonvoluntary_ctxt_switches"])


@pytest.mark.gui
def test_sway_going_away_gives_none_says_why_once_and_reconnects_later(processes, sway_root, caplog):
    (sway_root / "a").mkdir()
    sway = start_sway(processes, sway_root / "a")
    shift = [0.0]
    probe = WaylandIdleProbe(sway.environ, pause=PAUSE, away=AWAY, monotonic=lambda: time.monotonic() + shift[0])
    try:
        assert reading(probe) == timedelta(0)
        processes.stop(sway.proc)
        caplog.set_level(logging.WARNING, logger="movebreak.idle.wayland")
        assert wait_until(lambda: probe.idle() is None, timeout=3)
        assert "the Wayland compositor" in probe.problem
        assert probe.idle() is None and probe.idle() is None
        assert len(caplog.records) == 1 and "idle time unknown" in caplog.records[0].getMessage()

        (sway_root / "b").mkdir()
        again = start_sway(processes, sway_root / "b")
        probe._environ = again.environ
        assert probe.idle() is None  # not before the retry time: a missing compositor costs nothing per tick
        shift[0] = RETRY_GONE + 1
        assert reading(probe) == timedelta(0) and probe.problem is None
    finally:
        probe.close()


@pytest.mark.gui
def test_the_dispatcher_and_its_hand_check_use_the_wayland_client_on_sway(sway):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")} | sway.environ
    done = subprocess.run([sys.executable, "-m", "movebreak.idle", "--once"], env=env,
                          capture_output=True, text=True, timeout=10)
    assert (done.returncode, done.stdout, done.stderr) == (0, "0.0\n", "")
    assert make_probe(sway.environ, "linux").name == "wayland"


# -- a tiny compositor for the wire's edge cases ------------------------------------------------------


class FakeCompositor:
    """Accepts clients on a Unix socket, answers get_registry/sync with ``globals`` and records requests."""

    def __init__(self, path: Path, globals_: list[tuple[str, int]], *, trickle: bool = False) -> None:
        self.path, self.globals, self.trickle = path, globals_, trickle
        self.requests: list[tuple[int, int, bytes]] = []
        self.clients: list[socket.socket] = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.clients.append(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        buffer = b""
        registry = None
        while True:
            try:
                data = client.recv(4096)
            except OSError:
                return
            if not data:
                return
            buffer += data
            while len(buffer) >= 8:
                target, word = struct.unpack_from("=II", buffer)
                size = word >> 16
                if len(buffer) < size:
                    break
                body, buffer = buffer[8:size], buffer[size:]
                self.requests.append((target, word & 0xFFFF, body))
                if (target, word & 0xFFFF) == (1, 1):
                    registry = struct.unpack("=I", body)[0]
                elif (target, word & 0xFFFF) == (1, 0):
                    callback = struct.unpack("=I", body)[0]
                    out = b"".join(event(registry, 0, _u(i + 1) + _s(name) + _u(version))
                                   for i, (name, version) in enumerate(self.globals))
                    out += event(callback, 0, _u(7))
                    self.send(client, out)

    def send(self, client: socket.socket, data: bytes, fds: tuple[int, ...] = ()) -> None:
        if fds:
            client.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
        elif self.trickle:
            for i in range(len(data)):
                client.sendall(data[i:i + 1])
                time.sleep(0.001)
        else:
            client.sendall(data)

    def close(self) -> None:
        self.server.close()
        for client in self.clients:
            client.close()


def _u(value: int) -> bytes:
    return struct.pack("=I", value)


def _s(text: str) -> bytes:
    data = text.encode() + b"\0"
    return _u(len(data)) + data + b"\0" * (-len(data) % 4)


def event(sender: int, opcode: int, body: bytes = b"") -> bytes:
    return struct.pack("=II", sender, (8 + len(body)) << 16 | opcode) + body


def fake(tmp_path, globals_, **options) -> tuple[FakeCompositor, dict[str, str]]:
    return FakeCompositor(tmp_path / "wayland-7", globals_, **options), {"XDG_RUNTIME_DIR": str(tmp_path),
                                                                         "WAYLAND_DISPLAY": "wayland-7"}


@pytest.mark.parametrize(
    ("offered", "expected"),
    [
        ([("wl_seat", 7), ("ext_idle_notifier_v1", 2), ("org_kde_kwin_idle", 1)], (5, 2, "timeout, seat")),
        ([("ext_idle_notifier_v1", 1), ("wl_seat", 5)], (5, 1, "timeout, seat")),
        ([("wl_seat", 7), ("org_kde_kwin_idle", 1)], (5, 0, "seat, timeout")),
    ],
)
def test_each_protocol_gets_its_own_request(tmp_path, offered, expected):
    """ext v2: get_input_idle_notification (ignores inhibitors); ext v1: get_idle_notification; KDE: get_idle_timeout."""
    server, environ = fake(tmp_path, offered)
    probe = WaylandIdleProbe(environ, pause=timedelta(seconds=3), away=timedelta(minutes=5))
    try:
        assert reading(probe) == timedelta(0)
        # ids: registry 2, sync 3, seat 4, manager 5; the fake reads the last request after the probe sent it
        creates = wait_until(lambda: len(found := [r for r in server.requests if r[0] == 5]) == 2 and found, timeout=3)
        assert [(target, opcode) for target, opcode, _ in creates] == [expected[:2]] * 2
        seat = 4
        milliseconds = sorted(struct.unpack("=3I", body)[1 if expected[2] == "timeout, seat" else 2]
                              for _, _, body in creates)
        assert milliseconds == [3000, 300000]
        assert {struct.unpack("=3I", body)[2 if expected[2] == "timeout, seat" else 1] for _, _, body in creates} == {seat}
    finally:
        probe.close()
        server.close()


def test_globals_split_into_single_bytes_are_read_whole(tmp_path):
    server, environ = fake(tmp_path, [("wl_seat", 1), ("org_kde_kwin_idle", 1)], trickle=True)
    probe = WaylandIdleProbe(environ)
    try:
        assert reading(probe) == timedelta(0) and probe.protocol == "org_kde_kwin_idle"
    finally:
        probe.close()
        server.close()


def test_events_with_fds_and_unknown_events_are_skipped_and_no_fd_leaks(tmp_path):
    server, environ = fake(tmp_path, [("wl_seat", 1), ("org_kde_kwin_idle", 1)])
    probe = WaylandIdleProbe(environ, pause=timedelta(seconds=3))
    try:
        reading(probe)
        away, pause = server.clients[0], server.clients[1]
        fds_before = len(os.listdir("/proc/self/fd"))
        spare = os.open(os.devnull, os.O_RDONLY)
        server.send(pause, event(4, 0, _u(3)) + event(99, 5, b"\1\2\3\4"), fds=(spare,))  # seat caps + unknown object
        os.close(spare)
        server.send(pause, event(6, 0)[:5])  # half an "idled"...
        assert reading(probe) == timedelta(0)
        server.send(pause, event(6, 0)[5:])  # ...and the rest
        assert reading(probe) >= timedelta(seconds=3)
        assert len(os.listdir("/proc/self/fd")) == fds_before
        server.send(pause, event(6, 1))  # resumed
        assert reading(probe) == timedelta(0)
        server.send(away, event(6, 0))  # past the break threshold, stamped by the reader thread
        assert wait_until(lambda: reading(probe) >= timedelta(minutes=5), timeout=3)
    finally:
        probe.close()
        server.close()


def test_a_compositor_without_an_idle_protocol_is_named_and_not_asked_again_soon(tmp_path):
    server, environ = fake(tmp_path, [("wl_seat", 7), ("wl_compositor", 4)])
    clock = [100.0]
    probe = WaylandIdleProbe(environ, monotonic=lambda: clock[0])
    try:
        assert probe.idle() is None
        assert "offers neither ext-idle-notify-v1 nor org_kde_kwin_idle (X11 idle through XWayland would see only" \
            in probe.problem
        assert probe.describe().startswith("Wayland idle via ext-idle-notify-v1 or org_kde_kwin_idle: not working")
        clock[0] += RETRY_NOT_OFFERED - 1
        assert probe.idle() is None and len(server.clients) == 1  # not asked again at every tick
        clock[0] += 2
        assert probe.idle() is None
        wait_until(lambda: len(server.clients) == 2, timeout=3)
    finally:
        probe.close()
        server.close()


def test_a_protocol_error_from_the_compositor_gives_none_and_its_text(tmp_path):
    server, environ = fake(tmp_path, [("wl_seat", 1), ("org_kde_kwin_idle", 1)])
    probe = WaylandIdleProbe(environ)
    try:
        reading(probe)
        server.send(server.clients[1], event(1, 0, _u(4) + _u(1) + _s("invalid seat")))
        assert probe.idle() is None
        assert probe.problem == "the Wayland compositor refused a request: invalid seat (1)"
    finally:
        probe.close()
        server.close()


def test_the_client_adds_little_to_the_apps_memory(tmp_path):
    """RSS the client adds (its modules, two sockets and the reader thread), in a fresh interpreter."""
    FakeCompositor(tmp_path / "wayland-7", [("wl_seat", 1), ("org_kde_kwin_idle", 1)])
    code = (
        "import resource, sys, logging, threading, socket, struct, array, dataclasses\n"  # the app has these
        "def rss(): return int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize()\n"
        "import movebreak.idle\n"
        "from movebreak.i18n import _\n"
        "_('x')\n"  # the app has its strings loaded
        "before = rss()\n"
        "from movebreak.idle.wayland import WaylandIdleProbe\n"
        f"p = WaylandIdleProbe({{'XDG_RUNTIME_DIR': {str(tmp_path)!r}, 'WAYLAND_DISPLAY': 'wayland-7'}})\n"
        "assert p.idle() is not None, p.problem\n"
        "print(rss() - before)\n"
    )
    # compiled first, as an install does: without a .pyc (a fresh clone, PYTHONDONTWRITEBYTECODE) the
    # import also compiles the modules, about 0.7 MB more that an installed app never pays
    import movebreak.idle.wayland as client
    import movebreak.idle.wayland_wire as wire
    import py_compile

    for module in (client, wire):
        py_compile.compile(module.__file__, doraise=True)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr
    added = int(done.stdout)
    print(f"RSS added by the Wayland idle client: {added / 1024:.0f} KiB")
    assert added < 512 * 1024  # measured: about 90 KiB of modules, 20 KiB for the sockets and the thread


@pytest.mark.gui
@pytest.mark.parametrize(
    ("lang", "expected"),
    [("C.UTF-8", "OK   idle detection: Wayland idle via org_kde_kwin_idle (sway): OK"),
     ("de_DE.UTF-8", "Wayland-Leerlaufzeit über org_kde_kwin_idle (sway): OK")],
)
def test_doctor_names_the_wayland_idle_source_and_the_compositor(sway, tmp_path, lang, expected):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "LANGUAGE", "LC_ALL")}
    env |= sway.environ | {"MOVEBREAK_HOME": str(tmp_path / "home"), "LANG": lang}
    done = subprocess.run([sys.executable, "-m", "movebreak", "doctor"], env=env, capture_output=True, text=True,
                          timeout=30)
    line = next(line for line in done.stdout.splitlines() if "idle" in line.lower() or "Leerlauf" in line)
    # sway 1.7 (Debian 12) offers only org_kde_kwin_idle; a newer sway offers ext-idle-notify-v1
    assert line.replace("ext-idle-notify-v1", "org_kde_kwin_idle").endswith(expected), done.stdout
