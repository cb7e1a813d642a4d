"""Issue 20, item 4: the app on the desktops people use, each real and headless.

GNOME Shell 43 (Wayland, the AppIndicator extension: SNI host in the shell), sway 1.7 with
waybar (SNI host) and mako, the XFCE 4.18 panel (SNI and XEmbed) with xfce4-notifyd; started by
``tests/real_desktops.py``. Each test looks at the desktop itself: the item the watcher lists,
the menu a host reads over dbusmenu, what the desktop's own notification daemon answered, and
the icon's pixels in a screenshot of the panel.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop import wait_until
from real_desktops import RealDesktop, registered_items, start_desktop

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts" / "real-desktops"
QUICK = ('[reminders]\nremind_after = "{remind}"\nwait_for_pause = "0s"\nquiet_during = []\n'
         '[tracking]\npoll_every = "1s"\nnatural_break_after = "{away}"\n'
         '[working_hours]\nalways = true\n')
# tray/icon.py: outline, track, white, green, amber, red, blue, grey
ICON_COLOURS = ((24, 24, 24), (236, 236, 236), (255, 255, 255), (46, 160, 67), (230, 140, 20), (214, 40, 40),
                (40, 110, 220), (140, 140, 140))
PANEL_ROWS = {"gnome": 40, "sway": 40, "xfce": 40}  # the top bar / panel, where the icon sits


@pytest.fixture(params=["gnome", "sway", "xfce"])
def real(request):
    desktop = start_desktop(request.param, ARTIFACTS)
    yield desktop
    desktop.stop()


class RunningApp:
    def __init__(self, desktop: RealDesktop, home: Path, **extra: str) -> None:
        self.desktop, self.home = desktop, home
        self.env = desktop.app_env(home, **extra)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.log_path = ARTIFACTS / f"{desktop.kind}-{home.parent.name}.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "movebreak", "run"], env=self.env, cwd=REPO,
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "movebreak", *args], env=self.env, capture_output=True,
                              text=True, timeout=60)

    def status(self) -> dict:
        return json.loads(self.cli("status", "--json").stdout)

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def make_home(tmp_path: Path, remind: str = "45m", away: str = "5m") -> Path:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(QUICK.format(remind=remind, away=away))
    return home


def our_item(desktop: RealDesktop, pid: int) -> tuple[str, str] | None:
    """(bus name, object path) of the item the watcher lists for process ``pid``, if any."""
    for entry in re.findall(r"'([^']+)'", registered_items(desktop)):
        name, _, path = entry.partition("/")
        path = "/" + path if path else "/StatusNotifierItem"
        try:
            owner = desktop.gdbus("call", "--session", "-d", "org.freedesktop.DBus", "-o", "/org/freedesktop/DBus",
                                  "-m", "org.freedesktop.DBus.GetConnectionUnixProcessID", name)
        except AssertionError:
            continue
        if re.search(rf"\b{pid}\b", owner):
            return name, path
    return None


def item_property(desktop: RealDesktop, item: tuple[str, str], name: str) -> str:
    return desktop.gdbus("call", "--session", "-d", item[0], "-o", item[1], "-m",
                         "org.freedesktop.DBus.Properties.Get", "org.kde.StatusNotifierItem", name)


def menu_layout(desktop: RealDesktop, item: tuple[str, str]) -> str:
    menu = re.search(r"objectpath '([^']+)'", item_property(desktop, item, "Menu")).group(1)
    return desktop.gdbus("call", "--session", "-d", item[0], "-o", menu, "-m", "com.canonical.dbusmenu.GetLayout",
                         "0", "int32 -1", "@as []")


def click(desktop: RealDesktop, item: tuple[str, str], layout: str, *path: str) -> None:
    """What a host does when the user clicks ``path`` (e.g. "Pause", "30 min"): dbusmenu Event "clicked"."""
    menu = re.search(r"objectpath '([^']+)'", item_property(desktop, item, "Menu")).group(1)
    at = 0
    for label in path:
        found = re.compile(rf"\((\d+), \{{[^{{}}]*'label': <'{re.escape(label)}'>").search(layout, at)
        assert found, f"no entry {' ▸ '.join(path)} in {layout}"
        at = found.end()
    desktop.gdbus("call", "--session", "-d", item[0], "-o", menu, "-m", "com.canonical.dbusmenu.Event",
                  found.group(1), "clicked", "<int32 0>", "0")


def icon_pixels(before: Path, after: Path, rows: int) -> int:
    """Pixels of the panel's right quarter (where trays sit; clocks are left or centred) that
    changed between two screenshots to one of the icon's colours."""
    from PIL import Image

    with Image.open(before) as old, Image.open(after) as new:
        box = (new.width * 3 // 4, 0, new.width, rows)
        pairs = zip(_pixels(old.convert("RGB").crop(box)), _pixels(new.convert("RGB").crop(box)))
        return sum(1 for was, now in pairs
                   if _distance(was, now) > 20 and any(_distance(now, colour) < 30 for colour in ICON_COLOURS))


def _pixels(image) -> list:
    return list(image.get_flattened_data() if hasattr(image, "get_flattened_data") else image.getdata())


def _distance(a, b) -> int:
    return sum(abs(x - y) for x, y in zip(a, b))


def test_the_icon_registers_shows_and_its_menu_works(real, tmp_path):
    before = real.screenshot("before")
    app = RunningApp(real, make_home(tmp_path))
    try:
        item = wait_until(lambda: our_item(real, app.proc.pid), timeout=15, interval=0.1,
                          message=f"no StatusNotifierItem registered on {real.kind}")
        layout = wait_until(lambda: (lambda text: text if "Weekly summary" in text else None)(menu_layout(real, item)),
                            timeout=10, interval=0.2)
        for label in ("I took a break", "Snooze", "Pause", "Resume", "Weekly summary", "Exercises", "Settings",
                      "Quit", "30 min", "until tomorrow", "Other activity…"):
            assert f"'label': <'{label}'>" in layout, (label, layout)
        assert "this week" in layout  # the status line
        shot = ARTIFACTS / f"{real.kind}-icon.png"
        wait_until(lambda: icon_pixels(before, real.screenshot("icon"), PANEL_ROWS[real.kind]) > 30, timeout=10,
                   interval=0.5, message=f"the icon's pixels are not on the {real.kind} panel ({shot})")
        click(real, item, layout, "Pause", "30 min")
        wait_until(lambda: app.status()["state"] == "paused", timeout=5, interval=0.2,
                   message="a click on Pause ▸ 30 min did not pause")
        assert "Traceback" not in app.output(), app.output()
    finally:
        app.stop()


def test_the_reminder_reaches_the_desktops_own_notification_daemon(real, tmp_path):
    server = real.gdbus("call", "--session", "-d", "org.freedesktop.Notifications", "-o",
                        "/org/freedesktop/Notifications", "-m", "org.freedesktop.Notifications.GetServerInformation")
    expected = {"gnome": "gnome-shell", "sway": "mako", "xfce": "Xfce Notify Daemon"}[real.kind]
    assert expected in server, server
    monitor = subprocess.Popen(["dbus-monitor", "--session", "interface='org.freedesktop.Notifications'",
                                "type='method_return'"], env={**os.environ, **real.env},
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    app = RunningApp(real, make_home(tmp_path, remind="10s"))
    seen: list[str] = []
    try:
        import threading

        threading.Thread(target=lambda: seen.extend(monitor.stdout), daemon=True).start()
        wait_until(lambda: any("time to move" in line for line in seen), timeout=30, interval=0.2,
                   message=f"no reminder sent to the {real.kind} daemon; app log: {app.output()[-2000:]}")
        text = "".join(seen)
        call = text.index("time to move")
        assert re.search(r"method return.*\n\s+uint32 [1-9]\d*", text[call:]), text[call:][:2000]  # the daemon's id
        real.screenshot("reminder")
        assert "could not show" not in app.output().lower()
    finally:
        app.stop()
        monitor.terminate()
        monitor.wait(5)


def test_gnome_counts_sitting_from_mutters_idle_monitor(tmp_path):
    desktop = start_desktop("gnome", ARTIFACTS)
    app = None
    try:
        app = RunningApp(desktop, make_home(tmp_path, away="10s"))
        doctor = app.cli("doctor").stdout
        assert re.search(r"idle.*Mutter", doctor), doctor
        # nobody touches the headless desktop: after 10 s without input the person is away
        wait_until(lambda: app.status()["state"] == "away", timeout=40, interval=0.5,
                   message=f"not away after 10 s without input: {app.status()}")
        desktop.poke()  # a pointer move through Mutter's RemoteDesktop
        wait_until(lambda: app.status()["state"] == "sitting", timeout=15, interval=0.3,
                   message=f"the pointer move did not count as being back: {app.status()}")
    finally:
        if app is not None:
            app.stop()
        desktop.stop()


def test_xfce_shows_the_xembed_icon_when_that_backend_is_asked_for(tmp_path):
    desktop = start_desktop("xfce", ARTIFACTS)
    app = None
    try:
        before = desktop.screenshot("xembed-before")
        app = RunningApp(desktop, make_home(tmp_path), PYSTRAY_BACKEND="xorg")
        assert "xorg" in app.cli("doctor").stdout
        wait_until(lambda: icon_pixels(before, desktop.screenshot("xembed"), PANEL_ROWS["xfce"]) > 30, timeout=15,
                   interval=0.5, message="the XEmbed icon did not dock in the XFCE panel's status tray")
        assert our_item(desktop, app.proc.pid) is None  # the XEmbed icon only, no StatusNotifierItem
    finally:
        if app is not None:
            app.stop()
        desktop.stop()
