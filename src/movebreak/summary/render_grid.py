"""The working-hour grid of the HTML page: one row per day, one cell per clock hour of the
working hours, saying whether that hour had a break, was sat through, or was not tracked.

Each state has its own symbol and words as well as its colour (never colour alone), and
every cell carries ``data-key="hour"`` with the JSON's state so a test can compare them.
"""

from __future__ import annotations

from html import escape

from movebreak.i18n import N_, _, plural
from movebreak.summary.accounting import HourState, WeekSummary
from movebreak.summary.render_text import day_label

GRID_CSS = """
table.hours td, table.hours th { text-align: center; padding: 4px 2px; min-width: 30px; }
table.hours td:first-child, table.hours th:first-child { text-align: left; padding-right: 10px; }
table.hours td.moved { background: var(--sit-good); color: #fff; font-weight: 700; }
table.hours td.sat { background: var(--sit); color: #fff; font-weight: 700; }
table.hours td.untracked { color: var(--muted); }
table.hours td.off { color: var(--muted); background: transparent; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
"""

SYMBOLS = {HourState.MOVED: "✓", HourState.SAT: "■", HourState.UNTRACKED: "·"}
WORDS = {
    HourState.MOVED: N_("moved"),
    HourState.SAT: N_("sat through"),
    HourState.UNTRACKED: N_("not tracked"),
}


def hour_grid(summary: WeekSummary) -> str:
    """The grid as a table; the columns are every clock hour that is a working hour on any day."""
    columns = sorted({slot.hour for day in summary.days for slot in day.hours})
    if not columns:
        return f'<p class="muted">{escape(_("No working hours are set for this week."))}</p>'
    head = "".join(f"<th>{hour:02d}</th>" for hour in columns)
    rows = []
    for day in summary.days:
        by_hour = {slot.hour: slot.state for slot in day.hours}
        cells = []
        for hour in columns:
            state = by_hour.get(hour)
            if state is None:
                cells.append('<td class="off"></td>')
                continue
            word = _(WORDS[state])
            cells.append(
                f'<td class="{state.value}" data-key="hour" data-date="{day.date.isoformat()}" data-hour="{hour}" '
                f'data-value="{state.value}" title="{escape(f"{hour:02d}:00 {word}", quote=True)}">'
                f'{SYMBOLS[state]}<span class="sr">{escape(word)}</span></td>'
            )
        summary_text = (plural(day.hours_tracked, N_("{moved} of {count} hour moved"), N_("{moved} of {count} hours moved"),
                               moved=day.hours_moved) if day.hours_tracked else "")
        rows.append(f"<tr><td>{escape(day_label(day.date))}</td>{''.join(cells)}"
                    f'<td class="muted">{escape(summary_text)}</td></tr>')
    legend = " · ".join(f"{SYMBOLS[state]} {escape(_(WORDS[state]))}" for state in HourState)
    return (f'<div class="scroll"><table class="hours" id="hour-grid"><thead><tr><th>{escape(_("Day"))}</th>{head}<th></th>'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
            f'<p class="note">{legend}. {escape(_("An hour counts when the app watched at least half of it; it is moved when it holds a break or an activity."))}</p>')
