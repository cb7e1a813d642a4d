"""The one exception type the core raises; the CLI edge turns it into one clean line."""

from __future__ import annotations


class MovebreakError(Exception):
    """A problem the user can fix: bad input, a bad file, a missing piece of the desktop.

    ``str(error)`` is the whole message: one line that says what is wrong and where.
    """
