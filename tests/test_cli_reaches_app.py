"""Issue 17, item 6: `log`, `snooze`, `pause` and `resume` take effect in the running app within
1 s, though it polls only once a minute: the CLI writes the history (the source of truth) and
then nudges the app (SIGUSR1, announced in the app's status snapshot; see usecases/history.py).

The real app in terminal mode and the real CLI, each a process; "within 1 s" is the time from
the command's exit to the app's own status snapshot showing the change."""

from __future__ import annotations

import json
import time

from test_honest_answers import _wait_for_snapshot, make_home
from test_run_terminal import App, run_cli

ONE_MINUTE_POLL = (
    '[reminders]\nremind_after = "10s"\nrepeat_after = "30m"\nwait_for_pause = "0s"\n'
    '[tracking]\npoll_every = "60s"\nnatural_break_after = "30m"\n'
    "[working_hours]\nalways = true\n[notifications]\nenabled = false\n"
)


def _state_within(home, wanted: str, seconds: float = 1.0) -> float:
    """How long after now the app's own snapshot says ``wanted`` (fails after ``seconds``)."""
    began = time.monotonic()
    while True:
        data = json.loads(run_cli(home, "status", "--json").stdout)
        if data["state"] == wanted and data["updated_at"]:
            return time.monotonic() - began
        assert time.monotonic() - began < seconds, f"still {data['state']!r}, not {wanted!r}"


def test_log_snooze_pause_and_resume_reach_the_app_within_a_second(tmp_path):
    home = make_home(tmp_path, ONE_MINUTE_POLL)
    app = App(home, "--no-tray")
    try:
        _wait_for_snapshot(home)
        app.wait_for("sitting — time to move", timeout=20)
        assert run_cli(home, "snooze", "5").returncode == 0  # answered by the app: already there
        assert json.loads(run_cli(home, "status", "--json").stdout)["state"] == "snoozed"
        assert run_cli(home, "pause", "1h").returncode == 0
        _state_within(home, "paused")
        assert run_cli(home, "resume").returncode == 0
        _state_within(home, "sitting")  # the pause ended the snooze too
        _state_within(home, "reminding", seconds=20)  # 10 s of sitting later: reminded again
        assert run_cli(home, "log", "--minutes", "3").returncode == 0
        _state_within(home, "sitting")  # the break answered the reminder
    finally:
        app.interrupt()
