"""Bad files: a damaged or newer history, and broken config and exercise files."""

from __future__ import annotations

import hashlib
import time
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from movebreak import config as config_module
from movebreak.exercises.catalogue import load_catalogue
from movebreak.store import SCHEMA_VERSION, Store
from test_run_terminal import FAST, App, run_cli

GARBAGE = {
    "garbage": b"this is not a database at all\n" * 200,
    "random-bytes": bytes(range(256)) * 64,
    "zero-header": b"SQLite format 3\0" + b"\xff" * 5000,
}


@pytest.fixture
def home(tmp_path) -> Path:
    root = tmp_path / "home"
    (root / "config").mkdir(parents=True)
    (root / "config" / "config.toml").write_text(FAST)
    (root / "data").mkdir()
    return root


def truncated_history(path: Path) -> bytes:
    with Store(path) as store:
        from datetime import datetime, timedelta, timezone

        from movebreak.records import Activity, BreakKind
        for n in range(300):
            store.add_activity(Activity(datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=n),
                                        BreakKind.LOGGED, timedelta(minutes=1), note="x" * 200))
    data = path.read_bytes()
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)
    return data[: len(data) // 3]


@pytest.mark.parametrize("kind", [*GARBAGE, "truncated"])
def test_a_damaged_history_is_kept_aside_replaced_told_once_and_named_by_doctor(home, kind):
    database = home / "data" / "history.sqlite3"
    content = truncated_history(database) if kind == "truncated" else GARBAGE[kind]
    database.write_bytes(content)
    app = App(home, "--no-tray")
    try:
        app.wait_for("running in terminal mode")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not _spans(database):
            time.sleep(0.05)
    finally:
        out, err = app.interrupt()
    assert app.proc.returncode == 0 and "Traceback" not in err
    saved = sorted(p for p in database.parent.glob("history.sqlite3.broken-*") if not p.name.endswith(("-wal", "-shm")))
    assert len(saved) == 1 and saved[0].read_bytes() == content  # kept byte for byte
    log = (home / "logs" / "movebreak.log").read_text()
    assert log.count("Your history file was damaged") == 1 and saved[0].name in log
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM sitting_spans").fetchone()[0] >= 1  # the fresh one works
    doctor = run_cli(home, "doctor")
    assert saved[0].name in doctor.stdout, doctor.stdout
    again = App(home, "--no-tray")  # told once: a second start says nothing more
    try:
        again.wait_for("running in terminal mode")
    finally:
        again.interrupt()
    assert (home / "logs" / "movebreak.log").read_text().count("Your history file was damaged") == 1


def test_a_history_from_a_newer_movebreak_is_refused_in_one_line_and_left_untouched(home):
    database = home / "data" / "history.sqlite3"
    with Store(database):
        pass
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA journal_mode = DELETE")
        db.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', '2030-01-01')", (SCHEMA_VERSION + 5,))
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    result = run_cli(home, "run", "--no-tray")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "newer movebreak" in lines[0] and "Traceback" not in result.stderr, result.stderr
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in database.parent.iterdir() if p.name.startswith("history")) == ["history.sqlite3"]


def _spans(database: Path) -> int:
    try:
        with sqlite3.connect(database, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM sitting_spans").fetchone()[0]
    except sqlite3.Error:
        return 0


# --- config and exercise files -------------------------------------------------------------------

BAD_CONFIGS = {
    "unknown key": ('[reminders]\nremind_afterr = "45m"\n', "unknown key"),
    "unknown section": ("[colours]\nred = 1\n", "unknown section"),
    "wrong type": ("[reminders]\nsnooze_limit = \"three\"\n", "expected a whole number"),
    "bad duration": ('[reminders]\nremind_after = "forty minutes"\n', "remind_after"),
    "out of range": ('[tracking]\npoll_every = "0s"\n', "out of range"),
    "invalid TOML": ("[reminders\nremind_after = 45m\n", "invalid TOML"),
}


@pytest.mark.parametrize("name", BAD_CONFIGS)
def test_each_bad_config_is_one_clear_line_and_defaults_are_used(tmp_path, name):
    text, fragment = BAD_CONFIGS[name]
    path = tmp_path / "config.toml"
    path.write_text(text)
    cfg = config_module.load(path)
    assert len(cfg.problems) == 1 and fragment in str(cfg.problems[0])
    assert "\n" not in str(cfg.problems[0]) and str(path) in str(cfg.problems[0])
    assert cfg["reminders.remind_after"] == config_module.defaults()["reminders.remind_after"]


@pytest.mark.parametrize("content, fragment", [
    (b"# " + b"x" * (config_module.MAX_CONFIG_BYTES + 1), "more than"),
    (b'[reminders]\nremind_after = "45m"\n# caf\xe9 \xff\xfe\n', "not UTF-8"),
])
def test_huge_and_non_utf8_config_files_are_one_line_with_defaults(tmp_path, content, fragment):
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    cfg = config_module.load(path)
    assert len(cfg.problems) == 1 and fragment in str(cfg.problems[0]) and "\n" not in str(cfg.problems[0])
    assert cfg.values == config_module.defaults().values


def test_a_bad_config_reaches_the_running_app_as_one_line_each(home):
    (home / "config" / "config.toml").write_bytes(FAST.encode() + b"\n[reminders]\nwat = 1\n")
    result = run_cli(home, "config", "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len([line for line in (result.stdout + result.stderr).splitlines() if "invalid TOML" in line]) == 1


BUILTIN_CATALOGUE, _builtin_problems = load_catalogue(None)
BUILTIN = BUILTIN_CATALOGUE.assets_root
BUILTIN_COUNT = len(BUILTIN_CATALOGUE.all())


@pytest.mark.parametrize("content, fragment", [
    (b"[[exercise]\nid = 1", "TOML"),
    (b"\xff\xfe[[exercise]]", "UTF-8"),
    (b"# " + b"x" * (600 * 1024), "bytes"),
    (b'[[exercise]]\nid = "squat-x"\nduration = "soon"\nwhat = 1\n', "duration"),
])
def test_each_bad_exercise_file_is_reported_in_lines_and_the_builtins_stay(tmp_path, content, fragment):
    path = tmp_path / "exercises.toml"
    path.write_bytes(content)
    catalogue, problems = load_catalogue(path)
    assert problems and any(fragment.lower() in p.lower() for p in problems), problems
    _one_line_each(problems)
    assert len(catalogue.all()) == BUILTIN_COUNT


toml_keys = st.sampled_from([key.name for key in config_module.KEYS] + ["bogus", "x y", ""])
toml_values = st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.floats(allow_nan=True),
                        st.lists(st.text(max_size=5), max_size=3))


def _toml_literal(value) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    return json.dumps(value)


@st.composite
def config_texts(draw):
    lines = []
    for section in draw(st.lists(st.sampled_from([*config_module.SECTIONS, "nope"]), max_size=4)):
        if section:
            lines.append(f"[{section}]")
        for _i in range(draw(st.integers(0, 4))):
            lines.append(f'"{draw(toml_keys)}" = {_toml_literal(draw(toml_values))}')
    return "\n".join(lines)


def _one_line_each(problems) -> None:
    for problem in problems:
        text = str(problem)
        assert text and "\n" not in text and "Traceback" not in text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(config_texts(), st.text(max_size=300)))
def test_fuzz_config_parse_text_never_raises(tmp_path, text):
    cfg = config_module.parse_text(text, tmp_path / "config.toml")
    _one_line_each(cfg.problems)
    cfg.engine_settings()  # whatever was accepted makes valid settings
    cfg.to_toml()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_fuzz_config_load_of_any_bytes_never_raises(tmp_path, data):
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    cfg = config_module.load(path)
    _one_line_each(cfg.problems)


exercise_fields = st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.text(max_size=12), st.integers()),
    "category": st.sampled_from(["strength", "mobility", "stretch", "cardio", "dance", ""]),
    "muscles": st.lists(st.sampled_from(["glutes", "core", "toes"]), max_size=3),
    "equipment": st.one_of(st.lists(st.sampled_from(["none", "chair", "piano"]), max_size=2), st.text(max_size=4)),
    "place": st.sampled_from(["desk", "standing", "floor", "moon"]),
    "duration": st.one_of(st.sampled_from(["1m", "90s", "0s", "2h", "soon"]), st.integers(-5, 99)),
    "met": st.one_of(st.floats(allow_nan=True), st.integers(-3, 30), st.text(max_size=3)),
    "name": st.one_of(st.text(max_size=10), st.dictionaries(st.sampled_from(["en", "de", "fr"]),
                                                            st.text(max_size=8), max_size=2)),
    "steps": st.one_of(st.lists(st.text(max_size=8), max_size=3), st.text(max_size=8)),
    "mistake": st.text(max_size=10),
    "picture": st.text(max_size=12),
})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(exercise_fields, max_size=4), disabled=st.one_of(st.none(), st.lists(st.text(max_size=6))),
       raw=st.one_of(st.none(), st.binary(max_size=200)))
def test_fuzz_the_exercise_catalogue_loader_never_raises(tmp_path, entries, disabled, raw):
    path = tmp_path / "exercises.toml"
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text(_exercise_toml(entries, disabled), encoding="utf-8")
    catalogue, problems = load_catalogue(path, builtin=BUILTIN)
    _one_line_each(problems)
    assert len(catalogue) >= BUILTIN_COUNT - len(disabled or [])  # the built-in catalogue carries on


def _exercise_toml(entries, disabled) -> str:
    import json

    lines = []
    if disabled is not None:
        lines.append("disabled = " + json.dumps(disabled))
    for entry in entries:
        lines.append("[[exercise]]")
        for key, value in entry.items():
            if isinstance(value, dict):
                lines.append(f"{key} = {{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in value.items()) + " }")
            else:
                lines.append(f"{key} = {_toml_literal(value)}")
    return "\n".join(lines) + "\n"


@pytest.mark.gui
def test_the_damaged_history_notice_reaches_the_notification_server_once(tmp_path, session_bus, notifications):
    """The real app on a private D-Bus with the recording notification server (tests/desktop.py)."""
    import subprocess
    import sys

    from desktop import desktop_env

    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(FAST.replace('remind_after = "10s"', 'remind_after = "1h"'))
    (home / "data").mkdir()
    (home / "data" / "history.sqlite3").write_bytes(GARBAGE["garbage"])
    env = desktop_env(None, session_bus, home)
    for _start in range(2):
        app = subprocess.Popen([sys.executable, "-m", "movebreak", "run", "--no-tray"], env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and not _spans(home / "data" / "history.sqlite3"):
                time.sleep(0.05)
        finally:
            app.terminate()
            app.wait(timeout=15)
    damaged = [n for n in notifications.received() if "history file was damaged" in n["body"]]
    assert len(damaged) == 1, notifications.received()
    assert ".broken-" in damaged[0]["body"]
