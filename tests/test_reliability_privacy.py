"""Privacy and file safety: user-only files, no network socket, nothing typed or viewed recorded."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from movebreak.store import Store
from test_run_terminal import FAST

AUDIT = Path(__file__).parent / "sitecustomize_audit"
SCRIPT = '<script>alert("x")</script> & <b>bold</b>'


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.gui
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_the_real_app_opens_no_network_socket_and_keeps_every_file_user_only(tmp_path, session_bus, notifications):
    """Start, a reminder over D-Bus, a CLI log, the HTML summary, config edit and shutdown,
    every process with an audit hook recording each socket it makes."""
    from desktop import desktop_env

    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(FAST)
    audit = tmp_path / "sockets.jsonl"
    env = desktop_env(None, session_bus, home, PYTHONPATH=f"{AUDIT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
                      MOVEBREAK_SOCKET_AUDIT=str(audit), EDITOR="true")
    env.pop("DISPLAY", None)

    def cli(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "movebreak", *args], env=env, capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        return result

    app = subprocess.Popen([sys.executable, "-m", "movebreak", "run", "--no-tray"], env=env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        reminder = notifications.wait_for(1, timeout=25)[0]
        assert "time to move" in reminder["summary"]
        cli("log", "--minutes", "2", "--note", SCRIPT)
        html = home / "cache" / "summary.html"
        cli("summary", "--html", str(html))
        (home / "config" / "config.toml").unlink()
        cli("config", "edit")  # writes the commented default file first
        data = home / "data"
        live = {p.name: mode(p) for p in data.iterdir()}
    finally:
        app.terminate()
        out, err = app.communicate(timeout=20)
    assert app.returncode == 0 and "Traceback" not in err, err

    # --- files: user-only
    for folder in ("config", "data", "cache", "logs"):
        assert mode(home / folder) == 0o700, folder
    for name in ("history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm", "movebreak.lock"):
        assert live.get(name) == 0o600, (name, {k: oct(v) for k, v in live.items()})
    for path in (home / "logs" / "movebreak.log", home / "config" / "config.toml", html):
        assert mode(path) == 0o600, (path, oct(mode(path)))

    # --- HTML: the note is text, never markup
    page = html.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(" in page

    # --- sockets: D-Bus over AF_UNIX is fine, an internet family never appears
    events = [json.loads(line) for line in audit.read_text().splitlines()]
    assert any(e["argv"][0].endswith("__main__.py") and e["argv"][1] == "run" for e in events)
    assert any("AF_UNIX" in e["family"] for e in events), "the D-Bus reminder should show as AF_UNIX"
    network = [e for e in events if re.search(r"AF_INET|name-lookup", e["family"])]
    assert network == [], network


FORBIDDEN = re.compile(r"key|stroke|typed|text_input|window|title|app_name|application|process|url|clipboard", re.I)


def test_the_history_has_no_column_for_keystrokes_window_titles_or_app_names(tmp_path):
    with Store(tmp_path / "history.sqlite3"):
        pass
    with sqlite3.connect(tmp_path / "history.sqlite3") as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        columns = {f"{table}.{row[1]}" for table in tables for row in db.execute(f"PRAGMA table_info({table})")}
    assert columns, "no columns read"
    suspicious = {c for c in columns if FORBIDDEN.search(c.split(".", 1)[1])}
    assert suspicious == {"app_state.key"}  # the name of a state entry ("engine", "status"), nothing typed


IDLE_DIR = Path(__file__).resolve().parents[1] / "src" / "movebreak" / "idle"
# Calls that would read what is typed or which window/app is in front, per platform.
SPYING = re.compile(
    r"get_input_focus|_NET_ACTIVE_WINDOW|WM_NAME|_NET_WM_NAME|xrecord|record_enable_context|XRecord|"
    r"GetForegroundWindow|GetWindowText|SetWindowsHookEx|GetAsyncKeyState|GetKeyState|"
    r"NSWorkspace|frontmostApplication|CGEventTap|kCGEventKeyDown|activeWindow|import keyboard|pynput|evdev", re.I)


def test_the_idle_probes_read_only_idle_time():
    sources = sorted(IDLE_DIR.glob("*.py"))
    assert len(sources) >= 5
    found = {path.name: SPYING.findall(path.read_text(encoding="utf-8")) for path in sources}
    assert {name: hits for name, hits in found.items() if hits} == {}
