"""1,000 breaks logged from other processes while the app ticks every 100 ms: nothing lost or locked."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta, timezone

from movebreak import config as config_module
from movebreak.clock import SystemClock
from movebreak.exercises.catalogue import load_catalogue
from movebreak.running.core import AppCore
from movebreak.store import Store
from test_app_core import RecordingNotifier
from test_run_terminal import headless_env

WORKERS, PER_WORKER, CLI_CALLS = 4, 245, 20  # 4 x 245 + 20 = 1,000

WORKER = """
import sys
import time
from datetime import datetime, timedelta, timezone
from movebreak.records import Activity, BreakKind
from movebreak.store import Store
path, n, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with Store(path) as store:
    for i in range(n):
        store.add_activity(Activity(datetime.now(timezone.utc) - timedelta(minutes=1), BreakKind.LOGGED,
                                    timedelta(minutes=1), note=f"{tag}-{i}"))
        time.sleep(0.004)  # a burst, yet leaves room for others: SQLite's busy wait is not fair
print("done", n)
"""


class Present:
    name = "present"
    problem = None

    def idle(self) -> timedelta:
        return timedelta(0)

    def locked(self) -> bool:
        return False


def test_1000_breaks_from_workers_and_the_cli_while_the_app_ticks_every_100_ms(tmp_path):
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    database = home / "data" / "history.sqlite3"
    database.parent.mkdir(parents=True)
    values = dict(config_module.defaults().values)
    values.update({"tracking.poll_every": timedelta(milliseconds=100), "working_hours.always": True,
                   "reminders.remind_after": timedelta(seconds=2), "reminders.repeat_after": timedelta(seconds=2)})
    store = Store(database)
    catalogue, _problems = load_catalogue(None)
    core = AppCore(settings=config_module.Config(values).app_settings(), store=store, clock=SystemClock(), tz=timezone.utc,
                   probe=Present(), notifier=RecordingNotifier(), catalogue=catalogue, language="en",
                   rng=random.Random(1))
    tick_errors: list[BaseException] = []
    ticks = 0
    longest: list[float] = []
    stop = threading.Event()

    def ticking() -> None:
        nonlocal ticks
        while not stop.is_set():
            try:
                began = time.monotonic()
                core.tick()
                longest.append(time.monotonic() - began)
                ticks += 1
            except BaseException as error:  # noqa: BLE001 - the test reports it
                tick_errors.append(error)
            stop.wait(0.1)

    ticker = threading.Thread(target=ticking)
    ticker.start()
    started = time.monotonic()
    try:
        workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(database), str(PER_WORKER), f"w{n}"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for n in range(WORKERS)]

        def cli_log(n: int) -> subprocess.CompletedProcess:
            return subprocess.run([sys.executable, "-m", "movebreak", "log", "--minutes", "1", "--note", f"cli-{n}"],
                                  env=headless_env(home), capture_output=True, text=True, timeout=60)

        with ThreadPoolExecutor(max_workers=2) as pool:
            cli_results = list(pool.map(cli_log, range(CLI_CALLS)))
        worker_results = [(w.wait(timeout=120), *w.communicate()) for w in workers]
        written = time.monotonic() - started
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and core.outside.last_activity_id < 1000:
            time.sleep(0.1)  # the app takes in what the others wrote
    finally:
        stop.set()
        ticker.join(timeout=30)
    elapsed = time.monotonic() - started
    core.shutdown()
    store.close()

    for code, out, err in worker_results:
        assert code == 0 and "locked" not in err and out.startswith("done"), err
    for result in cli_results:
        assert result.returncode == 0, result.stderr
        assert "locked" not in result.stderr + result.stdout and "Traceback" not in result.stderr
    assert tick_errors == []
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        notes = [row[0] for row in db.execute("SELECT note FROM activities WHERE note IS NOT NULL")]
    expected = {f"w{n}-{i}" for n in range(WORKERS) for i in range(PER_WORKER)} | {f"cli-{n}" for n in range(CLI_CALLS)}
    assert len(notes) == 1000 and set(notes) == expected  # exact: nothing lost, nothing doubled
    with sqlite3.connect(database) as db:
        newest = db.execute("SELECT MAX(id) FROM activities").fetchone()[0]
    assert core.outside.last_activity_id == newest  # the app saw every break the others wrote
    assert ticks >= 5
    print(f"1000 breaks written in {written:.1f} s, all taken in by the app after {elapsed:.1f} s; the app ticked {ticks} times, longest tick {max(longest):.2f} s")
