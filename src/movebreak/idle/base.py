"""What every idle probe shares: the interface, a base class and small helpers.

In a module of its own so that the OS modules and the package (which picks one of them) both
import it without importing each other.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol, runtime_checkable

from movebreak.i18n import _


@runtime_checkable
class IdleProbe(Protocol):
    name: str
    problem: str | None

    def idle(self) -> timedelta | None:
        """Time since the last keyboard/mouse input, or None when it cannot be known."""

    def locked(self) -> bool | None:
        """Whether the session is locked, or None when that cannot be known."""

    def describe(self) -> str:
        """One line for ``movebreak doctor``: the source and whether it works, and if not, why."""


class ProbeBase:
    """Shared ``describe()``: each probe sets ``name``, ``label`` and ``problem``."""

    name = "base"
    label = "idle probe"
    problem: str | None = None

    def idle(self) -> timedelta | None:  # pragma: no cover - overridden
        return None

    def locked(self) -> bool | None:
        return None

    def describe(self) -> str:
        if self.idle() is not None:
            return _("{source}: OK", source=_(self.label))
        return _("{source}: not working — {problem}", source=_(self.label), problem=self.problem)


class UnknownProbe(ProbeBase):
    """No idle-time source: the engine counts the user as present while unlocked."""

    name = "unknown"
    label = "No idle-time source"

    def __init__(self, reason: str, *, lock=None) -> None:
        self.problem = reason
        self._lock = lock

    def idle(self) -> timedelta | None:
        return None

    def locked(self) -> bool | None:
        return self._lock() if self._lock is not None else None

    def describe(self) -> str:
        return _(
            "No idle-time source ({reason}): movebreak counts you as present while the session is unlocked",
            reason=self.problem,
        )


def reason(error: BaseException) -> str:
    """An exception as a short phrase for a problem line (never a traceback)."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()
