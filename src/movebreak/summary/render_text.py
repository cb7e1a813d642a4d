"""The week as a compact terminal table (``movebreak summary``), in the current language.

The numbers come from render_json's rounding, so the text, the JSON and the page agree.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from movebreak.i18n import N_, _, current_language
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
    return _("{hours} h", hours=number(round_minutes(value) / 60, 1, trim=False))


def clock_duration(value: timedelta) -> str:
    """Whole minutes as h:mm ("1:05"), rounded like the JSON."""
    whole = int(round_minutes(value) + 0.5)
    return f"{whole // 60}:{whole % 60:02d}"


def percent(share: float | None, decimals: int = 1) -> str:
    """A share as a percentage with one decimal ("68.4 %"); a dash when unknown."""
    if share is None:
        return DASH
    scaled = (Decimal(repr(share)) * 100).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return _("{value} %", value=number(float(scaled), decimals, trim=False))


def baseline_percent() -> str:
    return percent(SITTING_SHARE_BASELINE, 2)


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


def progress_line(summary: WeekSummary) -> str:
    totals = summary.totals
    return _(
        "{active}/{target} active min · {strength}/{strength_target} strength days",
        active=minutes_number(totals.activity),
        target=minutes_number(ACTIVITY_TARGET),
        strength=totals.strength_days,
        strength_target=STRENGTH_DAYS_TARGET,
    )


def streak_line(summary: WeekSummary) -> str:
    if summary.streak == 1:
        return _("Both WHO goals met this week")
    if summary.streak:
        return _("Both WHO goals met: {weeks} weeks in a row", weeks=summary.streak)
    if summary.streak_before == 1:
        return _("WHO goals not (yet) met this week; met the week before")
    if summary.streak_before:
        return _("WHO goals not (yet) met this week; met {weeks} weeks in a row before", weeks=summary.streak_before)
    return _("WHO goals not (yet) met this week")


# ----------------------------------------------------------------- the table


def _day_row(day: DaySummary) -> list[str]:
    has_time = day.tracked > timedelta(0) or day.sitting > timedelta(0)
    breaks = day.breaks_taken + day.natural_breaks + day.logged_breaks
    return [
        day_label(day.date),
        hours(day.sitting) if has_time else DASH,
        percent(day.sitting_share) if has_time else DASH,
        clock_duration(day.longest_sitting) if has_time else DASH,
        _("{minutes} min", minutes=minutes_number(day.activity)),
        CHECK if day.strength else "·",
        str(breaks),
        str(day.reminders_snoozed),
        str(day.reminders_skipped),
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


def render_text(summary: WeekSummary) -> str:
    """The week as lines of text for a terminal (no colour, no trailing spaces)."""
    totals = summary.totals
    header = [
        _("Day"), _("Sitting"), _("Share"), _("Longest"), _("Active"),
        _("Strength"), _("Breaks"), _("Snoozed"), _("Skipped"),
    ]
    rows = [header] + [_day_row(day) for day in summary.days]
    total_row = [
        _("Week"),
        hours(totals.sitting) if totals.tracked or totals.sitting else DASH,
        percent(totals.sitting_share),
        clock_duration(totals.longest_sitting) if totals.sitting else DASH,
        _("{minutes} min", minutes=minutes_number(totals.activity)),
        f"{totals.strength_days}/{STRENGTH_DAYS_TARGET}",
        str(totals.breaks_taken + totals.natural_breaks + totals.logged_breaks),
        str(totals.reminders_snoozed),
        str(totals.reminders_skipped),
    ]
    table = _table(rows + [total_row])
    rule = "─" * max(len(line) for line in table)

    lines = [week_title(summary), ""]
    if not totals.has_data:
        lines += [_("No data for this week."), ""]
    lines += [table[0], rule, *table[1:-1], rule, table[-1], ""]
    lines.append(
        _(
            "Sitting: {sitting} of {tracked} tracked ({share}); office baseline {baseline} ({baseline_hours} of {shift_hours} h)",
            sitting=hours(totals.sitting),
            tracked=hours(totals.tracked),
            share=percent(totals.sitting_share),
            baseline=baseline_percent(),
            baseline_hours=number(BASELINE_SITTING_HOURS),
            shift_hours=number(SHIFT_HOURS),
        )
    )
    lines.append(
        _(
            "At or under the baseline on {good} of {rated} days with at least 1 h tracked",
            good=totals.days_at_or_under_baseline,
            rated=totals.rated_days,
        )
    )
    lines.append(
        _(
            "Breaks: {taken} from a reminder, {natural} natural, {logged} logged · reminders ignored: {ignored}",
            taken=totals.breaks_taken,
            natural=totals.natural_breaks,
            logged=totals.logged_breaks,
            ignored=totals.reminders_ignored,
        )
    )
    if totals.mobility:
        lines.append(_("Mobility (not counted toward the {target} min): {minutes} min", target=minutes_number(ACTIVITY_TARGET),
                       minutes=minutes_number(totals.mobility)))
    lines.append("")
    lines.append(_("Progress: {progress}", progress=progress_line(summary)))
    lines.append(streak_line(summary))
    lines.append("")
    lines.append(disclaimer())
    return "\n".join(lines) + "\n"
