"""The standalone Linux build (PyInstaller) really works: .ci/packaging builds it and sets
MOVEBREAK_STANDALONE to its executable; without that these tests skip.

It must find its assets inside the bundle, speak German, write an autostart entry that
starts itself, and under Xvfb + trayer dock its icon, schedule and send a reminder over
D-Bus (APScheduler's triggers and jeepney survived the freeze), then quit cleanly on SIGTERM.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from desktop import wait_until
from test_tray_gui import busy, docked_icon, tree, write_config

EXE = os.environ.get("MOVEBREAK_STANDALONE", "")


@pytest.fixture
def exe() -> str:
    if not EXE:
        pytest.skip("MOVEBREAK_STANDALONE is not set: .ci/packaging builds the standalone app and sets it")
    assert Path(EXE).is_file(), EXE
    return EXE


def run(exe: str, *args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
    environ.update({"MOVEBREAK_HOME": str(tmp_path / "home"), "LANG": "C", **env})
    # cwd=/ : nothing from the checkout can stand in for what the bundle lacks
    return subprocess.run([exe, *args], env=environ, cwd="/", capture_output=True, text=True, timeout=60)


def test_version_catalogue_and_german_come_from_inside_the_bundle(exe, tmp_path):
    from movebreak import __version__
    from movebreak.exercises.catalogue import load_catalogue

    assert run(exe, "--version", tmp_path=tmp_path).stdout.strip() == f"movebreak {__version__}"
    listed = json.loads(run(exe, "exercises", "--json", tmp_path=tmp_path).stdout)
    catalogue, _problems = load_catalogue(None)
    assert len(listed) == len(list(catalogue.all()))
    german = run(exe, "autostart", "--help", tmp_path=tmp_path, LANG="de_DE.UTF-8")
    assert german.returncode == 0 and "Anmeldung" in german.stdout


def test_doctor_runs_without_a_desktop(exe, tmp_path):
    result = run(exe, "doctor", tmp_path=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "OK   version: movebreak" in result.stdout and "no DISPLAY" in result.stdout


def test_autostart_starts_the_standalone_executable(exe, tmp_path):
    result = run(exe, "autostart", "enable", tmp_path=tmp_path, XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    assert result.returncode == 0, result.stderr
    entry = (tmp_path / "xdg" / "autostart" / "io.github.movebreak.Movebreak.desktop").read_text()
    assert f"Exec={exe} run" in entry
    icon = next(line for line in entry.splitlines() if line.startswith("Icon="))[5:]
    assert Path(icon).is_file() and Path(exe).parent in Path(icon).parents


@pytest.mark.gui
def test_docks_in_a_real_tray_reminds_and_quits_cleanly(exe, desktop):
    write_config(desktop.home)
    with busy(desktop.display):
        app = desktop.spawn("standalone", [exe, "run"])
        icon = wait_until(lambda: app.poll() is None and docked_icon(desktop.display, desktop.tray.owner),
                          timeout=15, message=f"the icon never docked; log:\n{desktop.log('standalone')}")
        windows = tree(desktop.display)
        assert hex(icon) in windows and '"panel": ("panel" "trayer")' in windows
        desktop.screenshot("standalone-docked")
        # A reminder needs the poll job and the deadline job: APScheduler works inside the bundle.
        note = desktop.notifications.wait_for(1, timeout=25)[0]
        assert note["app_name"] == "movebreak" and "time to move" in note["summary"]
        doctor = subprocess.run([exe, "doctor"], env=desktop.env(), capture_output=True, text=True, timeout=30)
        assert "OK   tray:" in doctor.stdout and "OK   notifications:" in doctor.stdout, doctor.stdout
    status = desktop.processes.stop(app, sig=signal.SIGTERM, timeout=10)
    log = desktop.log("standalone")
    assert status == 0, log
    assert "Traceback" not in log and "everything is saved" in log, log
