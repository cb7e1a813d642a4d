"""Privacy, second round: a DISPLAY that points at no server (or at a server over the network)
never makes movebreak open a network socket, and a CSV export never carries a live formula.

The app and the CLI are real processes with an audit hook (tests/sitecustomize_audit) that
records every socket they make.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path

import pytest

from movebreak.x11display import unix_display
from test_run_terminal import FAST, App, headless_env, run_cli

AUDIT = Path(__file__).parent / "sitecustomize_audit"


@pytest.mark.parametrize(("display", "local"), [
    (":0", "unix:0"), (":1.0", "unix:1.0"), ("unix:3", "unix:3"),
    ("/private/tmp/com.apple.launchd.x/org.xquartz:0", "/private/tmp/com.apple.launchd.x/org.xquartz:0"),
    ("localhost:10.0", None), ("tcp/example.org:0", None), ("192.0.2.1:0", None), ("[::1]:0", None),
    ("nonsense", None), (":", None), (":x", None),
])
def test_only_a_display_reached_through_its_unix_socket_is_used(display, local):
    assert unix_display(display) == local


def free_display_number() -> int:
    for number in range(97, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            return number
    pytest.skip("no free X display number")


def audited_app(home: Path, audit: Path, display: str) -> App:
    env = headless_env(home)
    env.update(DISPLAY=display, MOVEBREAK_SOCKET_AUDIT=str(audit),
               PYTHONPATH=f"{AUDIT}{os.pathsep}{env.get('PYTHONPATH', '')}")
    env.pop("PYSTRAY_BACKEND", None)
    return App(home, env=env)


def network_events(audit: Path) -> list[dict]:
    events = [json.loads(line) for line in audit.read_text().splitlines()] if audit.exists() else []
    assert events, "the audit hook recorded nothing: it did not load"
    return [e for e in events if e["family"] not in ("AF_UNIX", "-1", "unknown")]


@pytest.mark.parametrize("form", ["no-server", "network"])
def test_a_display_with_no_server_or_over_the_network_opens_no_network_socket(tmp_path, form):
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(FAST)
    number = free_display_number()
    display = f":{number}" if form == "no-server" else f"localhost:{number}"
    audit = tmp_path / "sockets.jsonl"
    app = audited_app(home, audit, display)
    try:
        line = app.wait_for("running in terminal mode")
        app.wait_for("time to move", timeout=20)  # the idle probe has tried the display by now
    finally:
        app.interrupt()
    expected = "cannot connect to the X server" if form == "no-server" else "over the network"
    assert expected in line, line
    doctor = run_cli(home, "doctor", env_extra={"DISPLAY": display, "MOVEBREAK_SOCKET_AUDIT": str(audit),
                                                "PYTHONPATH": str(AUDIT)})
    assert "Traceback" not in doctor.stderr
    assert network_events(audit) == []  # before: python-xlib fell back to TCP port 6000+N


def test_a_csv_export_shows_formula_like_notes_as_text(tmp_path):
    home = tmp_path / "home"
    notes = ['=HYPERLINK("http://example.invalid","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1",
             "plain note", "a = b"]
    for note in notes:
        result = run_cli(home, "log", "--minutes", "1", f"--note={note}")
        assert result.returncode == 0, result.stderr
    exported = run_cli(home, "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    seen = sorted(row["note"] for row in rows if row["record"] == "activity")
    expected = sorted(("'" + note) if note[0] in "=+-@\t\r" else note for note in notes)
    assert seen == expected
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values() if cell)
    # the JSON export is for programs: it keeps each note exactly as written
    data = json.loads(run_cli(home, "export", "--format", "json").stdout)
    assert sorted(a["note"] for a in data["activities"]) == sorted(notes)


def test_a_carriage_return_before_a_formula_is_defused_too():
    from movebreak.usecases.export import _inert

    assert _inert("\r=1+1") == "'\r=1+1" and _inert("1.5") == "1.5" and _inert(2.0) == 2.0


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip(reason="X displays and audit hooks on POSIX")
