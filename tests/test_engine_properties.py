"""Property: whatever the samples (work, idle, locks, suspends, clock jumps, user actions), the
engine never records a negative duration or overlapping spans, never counts more sitting than
monotonic time passed, and gives every reminder at most one outcome."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from movebreak.engine.events import AwayDetected, BreakLogged, NaturalBreak, ReminderDue, ReminderResolved, SpanHeartbeat
from movebreak.engine.settings import EngineSettings
from movebreak.errors import MovebreakError
from movebreak.records import Activity, BreakKind
from test_engine_sim import ALWAYS, Desk, local

seconds = st.integers(min_value=1, max_value=3 * 3600)
step = st.one_of(
    st.tuples(st.just("work"), seconds),
    st.tuples(st.just("rest"), seconds),
    st.tuples(st.just("lock"), seconds),
    st.tuples(st.just("suspend"), st.integers(min_value=1, max_value=2 * 86400)),
    st.tuples(st.just("jump"), st.integers(min_value=-2 * 86400, max_value=2 * 86400)),
    st.tuples(st.just("snooze"), st.integers(min_value=0, max_value=3600)),
    st.tuples(st.just("skip"), st.just(0)),
    st.tuples(st.just("pause"), st.integers(min_value=0, max_value=7200)),
    st.tuples(st.just("resume"), st.just(0)),
    st.tuples(st.just("log"), st.integers(min_value=-3600, max_value=3600)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(step, max_size=25),
    boottime=st.booleans(),
    idle_known=st.booleans(),
    tick_seconds=st.sampled_from([7, 10, 60]),
)
def test_random_days_keep_the_books_straight(steps, boottime, idle_known, tick_seconds):
    desk = Desk(
        local("2024-10-26", "22:00"),
        EngineSettings(working_hours=ALWAYS, snooze_limit=2),
        boottime=boottime,
        idle_known=idle_known,
        step=timedelta(seconds=tick_seconds),
    )
    mono_start = desk.clock.mono
    for kind, value in steps:
        try:
            if kind == "work":
                desk.work(timedelta(seconds=value))
            elif kind == "rest":
                desk.rest(timedelta(seconds=value))
            elif kind == "lock":
                desk.locked = True
                desk.rest(timedelta(seconds=value))
                desk.locked = False
            elif kind == "suspend":
                desk.suspend(timedelta(seconds=value))
            elif kind == "jump":
                desk.jump(timedelta(seconds=value))
            elif kind == "snooze":
                desk.act("snooze", timedelta(seconds=value) if value else None)
            elif kind == "skip":
                desk.act("skip")
            elif kind == "pause":
                desk.act("pause", desk.now + timedelta(seconds=value) if value else None)
            elif kind == "resume":
                desk.act("resume")
            else:
                activity = Activity(desk.now + timedelta(seconds=value), BreakKind.LOGGED, timedelta(seconds=abs(value)))
                desk.events += desk.engine.log_break(activity)
        except MovebreakError:
            pass  # answering a reminder that is not there, a pause in the past: refused, nothing changes
    desk.tick()

    spans = desk.spans()
    elapsed = timedelta(seconds=desk.clock.mono - mono_start)
    slack = timedelta(microseconds=desk.ticks + 1)  # float seconds -> microseconds rounding
    sitting = sum((end - start for start, end in spans), timedelta(0))
    assert all(end >= start for start, end in spans)
    assert all(e.span.end >= e.span.start for e in desk.of(SpanHeartbeat))
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert start >= end, "spans overlap"
    assert sitting <= elapsed + slack
    status = desk.engine.status(desk.now)
    assert timedelta(0) <= status.continuous_sitting <= sitting + slack
    assert timedelta(0) <= status.sitting_today <= sitting + slack
    assert all(e.activity.duration >= timedelta(0) for e in desk.of(NaturalBreak) + desk.of(BreakLogged))
    assert all(e.end >= e.start for e in desk.of(AwayDetected))
    # breaks never overlap a span
    for e in desk.of(NaturalBreak):
        for start, end in spans:
            assert e.activity.end <= start or e.activity.at >= end or start == end
    # each reminder sent once, resolved at most once, and only the last may still be open
    sent = [e.at for e in desk.of(ReminderDue)]
    resolved = Counter(e.reminder.at for e in desk.of(ReminderResolved))
    assert len(set(sent)) == len(sent)
    assert set(resolved) <= set(sent)
    assert all(n == 1 for n in resolved.values())
    assert [at for at in sent if at not in resolved] in ([], sent[-1:])
    assert (status.reminder_at is not None) is (len(resolved) < len(sent))
    deadline = desk.engine.next_deadline()
    assert deadline is None or deadline.tzinfo is not None
