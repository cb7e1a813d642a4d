"""What an activity is worth toward the WHO week, and which activity gets each instant.

WHO (Bull et al. 2020, Br J Sports Med) counts aerobic activity by intensity: a moderate
minute (3 to < 6 MET) is one minute, a vigorous one (>= 6 MET) counts twice, and light
activity (< 3 MET) not at all. Muscle strengthening is counted *on top of* that, by days,
and never as aerobic minutes. Mobility and stretching are shown, never counted.

An exercise from the catalogue is credited by its facts (MET and what it counts as: an
exercise such as stair climbing can be aerobic and strengthening at once, then its MET
decides the aerobic part). An activity without a known exercise is credited by the
intensity it was logged with. A natural break (time away from the desk) is never activity.

Where activities overlap, each instant goes to the one credited highest (vigorous, then
moderate, then strength, mobility, light), so the same minute is never counted twice; an
activity that ends after ``now`` counts only up to ``now``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from movebreak.records import Activity, BreakKind, Intensity, intensity_of_met
from movebreak.summary.timeline import Range



@dataclass(frozen=True)
class ExerciseFacts:
    """What the summary needs to know about one catalogue exercise."""

    met: float
    counts: frozenset[str]  # "aerobic", "strength", "mobility"
    muscles: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class Credit:
    """What one instant of an activity counts as. Ordered: the higher credit wins an overlap."""

    aerobic_weight: int = 0  # 2 vigorous, 1 moderate, 0 none or light
    strength: bool = False
    mobility: bool = False
    light: bool = False

    @property
    def aerobic(self) -> Intensity | None:
        if self.aerobic_weight == 2:
            return Intensity.VIGOROUS
        if self.aerobic_weight == 1:
            return Intensity.MODERATE
        return Intensity.LIGHT if self.light else None

    @property
    def counts(self) -> bool:
        return self != NOTHING


NOTHING = Credit()


aerobic_class = intensity_of_met  # light / moderate / vigorous by MET: one rule, in records.py


def _aerobic(intensity: Intensity) -> Credit:
    if intensity is Intensity.VIGOROUS:
        return Credit(aerobic_weight=2)
    if intensity is Intensity.MODERATE:
        return Credit(aerobic_weight=1)
    return Credit(light=True)


_BY_INTENSITY = {
    Intensity.LIGHT: Credit(light=True),
    Intensity.MODERATE: Credit(aerobic_weight=1),
    Intensity.VIGOROUS: Credit(aerobic_weight=2),
    Intensity.STRENGTH: Credit(strength=True),
    Intensity.MOBILITY: Credit(mobility=True),
}


def credit_of(activity: Activity, facts: Mapping[str, ExerciseFacts]) -> Credit:
    """What ``activity`` counts as, per instant."""
    if activity.kind is BreakKind.NATURAL:
        return NOTHING
    known = facts.get(activity.exercise_id) if activity.exercise_id else None
    if known is None:
        return _BY_INTENSITY.get(activity.intensity, NOTHING) if activity.intensity else NOTHING
    credit = _aerobic(aerobic_class(known.met)) if "aerobic" in known.counts else NOTHING
    return Credit(
        aerobic_weight=credit.aerobic_weight,
        strength="strength" in known.counts,
        mobility="mobility" in known.counts,
        light=credit.light,
    )


@dataclass(frozen=True)
class Segment:
    """A stretch of time and what it is credited as (the highest credit running then)."""

    start: datetime
    end: datetime
    credit: Credit


def activity_range(activity: Activity, now: datetime | None) -> Range | None:
    """[at, at + duration), cut at ``now``; None when nothing of it has happened."""
    end = activity.at + activity.duration
    if now is not None:
        end = min(end, now)
    return (activity.at, end) if end > activity.at else None


def credited_segments(activities: Iterable[Activity], facts: Mapping[str, ExerciseFacts],
                      now: datetime | None = None) -> list[Segment]:
    """Non-overlapping segments, each credited as the highest-credited activity running then.

    A sweep over the start and end points; there are few distinct credits, so a thousand
    copies of the same activity cost no more than one pass over their points.
    """
    events: list[tuple[datetime, int, Credit]] = []  # (when, +1 start / -1 end, credit)
    for activity in activities:
        credit = credit_of(activity, facts)
        span = activity_range(activity, now)
        if credit.counts and span is not None:
            events += [(span[0], 1, credit), (span[1], -1, credit)]
    events.sort(key=lambda event: (event[0], event[1]))
    running: Counter[Credit] = Counter()
    segments: list[Segment] = []
    previous: datetime | None = None
    for when, change, credit in events:
        if running and previous is not None and when > previous:
            best = max(running)
            last = segments[-1] if segments else None
            if last and last.end == previous and last.credit == best:
                segments[-1] = Segment(last.start, when, best)
            else:
                segments.append(Segment(previous, when, best))
        running[credit] += change
        if not running[credit]:
            del running[credit]
        previous = when
    return segments
