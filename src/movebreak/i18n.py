"""One translation mechanism for every user-facing string.

English is the source language: ``_("Sitting {minutes} min", minutes=12)``. Other
languages live in ``assets/locale/<lang>/*.toml`` as flat tables that map the English text
to its translation; every file of a language is merged, so each part of the app keeps
its own file. A test checks that every ``_()`` literal in the source has a translation.
"""

from __future__ import annotations

import locale
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from movebreak.resources import assets_dir

LANGUAGES = ("en", "de")
_state: dict[str, object] = {"language": "en", "table": {}}  # the process's language (set_language)
_override: ContextVar[tuple[str, dict[str, str]] | None] = ContextVar("movebreak_language", default=None)
_tables: dict[str, dict[str, str]] = {}
_tables_lock = threading.Lock()


def _load_toml(path):
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def load_table(language: str) -> dict[str, str]:
    table: dict[str, str] = {}
    folder = assets_dir() / "locale" / language
    if language == "en" or not folder.is_dir():
        return table
    for path in sorted(folder.glob("*.toml")):
        for source, translated in _load_toml(path).items():
            if isinstance(translated, str):
                table[source] = translated
    return table


def detect_language(configured: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The configured language if set ("auto" means detect), else the system locale's."""
    if configured and configured != "auto":
        return configured if configured in LANGUAGES else "en"
    environ = os.environ if environ is None else environ
    candidates = [environ.get(name, "") for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")]
    if not any(candidates):
        try:
            candidates.append(locale.getlocale()[0] or "")
        except ValueError:
            pass
    for value in candidates:
        for part in value.split(":"):
            code = part.strip().lower()[:2]
            if code in LANGUAGES:
                return code
            if code:
                return "en"
    return "en"


def set_language(language: str) -> None:
    """The process's language, set once at start-up (before other threads translate)."""
    language = language if language in LANGUAGES else "en"
    _state["table"] = _table(language)
    _state["language"] = language


@contextmanager
def using(language: str) -> Iterator[None]:
    """Translate into ``language`` inside the block, in this thread (context) only: a page
    rendered for another language never changes what other threads translate meanwhile."""
    language = language if language in LANGUAGES else "en"
    token = _override.set((language, _table(language)))
    try:
        yield
    finally:
        _override.reset(token)


def current_language() -> str:
    override = _override.get()
    return override[0] if override is not None else str(_state["language"])


def _(message: str, /, **values: object) -> str:
    """Translate ``message`` to the current language, then fill in ``values``."""
    override = _override.get()
    table = override[1] if override is not None else _state["table"]
    text = table.get(message, message) if isinstance(table, dict) else message
    return text.format(**values) if values else text


def _table(language: str) -> dict[str, str]:
    """Each language's table is read once; tables are never changed after (safe to share)."""
    with _tables_lock:
        table = _tables.get(language)
        if table is None:
            table = _tables[language] = load_table(language)
        return table


def plural(count: int, one: str, other: str, /, **values: object) -> str:
    """``one`` (marked with N_) for a count of 1, else ``other``, filled in with ``count`` and
    ``values``; English and German agree on when the singular is used."""
    return _(one if count == 1 else other, count=count, **values)


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; translate it where it is shown."""
    return message
