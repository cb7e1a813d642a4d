"""The weekly summary: which week, its figures, and the page written to a file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from movebreak import limits
from movebreak.environment import Environment
from movebreak.errors import MovebreakError
from movebreak.i18n import _
from movebreak.usecases.history import load_settings, open_store, summary_rules

if TYPE_CHECKING:
    from movebreak.summary import IsoWeek, WeekSummary


class SummaryPage(NamedTuple):
    target: Path  # where the page was written
    written: os.stat_result | None  # the user's file as written (None: movebreak's cached page)
    problem: str | None  # one line when the page could not be opened in a browser


def weekly_summary(env: Environment, *, week: str | None = None, last: bool = False) -> WeekSummary:
    """The figures of ``week`` (an ISO week, e.g. "2026-W47"), last week, or this one,
    with the seven weeks before it for comparison."""
    from movebreak.reports import week_summary

    settings = load_settings(env)
    chosen = _choose_week(env, settings.day_starts_at, week=week, last=last)
    rules = summary_rules(env, settings)
    with open_store(env, mode="read") as store:
        return week_summary(store, chosen, env.tz, rules=rules, now=env.clock.now(), weeks_back=7)


def _choose_week(env: Environment, day_starts_at, *, week: str | None, last: bool) -> IsoWeek:
    from movebreak.reports import current_week
    from movebreak.summary import IsoWeek

    if week:
        try:
            return IsoWeek.parse(limits.week_text(week, "--week"))
        except ValueError as error:
            raise MovebreakError(_("--week: {reason}", reason=error)) from None
    chosen = current_week(env.clock.now(), env.tz, day_starts_at)
    return chosen.previous() if last else chosen


def write_summary_page(env: Environment, summary: WeekSummary, *, path: str | None = None,
                       open_page: bool = False) -> SummaryPage:
    """The summary as an HTML page, in exactly the user's file ``path`` (0600 if new: it shows
    the history) or else in movebreak's cache; opened in the browser when asked."""
    from movebreak.i18n import current_language
    from movebreak.storage_files import write_own_text, write_user_file
    from movebreak.summary import render_html

    page = render_html(summary, language=current_language())
    if path:
        target = Path(path).expanduser()
        written = write_user_file(target, page.encode("utf-8"), private=True)
    else:
        target, written = env.paths.summary_html, None
        write_own_text(target, page)
    problem = open_in_browser(target) if open_page else None
    return SummaryPage(target, written, problem)


def open_in_browser(path: Path) -> str | None:
    """Open a page in the default browser; one line when none could be opened."""
    import webbrowser

    if not webbrowser.open(path.resolve().as_uri()):
        return _("movebreak: no browser could be opened; the page is at {path}", path=path)
    return None
