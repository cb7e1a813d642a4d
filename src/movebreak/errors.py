"""The one exception type the core raises; the CLI edge turns it into one clean line."""

from __future__ import annotations


class MovebreakError(Exception):
    """A problem the user can fix: bad input, a bad file, a missing piece of the desktop.

    ``str(error)`` is the whole message: one line that says what is wrong and where.
    """


class Refusal(MovebreakError):
    """An action the rules refuse (no reminder to snooze, a pause that ends in the past).

    Raised by the pure core with an untranslated message (marked with ``N_``) and its values;
    the text is translated only when shown, at the edge, in the language of whoever shows it.
    """

    def __init__(self, message: str, /, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values

    def __str__(self) -> str:
        from movebreak.i18n import _

        return _(self.message, **self.values)
