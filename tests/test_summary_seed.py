"""A seeded history (Europe/Berlin) that the summary tests share, and checks on the seed.

Weeks 2026-W39..W47: W39/W40 and W45 hold no data, W41 misses the WHO goals, W42-W44
and W46 meet them (W43 is the week of the October DST change), W47 is the detailed
week of the screenshot: 35/150 WHO aerobic minutes, 1/2 strength days (50 strength minutes
on one day count toward the strength days, never toward the aerobic minutes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from movebreak.records import (
    Activity,
    BreakKind,
    Intensity,
    Reminder,
    ReminderOutcome,
    SittingSpan,
    TrackedSpan,
)
from movebreak.summary.accounting import IsoWeek, SummaryRules

BERLIN = ZoneInfo("Europe/Berlin")
W47 = IsoWeek(2026, 47)
SEEDED_WEEKS = [IsoWeek(2026, n) for n in range(39, 48)]
SCRIPT = "<script>alert(1)</script>"
EXERCISE_NAMES = {
    "march-in-place": "March in place",
    "squats": "Squats",
    "hip-circles": "Hip circles",
    "stairs": "Stairs",
    "yoga-flow": f"Yoga flow {SCRIPT}",
    "walk": "Brisk walk",
    "wall-push-ups": "Wall push-ups",
}


def at(day: date, hhmm: str, fold: int = 0) -> datetime:
    """A local Berlin wall-clock time as UTC."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    local = datetime.combine(day, time(hour, minute), tzinfo=BERLIN).replace(fold=fold)
    return local.astimezone(timezone.utc)


def minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


@dataclass
class History:
    spans: list[SittingSpan] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    tracked: list[TrackedSpan] = field(default_factory=list)

    def sit(self, day: date, start: str, end: str, end_day: date | None = None) -> None:
        self.spans.append(SittingSpan(at(day, start), at(end_day or day, end)))

    def track(self, day: date, start: str, end: str, end_day: date | None = None) -> None:
        self.tracked.append(TrackedSpan(at(day, start), at(end_day or day, end)))

    def act(self, day: date, start: str, kind: BreakKind, length: float, exercise: str | None = None,
            intensity: Intensity | None = None, note: str | None = None) -> None:
        self.activities.append(Activity(at(day, start), kind, minutes(length), exercise, intensity, note,
                                        id=len(self.activities) + 1))

    def remind(self, day: date, start: str, outcome: ReminderOutcome) -> None:
        self.reminders.append(Reminder(at(day, start), outcome, sitting=minutes(45)))

    def kwargs(self) -> dict:
        return {"spans": self.spans, "activities": self.activities, "reminders": self.reminders,
                "tracked": self.tracked, "rules": SummaryRules(names=EXERCISE_NAMES)}


def _plain_week(history: History, week: IsoWeek, *, walks: int, strength_days: int) -> None:
    """Mon-Fri 08:00-12:00 tracked, 3.5 h of it sitting; 50-min walks; 20-min strength."""
    monday, tuesday, wednesday, thursday, friday = week.dates()[:5]
    for day in (monday, tuesday, wednesday, thursday, friday):
        history.track(day, "08:00", "12:00")
        history.sit(day, "08:00", "10:00")
        history.sit(day, "10:30", "12:00")
    for day in (monday, wednesday, friday)[:walks]:
        history.act(day, "12:15", BreakKind.LOGGED, 50, "walk", Intensity.MODERATE)
    for day in (tuesday, thursday)[:strength_days]:
        history.act(day, "10:00", BreakKind.REMINDER, 20, "wall-push-ups", Intensity.STRENGTH)
        history.remind(day, "10:00", ReminderOutcome.TAKEN)


def _week_47(history: History) -> None:
    mon, tue, wed, thu, fri, sat, sun = W47.dates()
    # Monday: 425 of 540 min sitting (78.70 %, just under the baseline)
    history.track(mon, "08:00", "17:00")
    for start, end in (("08:00", "09:30"), ("09:40", "11:10"), ("11:15", "12:00"), ("13:00", "15:00"), ("15:10", "16:30")):
        history.sit(mon, start, end)
    history.act(mon, "09:30", BreakKind.REMINDER, 10, "march-in-place", Intensity.MODERATE)
    history.remind(mon, "09:30", ReminderOutcome.TAKEN)
    history.remind(mon, "11:10", ReminderOutcome.SNOOZED)
    history.act(mon, "12:00", BreakKind.NATURAL, 60)  # lunch away from the desk: no activity
    history.act(mon, "15:00", BreakKind.REMINDER, 10, "hip-circles", Intensity.MOBILITY)
    history.remind(mon, "15:00", ReminderOutcome.TAKEN)
    # Tuesday: sat through; two ignored, one skipped, two snoozed reminders
    history.track(tue, "08:30", "17:30")
    history.sit(tue, "08:30", "12:30")
    history.sit(tue, "13:30", "17:30")
    history.remind(tue, "09:15", ReminderOutcome.IGNORED)
    history.remind(tue, "09:25", ReminderOutcome.IGNORED)
    history.remind(tue, "10:00", ReminderOutcome.SKIPPED)
    history.remind(tue, "14:15", ReminderOutcome.SNOOZED)
    history.remind(tue, "14:25", ReminderOutcome.SNOOZED)
    # Wednesday: two strength sessions, one strength day
    history.track(wed, "08:00", "16:00")
    history.sit(wed, "08:00", "10:00")
    history.sit(wed, "10:20", "12:00")
    history.sit(wed, "13:00", "16:00")
    history.act(wed, "10:00", BreakKind.REMINDER, 20, "squats", Intensity.STRENGTH)
    history.remind(wed, "10:00", ReminderOutcome.TAKEN)
    history.act(wed, "18:30", BreakKind.LOGGED, 30, None, Intensity.STRENGTH, note=f"Leg day {SCRIPT}")
    # Thursday: touching and duplicate spans; a late session across midnight into Friday
    history.track(thu, "09:00", "13:00")
    history.sit(thu, "09:00", "11:00")
    history.sit(thu, "11:00", "12:30")
    history.sit(thu, "10:00", "10:30")  # a duplicate inside the span above
    history.track(thu, "21:30", "01:30", end_day=fri)
    history.sit(thu, "22:00", "01:30", end_day=fri)
    # logged on Thursday for Monday evening ("movebreak log --at 'Mon 18:00'")
    history.act(mon, "18:00", BreakKind.LOGGED, 15, "walk", Intensity.MODERATE)
    # Friday: a natural break (even with an intensity set) is no activity
    history.track(fri, "08:00", "12:00")
    history.sit(fri, "08:00", "09:00")
    history.sit(fri, "09:30", "10:30")
    history.act(fri, "09:00", BreakKind.NATURAL, 30, None, Intensity.MODERATE)
    history.act(fri, "10:30", BreakKind.REMINDER, 10, "stairs", Intensity.MODERATE)  # no Reminder record
    # Saturday: nothing. Sunday: mobility only
    history.act(sun, "11:00", BreakKind.LOGGED, 15, "yoga-flow", Intensity.MOBILITY)
    del sat


def seeded_history() -> History:
    history = History()
    _plain_week(history, IsoWeek(2026, 41), walks=1, strength_days=1)  # 50 min, 1 day: not met
    for number in (42, 43, 44, 46):
        _plain_week(history, IsoWeek(2026, number), walks=3, strength_days=2)  # 190 min, 2 days
    _week_47(history)
    return history


# ----------------------------------------------------------------- checks on the seed


def test_seed_records_are_utc_and_inside_the_seeded_weeks():
    history = seeded_history()
    first = SEEDED_WEEKS[0].days(BERLIN)[0].start
    last = SEEDED_WEEKS[-1].days(BERLIN)[-1].end
    moments = [s.start for s in history.spans] + [a.at for a in history.activities] + [r.at for r in history.reminders]
    assert all(moment.tzinfo is timezone.utc for moment in moments)
    assert all(first <= moment < last for moment in moments)


def test_seed_dst_week_is_the_october_change():
    sunday = IsoWeek(2026, 43).dates()[-1]
    assert sunday == date(2026, 10, 25)
    assert at(sunday, "02:30", fold=0) - at(sunday, "02:30", fold=1) == -timedelta(hours=1)
