"""A tray that comes late, restarts, or is slow to take the icon (issue 20 item 5; tray/dock.py).

Real Xvfb, real trayer, the real app (``python -m movebreak run``, the xorg backend). Each test
has its own X server, since it starts, stops or freezes trayer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from desktop import REPO, XServer, desktop_env, start_trayer, start_xvfb, wait_until, window_tree
from test_tray_gui import docked_icon, status_json, write_config

pytestmark = pytest.mark.gui

TRAY_BACKGROUND_COLOURS = 2  # trayer's panel around an unpainted icon: one tint (two with its border)


@pytest.fixture
def x(processes) -> XServer:
    return start_xvfb(processes)


def start_app(processes, x: XServer, home, name: str = "movebreak"):
    write_config(home)
    env = desktop_env(x, None, home, PYSTRAY_BACKEND="xorg")
    return processes.start(name, [sys.executable, "-m", "movebreak", "run"], env=env, cwd=REPO), env


def wait_docked(processes, x: XServer, tray, app, name: str = "movebreak", timeout: float = 10) -> int:
    def docked() -> int:
        if app.poll() is not None:
            raise AssertionError(f"the app exited with {app.returncode}; log:\n{processes.log(name)}")
        return docked_icon(x.display, tray.owner)

    try:
        return wait_until(docked, timeout=timeout)
    except AssertionError as error:
        raise AssertionError(f"the icon never docked ({error}); log:\n{processes.log(name)}") from None


def icon_colours(x: XServer, icon: int, path) -> int:
    """How many colours the screen shows where the icon window is (an unpainted slot shows trayer's tint)."""
    from PIL import Image
    from Xlib.display import Display

    from desktop import screenshot

    connection = Display(x.display)
    try:
        window = connection.create_resource_object("window", icon)
        geometry = window.get_geometry()
        origin = window.translate_coords(connection.screen().root, 0, 0)
        left, top = -origin.x, -origin.y
    finally:
        connection.close()
    screenshot(x.display, path)
    with Image.open(path) as image:
        area = image.convert("RGB").crop((left, top, left + geometry.width, top + geometry.height))
        return len(area.getcolors(maxcolors=100000) or ())


def assert_shown(x: XServer, tray, icon: int, artifacts, name: str) -> None:
    tree = window_tree(x.display)
    assert hex(icon) in tree and '"panel": ("panel" "trayer")' in tree
    wait_until(lambda: icon_colours(x, icon, artifacts / f"{name}.png") > TRAY_BACKGROUND_COLOURS, timeout=10,
               interval=0.3, message="the docked icon was never painted")


def stray_icons(x: XServer) -> list[int]:
    """movebreak windows mapped directly on the root window (an icon a dead tray left behind)."""
    from Xlib import X
    from Xlib.display import Display

    connection = Display(x.display)
    try:
        return [w.id for w in connection.screen().root.query_tree().children
                if "movebreak" in (w.get_wm_class() or ()) and w.get_attributes().map_state == X.IsViewable]
    finally:
        connection.close()


def titled(x: XServer) -> bool:
    """The icon window carries the status as its name: the app is fully up (the core is built and
    has ticked; a SIGTERM before that waits for pystray's setup thread, 5 s)."""
    from Xlib.display import Display

    connection = Display(x.display)
    try:
        return any("movebreak" in (w.get_wm_class() or ()) and w.get_wm_name() not in (None, "movebreak")
                   for w in _all_windows(connection.screen().root))
    finally:
        connection.close()


def _all_windows(window):
    from Xlib.error import BadWindow

    try:
        children = window.query_tree().children
    except BadWindow:
        return
    for child in children:
        yield child
        yield from _all_windows(child)


def undocked_and_hidden(x: XServer, icon: int) -> bool:
    """The icon window is back on the root window (its tray is gone) and not shown there."""
    from Xlib import X
    from Xlib.display import Display

    connection = Display(x.display)
    try:
        window = connection.create_resource_object("window", icon)
        on_root = window.query_tree().parent.id == connection.screen().root.id
        return on_root and window.get_attributes().map_state != X.IsViewable
    finally:
        connection.close()


def test_an_icon_docks_in_a_tray_started_3_s_after_the_app(processes, x, tmp_path, artifacts):
    app, env = start_app(processes, x, tmp_path / "home")
    began = time.monotonic()
    # No tray yet: the app waits for one instead of falling into terminal mode, and already ticks.
    wait_until(lambda: "no system tray yet" in processes.log("movebreak"), timeout=10,
               message=f"no word about waiting; log:\n{processes.log('movebreak')}")
    wait_until(lambda: status_json(env)["state"] not in ("not-running", "starting"), timeout=15, interval=0.3,
               message="the app does not tick while it waits for a tray")
    doctor = subprocess.run([sys.executable, "-m", "movebreak", "doctor"], env=env, cwd=REPO, capture_output=True,
                            text=True, timeout=30)
    assert "none yet; waiting for one" in doctor.stdout, doctor.stdout
    late = threading.Event()
    threading.Timer(max(0.0, 3.0 - (time.monotonic() - began)), late.set).start()
    late.wait()  # the scenario: the panel comes 3 s after the app (a login)
    tray = start_trayer(processes, x)
    icon = wait_docked(processes, x, tray, app)
    assert_shown(x, tray, icon, artifacts, "dock-late-tray")
    assert app.poll() is None
    wait_until(lambda: titled(x), timeout=15, interval=0.05)  # the tooltip reached the X server


def test_the_icon_docks_again_after_the_tray_restarts(processes, x, tmp_path, artifacts):
    tray = start_trayer(processes, x)
    app, _env = start_app(processes, x, tmp_path / "home")
    first = wait_docked(processes, x, tray, app)
    processes.stop_pid(tray.pid)
    # The dead tray's save-set puts the icon on the root window, mapped; the app takes it down.
    wait_until(lambda: undocked_and_hidden(x, first), timeout=5, message="the undocked icon stays on the screen")
    tray = start_trayer(processes, x)
    icon = wait_docked(processes, x, tray, app)
    assert icon == first
    assert_shown(x, tray, icon, artifacts, "dock-restarted-tray")
    assert app.poll() is None
    wait_until(lambda: titled(x), timeout=15, interval=0.05)  # fully up: a SIGTERM now stops it at once


SHOW_ICON_ONLY = """
import sys
from movebreak.environment import Environment
from movebreak.tray.backend import BackendChoice
from movebreak.tray.ui import TrayUI

class Shown(TrayUI):
    def _setup(self, icon):
        super()._setup(icon)
        print("shown", flush=True)  # pystray sent what it sends on the first show

Shown(None, BackendChoice("xorg", True, False, ""), Environment()).run()
"""


def test_a_tray_slow_to_read_the_dock_request_still_takes_the_icon(processes, x, tmp_path, artifacts):
    """The 1-in-10 race made certain: the tray reads the requests of the icon's first show only
    once it was shown (trayer held by SIGSTOP until then). pystray sent two back-to-back dock
    requests; a tray reading both at once embeds the icon twice and drops it (parent: the root
    window, unmapped), while the app believes it is docked. The real TrayUI, icon only."""
    tray = start_trayer(processes, x)
    os.kill(tray.pid, signal.SIGSTOP)
    try:
        env = desktop_env(x, None, tmp_path / "home", PYSTRAY_BACKEND="xorg")
        app = processes.start("icon", [sys.executable, "-c", SHOW_ICON_ONLY], env=env, cwd=REPO)
        wait_until(lambda: "shown" in processes.log("icon"), timeout=15,
                   message=f"the icon was never shown:\n{processes.log('icon')}")
    finally:
        os.kill(tray.pid, signal.SIGCONT)
    icon = wait_docked(processes, x, tray, app, name="icon")
    assert_shown(x, tray, icon, artifacts, "dock-slow-tray")
    stays_docked(x, tray, icon)


def stays_docked(x: XServer, tray, icon: int, seconds: float = 1.0) -> None:
    """The icon is still in the tray for ``seconds`` (a tray that embeds it twice drops it again)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        assert docked_icon(x.display, tray.owner) == icon and not stray_icons(x), "the tray dropped the icon"
        time.sleep(0.05)


def test_twenty_starts_in_a_row_all_dock(processes, x, tmp_path):
    tray = start_trayer(processes, x)
    durations = []
    for attempt in range(20):
        name = f"movebreak-{attempt}"
        began = time.monotonic()
        app, _env = start_app(processes, x, tmp_path / f"home-{attempt}", name=name)
        wait_docked(processes, x, tray, app, name=name)
        durations.append(time.monotonic() - began)
        wait_until(lambda: titled(x), timeout=15, interval=0.05)
        processes.stop(app)
        wait_until(lambda: not docked_icon(x.display, tray.owner), timeout=5)
    print(f"20/20 docked; start → docked {min(durations):.2f}–{max(durations):.2f} s")


WATCH_ONLY = """
import sys
import pystray
from PIL import Image
from movebreak.tray.dock import watch_docking

def setup(icon):
    watcher = watch_docking(icon, on_no_tray=lambda: print("no tray came", flush=True), wait_for_tray=0.5)
    icon.visible = True
    print("docked" if watcher.docked.wait(30) else "never docked", watcher.requests, flush=True)

pystray.Icon("movebreak", Image.new("RGB", (32, 32), (200, 40, 40)), "t").run(setup=setup)
"""


def test_no_tray_within_the_wait_is_said_once_and_a_later_tray_still_gets_the_icon(processes, x, tmp_path):
    env = desktop_env(x, None, tmp_path / "home", PYSTRAY_BACKEND="xorg")
    app = processes.start("watch", [sys.executable, "-c", WATCH_ONLY], env=env, cwd=REPO)
    wait_until(lambda: "no tray came" in processes.log("watch"), timeout=15,
               message=f"no word that no tray came:\n{processes.log('watch')}")
    tray = start_trayer(processes, x)
    wait_until(lambda: "docked" in processes.log("watch"), timeout=15, message=processes.log("watch"))
    assert "docked 1" in processes.log("watch") and "never" not in processes.log("watch")
    assert processes.log("watch").count("no tray came") == 1
    assert wait_docked(processes, x, tray, app, name="watch")
