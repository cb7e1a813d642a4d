"""The real app's StatusNotifierItem tray (tray/sni/) on a private session bus with a real watcher.

The watcher is ``tests/sni_watcher.py`` in its own process; this test acts as the panel
(``SniHost``): it reads the item's properties and icon, fetches the dbusmenu layout and
clicks items through ``Event``, as GNOME's AppIndicator extension, waybar and XFCE do.
No DISPLAY: the SNI tray runs on Wayland or anywhere a watcher exists.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop import REPO, ProcessStack, SessionBus, _read_ready_line, desktop_env, start_session_bus, wait_until
from sni_watcher import SniHost

pytestmark = pytest.mark.gui

HERE = Path(__file__).resolve().parent
CONFIG = """\
language = "en"
[reminders]
remind_after = "30m"
[working_hours]
always = true
"""
TOP_LEVEL = ["I took a break", "Snooze", "Pause", "Resume", "Weekly summary", "Exercises", "Settings",
             "Open window", "Quit"]


class SniWatcher:
    """The test watcher process and its record of registrations."""

    def __init__(self, stack: ProcessStack, bus: SessionBus, record: Path, name: str = "sni-watcher") -> None:
        read_fd, write_fd = os.pipe()
        try:
            self.process = stack.start(
                name, [sys.executable, str(HERE / "sni_watcher.py"), "--record", str(record), "--ready-fd",
                       str(write_fd)], env={**os.environ, **bus.env}, pass_fds=(write_fd,))
        finally:
            os.close(write_fd)
        _read_ready_line(read_fd, self.process, "sni watcher", lambda: stack.log(name))
        self.record = record

    def registrations(self) -> list[dict]:
        text = self.record.read_text(encoding="utf-8") if self.record.exists() else ""
        return [json.loads(line) for line in text.splitlines(keepends=True) if line.endswith("\n")]


def start_watcher(stack: ProcessStack, bus: SessionBus, folder: Path, name: str = "sni-watcher") -> SniWatcher:
    return SniWatcher(stack, bus, folder / f"{name}.jsonl", name)


@pytest.fixture
def sni_bus(processes, tmp_path):
    bus = start_session_bus(processes, name="sni-dbus")
    watcher = start_watcher(processes, bus, tmp_path)
    return bus, watcher


def app_env(bus: SessionBus, home: Path) -> dict[str, str]:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text(CONFIG, encoding="utf-8")
    env = desktop_env(None, bus, home)
    env.pop("PYSTRAY_BACKEND", None)
    env["XDG_SESSION_TYPE"] = "wayland"
    return env


def start_app(processes: ProcessStack, env: dict[str, str]) -> subprocess.Popen:
    return processes.start("movebreak", [sys.executable, "-m", "movebreak", "run"], env=env, cwd=REPO)


def cli(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "movebreak", *args], env=env, cwd=REPO, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_app_registers_its_item_with_the_full_menu_and_the_icon(sni_bus, processes, tmp_path):
    bus, watcher = sni_bus
    env = app_env(bus, tmp_path / "home")
    started = time.time()
    app = start_app(processes, env)
    with SniHost(bus.address) as host:
        item = wait_until(lambda: host.item_of(app.pid), timeout=10,
                          message=f"no item registered; log:\n{processes.log('movebreak')}")
        took = watcher.registrations()[0]["received_at"] - started
        # Python's start and the imports are in this figure; the tray itself registers in a few ms
        # (its log says how long). The target (0.3 s) is for an idle machine: see the report.
        assert took < 3.0, f"registered {took:.2f} s after the start"
        props = host.all_props(item)
        assert props["Category"] == "ApplicationStatus" and props["Id"] == "movebreak"
        assert props["ItemIsMenu"] is False and props["Menu"] == "/MenuBar"
        assert props["Status"] in ("Active", "NeedsAttention")
        assert sorted(p[0] for p in props["IconPixmap"]) == [16, 22, 24, 32, 48, 64]
        labels = wait_until(lambda: (found := host.labels(item)) and "Quit" in found and found, timeout=10)
        top = [label for label in labels if " ▸ " not in label]
        assert top[0].startswith(("Sitting", "Sat", "Away", "Reminder")) or "min" in top[0], top
        assert top[1:] == TOP_LEVEL, top
        assert "Pause ▸ 30 min" in labels and "Pause ▸ 1 h" in labels and "Pause ▸ until tomorrow" in labels
        assert "I took a break ▸ Other activity… ▸ 5 min" in labels
        assert any(label.startswith("Snooze ▸ ") for label in labels)
        assert host.find(item, "Resume")[1].get("enabled") is False

        host.listen(item[0])
        host.click(item, "Pause", "30 min")
        revision, parent = host.wait_signal("LayoutUpdated", timeout=10)
        assert parent == 0 and revision > 0
        wait_until(lambda: "Paused until" in cli(env, "status"), timeout=10,
                   message="the click on Pause ▸ 30 min did not pause the app")
        wait_until(lambda: host.find(item, "Resume")[1].get("enabled", True), timeout=10)

        from movebreak.tray.icon import IconKey, draw_icon

        def shows_paused() -> bool:
            return host.icon(item, 64).tobytes() == draw_icon(IconKey("paused", 0), 64).tobytes()

        wait_until(shows_paused, timeout=10, message="IconPixmap is not the paused icon")


def test_a_watcher_that_starts_late_or_restarts_gets_the_item_again(processes, tmp_path):
    bus = start_session_bus(processes, name="late-dbus")
    home = tmp_path / "home"
    first = start_watcher(processes, bus, tmp_path, "first-watcher")
    app = start_app(processes, app_env(bus, home))
    wait_until(lambda: first.registrations(), timeout=10, message=processes.log("movebreak"))
    processes.stop(first.process)
    second = start_watcher(processes, bus, tmp_path, "second-watcher")
    wait_until(lambda: second.registrations(), timeout=5,
               message=f"no registration with the new watcher; log:\n{processes.log('movebreak')}")
    with SniHost(bus.address) as host:
        assert host.item_of(app.pid) is not None


def test_without_a_display_the_app_uses_the_watcher_and_doctor_says_so(sni_bus, processes, tmp_path):
    bus, _watcher = sni_bus
    env = app_env(bus, tmp_path / "home")
    out = cli(env, "doctor")
    line = next(line for line in out.splitlines() if "tray:" in line)
    assert line.startswith("OK")
    assert "StatusNotifierItem (watcher org.kde.StatusNotifierWatcher owned by :1." in line
    assert "icon with the full menu" in line


def test_on_wayland_an_app_started_before_any_panel_shows_its_item_when_one_starts(processes, tmp_path):
    """Login order on sway or GNOME: the app before the panel. It keeps reminding, then registers."""
    bus = start_session_bus(processes, name="no-panel-dbus")
    home = tmp_path / "home"
    env = {**app_env(bus, home), "WAYLAND_DISPLAY": "wayland-none"}
    tray_line = next(line for line in cli(env, "doctor").splitlines() if "tray:" in line)
    assert "none yet; waiting for one" in tray_line, tray_line  # doctor says what the app will do
    app = start_app(processes, env)
    wait_until(lambda: "no system tray yet" in processes.log("movebreak"), timeout=15,
               message=processes.log("movebreak"))
    watcher = start_watcher(processes, bus, tmp_path, "late-watcher")
    wait_until(lambda: watcher.registrations(), timeout=5,
               message=f"the item did not register with a watcher that started later; log:\n{processes.log('movebreak')}")
    with SniHost(bus.address) as host:
        assert host.item_of(app.pid) is not None
