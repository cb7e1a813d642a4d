#!/usr/bin/env python3
"""History at scale: ten years of synthetic history, and how fast the summary and status stay.

    python bench/history_scale.py                  # build (once, cached) and measure
    python bench/history_scale.py --years 10 --repeat 15 --rebuild

Builds ``bench/results/history-<years>y/`` (a MOVEBREAK_HOME) through ``Store``: each
workday (Mon–Fri) of the last ``--years`` years gets ~20 sitting spans, ~8 reminders,
~6 breaks and one tracked span, written with ``executemany`` in one transaction. Then it
measures, as medians of ``--repeat`` runs:

- the database size;
- ``reports.week_summary`` for the current week and for a week five years back, with
  ``weeks_back=0`` and ``weeks_back=7`` (what ``movebreak summary`` asks for) — target ≤ 50 ms;
- ``render_html`` of that summary — target ≤ 200 ms;
- ``movebreak status`` end to end, a subprocess with ``MOVEBREAK_HOME`` at the big history
  — target ≤ 150 ms (and ``python -c pass`` for the interpreter's own share);
- each history query's SQLite plan (``EXPLAIN QUERY PLAN``), so indexes are chosen by numbers.

``--extra-index 'CREATE INDEX …'`` (repeatable) adds indexes to the built file before measuring,
to compare a proposed schema change with the current one. JSON goes to ``bench/results/``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, time as dtime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
sys.path.insert(0, str(REPO / "src"))

from movebreak.store import Store, to_db  # noqa: E402

TZ = ZoneInfo("Europe/Berlin")
EXERCISES = ["wall-push-ups", "chair-squats", "hip-circles", "calf-raises", "stairs-walk", "desk-stretch"]


def build(home: Path, years: int, seed: int = 9) -> dict:
    """Write the synthetic history into ``home``'s history file; returns row counts."""
    rng = random.Random(seed)
    data = home / "data"
    data.mkdir(parents=True, exist_ok=True)
    db_path = data / "history.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    today = datetime.now(TZ).date()
    first = today - timedelta(days=round(365.25 * years))
    spans, tracked, activities, reminders = [], [], [], []
    day = first
    while day <= today:
        if day.weekday() < 5:
            start = datetime.combine(day, dtime(8, rng.randint(0, 59)), TZ)
            end_of_day = datetime.combine(day, dtime(17, rng.randint(0, 59)), TZ)
            tracked.append((to_db(start), to_db(end_of_day)))
            moment = start
            n_spans = rng.randint(18, 22)
            gap_total = (end_of_day - start) / n_spans
            for index in range(n_spans):
                length = gap_total * rng.uniform(0.6, 0.9)
                span_end = min(moment + length, end_of_day)
                spans.append((to_db(moment), to_db(span_end), 1))
                if index % 3 == 0 and len([r for r in reminders[-8:] if r[0][:10] == str(day)]) < 8:
                    outcome = rng.choice(["taken", "taken", "snoozed", "skipped", "ignored"])
                    reminders.append((to_db(span_end), outcome, round(length.total_seconds() / 60, 1),
                                      10.0 if outcome == "snoozed" else None, rng.choice(EXERCISES)))
                moment = span_end + (gap_total - length)
            for _ in range(rng.randint(5, 7)):
                at = datetime.combine(day, dtime(rng.randint(8, 17), rng.randint(0, 59)), TZ)
                kind = rng.choice(["reminder-break", "natural", "logged"])
                exercise = rng.choice(EXERCISES) if kind != "natural" else None
                intensity = rng.choice(["moderate", "strength", "mobility"]) if exercise else None
                activities.append((to_db(at), kind, exercise, float(rng.randint(2, 15)), intensity, None, to_db(at)))
        day += timedelta(days=1)
    started = time.perf_counter()
    store = Store(db_path)
    with store.transaction() as db:
        db.executemany("INSERT INTO sitting_spans (start_utc, end_utc, closed) VALUES (?, ?, ?)", spans)
        db.executemany("INSERT INTO tracked_spans (start_utc, end_utc) VALUES (?, ?)", tracked)
        db.executemany("INSERT INTO activities (at_utc, kind, exercise_id, minutes, intensity, note, created_utc)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)", activities)
        db.executemany("INSERT INTO reminders (at_utc, outcome, sitting_minutes, snooze_minutes, exercise_id)"
                       " VALUES (?, ?, ?, ?, ?)", reminders)
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return {"days": (today - first).days, "sitting_spans": len(spans), "tracked_spans": len(tracked),
            "activities": len(activities), "reminders": len(reminders),
            "build_s": round(time.perf_counter() - started, 2)}


def timed(call, repeat: int) -> float:
    """Median wall milliseconds of ``call()``."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(times), 2)


def measure(home: Path, repeat: int) -> dict:
    from movebreak.exercises.catalogue import load_catalogue
    from movebreak.reports import current_week, summary_rules, week_summary
    from movebreak.settings import AppSettings
    from movebreak.summary import render_html

    db_path = home / "data" / "history.sqlite3"
    store = Store(db_path)
    now = datetime.now(timezone.utc)
    # what `movebreak summary` counts with: default working hours, the shipped catalogue's MET
    rules = summary_rules(AppSettings(), load_catalogue(None)[0], "en")
    this_week = current_week(now, TZ)
    old_week = current_week(now - timedelta(days=5 * 365), TZ)
    out: dict = {"db_mb": round(db_path.stat().st_size / 1e6, 2)}
    for label, week in (("current_week", this_week), ("week_5y_ago", old_week)):
        for back in (0, 7):
            key = f"week_summary_{label}_back{back}_ms"
            out[key] = timed(lambda: week_summary(store, week, TZ, rules=rules, now=now, weeks_back=back), repeat)
        summary = week_summary(store, week, TZ, rules=rules, now=now, weeks_back=7)
        out[f"render_html_{label}_ms"] = timed(lambda: render_html(summary), repeat)
        out[f"summary_and_html_{label}_ms"] = timed(
            lambda: render_html(week_summary(store, week, TZ, rules=rules, now=now, weeks_back=7)), repeat)
    plans = {}
    lo, hi = to_db(now - timedelta(days=60)), to_db(now)
    for name, sql in {
        "spans_between": "SELECT id, start_utc, end_utc FROM sitting_spans WHERE end_utc > ? AND start_utc < ? ORDER BY start_utc",
        "tracked_between": "SELECT id, start_utc, end_utc FROM tracked_spans WHERE end_utc > ? AND start_utc < ? ORDER BY start_utc",
        "activities_between": "SELECT id, at_utc, kind, exercise_id, minutes, intensity, note FROM activities WHERE at_utc >= ? AND at_utc < ? ORDER BY at_utc, id",
        "reminders_between": "SELECT id, at_utc, outcome, sitting_minutes, snooze_minutes, exercise_id FROM reminders WHERE at_utc >= ? AND at_utc < ? ORDER BY at_utc, id",
        "open_span": "SELECT id, start_utc, end_utc FROM sitting_spans WHERE closed = 0 ORDER BY end_utc DESC LIMIT 1",
        "last_break_end": "SELECT at_utc, minutes FROM activities ORDER BY at_utc DESC LIMIT 20",
        "active_pause": "SELECT id, start_utc, end_utc, reason FROM pauses WHERE start_utc <= ? AND (end_utc IS NULL OR end_utc > ?) ORDER BY start_utc DESC LIMIT 1",
    }.items():
        params = () if "?" not in sql else (lo, hi)
        plans[name] = {
            "plan": " / ".join(row[3] for row in store._db.execute(f"EXPLAIN QUERY PLAN {sql}", params)),
            "ms": timed(lambda: store._db.execute(sql, params).fetchall(), repeat),
        }
        old_lo = to_db(now - timedelta(days=5 * 365 + 60))
        old_hi = to_db(now - timedelta(days=5 * 365))
        if params:
            plans[name]["ms_5y_ago"] = timed(lambda: store._db.execute(sql, (old_lo, old_hi)).fetchall(), repeat)
    out["queries"] = plans
    store.close()

    python = str(REPO / ".venv/bin/python") if (REPO / ".venv/bin/python").exists() else sys.executable
    env = {**os.environ, "MOVEBREAK_HOME": str(home), "PYTHONPATH": str(REPO / "src")}
    env.pop("DISPLAY", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app starts from bytecode
    subprocess.run([python, "-m", "compileall", "-q", str(REPO / "src")], env=env, timeout=300, check=False)

    def run(argv):
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"{argv} failed: {done.stderr.strip()[:300]}")

    run([python, "-m", "movebreak", "status"])  # warm the page cache and bytecode
    out["status_ms"] = timed(lambda: run([python, "-m", "movebreak", "status"]), repeat)
    out["status_json_ms"] = timed(lambda: run([python, "-m", "movebreak", "status", "--json"]), repeat)
    out["python_startup_ms"] = timed(lambda: run([python, "-c", "pass"]), repeat)
    out["python_import_site_ms"] = timed(lambda: run([python, "-c", "import movebreak.cli"]), repeat)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=11, help="runs per figure; medians are shown (11)")
    parser.add_argument("--rebuild", action="store_true", help="build the history again even if cached")
    parser.add_argument("--extra-index", action="append", default=[], metavar="SQL",
                        help="CREATE INDEX statement to add before measuring (repeatable)")
    parser.add_argument("--out", type=Path, help="JSON file (default bench/results/history-scale-<time>.json)")
    args = parser.parse_args(argv)

    home = RESULTS / f"history-{args.years}y"
    counts_file = home / "counts.json"
    if args.rebuild or not counts_file.exists() or args.extra_index:
        if args.extra_index:
            home = RESULTS / f"history-{args.years}y-indexed"
        shutil.rmtree(home, ignore_errors=True)
        counts = build(home, args.years)
        counts_file = home / "counts.json"
        counts_file.write_text(json.dumps(counts))
    counts = json.loads(counts_file.read_text())
    if args.extra_index:
        store = Store(home / "data" / "history.sqlite3")
        with store.transaction() as db:
            for statement in args.extra_index:
                db.execute(statement)
        store.close()
    print(f"history: {counts}", flush=True)
    result = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "years": args.years,
              "counts": counts, "extra_indexes": args.extra_index, **measure(home, args.repeat)}
    targets = {
        "week_summary ≤ 50 ms": max(v for k, v in result.items() if k.startswith("week_summary_")) <= 50,
        "render_html ≤ 200 ms": max(v for k, v in result.items() if k.startswith("render_html_")) <= 200,
        "movebreak status ≤ 150 ms": result["status_ms"] <= 150,
    }
    result["targets_met"] = targets
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = args.out or RESULTS / f"history-scale-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%SZ')}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    for key, value in result.items():
        if key not in ("queries", "counts"):
            print(f"{key}: {value}")
    for name, query in result["queries"].items():
        print(f"  {name}: {query}")
    print(f"JSON in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
