"""The app's log file handler: movebreak's own file, and said once, in one line, when it
cannot be written (disk full).

Python's logging prints a "--- Logging error ---" block with a traceback to stderr for every
record it cannot write; on a full disk that is one block per tick on the user's terminal.
"""

from __future__ import annotations

import os
import sys
from logging.handlers import RotatingFileHandler

from movebreak.i18n import _
from movebreak.storage_files import open_own_file


class QuietRotatingFileHandler(RotatingFileHandler):
    """A rotating log file that never prints a traceback: one line on stderr naming the log
    the first time a record cannot be written, and again only after a record was written.
    The file is opened (also after each rotation) without following a link, 0600."""

    _failing = False  # the last record could not be written (and that was said)
    _failed_now = False

    def _open(self):
        fd = open_own_file(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)

    def emit(self, record) -> None:
        self._failed_now = False
        super().emit(record)  # calls handleError when the write fails
        if not self._failed_now:
            self._failing = False

    def handleError(self, record) -> None:
        self._failed_now = True
        if self._failing:
            return
        self._failing = True
        error = sys.exc_info()[1]
        reason = getattr(error, "strerror", None) or error
        try:
            sys.stderr.write(_("movebreak: the log cannot be written ({reason}): {path}",
                               reason=reason, path=self.baseFilename) + "\n")
            sys.stderr.flush()
        except Exception:  # stderr is gone as well: nothing left to tell
            pass
