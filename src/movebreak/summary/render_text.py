"""The week as a compact terminal table (``movebreak summary``), in the current language.

The numbers come from render_json's rounding, so the text, the JSON and the page agree.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from movebreak.i18n import N_, _, current_language, plural
from movebreak.summary.accounting import (
    ACTIVITY_TARGET,
    BASELINE_SITTING_HOURS,
    SHIFT_HOURS,
    SITTING_SHARE_BASELINE,
    STRENGTH_DAYS_TARGET,
    DaySummary,
    WeekSummary,
)
from movebreak.summary.render_json import round_minutes

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
MONTHS = (
    N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
    N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"),
)
DASH = "–"
CHECK = "✓"


# ----------------------------------------------------------------- shared formatting


def number(value: float, decimals: int = 1, *, trim: bool = True) -> str:
    """A number with the reader's decimal mark; whole numbers lose ".0" when ``trim``."""
    if trim and decimals and float(value).is_integer():
        decimals = 0
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if current_language() == "de" else text


def minutes_number(value: timedelta) -> str:
    """Minutes as in the JSON (one decimal, half up), without a needless ".0"."""
    return number(round_minutes(value))


def hours(value: timedelta) -> str:
    """A stretch of time as h:mm, the one time format of the summary."""
    return clock_duration(value)


def clock_duration(value: timedelta) -> str:
    """Whole minutes as h:mm ("1:05"), rounded like the JSON."""
    whole = int(round_minutes(value) + 0.5)
    return f"{whole // 60}:{whole % 60:02d}"


def percent(share: float | None, decimals: int = 0) -> str:
    """A share as a whole percentage ("79 %"); a dash when unknown."""
    if share is None:
        return DASH
    scaled = (Decimal(repr(share)) * 100).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return _("{value} %", value=number(float(scaled), decimals, trim=False))


def baseline_percent() -> str:
    return percent(SITTING_SHARE_BASELINE)


def baseline_name() -> str:
    """The office baseline, named the same way everywhere."""
    return _("office baseline: about {hours} of {shift} working hours sitting",
             hours=number(BASELINE_SITTING_HOURS), shift=number(SHIFT_HOURS))


def sources() -> str:
    return _("Sources: WHO guidelines on physical activity (Bull et al. 2020, Br J Sports Med); "
             "office baseline (Daneshmandi et al. 2017).")


def day_label(day: date) -> str:
    return _(
        "{weekday} {day} {month}",
        weekday=_(WEEKDAYS[day.weekday()]),
        day=day.day,
        month=_(MONTHS[day.month - 1]),
    )


def week_title(summary: WeekSummary) -> str:
    first, last = summary.days[0].date, summary.days[-1].date
    return _("Week {week} · {first} – {last} {year}", week=str(summary.week), first=day_label(first), last=day_label(last), year=last.year)


def disclaimer() -> str:
    return _("This summary encourages movement; it is not medical advice and no substitute for it.")


def no_data_line(summary: WeekSummary) -> str:
    if summary.finished:
        return _("No data for week {week}.", week=str(summary.week))
    return _("No data for this week.")


def progress_line(summary: WeekSummary) -> str:
    totals = summary.totals
    return _(
        "{aerobic}/{target} WHO aerobic min · {strength}/{strength_target} strength days",
        aerobic=minutes_number(totals.aerobic),
        target=minutes_number(ACTIVITY_TARGET),
        strength=totals.strength_days,
        strength_target=STRENGTH_DAYS_TARGET,
    )


def streak_line(summary: WeekSummary) -> str:
    """Whether both WHO goals were met, in words that fit a running or a finished week."""
    if summary.finished:
        if summary.streak == 1:
            return _("Both WHO goals met in week {week}", week=str(summary.week))
        if summary.streak:
            return _("Both WHO goals met in week {week}: {weeks} weeks in a row", week=str(summary.week), weeks=summary.streak)
        return _("WHO goals not met in week {week}", week=str(summary.week))
    if summary.streak == 1:
        return _("Both WHO goals met this week")
    if summary.streak:
        return _("Both WHO goals met: {weeks} weeks in a row", weeks=summary.streak)
    if summary.streak_before == 1:
        return _("WHO goals not met yet this week; met the week before")
    if summary.streak_before:
        return _("WHO goals not met yet this week; met {weeks} weeks in a row before", weeks=summary.streak_before)
    return _("WHO goals not met yet this week")


def strength_cell(minutes: timedelta, target: timedelta, met: bool) -> str:
    """Strength minutes against the day's target, e.g. "6/10" or "12/10 ✓"."""
    text = f"{minutes_number(minutes)}/{minutes_number(target)}"
    return f"{text} {CHECK}" if met else text


def muscle_names(ids) -> str:
    from movebreak.exercises.model import MUSCLE_LABELS

    return ", ".join(_(MUSCLE_LABELS[muscle]) if muscle in MUSCLE_LABELS else muscle for muscle in ids)


# ----------------------------------------------------------------- the table


def _day_row(day: DaySummary, target: timedelta) -> list[str]:
    has_time = day.tracked > timedelta(0) or day.sitting > timedelta(0)
    worked = day.work_tracked > timedelta(0)
    breaks = day.breaks_taken + day.natural_breaks + day.logged_breaks
    return [
        day_label(day.date),
        hours(day.work_sitting) if worked else DASH,
        percent(day.sitting_share) if worked else DASH,
        clock_duration(day.longest_sitting) if has_time else DASH,
        f"{day.sitting_bouts_30}/{day.sitting_bouts_60}" if has_time else DASH,
        f"{day.hours_moved}/{day.hours_tracked}" if day.hours_tracked else DASH,
        minutes_number(day.aerobic),
        strength_cell(day.strength, target, day.strength_day) if day.strength else "·",
        str(breaks),
    ]


def _table(rows: list[list[str]], left_columns: int = 1) -> list[str]:
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(widths[index]) if index < left_columns else cell.rjust(widths[index])
            for index, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _header() -> list[str]:
    return [
        _("Day"), _("Sitting"), _("Share"), _("Longest"), _("≥30/≥60"), _("Moved"),
        _("WHO min"), _("Strength"), _("Breaks"),
    ]


def _total_row(summary: WeekSummary) -> list[str]:
    totals = summary.totals
    has_time = bool(totals.tracked or totals.sitting)
    return [
        _("Week"),
        hours(totals.work_sitting) if totals.work_tracked else DASH,
        percent(totals.sitting_share),
        clock_duration(totals.longest_sitting) if has_time else DASH,
        f"{totals.sitting_bouts_30}/{totals.sitting_bouts_60}" if has_time else DASH,
        f"{totals.hours_moved}/{totals.hours_tracked}" if totals.hours_tracked else DASH,
        minutes_number(totals.aerobic),
        f"{totals.strength_days}/{STRENGTH_DAYS_TARGET}",
        str(totals.breaks_taken + totals.natural_breaks + totals.logged_breaks),
    ]


def sitting_lines(summary: WeekSummary) -> list[str]:
    totals = summary.totals
    lines = [
        _("Sitting in working hours: {sitting} of {tracked} tracked ({share}); {baseline} ({baseline_share})",
          sitting=hours(totals.work_sitting), tracked=hours(totals.work_tracked), share=percent(totals.sitting_share),
          baseline=baseline_name(), baseline_share=baseline_percent()),
        plural(totals.rated_days, N_("At or under the baseline on {good} of {count} day with at least 1:00 tracked in working hours"),
               N_("At or under the baseline on {good} of {count} days with at least 1:00 tracked in working hours"),
               good=totals.days_at_or_under_baseline),
    ]
    if totals.off_tracked:
        lines.append(_("Outside working hours (not rated): {sitting} sitting of {tracked} tracked",
                       sitting=hours(totals.off_sitting), tracked=hours(totals.off_tracked)))
    lines.append(_("Sitting bouts: longest {longest} · {bouts30} of 30 min or more · {bouts60} of 60 min or more",
                   longest=clock_duration(totals.longest_sitting), bouts30=totals.sitting_bouts_30,
                   bouts60=totals.sitting_bouts_60))
    if totals.hours_tracked:
        lines.append(plural(totals.hours_tracked, N_("Working hours with a break: {moved} of {count} hour moved"),
                            N_("Working hours with a break: {moved} of {count} hours moved"), moved=totals.hours_moved))
    return lines


def activity_lines(summary: WeekSummary) -> list[str]:
    totals = summary.totals
    lines = [_("WHO aerobic minutes: {moderate} moderate + 2 × {vigorous} vigorous = {aerobic} of {target}",
               moderate=minutes_number(totals.moderate), vigorous=minutes_number(totals.vigorous),
               aerobic=minutes_number(totals.aerobic), target=minutes_number(ACTIVITY_TARGET))]
    if totals.light or totals.mobility:
        lines.append(_("Not counted toward them: {light} min light activity, {mobility} min mobility and stretching",
                       light=minutes_number(totals.light), mobility=minutes_number(totals.mobility)))
    strong = [day for day in summary.days if day.strength_day]
    worked = "; ".join(
        f"{_(WEEKDAYS[day.date.weekday()])}: {muscle_names(day.muscles)}" if day.muscles else _(WEEKDAYS[day.date.weekday()])
        for day in strong)
    lines.append(_("Strength days: {count} of {target} (a day counts from {minutes} min; {strength} min in all)",
                   count=totals.strength_days, target=STRENGTH_DAYS_TARGET, minutes=minutes_number(summary.strength_day),
                   strength=minutes_number(totals.strength)) + (f" · {worked}" if worked else ""))
    return lines


def breaks_line(summary: WeekSummary) -> str:
    totals = summary.totals
    return _("Breaks: {taken} from a reminder, {natural} away from the desk, {logged} logged · "
             "reminders snoozed: {snoozed}, skipped: {skipped}, ignored: {ignored}",
             taken=totals.breaks_taken, natural=totals.natural_breaks, logged=totals.logged_breaks,
             snoozed=totals.reminders_snoozed, skipped=totals.reminders_skipped, ignored=totals.reminders_ignored)


def render_text(summary: WeekSummary) -> str:
    """The week as lines of text for a terminal (no colour, no trailing spaces)."""
    target = summary.strength_day
    rows = [_header()] + [_day_row(day, target) for day in summary.days]
    table = _table(rows + [_total_row(summary)])
    rule = "─" * max(len(line) for line in table)

    lines = [week_title(summary), ""]
    if not summary.totals.has_data:
        lines += [no_data_line(summary), ""]
    lines += [table[0], rule, *table[1:-1], rule, table[-1], ""]
    lines += sitting_lines(summary)
    lines += activity_lines(summary)
    lines.append(breaks_line(summary))
    lines.append("")
    lines.append(_("Progress: {progress}", progress=progress_line(summary)))
    lines.append(streak_line(summary))
    lines.append("")
    lines.append(sources())
    lines.append(disclaimer())
    return "\n".join(lines) + "\n"
