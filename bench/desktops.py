#!/usr/bin/env python3
"""movebreak's footprint with its StatusNotifierItem tray on real (headless) desktops.

    python bench/desktops.py                      # the full run: 3 runs, 60 s idle, 120 s window
    python bench/desktops.py --runs 1 --idle 5 --window 10 --kinds sway   # a quick look

For every desktop and run it starts the desktop the way the tests do (``tests/real_desktops.py``:
GNOME Shell 43 headless with the AppIndicator extension, sway 1.7 + waybar + mako, the XFCE 4.18
panel under Xvfb), gives movebreak a fresh HOME with a ``config.toml`` (the everyday start, not
the first one with its welcome window), starts ``python -m movebreak run`` with the desktop's
environment (the SNI backend is chosen because the desktop's watcher is on the bus) and measures:

- ``registered_s``: seconds from ``exec`` to the watcher's ``StatusNotifierItemRegistered``
  signal naming the app's item (a jeepney connection subscribed before the start; checked
  against ``RegisteredStatusNotifierItems`` and the name owner's PID);
- then, as a panel does when it shows the item, this script reads the item's ``IconPixmap`` and
  its menu's ``GetLayout`` (the desktop's own host reads them too);
- ``rss_mb`` / ``peak_rss_mb``, ``cpu_s_per_hour``, ``ctx_per_min``, ``spawned``: exactly as
  ``bench/footprint.py`` measures them (its ``Tree``, ``CpuGroup`` and ``ForkWatch``).

It prints a table of medians (of ``--runs``), and writes everything, every run included, as JSON
to ``bench/results/desktops-<time>.json`` and ``bench/desktops-latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
LATEST = HERE / "desktops-latest.json"
sys.path.insert(0, str(HERE))

import footprint as fp  # noqa: E402  (its measuring pieces; it puts tests/ on sys.path)
import real_desktops as rd  # noqa: E402  (tests/real_desktops.py: the desktops the tests use)

KINDS = ("gnome", "sway", "xfce")
LABELS = {"gnome": "GNOME Shell 43", "sway": "sway 1.7 + waybar", "xfce": "XFCE panel 4.18"}
REGISTER_TIMEOUT = 30.0
WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
LIMIT_PEAK_MB = 45
LIMIT_REGISTERED_S = 0.3


# --- the watcher, as a host sees it --------------------------------------------------------


class WatcherSpy:
    """A connection to the desktop's session bus that hears the watcher's
    ``StatusNotifierItemRegistered`` signals from before the app starts, so the start →
    registered time is the signal's arrival, not a poll's period."""

    def __init__(self, address: str) -> None:
        from jeepney import MatchRule, message_bus
        from jeepney.io.blocking import open_dbus_connection

        self.conn = open_dbus_connection(bus=address)
        self.rule = MatchRule(type="signal", interface=WATCHER, member="StatusNotifierItemRegistered")
        self.conn.send_and_get_reply(message_bus.AddMatch(self.rule), timeout=10)
        self._queue_cm = self.conn.filter(self.rule, bufsize=100)
        self.queue = self._queue_cm.__enter__()

    def wait_for(self, pid: int, began: float, timeout: float) -> tuple[float | None, str | None]:
        """(monotonic time the item of ``pid`` was announced, its service string), or (None, None)."""
        while time.monotonic() - began < timeout:
            try:
                message = self.conn.recv_until_filtered(self.queue, timeout=0.5)
            except TimeoutError:
                listed = self.registered_for(pid)  # a watcher that registers without the signal
                if listed:
                    return time.monotonic(), listed
                continue
            arrived = time.monotonic()
            service = message.body[0] if message.body else ""
            if self.owner_pid(service) == pid:
                return arrived, service
        return None, None

    def call(self, destination: str, path: str, interface: str, member: str, signature=None, body=()):
        from jeepney import DBusAddress, new_method_call

        address = DBusAddress(path, bus_name=destination, interface=interface)
        reply = self.conn.send_and_get_reply(new_method_call(address, member, signature, body), timeout=10)
        if reply.header.message_type.name == "error":
            raise RuntimeError(f"{member} on {destination}{path}: {reply.body}")
        return reply.body

    def owner_pid(self, service: str) -> int | None:
        name = _split(service)[0]
        try:
            return self.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                             "GetConnectionUnixProcessID", "s", (name,))[0]
        except RuntimeError:
            return None

    def registered_for(self, pid: int) -> str | None:
        (items,) = self.call(WATCHER, WATCHER_PATH, "org.freedesktop.DBus.Properties", "Get", "ss",
                             (WATCHER, "RegisteredStatusNotifierItems"))
        return next((item for item in items[1] if self.owner_pid(item) == pid), None)

    def show(self, service: str, began: float, timeout: float) -> dict:
        """What a panel reads to show the item, its icon pixmaps and its whole menu, read again
        every 10 ms until both are there (the item may register before its menu is built):
        ``shown_s`` is exec → the full menu and the icon."""
        name, path = _split(service)
        props = "org.freedesktop.DBus.Properties"
        (menu,) = self.call(name, path, props, "Get", "ss", ("org.kde.StatusNotifierItem", "Menu"))
        first = None
        while True:
            (icon,) = self.call(name, path, props, "Get", "ss", ("org.kde.StatusNotifierItem", "IconPixmap"))
            _revision, layout = self.call(name, menu[1], "com.canonical.dbusmenu", "GetLayout", "iias",
                                          (0, -1, []))
            now = time.monotonic()
            shown = {"icon_sizes": [width for width, _height, _data in icon[1]], "menu_entries": _count(layout)}
            first = first or shown
            if (shown["icon_sizes"] and shown["menu_entries"]) or now - began > timeout:
                break
            time.sleep(0.01)
        return {"shown_s": round(now - began, 3) if shown["icon_sizes"] and shown["menu_entries"] else None,
                "menu_entries_at_registration": first["menu_entries"],
                "icon_sizes_at_registration": first["icon_sizes"], **shown}

    def close(self) -> None:
        self._queue_cm.__exit__(None, None, None)
        self.conn.close()


def _split(service: str) -> tuple[str, str]:
    """A watcher's item string ("name" or "name/path") as (bus name, object path)."""
    name, _, path = service.partition("/")
    return name, "/" + path if path else "/StatusNotifierItem"


def _count(layout) -> int:
    """Menu entries in a dbusmenu layout (ia{sv}av), the root excluded."""
    _id, _props, children = layout
    return sum(1 + _count(child[1]) for child in children)


# --- one run -------------------------------------------------------------------------------


def app_env(desktop: rd.RealDesktop, base: Path) -> dict[str, str]:
    """The desktop's environment for movebreak, with a fresh HOME whose config exists."""
    env = desktop.app_env(base / "movebreak")
    home = fp.fresh_home(base)
    home.pop("XDG_RUNTIME_DIR")  # the desktop's: its Wayland socket lives there
    env.update(home)
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "GI_TYPELIB_PATH", "LD_LIBRARY_PATH"):
        env.pop(name, None)  # an installed app has its bytecode and no borrowed paths
    config = base / "movebreak" / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("# answered on the first run\n", encoding="utf-8")
    env["GTK_A11Y"] = "none"
    return env


def run_once(kind: str, index: int, args, watch: fp.ForkWatch | None, logs: Path) -> dict:
    result: dict = {"run": index}
    base = Path(tempfile.mkdtemp(prefix=f"mb-bench-{kind}-"))
    desktop = spy = proc = tree = cgroup = log = None
    try:
        desktop = rd.start_desktop(kind, logs)
        env = app_env(desktop, base)
        spy = WatcherSpy(desktop.env["DBUS_SESSION_BUS_ADDRESS"])
        cgroup = fp.CpuGroup.make(f"movebreak-bench-{os.getpid()}-{kind}-{index}")
        argv = [fp.venv_python(), "-m", "movebreak", "run"]
        argv = cgroup.wrap(argv) if cgroup is not None else argv
        log = open(logs / f"{kind}-{index}.log", "w")
        time.sleep(0.5)  # let the desktop settle so its start-up does not land in the app's figures
        began = time.monotonic()
        proc = subprocess.Popen(argv, env=env, cwd=base, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT)
        tree = fp.Tree(proc.pid, watch, cgroup)
        arrived, service = spy.wait_for(proc.pid, began, REGISTER_TIMEOUT)
        result["registered_s"] = round(arrived - began, 3) if arrived else None
        if service is None:
            result["problem"] = (f"exited with {proc.returncode}" if proc.poll() is not None
                                 else f"no item registered within {REGISTER_TIMEOUT:.0f} s")
            return result
        result["item"] = service
        result.update(spy.show(service, began, REGISTER_TIMEOUT))
        figures = fp.measure_idle(proc, tree, watch, began, args)
        if figures is None:
            result["problem"] = f"movebreak exited with status {proc.returncode}"
            return result
        result.update(figures)
        return result
    except Exception as error:  # a desktop that does not start, say: report it and go on
        result["problem"] = f"{type(error).__name__}: {str(error)[-500:]}"
        return result
    finally:
        stop(proc, tree)
        if log is not None:
            log.close()
        if spy is not None:
            spy.close()
        if desktop is not None:
            desktop.stop()
        if cgroup is not None:
            cgroup.remove()
        shutil.rmtree(base, ignore_errors=True)


def stop(proc: subprocess.Popen | None, tree: fp.Tree | None) -> None:
    """The app, then anything it left behind, by PID."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for pid in tree.refresh() if tree is not None else ():
        if pid != proc.pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


# --- the report ----------------------------------------------------------------------------

FIGURES = [
    ("registered_s", "start → item registered (s)", 3),
    ("shown_s", "start → icon and full menu readable (s)", 3),
    ("rss_mb", "RSS after idle (MB)", 1),
    ("peak_rss_mb", "peak RSS (MB)", 1),
    ("cpu_s_per_hour", "idle CPU (s/hour)", 2),
    ("ctx_per_min", "context switches /min", 1),
    ("spawned_per_min", "processes spawned /min", 1),
    ("menu_entries", "menu entries a host reads", 0),
]


def summarise(kinds: list[str], results: dict[str, list[dict]], problems: dict[str, str]) -> dict[str, dict]:
    summary = {}
    for kind in kinds:
        runs = results.get(kind, [])
        good = [run for run in runs if "problem" not in run]
        entry = {"label": LABELS[kind], "runs_ok": len(good), "runs": len(runs)}
        if kind in problems:
            entry["problem"] = problems[kind]
        elif not good:
            entry["problem"] = "; ".join(sorted({run.get("problem", "?") for run in runs}))
        for key, _title, _digits in FIGURES:
            entry[key] = fp.median_of(good, key)
        entry["spawned_names"] = dict(sum((Counter(run.get("spawned_names", {})) for run in good), Counter()))
        summary[kind] = entry
    return summary


def targets(summary: dict[str, dict]) -> list[dict]:
    checks = []
    for kind in ("gnome", "sway"):
        entry = summary.get(kind)
        if entry is None:
            continue
        for key, what, limit in (("peak_rss_mb", f"peak RSS ≤ {LIMIT_PEAK_MB} MB", LIMIT_PEAK_MB),
                                 ("registered_s", f"start → item registered ≤ {LIMIT_REGISTERED_S} s",
                                  LIMIT_REGISTERED_S)):
            value = entry.get(key)
            checks.append({"target": f"{what} ({kind})", "value": value, "limit": limit,
                           "met": None if value is None else value <= limit})
    return checks


def table(summary: dict[str, dict]) -> str:
    names = list(summary)
    rows = [["figure (median)"] + [summary[n]["label"] for n in names]]
    rows += [[title] + [fp.fmt(summary[n].get(key), digits) for n in names] for key, title, digits in FIGURES]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        lines.append("| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) + " |")
        if number == 0:
            lines.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    lines += [f"{summary[n]['label']}: {summary[n]['problem']}" for n in names if summary[n].get("problem")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per desktop; the table shows medians (3)")
    parser.add_argument("--idle", type=float, default=60.0, help="seconds from start to the RSS reading (60)")
    parser.add_argument("--window", type=float, default=120.0, help="idle window for CPU, switches, spawns (120)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated: gnome, sway, xfce")
    parser.add_argument("--out", type=Path, help="JSON file (default bench/results/desktops-<time>.json)")
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    if args.window <= 0 or args.idle < 0 or args.runs < 1 or not set(kinds) <= set(KINDS):
        parser.error(f"--runs ≥ 1, --idle ≥ 0, --window > 0, --kinds from {', '.join(KINDS)}")

    problems = {kind: f"missing {', '.join(gone)} (see .ci/run for the apt packages)"
                for kind in kinds if (gone := rd.missing(kind))}
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    logs = RESULTS / f"logs-desktops-{stamp}"
    logs.mkdir(parents=True, exist_ok=True)
    subprocess.run([fp.venv_python(), "-m", "compileall", "-q", str(REPO / "src")], check=False, timeout=300,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    try:
        watch: fp.ForkWatch | None = fp.ForkWatch()
    except OSError as error:
        print(f"bench: no proc connector ({error}); counting spawns by polling /proc", flush=True)
        watch = None

    results: dict[str, list[dict]] = {}
    total = sum(args.runs for kind in kinds if kind not in problems)
    print(f"bench: {total} runs, about {total * (args.idle + args.window + 8) / 60:.0f} min; logs in {logs}",
          flush=True)
    try:
        for index in range(1, args.runs + 1):  # interleaved, so slow drift hits every desktop alike
            for kind in kinds:
                if kind in problems:
                    continue
                run = run_once(kind, index, args, watch, logs)
                results.setdefault(kind, []).append(run)
                shown = {k: run.get(k) for k in ("registered_s", "shown_s", "rss_mb", "peak_rss_mb", "cpu_s_per_hour",
                                                  "ctx_per_min", "spawned", "menu_entries", "problem") if k in run}
                print(f"bench: {LABELS[kind]} run {index}: {shown}", flush=True)
    finally:
        if watch is not None:
            watch.close()

    summary = summarise(kinds, results, problems)
    checks = targets(summary)
    report = {
        "when": stamp,
        "machine": {"python": platform.python_version(), "kernel": platform.release(), "cpus": os.cpu_count(),
                    "local_time": datetime.now().astimezone().isoformat(timespec="seconds")},
        "settings": {"runs": args.runs, "idle_s": args.idle, "window_s": args.window,
                     "desktops": {kind: LABELS[kind] for kind in kinds},
                     "tray": "StatusNotifierItem + dbusmenu (movebreak.tray.sni)",
                     "movebreak": fp.movebreak_version()},
        "summary": summary,
        "targets": checks,
        "runs": results,
    }
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    out = args.out or RESULTS / f"desktops-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    LATEST.write_text(text)
    print()
    print(table(summary))
    print()
    for check in checks:
        mark = {True: "met", False: "MISSED", None: "not measured"}[check["met"]]
        print(f"target {check['target']}: {mark} (movebreak {check['value']}, limit {check['limit']})")
    print(f"\nbench: JSON in {out} and {LATEST}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
