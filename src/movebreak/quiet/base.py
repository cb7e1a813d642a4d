"""What every quiet source shares: the report doctor shows and a source that knows nothing.

A source answers ``active()`` with True, False or None ("cannot tell here"); it may raise
for a broken desktop service, which ``QuietSources`` logs once and counts as not active.
In a module of its own so that the OS modules and the package import it without
importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SourceReport:
    """One line of ``movebreak doctor``: a quiet source, whether it works here, and how or why not."""

    source: str  # a name from constants.QUIET_SOURCES
    works_here: bool
    detail: str  # translated: what it reads, or why it cannot here


class QuietSource(Protocol):
    name: str  # the config name (constants.QUIET_SOURCES)
    reason: str  # what check() says while it is active: "do-not-disturb", "fullscreen", "call"

    def active(self) -> bool | None:
        """Whether the desktop is quiet for this reason now; None when it cannot be known."""

    def report(self) -> SourceReport:
        """Whether this source works here, and what it reads (may touch the OS, for doctor)."""


class UnknownSource:
    """A source that cannot work here; ``detail`` says why."""

    def __init__(self, name: str, reason: str, detail: str) -> None:
        self.name = name
        self.reason = reason
        self._detail = detail

    def active(self) -> bool | None:
        return None

    def report(self) -> SourceReport:
        return SourceReport(self.name, False, self._detail)


def reason_of(error: BaseException) -> str:
    """An exception as a short line (its message, or its type when it has none)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
