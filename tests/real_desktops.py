"""Real Linux desktops, headless, for the tests of issue 20: GNOME Shell 43 (Wayland, the
AppIndicator extension), sway 1.7 + waybar + mako, and the XFCE 4.18 panel under Xvfb.

Each is started by its script in ``tests/desktops/`` (the team's recipes, verified on Debian 12)
in a private runtime folder, with its own session bus; ``RealDesktop.env`` is the environment a
program of that desktop gets. ``start_desktop`` skips (or fails under MOVEBREAK_REQUIRE_GUI=1)
when the desktop's packages are missing. Screenshots are taken the way each desktop allows:
GNOME over ``org.gnome.Shell.Screenshot``, sway with grim, XFCE with ``import`` on the X server.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = HERE / "desktops"
SYSTEM_PYTHON = "/usr/bin/python3"  # the desktop helpers use the system's gi, never the app's venv

NEEDS = {
    "gnome": ("gnome-shell", "gjs", "gdbus", "dbus-run-session"),
    "sway": ("sway", "waybar", "mako", "grim", "Xwayland", "xhost", "setpriv", "gdbus"),
    "xfce": ("xfce4-panel", "Xvfb", "gdbus", "dbus-run-session", "import"),
}
EXTRA_FILES = {"gnome": ("/usr/share/gnome-shell/extensions/ubuntu-appindicators@ubuntu.com",),
               "xfce": ("/usr/lib/x86_64-linux-gnu/xfce4/notifyd/xfce4-notifyd",)}


@dataclass
class RealDesktop:
    kind: str
    root: Path
    env: dict[str, str]
    artifacts: Path
    _stopped: bool = field(default=False, repr=False)

    def app_env(self, home: Path, **extra: str) -> dict[str, str]:
        """The environment movebreak gets in this desktop (no other display or bus leaks in)."""
        env = {k: v for k, v in os.environ.items()
               if k not in ("WAYLAND_DISPLAY", "DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XAUTHORITY",
                            "XDG_CURRENT_DESKTOP", "XDG_SESSION_TYPE", "PYSTRAY_BACKEND")}
        env.update(self.env)
        env.update({"MOVEBREAK_HOME": str(home), "NO_AT_BRIDGE": "1", "PYTHONUNBUFFERED": "1",
                    "XDG_CURRENT_DESKTOP": {"gnome": "GNOME", "sway": "sway", "xfce": "XFCE"}[self.kind],
                    "XDG_SESSION_TYPE": "x11" if self.kind == "xfce" else "wayland"})
        env.update(extra)
        return env

    def gdbus(self, *args: str, timeout: float = 10) -> str:
        done = subprocess.run(["gdbus", *args], env={**os.environ, **self.env}, capture_output=True, text=True,
                              timeout=timeout)
        assert done.returncode == 0, f"gdbus {' '.join(args)}: {done.stderr.strip()}"
        return done.stdout.strip()

    def screenshot(self, name: str) -> Path:
        """The whole screen as PNG in the test's artifacts."""
        self.artifacts.mkdir(parents=True, exist_ok=True)
        path = self.artifacts / f"{self.kind}-{name}.png"
        env = {**os.environ, **self.env}
        if self.kind == "gnome":
            argv = [SYSTEM_PYTHON, str(SCRIPTS / "gnome_shot.py"), str(path)]
        elif self.kind == "sway":
            argv = ["grim", str(path)]
        else:
            argv = ["import", "-window", "root", str(path)]
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=20)
        assert done.returncode == 0 and path.exists(), f"screenshot on {self.kind}: {done.stderr.strip()}"
        return path

    def poke(self) -> None:
        """Input the desktop counts as activity (GNOME: a pointer move through Mutter's RemoteDesktop)."""
        assert self.kind == "gnome", "input injection is only wired for GNOME"
        done = subprocess.run([SYSTEM_PYTHON, str(SCRIPTS / "gnome_poke.py")], env={**os.environ, **self.env},
                              capture_output=True, text=True, timeout=20)
        assert done.returncode == 0, done.stderr

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        pids = []
        for name in ("shell.pid", "sway.pid", "pids"):
            file = self.root / name
            if file.exists():
                pids += [int(word) for word in file.read_text().split() if word.isdigit()]
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
            time.sleep(0.05)
        for pid in pids:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if self.kind == "gnome":  # mutter leaves its X lock files behind
            shell = (self.root / "shell.pid").read_text().strip()
            for lock in Path("/tmp").glob(".X*-lock"):
                try:
                    if lock.read_text().strip() == shell:
                        number = lock.name[2:-5]
                        lock.unlink(missing_ok=True)
                        Path(f"/tmp/.X11-unix/X{number}").unlink(missing_ok=True)
                except OSError:
                    pass
        shutil.rmtree(self.root, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def missing(kind: str) -> list[str]:
    gone = [name for name in NEEDS[kind] if shutil.which(name) is None]
    gone += [path for path in EXTRA_FILES.get(kind, ()) if not Path(path).exists()]
    if kind == "gnome" and not Path(SYSTEM_PYTHON).exists():
        gone.append(SYSTEM_PYTHON)
    return gone


def start_desktop(kind: str, artifacts: Path) -> RealDesktop:
    """Start ``kind`` ("gnome", "sway", "xfce"); the caller stops it (``stop``)."""
    from conftest import need

    gone = missing(kind)
    need(not gone, f"{kind} desktop: missing {', '.join(gone)} (see .ci/run for the apt packages)")
    root = Path(tempfile.mkdtemp(prefix=f"mb-{kind}-", dir="/tmp"))  # short: socket paths have a limit
    log = Path(tempfile.mkstemp(prefix=f"mb-{kind}-", suffix=".log", dir="/tmp")[1])
    with open(log, "w") as out:  # a file, not a pipe: the desktop's processes keep what they inherit open
        done = subprocess.run(["bash", str(SCRIPTS / f"{kind}.sh")], env={**_clean_env(), "R": str(root)},
                              stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, timeout=90)
    said = log.read_text()
    log.unlink()
    desktop = RealDesktop(kind, root, {}, artifacts)
    env_file = root / "env"
    if done.returncode != 0 or not env_file.exists():
        desktop.stop()
        raise AssertionError(f"{kind} did not start: {said[-3000:]}")
    for word in env_file.read_text().split():
        if "=" in word and word != "export":
            name, value = word.split("=", 1)
            desktop.env[name] = value
    return desktop


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XAUTHORITY", "XDG_RUNTIME_DIR")}
    env["PATH"] = env.get("PATH", "") + ":/usr/sbin:/sbin"
    return env


def registered_items(desktop: RealDesktop) -> str:
    """The StatusNotifierWatcher's RegisteredStatusNotifierItems, as gdbus prints them."""
    return desktop.gdbus("call", "--session", "-d", "org.kde.StatusNotifierWatcher", "-o", "/StatusNotifierWatcher",
                         "-m", "org.freedesktop.DBus.Properties.Get", "org.kde.StatusNotifierWatcher",
                         "RegisteredStatusNotifierItems")

