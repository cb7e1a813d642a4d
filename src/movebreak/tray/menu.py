"""The tray menu as plain data, and its translation into a ``pystray.Menu``.

``build_entries`` is pure: it turns a ``TrayState`` and the actions into ``Entry`` rows,
so tests check labels, order and enabled states without any GUI. ``to_pystray`` is the
only place that knows pystray's classes; the module is passed in, so nothing here
imports pystray.

Layout::

    Sitting 32 min · reminder in 13 min · this week 85/150 active min, …   (disabled)
    I took a break ▸  <suggested exercise> · 3 others · Other activity… ▸ 5/10/15/30 min
    Snooze ▸          one entry per snooze option (disabled with no reminder / limit reached)
    Pause ▸           30 min · 1 h · until tomorrow
    Resume            (enabled while paused)
    Weekly summary · Exercises · Settings
    Open window       (the default item: what a left-click does, where the backend has one)
    Quit
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from movebreak.i18n import _
from movebreak.tray.state import TrayState

OTHER_MINUTES = (5, 10, 15, 30)
PAUSE_MINUTES = (30, 60)


@dataclass(frozen=True)
class Entry:
    text: str
    action: Callable[[], None] | None = None
    enabled: bool = True
    children: tuple["Entry", ...] = ()
    default: bool = False
    separator: bool = False


SEPARATOR = Entry("-", separator=True)


def minutes_label(minutes: int) -> str:
    if minutes and minutes % 60 == 0:
        return _("{hours} h", hours=minutes // 60)
    return _("{minutes} min", minutes=minutes)


def build_entries(state: TrayState, actions, *, open_window: Callable[[], None] | None = None) -> tuple[Entry, ...]:
    breaks = tuple(Entry(choice.label, _bind(actions.log_break, exercise_id=choice.exercise_id))
                   for choice in state.breaks)
    other = Entry(_("Other activity…"), children=tuple(
        Entry(minutes_label(m), _bind(actions.log_break, minutes=m)) for m in OTHER_MINUTES))
    snoozes = tuple(Entry(minutes_label(m), _bind(actions.snooze, m), enabled=state.can_snooze)
                    for m in state.snooze_minutes)
    pauses = (*(Entry(minutes_label(m), _bind(actions.pause, m)) for m in PAUSE_MINUTES),
              Entry(_("until tomorrow"), _bind(actions.pause, None, until_tomorrow=True)))
    entries = [
        Entry(state.status_line, enabled=False),
        SEPARATOR,
        Entry(_("I took a break"), children=(*breaks, SEPARATOR, other)),
        Entry(_("Snooze"), children=snoozes, enabled=state.can_snooze),
        Entry(_("Pause"), children=pauses),
        Entry(_("Resume"), actions.resume, enabled=state.paused),
        SEPARATOR,
        Entry(_("Weekly summary"), actions.summary),
        Entry(_("Exercises"), actions.exercises),
        Entry(_("Settings"), actions.settings),
    ]
    if open_window is not None:
        entries.append(Entry(_("Open window"), open_window, default=True))
    entries += [SEPARATOR, Entry(_("Quit"), actions.quit)]
    return tuple(entries)


def _bind(function: Callable[..., None], *args, **kwargs) -> Callable[[], None]:
    def call() -> None:
        function(*args, **kwargs)

    return call


def to_pystray(entries: tuple[Entry, ...], pystray) -> "object":
    """A ``pystray.Menu`` for ``entries`` (``pystray`` is the imported module)."""
    return pystray.Menu(*(_item(entry, pystray) for entry in entries))


def _item(entry: Entry, pystray):
    if entry.separator:
        return pystray.Menu.SEPARATOR
    if entry.children:
        return pystray.MenuItem(entry.text, pystray.Menu(*(_item(child, pystray) for child in entry.children)),
                                enabled=entry.enabled)
    action = entry.action
    return pystray.MenuItem(entry.text, (lambda: action()) if action else None, enabled=entry.enabled,
                            default=entry.default)


def find(entries: tuple[Entry, ...], *path: str) -> Entry:
    """The entry reached by following ``path`` (menu texts), for tests and the window."""
    current: tuple[Entry, ...] = entries
    found: Entry | None = None
    for text in path:
        found = next((entry for entry in current if entry.text == text), None)
        if found is None:
            raise KeyError(" ▸ ".join(path))
        current = found.children
    assert found is not None
    return found
