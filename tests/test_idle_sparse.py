"""SparseIdle: the probe is asked only when its answer could change the engine's decision."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from movebreak.idle.sparse import SparseIdle

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
FIVE_MIN = timedelta(minutes=5)


class CountingProbe:
    """Idle time from a scripted last input; counts the questions."""

    def __init__(self) -> None:
        self.last_input = 0.0
        self.now = 0.0
        self.calls = 0

    def idle(self) -> timedelta:
        self.calls += 1
        return timedelta(seconds=self.now - self.last_input)


def drive(sparse: SparseIdle, probe: CountingProbe, seconds: int, *, typing: bool, step: int = 10):
    """Ticks every ``step`` s; returns what the engine would have been told at each tick."""
    told = []
    for _ in range(seconds // step):
        probe.now += step
        if typing:
            probe.last_input = probe.now - 1
        told.append((probe.now, sparse.idle(T0 + timedelta(seconds=probe.now), probe.now)))
    return told


def test_while_typing_the_probe_is_asked_about_once_a_minute_not_every_tick():
    probe = CountingProbe()
    sparse = SparseIdle(probe, threshold=FIVE_MIN)
    told = drive(sparse, probe, 3600, typing=True)
    assert len(told) == 360
    assert 55 <= probe.calls <= 61  # 360 ticks, one real reading a minute
    assert sparse.asked == probe.calls
    # every answer is a real reading (1 s, the last input a second before it): "present", as the truth
    assert {idle for _now, idle in told} == {timedelta(seconds=1)}


def test_the_decision_is_the_same_as_asking_every_tick_when_the_user_walks_away():
    probe = CountingProbe()
    sparse = SparseIdle(probe, threshold=FIVE_MIN)
    drive(sparse, probe, 600, typing=True)
    left_at = probe.now - 1
    told = drive(sparse, probe, 900, typing=False)
    absent = [now for now, idle in told if idle >= FIVE_MIN]
    truly_absent = [now for now, _idle in told if now - left_at >= FIVE_MIN.total_seconds()]
    assert absent == truly_absent  # the first tick at or past the threshold sees it, exactly
    # while away every tick asks (to see the user come back at once)
    calls = probe.calls
    drive(sparse, probe, 60, typing=False)
    assert probe.calls == calls + 6
    told = drive(sparse, probe, 10, typing=True)
    assert told[0][1] == timedelta(seconds=1)  # back: a real reading


def test_a_suspend_or_clock_jump_makes_it_ask_again():
    probe = CountingProbe()
    sparse = SparseIdle(probe, threshold=FIVE_MIN)
    drive(sparse, probe, 20, typing=True)
    calls = probe.calls
    # wall clock moved 2 h, monotonic 10 s (a suspend): ask
    probe.now += 10
    sparse.idle(T0 + timedelta(seconds=probe.now, hours=2), probe.now)
    assert probe.calls == calls + 1
    # monotonic went backwards (a new boot's clock): ask
    sparse.idle(T0 + timedelta(seconds=probe.now, hours=2), probe.now - 100)
    assert probe.calls == calls + 2


def test_an_unknown_idle_time_is_asked_every_time_and_passed_on():
    class Unknown:
        calls = 0

        def idle(self):
            self.calls += 1
            return None

    probe = Unknown()
    sparse = SparseIdle(probe, threshold=FIVE_MIN)
    for second in range(0, 50, 10):
        assert sparse.idle(T0 + timedelta(seconds=second), float(second)) is None
    assert probe.calls == 5 and sparse.measured is None
