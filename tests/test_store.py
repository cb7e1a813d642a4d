import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from movebreak.errors import MovebreakError
from movebreak.records import (
    Activity,
    BreakKind,
    Intensity,
    Pause,
    Reminder,
    ReminderOutcome,
    SittingSpan,
    TrackedSpan,
)
from movebreak.store import SCHEMA_VERSION, Store

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
ALL_MIGRATIONS = [(1, "initial history schema"), (2, "index for the open sitting span"),
                  (3, "the running app's answer to a CLI command"), (4, "light and vigorous intensities")]


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def store(db_path):
    with Store(db_path, now=lambda: T0) as opened:
        yield opened


def test_new_file_is_wal_private_and_migrated(store, db_path):
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("SELECT version, name FROM schema_migrations").fetchall() == ALL_MIGRATIONS
    if sys.platform != "win32":
        assert db_path.stat().st_mode & 0o777 == 0o600


def test_reopening_applies_no_migration_twice(db_path, store):
    store.close()
    with Store(db_path) as again:
        assert again.schema_versions() == ALL_MIGRATIONS


def test_spans_heartbeat_updates_one_row_and_overlap_query(store):
    span = store.save_span(SittingSpan(T0, T0 + minutes(1)))
    for tick in range(2, 30):
        span = store.save_span(SittingSpan(span.start, T0 + minutes(tick), span.id))
    store.save_span(SittingSpan(span.start, T0 + minutes(30), span.id), closed=True)
    later = store.save_span(SittingSpan(T0 + minutes(40), T0 + minutes(50)))
    assert store.open_span() == later
    found = store.spans_between(T0 + minutes(29), T0 + minutes(41))
    assert [(s.start, s.end) for s in found] == [(T0, T0 + minutes(30)), (T0 + minutes(40), T0 + minutes(50))]
    assert store.spans_between(T0 + minutes(31), T0 + minutes(39)) == []


def test_activities_round_trip_with_all_fields(store):
    saved = store.add_activity(Activity(T0, BreakKind.LOGGED, minutes(20), "step-up", Intensity.STRENGTH, "stairs <b>"))
    other = store.add_activity(Activity(T0 + minutes(60), BreakKind.NATURAL, minutes(7)))
    assert store.activities_between(T0, T0 + minutes(120)) == [saved, other]
    assert store.activities_after_id(saved.id) == [other]
    assert store.last_activity_id() == other.id
    assert store.last_break_end() == T0 + minutes(67)


def test_an_activity_that_started_before_the_range_but_ends_inside_is_found(store):
    saved = store.add_activity(Activity(T0 - minutes(10), BreakKind.LOGGED, minutes(30), intensity=Intensity.MODERATE))
    assert store.activities_between(T0, T0 + minutes(60)) == [saved]


def test_reminders_round_trip(store):
    saved = store.add_reminder(Reminder(T0, ReminderOutcome.SNOOZED, sitting=minutes(45), snooze=minutes(10),
                                        exercise_id="glute-bridge"))
    assert store.reminders_between(T0, T0 + minutes(1)) == [saved]


def test_a_new_pause_ends_the_open_one_and_resume_ends_it(store):
    store.add_pause(Pause(T0, None, "cli"))
    second = store.add_pause(Pause(T0 + minutes(10), T0 + minutes(40), "tray"))
    assert store.active_pause(T0 + minutes(5)).end == T0 + minutes(10)
    assert store.active_pause(T0 + minutes(20)) == second
    assert store.active_pause(T0 + minutes(40)) is None
    assert store.end_pauses(T0 + minutes(30)) == 1
    assert store.active_pause(T0 + minutes(35)) is None
    assert len(store.pauses_between(T0, T0 + minutes(60))) == 2


def test_tracked_spans(store):
    tracked = store.save_tracked(TrackedSpan(T0, T0 + minutes(1)))
    store.save_tracked(TrackedSpan(T0, T0 + minutes(90), tracked.id))
    assert [(t.start, t.end) for t in store.tracked_between(T0, T0 + minutes(5))] == [(T0, T0 + minutes(90))]


def test_commands_are_taken_exactly_once(store, db_path):
    with Store(db_path) as cli_side:
        cli_side.enqueue_command("snooze", {"minutes": 15})
        cli_side.enqueue_command("skip")
    taken = store.take_commands()
    assert [(c.kind, c.payload) for c in taken] == [("snooze", {"minutes": 15}), ("skip", {})]
    assert store.take_commands() == []


def test_changed_elsewhere_sees_writes_from_another_connection_only(store, db_path):
    assert store.changed_elsewhere() is False
    store.add_activity(Activity(T0, BreakKind.LOGGED, minutes(5)))
    assert store.changed_elsewhere() is False
    with Store(db_path) as cli_side:
        cli_side.add_activity(Activity(T0, BreakKind.LOGGED, minutes(5)))
    assert store.changed_elsewhere() is True
    assert store.changed_elsewhere() is False


def test_state_snapshot(store):
    store.put_state("status", {"state": "sitting", "minutes": 3})
    value, updated = store.get_state("status")
    assert value == {"state": "sitting", "minutes": 3}
    assert updated == T0
    assert store.get_state("absent") is None


def test_a_history_from_a_newer_version_is_refused_and_left_untouched(db_path, store):
    store.close()
    raw = sqlite3.connect(db_path)
    raw.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', 'x')", (SCHEMA_VERSION + 1,))
    raw.commit()
    raw.close()
    before = db_path.read_bytes()
    with pytest.raises(MovebreakError) as raised:
        Store(db_path)
    assert "newer movebreak" in str(raised.value) and str(db_path) in str(raised.value)
    assert db_path.read_bytes() == before


def test_a_garbage_file_is_moved_aside_and_a_fresh_history_started(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not a database at all" * 100)
    with Store(db_path, now=lambda: T0) as fresh:
        assert fresh.recovered_from is not None
        assert fresh.recovered_from.name == "history.sqlite3.broken-20261123T080000Z"
        assert fresh.recovered_from.read_bytes().startswith(b"this is not a database")
        assert fresh.integrity_check() == "ok"
        assert fresh.schema_versions() == ALL_MIGRATIONS


def test_writes_from_another_process_are_visible_and_nothing_is_lost(db_path, store):
    script = (
        "import sys; from datetime import *; from movebreak.store import Store;"
        "from movebreak.records import *;"
        "s = Store(sys.argv[1]);"
        "[s.add_activity(Activity(datetime(2026,11,23,9,tzinfo=timezone.utc), BreakKind.LOGGED, timedelta(minutes=1)))"
        " for _ in range(200)]"
    )
    workers = [subprocess.Popen([sys.executable, "-c", script, str(db_path)]) for _ in range(2)]
    for tick in range(200):
        store.save_span(SittingSpan(T0, T0 + timedelta(seconds=tick)))
    assert all(worker.wait(timeout=60) == 0 for worker in workers)
    assert len(store.activities_between(T0, T0 + timedelta(hours=2))) == 400
    assert store.integrity_check() == "ok"


def test_naive_datetimes_never_reach_the_file(store):
    with pytest.raises(ValueError):
        store.spans_between(datetime(2026, 1, 1), datetime(2026, 1, 2))


def test_data_dir_and_file_modes_on_posix(db_path, store):
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    assert db_path.stat().st_mode & 0o077 == 0


def test_a_version_1_history_is_upgraded_and_keeps_its_records(db_path, store):
    kept = store.add_activity(Activity(T0, BreakKind.LOGGED, minutes(10), intensity=Intensity.MODERATE))
    store.close()
    raw = sqlite3.connect(db_path)
    raw.execute("DROP INDEX sitting_spans_open")
    raw.execute("DELETE FROM schema_migrations WHERE version = 2")
    raw.commit()
    raw.close()
    with Store(db_path) as upgraded:
        assert upgraded.schema_versions() == ALL_MIGRATIONS
        assert upgraded.activities_between(T0, T0 + minutes(60)) == [kept]
    raw = sqlite3.connect(db_path)
    plan = raw.execute("EXPLAIN QUERY PLAN SELECT id FROM sitting_spans WHERE closed = 0 ORDER BY end_utc DESC").fetchall()
    assert any("sitting_spans_open" in row[-1] for row in plan), plan


def test_a_version_3_history_learns_light_and_vigorous_and_keeps_every_activity(db_path):
    from movebreak.store.schema import MIGRATIONS

    db_path.parent.mkdir()
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_utc TEXT NOT NULL)")
    for version, name, step in MIGRATIONS[:3]:
        step(raw)
        raw.execute("INSERT INTO schema_migrations VALUES (?, ?, 'x')", (version, name))
    raw.execute("INSERT INTO activities (id, at_utc, kind, exercise_id, minutes, intensity, note, created_utc) "
                "VALUES (7, ?, 'logged', 'step-up', 2.5, 'strength', 'stairs at work', ?)",
                (T0.isoformat(), T0.isoformat()))
    with pytest.raises(sqlite3.IntegrityError):  # the old table refuses the new intensities
        raw.execute("INSERT INTO activities (at_utc, kind, minutes, intensity, created_utc) "
                    "VALUES ('x', 'logged', 1, 'vigorous', 'x')")
    raw.commit()
    raw.close()
    with Store(db_path) as upgraded:
        assert upgraded.schema_versions() == ALL_MIGRATIONS
        [kept] = upgraded.activities_between(T0, T0 + minutes(60))
        assert (kept.id, kept.exercise_id, kept.intensity, kept.note) == (7, "step-up", Intensity.STRENGTH, "stairs at work")
        assert kept.duration == timedelta(minutes=2.5)
        for intensity in (Intensity.LIGHT, Intensity.VIGOROUS):
            upgraded.add_activity(Activity(T0 + minutes(5), BreakKind.LOGGED, minutes(3), intensity=intensity))
        assert [a.intensity for a in upgraded.activities_between(T0, T0 + minutes(60))] == [
            Intensity.STRENGTH, Intensity.LIGHT, Intensity.VIGOROUS]
    plan = sqlite3.connect(db_path).execute("EXPLAIN QUERY PLAN SELECT id FROM activities WHERE at_utc > 'a'").fetchall()
    assert any("activities_at" in row[-1] for row in plan), plan


def test_a_transaction_inside_another_joins_it_and_an_error_rolls_back_both(store, db_path):
    span = store.save_span(SittingSpan(T0, T0 + minutes(1)))
    with store.transaction():
        store.save_span(SittingSpan(T0, T0 + minutes(2), span.id))
        store.put_state("status", {"n": 1})
        reader = sqlite3.connect(db_path)  # nothing is visible before the outer block commits
        assert reader.execute("SELECT COUNT(*) FROM app_state WHERE key = 'status'").fetchone() == (0,)
        reader.close()
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.save_span(SittingSpan(T0, T0 + minutes(3), span.id))
            store.put_state("status", {"n": 2})
            raise RuntimeError("the tick failed half-way")
    with Store(db_path) as other:
        assert other.open_span().end == T0 + minutes(2)
        assert other.get_state("status")[0] == {"n": 1}
    store.put_state("status", {"n": 3})  # the connection is usable after the rollback
    assert store.get_state("status")[0] == {"n": 3}
