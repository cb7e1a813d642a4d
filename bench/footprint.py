#!/usr/bin/env python3
"""movebreak's footprint next to Safe Eyes and Workrave, on a real (headless) X desktop.

    python bench/footprint.py                     # the full run: 3 runs, 60 s idle, 120 s window
    python bench/footprint.py --runs 1 --idle 5 --window 10 --apps movebreak   # a quick look

For every app and run it starts a fresh desktop like the GUI tests do (``tests/desktop.py``:
Xvfb, a private D-Bus session bus, trayer, the recording notification server), gives the app
a fresh, empty HOME with its own XDG dirs, starts it and measures:

- ``dock_s``: seconds from ``exec`` to the app's icon docked in trayer (a mapped window of
  another X client inside trayer's windows, found by polling the X window tree);
- ``rss_mb`` / ``peak_rss_mb``: VmRSS / VmHWM summed over the app's whole process tree,
  ``--idle`` seconds after the start (peak: the largest such sum seen up to the window's end);
- ``cpu_s_per_hour``: utime+stime of the whole tree (children that exited included, through
  their parents' cutime/cstime) over the ``--window`` idle window, per hour;
- ``ctx_per_min``: voluntary + involuntary context switches of every thread of the tree over
  the window (``/proc/<pid>/task/*/status``), per minute;
- ``spawned``: processes the tree started during the window (Linux proc connector when root,
  else a 20 ms /proc poll that can miss very short-lived ones), with their program names.

It prints a table of medians (of ``--runs``) with the ratio movebreak ÷ peer for each figure
and writes everything, every run included, as JSON to ``bench/results/``.

Peers come from Debian's packages (``safeeyes``, ``workrave``), installed with apt-get when
missing and when running as root. Safe Eyes' recommended ``gir1.2-ayatanaappindicator3-0.1``
(its tray icon; without it Safe Eyes shows none) and ``xprintidle`` (its idle probe) are
unpacked into ``bench/results/peer-root/`` and given to Safe Eyes alone (GI_TYPELIB_PATH,
LD_LIBRARY_PATH, PATH), so installing them cannot change which tray backend movebreak or its
tests pick on this machine. A peer that cannot start is reported with the reason; the rest goes on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
sys.path.insert(0, str(REPO / "tests"))

import desktop as dt  # noqa: E402  (tests/desktop.py: the GUI tests' building blocks)

PAGE = os.sysconf("SC_PAGE_SIZE")
CLK_TCK = os.sysconf("SC_CLK_TCK")
DOCK_TIMEOUT = 30.0
NEEDED_PROGRAMS = ("Xvfb", "dbus-daemon", "trayer")
SAFEEYES_EXTRAS = ("gir1.2-ayatanaappindicator3-0.1", "xprintidle")


# --- the apps ------------------------------------------------------------------------------


@dataclass
class App:
    name: str
    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    package: str | None = None  # Debian package, installed when missing
    version: str = ""
    problem: str | None = None  # why it cannot run here


def venv_python() -> str:
    candidate = REPO / ".venv" / "bin" / "python"
    return str(candidate) if candidate.exists() else sys.executable


def has_pygobject(python: str) -> bool:
    probe = subprocess.run([python, "-c", "import gi; gi.require_version('Gtk', '3.0')"],
                           capture_output=True, timeout=60)
    return probe.returncode == 0


def deb_version(package: str) -> str | None:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status}|${Version}", package],
                            capture_output=True, text=True)
    if result.returncode != 0 or "install ok installed" not in result.stdout:
        return None
    return result.stdout.split("|", 1)[1]


def apt_install(packages: list[str], log: Path) -> str | None:
    """Install Debian packages; None when done, else why not."""
    if os.geteuid() != 0:
        return "not root: install with: sudo apt-get install " + " ".join(packages)
    if shutil.which("apt-get") is None:
        return "no apt-get here (not Debian)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with open(log, "ab") as out:
        for argv in (["apt-get", "update", "-q"],
                     ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]):
            try:
                done = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, env=env, timeout=900)
            except subprocess.TimeoutExpired:
                return f"{' '.join(argv[:2])} took more than 15 min"
            if done.returncode != 0 and argv[1] == "install":
                return f"apt-get install {' '.join(packages)} failed (status {done.returncode}); see {log}"
    return None


def private_root(packages: tuple[str, ...], root: Path, log: Path) -> str | None:
    """Unpack ``packages`` and what they need that is not installed into ``root`` (no dpkg
    database change). None when ready, else why not."""
    stamp = root / ".unpacked"
    if stamp.exists() and stamp.read_text().split() == list(packages):
        return None
    if shutil.which("apt-get") is None:
        return "no apt-get here"
    plan = subprocess.run(["apt-get", "-s", "install", *packages], capture_output=True, text=True, timeout=120)
    names = re.findall(r"^Inst (\S+)", plan.stdout, re.M)
    if plan.returncode != 0:
        return f"apt-get -s install {' '.join(packages)} failed: {plan.stderr.strip()[:200]}"
    debs = root.parent / "peer-debs"
    shutil.rmtree(debs, ignore_errors=True)
    debs.mkdir(parents=True)
    if names:
        with open(log, "ab") as out:
            got = subprocess.run(["apt-get", "download", *names], cwd=debs, stdout=out, stderr=subprocess.STDOUT,
                                 timeout=600)
        if got.returncode != 0:
            return f"apt-get download {' '.join(names)} failed; see {log}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for deb in sorted(debs.glob("*.deb")):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True, timeout=120)
    stamp.write_text(" ".join(packages))
    return None


def build_apps(wanted: list[str], *, install: bool, log: Path) -> list[App]:
    python = venv_python()
    apps: list[App] = []
    for name in wanted:
        if name == "movebreak":
            apps.append(App(name, "movebreak (xorg)", [python, "-m", "movebreak", "run"],
                            env={"PYSTRAY_BACKEND": "xorg"}))
        elif name == "movebreak-gtk":
            app = App(name, "movebreak (gtk)", [python, "-m", "movebreak", "run"], env={"PYSTRAY_BACKEND": "gtk"})
            if not has_pygobject(python):
                app.problem = "PyGObject is not installed in the venv (pip install -e '.[menu]')"
            apps.append(app)
        elif name in ("safeeyes", "workrave"):
            app = App(name, {"safeeyes": "Safe Eyes", "workrave": "Workrave"}[name], [f"/usr/bin/{name}"],
                      package=name)
            version = deb_version(name)
            if version is None and install:
                print(f"bench: installing {name} from Debian (apt-get) ...", flush=True)
                app.problem = apt_install([name], log)
                version = deb_version(name)
            if version is None:
                app.problem = app.problem or f"{name} is not installed (apt-get install {name}; or run as root)"
            app.version = version or ""
            if name == "safeeyes" and app.problem is None:
                root = RESULTS / "peer-root"
                missing = [p for p in SAFEEYES_EXTRAS if deb_version(p) is None]
                why = private_root(tuple(missing), root, log) if missing and install else None
                if missing and (why or not install):
                    print(f"bench: Safe Eyes runs without {', '.join(missing)}: {why or '--no-install'}", flush=True)
                elif missing:
                    lib = root / "usr/lib/x86_64-linux-gnu"
                    app.env = {
                        "GI_TYPELIB_PATH": str(lib / "girepository-1.0"),
                        "LD_LIBRARY_PATH": str(lib),
                        "PATH": f"{root / 'usr/bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
                    }
            apps.append(app)
        else:
            raise SystemExit(f"bench: unknown app {name!r}")
    return apps


def movebreak_version() -> str:
    text = (REPO / "src/movebreak/__init__.py").read_text()
    found = re.search(r"__version__\s*=\s*['\"]([^'\"]+)", text)
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return f"{found.group(1) if found else '?'} ({commit.stdout.strip() or '?'})"


# --- the process tree ----------------------------------------------------------------------


class ForkWatch:
    """Fork/exec/exit events of every process, from the Linux proc connector (root only)."""

    def __init__(self) -> None:
        self.events: list[tuple[float, str, int, int]] = []  # (time, kind, parent tgid, child tgid)
        self.names: dict[int, str] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 11)  # NETLINK_CONNECTOR
        self._sock.bind((0, 1))  # CN_IDX_PROC group
        op = struct.pack("=I", 1)  # PROC_CN_MCAST_LISTEN
        msg = struct.pack("=IIIIHH", 1, 1, 0, 0, len(op), 0) + op
        self._sock.send(struct.pack("=IHHII", 16 + len(msg), 3, 0, 0, os.getpid()) + msg)
        self._sock.settimeout(0.2)
        self._thread = threading.Thread(target=self._read, name="forkwatch", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            offset = 0
            while offset + 16 <= len(data):
                length = struct.unpack_from("=I", data, offset)[0]
                body = offset + 16 + 20  # nlmsghdr + cn_msg
                if body + 16 > len(data):
                    break
                what = struct.unpack_from("=I", data, body)[0]
                now = time.monotonic()
                if what == 0x1:  # fork: parent pid, parent tgid, child pid, child tgid
                    _ppid, ptgid, cpid, ctgid = struct.unpack_from("=IIII", data, body + 16)
                    if cpid == ctgid:  # a process, not a thread
                        with self._lock:
                            self.events.append((now, "fork", ptgid, ctgid))
                elif what == 0x2:  # exec: pid, tgid
                    _pid, tgid = struct.unpack_from("=II", data, body + 16)
                    name = _read_text(f"/proc/{tgid}/comm").strip()
                    with self._lock:
                        self.events.append((now, "exec", 0, tgid))
                        if name:
                            self.names[tgid] = name
                offset += max(length, 16)

    def forks(self) -> list[tuple[float, int, int]]:
        with self._lock:
            return [(t, p, c) for t, kind, p, c in self.events if kind == "fork"]

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()


def _read_text(path: str) -> str:
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:
        return ""


def _ppids() -> dict[int, int]:
    table: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _read_text(f"/proc/{entry}/stat")
            if stat:
                table[int(entry)] = int(stat[stat.rfind(")") + 2:].split()[1])
    return table


class CpuGroup:
    """A cgroup-v1 ``cpuacct`` group for one app: its CPU time in ns, children and threads included."""

    BASE = Path("/sys/fs/cgroup/cpuacct")

    def __init__(self, name: str) -> None:
        self.path = self.BASE / name
        self.path.mkdir()

    @classmethod
    def make(cls, name: str) -> "CpuGroup | None":
        try:
            return cls(name)
        except OSError:
            return None

    def wrap(self, argv: list[str]) -> list[str]:
        """Join the group, then exec the app (same PID)."""
        return ["/bin/sh", "-c", f'echo $$ > {self.path}/cgroup.procs && exec "$@"', "sh", *argv]

    def usage(self) -> float:
        return int((self.path / "cpuacct.usage").read_text()) / 1e9

    def remove(self) -> None:
        for _ in range(50):
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.1)


class Tree:
    """The app's process tree: the root and everything it forked (even if re-parented)."""

    def __init__(self, root: int, watch: ForkWatch | None, cgroup: "CpuGroup | None" = None) -> None:
        self.root = root
        self.watch = watch
        self.cgroup = cgroup
        self.members: set[int] = {root}
        self.spawned: list[tuple[float, int]] = []  # (time, pid) seen by the /proc poll
        self.names: dict[int, str] = {}

    def refresh(self) -> set[int]:
        if self.watch is not None:
            for _t, parent, child in self.watch.forks():
                if parent in self.members:
                    self.members.add(child)
        table = _ppids()
        grew = True
        while grew:
            grew = False
            for pid, ppid in table.items():
                if ppid in self.members and pid not in self.members:
                    self.members.add(pid)
                    self.spawned.append((time.monotonic(), pid))
                    grew = True
        for pid in self.members:
            if pid not in self.names:
                name = _read_text(f"/proc/{pid}/comm").strip()
                if name:
                    self.names[pid] = name
        return {pid for pid in self.members if pid in table}

    def sample(self) -> dict:
        alive = self.refresh()
        rss = hwm = ticks = child_ticks = vol = invol = threads = 0
        exec_ms = 0.0
        per_thread: dict[str, int] = {}
        for pid in alive:
            status = _read_text(f"/proc/{pid}/status")
            stat = _read_text(f"/proc/{pid}/stat")
            if not status or not stat:
                continue
            fields = stat[stat.rfind(")") + 2:].split()
            ticks += int(fields[11]) + int(fields[12])  # utime stime
            child_ticks += int(fields[13]) + int(fields[14])  # cutime cstime (reaped children)
            rss += _kb(status, "VmRSS")
            hwm += _kb(status, "VmHWM")
            try:
                tasks = os.listdir(f"/proc/{pid}/task")
            except OSError:
                tasks = []
            threads += len(tasks)
            for tid in tasks:
                text = _read_text(f"/proc/{pid}/task/{tid}/status")
                switches = _num(text, "voluntary_ctxt_switches"), _num(text, "nonvoluntary_ctxt_switches")
                vol += switches[0]
                invol += switches[1]
                name = _read_text(f"/proc/{pid}/task/{tid}/comm").strip()
                per_thread[f"{pid}/{tid} {name}"] = sum(switches)
                found = re.search(r"^se\.sum_exec_runtime\s*:\s*([\d.]+)", _read_text(f"/proc/{pid}/task/{tid}/sched"), re.M)
                exec_ms += float(found.group(1)) if found else 0.0
        cpu_s = (ticks + child_ticks) / CLK_TCK
        if self.cgroup is not None:  # nanoseconds, exited threads and children included
            cpu_s = self.cgroup.usage()
            method = "cpuacct cgroup"
        elif exec_ms:  # live threads to the microsecond, plus reaped children (ticks)
            cpu_s = exec_ms / 1000 + child_ticks / CLK_TCK
            method = "sched sum_exec_runtime"
        else:
            method = f"/proc stat ticks (1/{CLK_TCK} s)"
        return {"t": time.monotonic(), "pids": sorted(alive), "rss_kb": rss, "hwm_kb": hwm,
                "cpu_s": cpu_s, "cpu_method": method, "vol": vol, "invol": invol, "threads": threads,
                "per_thread": per_thread}


def _kb(status: str, key: str) -> int:
    found = re.search(rf"^{key}:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) if found else 0


def _num(status: str, key: str) -> int:
    found = re.search(rf"^{key}:\s+(\d+)", status, re.M)
    return int(found.group(1)) if found else 0


# --- docking -------------------------------------------------------------------------------


class DockWatch:
    """Finds icons docked in trayer: mapped windows of other X clients inside trayer's windows."""

    def __init__(self, display: str, tray_owner: int) -> None:
        from Xlib.display import Display

        self.display = Display(display)
        self.mask = self.display.display.info.resource_id_mask
        self.tray_client = tray_owner & ~self.mask
        self.baseline = self.docked()

    def docked(self) -> set[int]:
        from Xlib import X
        from Xlib.error import XError

        found: set[int] = set()
        stack = [self.display.screen().root]
        while stack:
            window = stack.pop()
            try:
                children = window.query_tree().children
            except XError:
                continue
            parent_is_tray = window.id & ~self.mask == self.tray_client
            for child in children:
                if parent_is_tray and child.id & ~self.mask != self.tray_client:
                    try:
                        if child.get_attributes().map_state != X.IsUnmapped:
                            found.add(child.id)
                    except XError:
                        pass
                else:
                    stack.append(child)
        return found

    def new_icon(self) -> int | None:
        fresh = self.docked() - self.baseline
        return min(fresh) if fresh else None

    def close(self) -> None:
        self.display.close()


# --- one run -------------------------------------------------------------------------------


def fresh_home(base: Path) -> dict[str, str]:
    home = base / "home"
    dirs = {"XDG_CONFIG_HOME": home / ".config", "XDG_DATA_HOME": home / ".local/share",
            "XDG_CACHE_HOME": home / ".cache", "XDG_STATE_HOME": home / ".local/state",
            "XDG_RUNTIME_DIR": base / "runtime"}
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    dirs["XDG_RUNTIME_DIR"].chmod(0o700)
    return {"HOME": str(home), **{k: str(v) for k, v in dirs.items()}}


def app_env(app: App, x: dt.XServer, bus: dt.SessionBus, home: dict[str, str]) -> dict[str, str]:
    drop = ("WAYLAND_DISPLAY", "DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "MOVEBREAK_HOME", "PYSTRAY_BACKEND",
            "XDG_CURRENT_DESKTOP", "XDG_SESSION_TYPE", "GI_TYPELIB_PATH", "LD_LIBRARY_PATH", "PYTHONPATH")
    drop += ("PYTHONDONTWRITEBYTECODE",)  # an installed app has its bytecode; do not compile at every start
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("XDG_")}
    env.update(home)
    env.update({"NO_AT_BRIDGE": "1", "XDG_SESSION_TYPE": "x11", "LANG": env.get("LANG", "C.UTF-8"),
                "GTK_A11Y": "none", **x.env, **bus.env, **app.env})
    return env


def measure_idle(proc, tree: "Tree", watch: "ForkWatch | None", began: float, args) -> dict | None:
    """The figures of an app left idle: ``--idle`` seconds after ``began`` (its start), then an idle
    window of ``--window`` seconds (RSS, peak RSS, CPU, context switches, processes started).
    None when the app exited before the window."""
    # idle until --idle seconds after the start, keeping the tree's membership current
    peak_hwm = 0
    while time.monotonic() - began < args.idle and proc.poll() is None:
        peak_hwm = max(peak_hwm, tree.sample()["hwm_kb"])
        time.sleep(min(1.0, max(0.0, args.idle - (time.monotonic() - began))))
    if proc.poll() is not None:
        return None
    start = tree.sample()
    peak_hwm = max(peak_hwm, start["hwm_kb"])
    window_began = time.monotonic()
    known = set(tree.members)
    poll = 0.02 if watch is None else 1.0
    while time.monotonic() - window_began < args.window and proc.poll() is None:
        tree.refresh()
        time.sleep(poll)
    end = tree.sample()
    peak_hwm = max(peak_hwm, end["hwm_kb"])
    seconds = end["t"] - start["t"]
    if watch is not None:
        forks = [(t, p, c) for t, p, c in watch.forks() if window_began <= t <= end["t"]]
        spawned = [c for _t, p, c in forks if p in tree.members or p in known]
        names = Counter(watch.names.get(c) or tree.names.get(c, "?") for c in spawned)
        method = "proc connector"
    else:
        spawned = [pid for t, pid in tree.spawned if pid not in known and t >= window_began]
        names = Counter(tree.names.get(c, "?") for c in spawned)
        method = "/proc poll every 20 ms"
    return {
        "rss_mb": round(start["rss_kb"] / 1024, 1),
        "peak_rss_mb": round(peak_hwm / 1024, 1),
        "rss_end_mb": round(end["rss_kb"] / 1024, 1),
        "processes": len(start["pids"]),
        "threads": start["threads"],
        "window_s": round(seconds, 1),
        "cpu_s": round(end["cpu_s"] - start["cpu_s"], 3),
        "cpu_s_per_hour": round((end["cpu_s"] - start["cpu_s"]) / seconds * 3600, 2),
        "ctx_per_min": round(((end["vol"] + end["invol"]) - (start["vol"] + start["invol"])) / seconds * 60, 1),
        "voluntary_ctx_per_min": round((end["vol"] - start["vol"]) / seconds * 60, 1),
        "involuntary_ctx_per_min": round((end["invol"] - start["invol"]) / seconds * 60, 1),
        "spawned": len(spawned),
        "spawned_per_min": round(len(spawned) / seconds * 60, 1),
        "spawned_names": dict(names.most_common()),
        "spawn_count_method": method,
        "cpu_method": end["cpu_method"],
        "ctx_by_thread": {name: count - start["per_thread"].get(name, 0)
                          for name, count in sorted(end["per_thread"].items())},
    }


def run_once(app: App, index: int, args, watch: ForkWatch | None, logs: Path) -> dict:
    stack = dt.ProcessStack(logs / f"{app.name}-{index}")
    home_base = Path(tempfile.mkdtemp(prefix=f"mb-bench-{app.name}-"))
    result: dict = {"run": index}
    proc = None
    tree = None
    cgroup = None
    try:
        x = dt.start_xvfb(stack)
        bus = dt.start_session_bus(stack)
        # a desktop also has a system bus (Safe Eyes needs one; movebreak asks logind there)
        system_bus = dt.start_session_bus(stack, name="system-dbus")
        tray = dt.start_trayer(stack, x)
        dt.start_notification_server(stack, bus, logs / f"{app.name}-{index}" / "notifications.jsonl")
        dock = DockWatch(x.display, tray.owner)
        home = fresh_home(home_base)
        if app.name.startswith("movebreak"):
            # the everyday start, not the very first one (that opens the welcome window, Tk: +12 MB)
            config = Path(home["XDG_CONFIG_HOME"]) / "movebreak" / "config.toml"
            config.parent.mkdir(parents=True, exist_ok=True)
            config.write_text("# answered on the first run\n", encoding="utf-8")
        env = app_env(app, x, bus, home)
        env["DBUS_SYSTEM_BUS_ADDRESS"] = system_bus.address
        cgroup = CpuGroup.make(f"movebreak-bench-{os.getpid()}-{app.name}-{index}")
        argv = cgroup.wrap(app.argv) if cgroup is not None else app.argv
        time.sleep(0.5)  # let the desktop settle so its start-up does not land in the app's figures
        began = time.monotonic()
        proc = stack.start(app.name, argv, env=env, cwd=home_base)
        tree = Tree(proc.pid, watch, cgroup)
        docked_at = None
        while time.monotonic() - began < DOCK_TIMEOUT and proc.poll() is None:
            if dock.new_icon() is not None:
                docked_at = time.monotonic()
                break
            time.sleep(0.01)
        dock.close()
        result["dock_s"] = round(docked_at - began, 3) if docked_at else None
        if docked_at is None:
            result["dock_problem"] = (f"exited with {proc.returncode}" if proc.poll() is not None
                                      else f"no icon docked within {DOCK_TIMEOUT:.0f} s")
        figures = measure_idle(proc, tree, watch, began, args)
        if figures is None:
            result["problem"] = f"{app.label} exited with status {proc.returncode}: {_tail(stack.log(app.name))}"
            return result
        result.update(figures)
        return result
    except Exception as error:  # a broken desktop piece or peer: say so and go on
        result["problem"] = f"{type(error).__name__}: {error}"
        return result
    finally:
        if proc is not None:
            stack.stop(proc)
            if tree is not None:  # anything the app left behind (daemons), by PID
                for pid in tree.refresh():
                    if pid != proc.pid:
                        try:
                            os.kill(pid, signal.SIGKILL)
                        except OSError:
                            pass
        stack.close()
        if cgroup is not None:
            cgroup.remove()
        shutil.rmtree(home_base, ignore_errors=True)


def _tail(text: str, lines: int = 5) -> str:
    return " | ".join(text.strip().splitlines()[-lines:])


# --- the report ----------------------------------------------------------------------------

FIGURES = [
    ("dock_s", "start → icon docked (s)", 2),
    ("rss_mb", "RSS after idle (MB)", 1),
    ("peak_rss_mb", "peak RSS (MB)", 1),
    ("cpu_s_per_hour", "idle CPU (s/hour)", 2),
    ("ctx_per_min", "context switches /min", 1),
    ("spawned_per_min", "processes spawned /min", 1),
]


def median_of(runs: list[dict], key: str):
    values = [run[key] for run in runs if run.get(key) is not None]
    return round(statistics.median(values), 3) if values else None


def summarise(apps: list[App], results: dict[str, list[dict]]) -> dict[str, dict]:
    summary = {}
    for app in apps:
        runs = results.get(app.name, [])
        good = [run for run in runs if "problem" not in run]
        entry = {"label": app.label, "version": app.version, "runs_ok": len(good), "runs": len(runs)}
        if app.problem:
            entry["problem"] = app.problem
        elif not good:
            entry["problem"] = "; ".join(sorted({run.get("problem", "?") for run in runs}))
        for key, _title, _digits in FIGURES:
            entry[key] = median_of(good, key)
        entry["spawned_names"] = dict(sum((Counter(run.get("spawned_names", {})) for run in good), Counter()))
        summary[app.name] = entry
    base = summary.get("movebreak")
    if base:
        for name, entry in summary.items():
            if name.startswith("movebreak"):
                continue
            entry["ratio_movebreak_to_this"] = {
                key: (round(base[key] / entry[key], 3) if base.get(key) is not None and entry.get(key) else None)
                for key, _title, _digits in FIGURES
            }
    return summary


def targets(summary: dict[str, dict]) -> list[dict]:
    mb = summary.get("movebreak", {})
    wr = summary.get("workrave", {})
    checks = []

    def check(what: str, value, limit, ok: bool | None) -> None:
        checks.append({"target": what, "value": value, "limit": limit,
                       "met": ok if value is not None and limit is not None else None})

    peak = mb.get("peak_rss_mb")
    check("peak RSS ≤ 40 MB (xorg)", peak, 40, peak is not None and peak <= 40)
    if wr.get("peak_rss_mb"):
        check("peak RSS < half of Workrave's", peak, wr["peak_rss_mb"] / 2,
              peak is not None and peak < wr["peak_rss_mb"] / 2)
    cpu = mb.get("cpu_s_per_hour")
    check("idle CPU ≤ 0.5 s/hour", cpu, 0.5, cpu is not None and cpu <= 0.5)
    dock = mb.get("dock_s")
    check("docked no slower than Workrave", dock, wr.get("dock_s"),
          dock is not None and wr.get("dock_s") is not None and dock <= wr["dock_s"])
    ctx = mb.get("ctx_per_min")
    check("≤ 12 context switches/min", ctx, 12, ctx is not None and ctx <= 12)
    spawned = mb.get("spawned_per_min")
    check("no process spawned while idle", spawned, 0, spawned == 0)
    return checks


def fmt(value, digits: int) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}"


def table(summary: dict[str, dict]) -> str:
    names = list(summary)
    peers = [n for n in names if not n.startswith("movebreak")]
    head = ["figure (median)"] + [summary[n]["label"] for n in names] + [f"mb ÷ {summary[p]['label']}" for p in peers]
    rows = [head]
    for key, title, digits in FIGURES:
        row = [title] + [fmt(summary[n].get(key), digits) for n in names]
        for peer in peers:
            ratio = summary[peer].get("ratio_movebreak_to_this", {}).get(key)
            row.append(fmt(ratio, 2) if ratio is not None else "—")
        rows.append(row)
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(head))]
    lines = []
    for number, row in enumerate(rows):
        lines.append("| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) + " |")
        if number == 0:
            lines.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    for name in names:
        if summary[name].get("problem"):
            lines.append(f"{summary[name]['label']}: {summary[name]['problem']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per app; the table shows medians (3)")
    parser.add_argument("--idle", type=float, default=60.0, help="seconds from start to the RSS reading (60)")
    parser.add_argument("--window", type=float, default=120.0, help="idle window for CPU, switches, spawns (120)")
    parser.add_argument("--apps", default="movebreak,movebreak-gtk,safeeyes,workrave",
                        help="comma-separated: movebreak, movebreak-gtk, safeeyes, workrave")
    parser.add_argument("--no-install", action="store_true", help="do not apt-get install missing peers")
    parser.add_argument("--movebreak-src", type=Path,
                        help="run movebreak from this src/ directory (PYTHONPATH), to measure a proposed change")
    parser.add_argument("--out", type=Path, help="JSON file (default bench/results/footprint-<time>.json)")
    args = parser.parse_args(argv)
    if args.window <= 0 or args.idle < 0 or args.runs < 1:
        parser.error("--runs ≥ 1, --idle ≥ 0, --window > 0")

    missing = [name for name in NEEDED_PROGRAMS if shutil.which(name) is None]
    if missing:
        print(f"bench: missing {', '.join(missing)} (apt-get install xvfb dbus-daemon trayer)", file=sys.stderr)
        return 2
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    logs = RESULTS / f"logs-{stamp}"
    logs.mkdir(parents=True, exist_ok=True)
    apps = build_apps([a.strip() for a in args.apps.split(",") if a.strip()], install=not args.no_install,
                      log=logs / "apt.log")
    # Like a wheel install, which compiles at install time: movebreak starts from bytecode.
    source = args.movebreak_src or REPO / "src"
    subprocess.run([venv_python(), "-m", "compileall", "-q", str(source)], check=False, timeout=300,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    if args.movebreak_src:
        for app in apps:
            if app.name.startswith("movebreak"):
                app.env["PYTHONPATH"] = str(args.movebreak_src.resolve())
                app.label += " [src]"
    try:
        watch: ForkWatch | None = ForkWatch()
    except OSError as error:
        print(f"bench: no proc connector ({error}); counting spawns by polling /proc", flush=True)
        watch = None

    results: dict[str, list[dict]] = {}
    total = sum(args.runs for app in apps if app.problem is None)
    eta = total * (args.idle + args.window + 4) / 60
    print(f"bench: {total} runs, about {eta:.0f} min; logs in {logs}", flush=True)
    try:
        for index in range(1, args.runs + 1):  # interleaved, so slow drift hits every app alike
            for app in apps:
                if app.problem is not None:
                    continue
                run = run_once(app, index, args, watch, logs)
                results.setdefault(app.name, []).append(run)
                shown = {k: run.get(k) for k in ("dock_s", "rss_mb", "peak_rss_mb", "cpu_s_per_hour",
                                                  "ctx_per_min", "spawned", "problem") if k in run}
                print(f"bench: {app.label} run {index}: {shown}", flush=True)
    finally:
        if watch is not None:
            watch.close()

    summary = summarise(apps, results)
    checks = targets(summary)
    report = {
        "when": stamp,
        "machine": {"python": platform.python_version(), "kernel": platform.release(), "cpus": os.cpu_count(),
                    "local_time": datetime.now().astimezone().isoformat(timespec="seconds")},
        "settings": {"runs": args.runs, "idle_s": args.idle, "window_s": args.window,
                     "desktop": "Xvfb + private dbus-daemon + trayer + tests/notification_server.py",
                     "movebreak": movebreak_version(),
                     "movebreak_src": str(args.movebreak_src) if args.movebreak_src else None},
        "summary": summary,
        "targets": checks,
        "runs": results,
    }
    out = args.out or RESULTS / f"footprint-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print()
    print(table(summary))
    print()
    for check in checks:
        mark = {True: "met", False: "MISSED", None: "not measured"}[check["met"]]
        print(f"target {check['target']}: {mark} (movebreak {check['value']}, limit {check['limit']})")
    print(f"\nbench: JSON in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
