"""The week as one self-contained HTML page: inline CSS and SVG, no script, no network.

Every number that the JSON also has carries ``data-key`` (and ``data-date`` for a day,
``data-week`` for an earlier week) plus ``data-value`` with the JSON's exact value, so a
test can compare the page with ``to_json``. All text is escaped, also names and notes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta
from html import escape

from movebreak.exercises.render import safety_line
from movebreak.i18n import _, current_language, using
from movebreak.summary.accounting import (
    ACTIVITY_TARGET,
    BASELINE_SITTING_HOURS,
    SHIFT_HOURS,
    STRENGTH_DAYS_TARGET,
    DaySummary,
    ExerciseTally,
    WeekSummary,
    WeekTotals,
)
from movebreak.summary.render_json import round_minutes, round_share
from movebreak.summary.render_text import (
    CHECK,
    DASH,
    WEEKDAYS,
    baseline_name,
    baseline_percent,
    clock_duration,
    day_label,
    disclaimer,
    hours,
    minutes_number,
    muscle_names,
    no_data_line,
    number,
    percent,
    progress_line,
    sources,
    streak_line,
    strength_cell,
    week_title,
)
from movebreak.summary.render_grid import GRID_CSS, hour_grid

_CSS = """
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --card: #ffffff; --text: #1d2330; --muted: #5d6675; --line: #dde1e8;
  --sit: #e0873a; --sit-good: #2f9e8f; --tracked: #e6e9ef; --active: #3b7ddd;
  --strength: #8a5cd6; --baseline: #c2374b; --track: #e8ecf2; --accent-bg: #eef4ff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171c; --card: #1e232b; --text: #e8ebf0; --muted: #a1a9b6; --line: #333a45;
    --sit: #f0a05a; --sit-good: #4fc4b2; --tracked: #2b323d; --active: #6ea2ff;
    --strength: #b18cf5; --baseline: #ff7186; --track: #2b323d; --accent-bg: #1f2a3d;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 28px 24px 40px; }
h1 { font-size: 26px; margin: 0 0 2px; }
h2 { font-size: 17px; margin: 0 0 12px; }
.sub, .note, .muted { color: var(--muted); }
.sub { margin: 0 0 20px; }
section, .card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; }
section { padding: 18px 20px; margin: 0 0 18px; }
.cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 14px; margin: 0 0 18px; }
.card { padding: 14px 16px; }
.card .label { color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: .04em; }
.card .big { font-size: 28px; font-weight: 650; margin: 4px 0 6px; font-variant-numeric: tabular-nums; }
.card .big small { font-size: 15px; font-weight: 500; color: var(--muted); }
.bar { height: 10px; border-radius: 5px; background: var(--track); overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--active); border-radius: 5px; }
.dots { display: flex; gap: 8px; margin: 6px 0 4px; }
.dot { width: 22px; height: 22px; border-radius: 50%; border: 2px solid var(--strength); }
.dot.done { background: var(--strength); }
.goal-met { color: var(--sit-good); font-weight: 600; }
svg { display: block; width: 100%; height: auto; }
svg text { fill: var(--text); font-size: 12px; font-family: inherit; }
svg .muted { fill: var(--muted); }
svg .axis { stroke: var(--line); stroke-width: 1; }
svg .tracked { fill: var(--tracked); }
svg .sit { fill: var(--sit); }
svg .sit.good { fill: var(--sit-good); }
svg .baseline { stroke: var(--baseline); stroke-width: 2; stroke-dasharray: 6 4; }
svg text.baseline-label { fill: var(--baseline); font-weight: 600; }
svg .active { fill: var(--active); }
svg .target { stroke: var(--active); stroke-width: 1.5; stroke-dasharray: 4 4; opacity: .8; }
svg .sdot { fill: none; stroke: var(--strength); stroke-width: 1.5; }
svg .sdot.done { fill: var(--strength); }
svg .current-week { fill: var(--accent-bg); }
.legend { display: flex; flex-wrap: wrap; gap: 16px; font-size: 13px; color: var(--muted); margin-top: 6px; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 5px; vertical-align: -1px; }
.legend i.line { height: 0; border-top: 2px dashed var(--baseline); border-radius: 0; vertical-align: 3px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
table { font-size: 14px; }
th.group { text-align: center; border-bottom: 1px solid var(--line); padding-bottom: 3px; }
th.sub { font-weight: 500; }
th, td { padding: 6px 7px; text-align: right; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { font-size: 12px; color: var(--muted); font-weight: 600; vertical-align: bottom; white-space: normal; }
th:first-child, td:first-child { text-align: left; }
tr.total td { font-weight: 650; border-bottom: 0; }
td.strength-yes { color: var(--strength); font-weight: 700; }
td.empty { color: var(--muted); }
ul.exercises { list-style: none; margin: 0; padding: 0; columns: 2; column-gap: 28px; }
ul.exercises li > span:last-child { white-space: nowrap; }
ul.exercises li { padding: 5px 0; border-bottom: 1px solid var(--line); break-inside: avoid;
  display: flex; justify-content: space-between; gap: 12px; }
.tag { font-size: 12px; color: var(--muted); }
footer { color: var(--muted); font-size: 13px; text-align: center; margin-top: 8px; }
@media (max-width: 760px) { .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); } ul.exercises { columns: 1; } }
"""


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _hook(key: str, value: object, text: str, *, date: str | None = None, week: str | None = None, tag: str = "span", cls: str = "") -> str:
    """An element showing ``text`` (already escaped) and carrying the JSON key and value."""
    attributes = [f'data-key="{_attr(key)}"']
    if date:
        attributes.append(f'data-date="{_attr(date)}"')
    if week:
        attributes.append(f'data-week="{_attr(week)}"')
    if isinstance(value, bool):
        value = "true" if value else "false"
    attributes.append(f'data-value="{_attr("" if value is None else value)}"')
    if cls:
        attributes.append(f'class="{_attr(cls)}"')
    return f"<{tag} {' '.join(attributes)}>{text}</{tag}>"


def _intensity_label(intensity) -> str:
    if intensity is None:
        return ""
    return {
        "light": _("light (not counted)"),
        "moderate": _("moderate"),
        "vigorous": _("vigorous (counts twice)"),
        "strength": _("strength"),
        "mobility": _("mobility (not counted)"),
    }[intensity.value]


# ----------------------------------------------------------------- parts


def _cards(summary: WeekSummary) -> str:
    totals = summary.totals
    active = round_minutes(totals.aerobic)
    target = round_minutes(ACTIVITY_TARGET)
    fill = min(100.0, 100.0 * active / target) if target else 0.0
    remaining = max(0.0, target - active)
    active_note = (
        f'<span class="goal-met">{escape(_("Goal reached"))} {CHECK}</span>'
        if totals.aerobic_goal_met
        else escape(_("{minutes} min to go", minutes=number(round(remaining, 1))))
    )
    dots = "".join(
        f'<span class="dot{" done" if index < totals.strength_days else ""}"></span>'
        for index in range(max(STRENGTH_DAYS_TARGET, totals.strength_days))
    )
    strength_names = "; ".join(
        f"{_(WEEKDAYS[day.date.weekday()])}" + (f" ({muscle_names(day.muscles)})" if day.muscles else "")
        for day in summary.days if day.strength_day)
    share = totals.sitting_share
    share_text = percent(share)
    rated_note = escape(_("{good} of {rated} days at or under it", good="\x00g", rated="\x00r"))
    rated_note = rated_note.replace(
        "\x00g", _hook("days_at_or_under_baseline", totals.days_at_or_under_baseline, str(totals.days_at_or_under_baseline))
    ).replace("\x00r", _hook("rated_days", totals.rated_days, str(totals.rated_days)))
    return f"""
<div class="cards">
  <div class="card" id="card-activity">
    <div class="label">{escape(_("WHO aerobic minutes"))}</div>
    <div class="big">{_hook("aerobic_minutes", active, escape(minutes_number(totals.aerobic)))}<small> / {_hook("target_aerobic_minutes", target, escape(number(target)))} min</small></div>
    <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="{_attr(target)}" aria-valuenow="{_attr(active)}"><span style="width:{fill:.1f}%"></span></div>
    <div class="note">{active_note}<br>{escape(_("moderate {moderate} + 2 × vigorous {vigorous}", moderate=minutes_number(totals.moderate), vigorous=minutes_number(totals.vigorous)))}</div>
  </div>
  <div class="card" id="card-strength">
    <div class="label">{escape(_("Strength days"))}</div>
    <div class="big">{_hook("strength_days", totals.strength_days, str(totals.strength_days))}<small> / {_hook("target_strength_days", STRENGTH_DAYS_TARGET, str(STRENGTH_DAYS_TARGET))}</small></div>
    <div class="dots">{dots}</div>
    <div class="note">{escape(strength_names or (_("none") if summary.finished else _("none yet")))}<br>{escape(_("a day counts from {minutes} min", minutes=minutes_number(summary.strength_day)))}</div>
  </div>
  <div class="card" id="card-sitting">
    <div class="label">{escape(_("Sitting in working hours"))}</div>
    <div class="big">{_hook("sitting_share", round_share(share), escape(share_text))}</div>
    <div class="note">{escape(baseline_name())} ({escape(baseline_percent())})<br>{rated_note}</div>
  </div>
  <div class="card" id="card-streak">
    <div class="label">{escape(_("Streak"))}</div>
    <div class="big">{_hook("streak", summary.streak, str(summary.streak))}<small> {escape(_("week") if summary.streak == 1 else _("weeks"))}</small></div>
    <div class="note">{escape(streak_line(summary))}</div>
  </div>
</div>"""


def _sitting_chart(summary: WeekSummary) -> str:
    width, height = 1000, 270
    left, right, top, bottom = 46, 14, 18, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    biggest = max([day.work_tracked / timedelta(hours=1) for day in summary.days] + [SHIFT_HOURS])
    scale_max = float(math.ceil(biggest / 2) * 2)

    def y(hours_value: float) -> float:
        return top + plot_h - plot_h * hours_value / scale_max

    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_attr(_("Sitting in working hours per day"))}">']
    for tick in range(0, int(scale_max) + 1, 2):
        parts.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>')
        parts.append(f'<text class="muted" x="{left - 8}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}:00</text>')
    slot = plot_w / 7
    bar_w = slot * 0.56
    for index, day in enumerate(summary.days):
        x = left + slot * index + (slot - bar_w) / 2
        tracked_h = day.work_tracked / timedelta(hours=1)
        sitting_h = day.work_sitting / timedelta(hours=1)
        iso = day.date.isoformat()
        if tracked_h:
            parts.append(f'<rect class="tracked" x="{x:.1f}" y="{y(tracked_h):.1f}" width="{bar_w:.1f}" height="{y(0) - y(tracked_h):.1f}" rx="4"><title>{escape(_("Tracked"))}: {escape(hours(day.work_tracked))}</title></rect>')
        if sitting_h:
            good = " good" if day.at_or_under_baseline else ""
            parts.append(f'<rect class="sit{good}" x="{x + bar_w * 0.18:.1f}" y="{y(sitting_h):.1f}" width="{bar_w * 0.64:.1f}" height="{y(0) - y(sitting_h):.1f}" rx="4" data-date="{iso}"><title>{escape(_("Sitting"))}: {escape(hours(day.work_sitting))}</title></rect>')
            label_y = y(max(sitting_h, tracked_h)) - 6
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{label_y:.1f}" text-anchor="middle">{escape(hours(day.work_sitting))}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 20}" text-anchor="middle">{escape(_(WEEKDAYS[day.date.weekday()]))}</text>')
        parts.append(f'<text class="muted" x="{x + bar_w / 2:.1f}" y="{height - bottom + 37}" text-anchor="middle">{escape(percent(day.sitting_share) if tracked_h else DASH)}</text>')
    base_y = y(BASELINE_SITTING_HOURS)
    parts.append(f'<line class="baseline" x1="{left}" x2="{width - right}" y1="{base_y:.1f}" y2="{base_y:.1f}"/>')
    parts.append(f'<text class="baseline-label" x="{width - right - 4}" y="{base_y - 6:.1f}" text-anchor="end">{escape(_("Office baseline {hours}", hours=hours(timedelta(hours=BASELINE_SITTING_HOURS))))}</text>')
    parts.append("</svg>")
    legend = f"""<div class="legend">
<span><i style="background:var(--sit-good)"></i>{escape(_("Sitting, at or under the baseline share"))}</span>
<span><i style="background:var(--sit)"></i>{escape(_("Sitting, above the baseline share"))}</span>
<span><i style="background:var(--tracked)"></i>{escape(_("Tracked in working hours (app running)"))}</span>
<span><i class="line"></i>{escape(baseline_name())}</span>
</div>"""
    return "".join(parts) + legend


def _duration_cell(key: str, value: timedelta, date: str, show: bool) -> str:
    if not show:
        return _hook(key, round_minutes(value), DASH, date=date, tag="td", cls="empty")
    return _hook(key, round_minutes(value), escape(clock_duration(value)), date=date, tag="td")


def _count_cell(key: str, value: int, date: str | None) -> str:
    return _hook(key, value, str(value), date=date, tag="td", cls="" if value else "empty")


def _day_row(day: DaySummary, summary_target: timedelta) -> str:
    iso = day.date.isoformat()
    has_time = bool(day.tracked or day.sitting)
    cells = [
        f"<td>{escape(day_label(day.date))}</td>",
        _duration_cell("working_sitting_minutes", day.work_sitting, iso, bool(day.work_tracked)),
        _duration_cell("working_tracked_minutes", day.work_tracked, iso, bool(day.work_tracked)),
        _hook("sitting_share", round_share(day.sitting_share), escape(percent(day.sitting_share)), date=iso, tag="td", cls="" if day.work_tracked else "empty"),
        _duration_cell("off_hours_sitting_minutes", day.off_sitting, iso, bool(day.off_tracked)),
        _duration_cell("longest_sitting_minutes", day.longest_sitting, iso, has_time),
        _count_cell("sitting_bouts_30", day.sitting_bouts_30, iso),
        _count_cell("sitting_bouts_60", day.sitting_bouts_60, iso),
        _hook("aerobic_minutes", round_minutes(day.aerobic), escape(minutes_number(day.aerobic)), date=iso, tag="td", cls="" if day.aerobic else "empty"),
        _hook("strength_minutes", round_minutes(day.strength), escape(strength_cell(day.strength, summary_target, day.strength_day)) if day.strength else "·", date=iso, tag="td", cls="strength-yes" if day.strength_day else "" if day.strength else "empty"),
        _count_cell("breaks_taken", day.breaks_taken, iso),
        _count_cell("natural_breaks", day.natural_breaks, iso),
        _count_cell("logged_breaks", day.logged_breaks, iso),
        _count_cell("reminders_snoozed", day.reminders_snoozed, iso),
        _count_cell("reminders_skipped", day.reminders_skipped, iso),
        _count_cell("reminders_ignored", day.reminders_ignored, iso),
    ]
    return f'<tr data-date="{iso}">' + "".join(cells) + "</tr>"


def _day_table(summary: WeekSummary) -> str:
    totals = summary.totals
    first = [
        _("Day"), _("Sitting in working hours (h:mm)"), _("Tracked in working hours (h:mm)"), _("Share"),
        _("Sitting off-hours (h:mm)"), _("Longest sitting"), _("Bouts ≥ 30 min"), _("Bouts ≥ 60 min"),
        _("WHO aerobic min"), _("Strength min"),
    ]
    breaks = [_("from a reminder"), _("natural"), _("logged")]
    reminders = [_("snoozed"), _("skipped"), _("ignored")]
    head = (
        "<tr>"
        + "".join(f'<th rowspan="2">{escape(text)}</th>' for text in first)
        + f'<th colspan="3" class="group">{escape(_("Breaks"))}</th>'
        + f'<th colspan="3" class="group">{escape(_("Reminders"))}</th>'
        + "</tr><tr>"
        + "".join(f'<th class="sub">{escape(text)}</th>' for text in breaks + reminders)
        + "</tr>"
    )
    rows = "".join(_day_row(day, summary.strength_day) for day in summary.days)
    has_time = bool(totals.tracked or totals.sitting)
    total = (
        '<tr class="total" data-scope="totals">'
        f"<td>{escape(_('Week'))}</td>"
        + _hook("working_sitting_minutes", round_minutes(totals.work_sitting), escape(clock_duration(totals.work_sitting)) if has_time else DASH, tag="td")
        + _hook("working_tracked_minutes", round_minutes(totals.work_tracked), escape(clock_duration(totals.work_tracked)) if has_time else DASH, tag="td")
        + f"<td>{escape(percent(totals.sitting_share))}</td>"
        + _hook("off_hours_sitting_minutes", round_minutes(totals.off_sitting), escape(clock_duration(totals.off_sitting)) if has_time else DASH, tag="td")
        + _hook("longest_sitting_minutes", round_minutes(totals.longest_sitting), escape(clock_duration(totals.longest_sitting)) if has_time else DASH, tag="td")
        + _hook("sitting_bouts_30", totals.sitting_bouts_30, str(totals.sitting_bouts_30), tag="td")
        + _hook("sitting_bouts_60", totals.sitting_bouts_60, str(totals.sitting_bouts_60), tag="td")
        + _hook("aerobic_minutes", round_minutes(totals.aerobic), escape(minutes_number(totals.aerobic)), tag="td")
        + _hook("strength_days", totals.strength_days, f"{totals.strength_days}/{STRENGTH_DAYS_TARGET}", tag="td")
        + _hook("breaks_taken", totals.breaks_taken, str(totals.breaks_taken), tag="td")
        + _hook("natural_breaks", totals.natural_breaks, str(totals.natural_breaks), tag="td")
        + _hook("logged_breaks", totals.logged_breaks, str(totals.logged_breaks), tag="td")
        + _hook("reminders_snoozed", totals.reminders_snoozed, str(totals.reminders_snoozed), tag="td")
        + _hook("reminders_skipped", totals.reminders_skipped, str(totals.reminders_skipped), tag="td")
        + _hook("reminders_ignored", totals.reminders_ignored, str(totals.reminders_ignored), tag="td")
        + "</tr>"
    )
    note = _("Sitting share: sitting in working hours over the time tracked in them; off-hours are shown, never rated. "
             "Natural breaks (away from the desk) are breaks, not activity; light activity, strength and mobility do not count toward the {target} aerobic minutes, and a vigorous minute counts twice.",
             target=number(round_minutes(ACTIVITY_TARGET)))
    return f'<div class="scroll"><table id="days"><thead>{head}</thead><tbody>{rows}</tbody><tfoot>{total}</tfoot></table></div><p class="note">{escape(note)}</p>'


def _exercise_name(tally: ExerciseTally) -> str:
    return tally.name or _("Logged activity")


def _exercises(summary: WeekSummary) -> str:
    if not summary.exercises:
        return f'<p class="muted">{escape(_("No exercises logged in week {week}.", week=str(summary.week)) if summary.finished else _("No exercises logged this week."))}</p>'
    items = []
    for tally in summary.exercises:
        detail = _("{count}× · {minutes} min", count=tally.count, minutes=minutes_number(tally.duration))
        items.append(
            f'<li data-exercise="{_attr(tally.name)}"><span>{escape(_exercise_name(tally))} '
            f'<span class="tag">{escape(_intensity_label(tally.intensity))}</span></span>'
            f"<span>{escape(detail)}</span></li>"
        )
    notes = [
        (done, day) for day in summary.days for done in day.exercises if done.note
    ]
    note_html = ""
    if notes:
        note_items = "".join(
            f"<li><span>{escape(day_label(day.date))}: {escape(done.note or '')}</span>"
            f'<span class="tag">{escape(done.name or _("Logged activity"))}</span></li>'
            for done, day in notes
        )
        note_html = f'<h2 style="margin-top:16px">{escape(_("Notes"))}</h2><ul class="exercises notes">{note_items}</ul>'
    return f'<ul class="exercises">{"".join(items)}</ul>{note_html}'


def _history(summary: WeekSummary, history: Sequence[WeekTotals]) -> str:
    weeks = list(history) + [summary.totals]
    width = 1000
    height = 210
    left, right, top, bottom = 46, 14, 22, 62
    plot_h = height - top - bottom
    target = ACTIVITY_TARGET / timedelta(minutes=1)
    biggest = max([totals.aerobic / timedelta(minutes=1) for totals in weeks] + [target])
    scale_max = float(math.ceil(biggest / 50) * 50)
    slot = (width - left - right) / max(len(weeks), 1)
    bar_w = min(64.0, slot * 0.5)

    def y(value: float) -> float:
        return top + plot_h - plot_h * value / scale_max

    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_attr(_("WHO aerobic minutes in the last weeks"))}">']
    for index, totals in enumerate(weeks):
        cx = left + slot * index + slot / 2
        week = str(totals.week)
        if index == len(weeks) - 1:
            parts.append(f'<rect class="current-week" x="{cx - slot / 2 + 4:.1f}" y="2" width="{slot - 8:.1f}" height="{height - 4}" rx="8"/>')
        minutes_value = totals.aerobic / timedelta(minutes=1)
        if minutes_value:
            parts.append(f'<rect class="active" x="{cx - bar_w / 2:.1f}" y="{y(minutes_value):.1f}" width="{bar_w:.1f}" height="{y(0) - y(minutes_value):.1f}" rx="4"/>')
        parts.append(_hook("aerobic_minutes", round_minutes(totals.aerobic), escape(minutes_number(totals.aerobic)), week=week, tag="text").replace("<text ", f'<text x="{cx:.1f}" y="{y(minutes_value) - 6:.1f}" text-anchor="middle" ', 1))
        parts.append(f'<text x="{cx:.1f}" y="{height - bottom + 18}" text-anchor="middle">W{totals.week.week:02d}</text>')
        for dot in range(STRENGTH_DAYS_TARGET):
            done = " done" if dot < totals.strength_days else ""
            parts.append(f'<circle class="sdot{done}" cx="{cx - 8 + 16 * dot:.1f}" cy="{height - bottom + 32}" r="5"/>')
        share = percent(totals.sitting_share) if totals.has_data else _("no data")
        parts.append(f'<text class="muted" x="{cx:.1f}" y="{height - bottom + 55}" text-anchor="middle">{escape(share)}</text>')
    parts.append(f'<line class="target" x1="{left}" x2="{width - right}" y1="{y(target):.1f}" y2="{y(target):.1f}"/>')
    parts.append(f'<text class="muted" x="{left - 8}" y="{y(target) + 4:.1f}" text-anchor="end">{number(round_minutes(ACTIVITY_TARGET))}</text>')
    parts.append(f'<text class="muted" x="{left - 8}" y="{y(0) + 4:.1f}" text-anchor="end">0</text>')
    parts.append("</svg>")
    legend = f"""<div class="legend">
<span><i style="background:var(--active)"></i>{escape(_("WHO aerobic minutes (dashed: {target} min goal)", target=number(round_minutes(ACTIVITY_TARGET))))}</span>
<span><i style="background:var(--strength);border-radius:50%"></i>{escape(_("Strength days (goal: {days})", days=STRENGTH_DAYS_TARGET))}</span>
<span>{escape(_("Below: sitting share in working hours"))}</span>
</div>"""
    return "".join(parts) + legend


# ----------------------------------------------------------------- the page


def _as_totals(items: Sequence[WeekSummary | WeekTotals]) -> list[WeekTotals]:
    return [item.totals if isinstance(item, WeekSummary) else item for item in items]


def render_html(summary: WeekSummary, history: Sequence[WeekSummary | WeekTotals] = (), *, language: str = "en") -> str:
    """The page for ``summary`` in ``language`` ("en" or "de").

    ``history`` holds earlier weeks (summaries or totals, any order); when empty, the
    summary's own ``history`` (from build_history) is used. The current week is dropped
    from it, the rest shown oldest first, at most the last 8.
    """
    with using(language):  # this thread only: a tick translating meanwhile keeps its language
        earlier = _as_totals(history) or list(summary.history)
        by_week = {totals.week: totals for totals in earlier if totals.week < summary.week}
        earlier = [by_week[week] for week in sorted(by_week)][-8:]
        return _page(summary, earlier)


def _page(summary: WeekSummary, earlier: list[WeekTotals]) -> str:
    totals = summary.totals
    lang = current_language()
    empty = "" if totals.has_data else f'<p class="note" id="no-data">{escape(no_data_line(summary))}</p>'
    return f"""<!doctype html>
<html lang="{_attr(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{escape(_("movebreak · week {week}", week=str(summary.week)))}</title>
<style>{_CSS}{GRID_CSS}</style>
</head>
<body>
<main data-week="{_attr(summary.week)}">
<header>
<h1>{escape(_("Your week in movement"))}</h1>
<p class="sub">{escape(week_title(summary))} · {escape(progress_line(summary))}</p>
{empty}
</header>
{_cards(summary)}
<section id="sitting">
<h2>{escape(_("Sitting in working hours per day"))}</h2>
{_sitting_chart(summary)}
</section>
<section id="breaks">
<h2>{escape(_("Day by day"))}</h2>
{_day_table(summary)}
</section>
<section id="hours">
<h2>{escape(_("Working hours with a break"))}</h2>
{hour_grid(summary)}
</section>
<section id="history">
<h2>{escape(_("The last weeks"))}</h2>
{_history(summary, earlier)}
</section>
<section id="exercises">
<h2>{escape(_("Exercises done"))}</h2>
{_exercises(summary)}
<p class="note" id="safety">{escape(safety_line())}</p>
</section>
<footer>
<p>{escape(_("The WHO recommends at least {target} minutes of moderate aerobic activity a week (a vigorous minute counts twice) and muscle strengthening on {days} or more days; the {baseline}.", target=number(round_minutes(ACTIVITY_TARGET)), days=STRENGTH_DAYS_TARGET, baseline=baseline_name()))}</p>
<p id="sources">{escape(sources())}</p>
<p id="disclaimer">{escape(disclaimer())}</p>
</footer>
</main>
</body>
</html>
"""
