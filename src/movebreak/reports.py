"""Load records from the history and hand them to the pure summary accounting."""

from __future__ import annotations

from datetime import datetime, time, tzinfo

from movebreak.store import Store


def summary_rules(settings, catalogue=None, language: str | None = None):
    """The counting rules from the user's settings (``AppSettings``) and exercise catalogue."""
    from movebreak.summary.accounting import SummaryRules
    from movebreak.summary.credit import ExerciseFacts

    exercises = catalogue.all() if catalogue is not None else ()
    return SummaryRules(
        day_starts_at=settings.day_starts_at,
        working_hours=settings.engine.working_hours,
        strength_day=settings.goals.strength_day,
        exercises={e.id: ExerciseFacts(e.met, frozenset(e.counts), tuple(e.muscles)) for e in exercises},
        names={e.id: e.name(language) for e in exercises},
    )


def week_summary(store: Store, week, tz: tzinfo, *, rules=None, now: datetime | None = None, weeks_back: int = 0):
    """The summary of ``week`` (an IsoWeek), with ``weeks_back`` earlier weeks for comparison,
    counted by ``rules`` (a SummaryRules; the defaults without one) as of ``now``."""
    from movebreak.summary.accounting import SummaryRules, build_history, build_week, history_range

    rules = rules or SummaryRules()
    start, end = history_range(week, tz, weeks_back=weeks_back, day_starts_at=rules.day_starts_at)
    records = dict(
        spans=store.spans_between(start, end),
        activities=store.activities_between(start, end),
        reminders=store.reminders_between(start, end),
        tracked=store.tracked_between(start, end),
        rules=rules,
        now=now,
    )
    if weeks_back == 0:
        return build_week(week, tz, **records)
    weeks = [week]
    for _ in range(weeks_back):
        weeks.insert(0, weeks[0].previous())
    return build_history(weeks, tz, **records)[-1]


def current_week(now: datetime, tz: tzinfo, day_starts_at: time = time(0)):
    """The ISO week of the local day that ``now`` falls on (days start at day_starts_at)."""
    from movebreak.engine.days import local_day
    from movebreak.summary.accounting import IsoWeek

    return IsoWeek.containing(local_day(now, tz, day_starts_at))


def this_week(store: Store, now: datetime, tz: tzinfo, *, rules=None, **options):
    """The summary of the week ``now`` falls in, as of ``now``; ``options`` as for week_summary."""
    day_starts_at = rules.day_starts_at if rules is not None else time(0)
    return week_summary(store, current_week(now, tz, day_starts_at), tz, rules=rules, now=now, **options)


def suggest_exercise(settings, catalogue, store: Store, now: datetime, tz: tzinfo, rng, *,
                     purpose: str = "reminder", recent=()):
    """What to do now: the pure chooser fed with the user's settings (``AppSettings``) and this
    week's strength days."""
    from movebreak.exercises.choice import choose_exercise

    summary = this_week(store, now, tz, rules=summary_rules(settings, catalogue))
    return choose_exercise(
        catalogue,
        rng,
        recent=recent,
        purpose=purpose,
        strength_days_this_week=summary.totals.strength_days,
        equipment=settings.exercises.equipment,
        allow_floor=settings.exercises.allow_floor,
        working_hours=settings.engine.working_hours.contains(now, tz),
    )
