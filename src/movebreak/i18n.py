"""One translation mechanism for every user-facing string.

English is the source language: ``_("Sitting {minutes} min", minutes=12)``. Other
languages live in ``assets/locale/<lang>/*.toml`` as flat tables that map the English text
to its translation; every file of a language is merged, so each part of the app keeps
its own file. A test checks that every ``_()`` literal in the source has a translation.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping

from movebreak.resources import assets_dir

LANGUAGES = ("en", "de")
_state: dict[str, object] = {"language": "en", "table": {}}


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
    language = language if language in LANGUAGES else "en"
    _state["language"] = language
    _state["table"] = load_table(language)


def current_language() -> str:
    return str(_state["language"])


def _(message: str, /, **values: object) -> str:
    """Translate ``message`` to the current language, then fill in ``values``."""
    table = _state["table"]
    text = table.get(message, message) if isinstance(table, dict) else message
    return text.format(**values) if values else text


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; translate it where it is shown."""
    return message
