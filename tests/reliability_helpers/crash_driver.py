"""Kill a real AppCore + Store process with SIGKILL, again and again, and check the history.

Usage: python crash_driver.py DB_PATH KILLS SEED

The parent imports everything once, then forks a child per cycle. The child builds a real
``Store`` and ``AppCore`` on the system clock (an always-present idle probe) and hammers
tick / log_break / snooze, printing each acknowledgement to a pipe only after the call
returned, i.e. after its transaction committed. The parent SIGKILLs it at a random moment,
then checks with a separate connection: every acknowledged break is there, the acknowledged
snoozes are there, ``PRAGMA integrity_check`` is ok, and the newest stored sitting/break end
is not before the last acknowledged tick. Prints one JSON line with the counts.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import sys
import time
from datetime import datetime, timedelta, timezone

from movebreak import config as config_module
from movebreak.clock import SystemClock
from movebreak.errors import MovebreakError
from movebreak.exercises.catalogue import load_catalogue
from movebreak.running.core import AppCore
from movebreak.store import Store

UTC = timezone.utc
POLL = timedelta(milliseconds=20)


class Present:
    name = "always-present"
    problem = None

    def idle(self) -> timedelta:
        return timedelta(0)

    def locked(self) -> bool:
        return False


class Quiet:
    name = "counting"

    def send(self, title: str, body: str, *, timeout: timedelta) -> bool:
        return True

    def check(self):
        return None


def fast_config() -> config_module.Config:
    values = dict(config_module.defaults().values)
    values.update({
        "reminders.remind_after": timedelta(milliseconds=300),
        "reminders.repeat_after": timedelta(milliseconds=300),
        "reminders.snooze_limit": 20,
        "reminders.wait_for_pause": timedelta(0),  # always typing: a due reminder goes out at once
        "tracking.poll_every": POLL,
        "working_hours.always": True,
    })
    return config_module.Config(values)


def child(path: str, fd: int, seed: int, catalogue) -> None:  # pragma: no cover - killed
    rng = random.Random(seed)
    out = os.fdopen(fd, "w", buffering=1)
    store = Store(path)
    core = AppCore(settings=fast_config().app_settings(), store=store, clock=SystemClock(), tz=UTC, probe=Present(),
                   notifier=Quiet(), catalogue=catalogue, language="en", rng=rng)
    while True:
        before = datetime.now(UTC)
        core.tick()
        out.write(f"T {before.isoformat()}\n")
        roll = rng.random()
        if roll < 0.06:
            saved = core.log_break(minutes=0.001)
            out.write(f"B {saved.id}\n")
        elif roll < 0.5 and core.current_reminder is not None:
            try:
                core.snooze(0.005)
                out.write("S\n")
            except MovebreakError:
                pass
        time.sleep(rng.uniform(0, POLL.total_seconds() / 2))


def check(path: str, acked_breaks: set[int], acked_snoozes: int, last_tick: datetime | None) -> dict:
    db = sqlite3.connect(path, timeout=15)
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        ids = {row[0] for row in db.execute("SELECT id FROM activities")}
        snoozed = db.execute("SELECT COUNT(*) FROM reminders WHERE outcome = 'snoozed'").fetchone()[0]
        ends = [datetime.fromisoformat(row[0]) for row in db.execute("SELECT MAX(end_utc) FROM sitting_spans")
                if row[0]]
        ends += [datetime.fromisoformat(at) + timedelta(minutes=minutes)
                 for at, minutes in db.execute("SELECT at_utc, minutes FROM activities ORDER BY id DESC LIMIT 1")]
        negative = db.execute("SELECT COUNT(*) FROM sitting_spans WHERE end_utc < start_utc").fetchone()[0]
    finally:
        db.close()
    newest = max(ends, default=None)
    lag = (last_tick - newest).total_seconds() if last_tick and newest else 0.0
    return {"integrity": integrity, "missing": sorted(acked_breaks - ids), "snoozed_rows": snoozed,
            "acked_snoozes": acked_snoozes, "lag": lag, "negative": negative}


def main() -> int:
    path, kills, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    catalogue, _problems = load_catalogue(None)
    acked_breaks: set[int] = set()
    acked_snoozes = 0
    worst_lag = 0.0
    failures: list[str] = []
    killed_mid_run = 0
    started = time.monotonic()
    for cycle in range(kills):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child never returns
            os.close(read_fd)
            try:
                child(path, write_fd, seed * 1000 + cycle, catalogue)
            finally:
                os._exit(3)
        os.close(write_fd)
        time.sleep(rng.uniform(0.03, 0.25))
        os.kill(pid, signal.SIGKILL)
        _pid, status = os.waitpid(pid, 0)
        killed_mid_run += os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        with os.fdopen(read_fd) as pipe:
            text = pipe.read()
        last_tick = None
        for line in text.splitlines():
            if not line.endswith(tuple("0123456789S")):  # a line cut by the kill
                continue
            kind, _sep, value = line.partition(" ")
            if kind == "T":
                last_tick = datetime.fromisoformat(value)
            elif kind == "B" and value != "None":
                acked_breaks.add(int(value))
            elif kind == "S":
                acked_snoozes += 1
        result = check(path, acked_breaks, acked_snoozes, last_tick)
        worst_lag = max(worst_lag, result["lag"])
        if result["integrity"] != "ok":
            failures.append(f"cycle {cycle}: integrity {result['integrity']}")
        if result["missing"]:
            failures.append(f"cycle {cycle}: acknowledged breaks missing {result['missing']}")
        if result["snoozed_rows"] < acked_snoozes:
            failures.append(f"cycle {cycle}: {acked_snoozes} snoozes acknowledged, {result['snoozed_rows']} stored")
        if result["lag"] > POLL.total_seconds():  # more than one tick of sitting lost
            failures.append(f"cycle {cycle}: stored sitting ends {result['lag']:.3f} s before the last acked tick")
        if result["negative"]:
            failures.append(f"cycle {cycle}: a span ends before it starts")
    print(json.dumps({"kills": kills, "killed_by_sigkill": killed_mid_run, "breaks": len(acked_breaks),
                      "snoozes": acked_snoozes, "worst_lag_s": worst_lag, "failures": failures[:20],
                      "seconds": round(time.monotonic() - started, 1)}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
