"""The quiet sources as the running app holds them: built only when a reminder is first due,
so an app that is never reminded never imports them (nor opens X or D-Bus for them)."""

from __future__ import annotations

import logging
from collections.abc import Mapping

log = logging.getLogger("movebreak")


class LazyQuietSources:
    def __init__(self, enabled: frozenset[str], environ: Mapping[str, str]) -> None:
        self.enabled = enabled
        self.environ = dict(environ)
        self._sources = None

    def use(self, enabled: frozenset[str]) -> None:
        """Other sources from now on (the settings changed): built again when next asked."""
        if enabled != self.enabled:
            self.close()
            self.enabled, self._sources = enabled, None

    def _built(self):
        if self._sources is None:
            from movebreak.quiet import QuietSources

            self._sources = QuietSources(self.enabled, self.environ)
        return self._sources

    def check(self) -> str | None:
        """Why a due reminder should wait ("do-not-disturb", "fullscreen", "call"), or None."""
        return self._built().check() if self.enabled else None

    def in_call(self) -> bool:
        """A call is on: the person is at the computer even without typing."""
        return "calls" in self.enabled and self._built().in_call()

    def close(self) -> None:
        if self._sources is not None:
            self._sources.close()
