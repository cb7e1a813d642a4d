"""Every user-facing string has a German translation, and translations keep their placeholders."""

import ast
import re
import string
from pathlib import Path

import pytest

from movebreak import i18n

SRC = Path(__file__).resolve().parents[1] / "src" / "movebreak"


def source_messages() -> dict[str, str]:
    """Every literal passed to _() or N_() in the source, with where it stands."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_source_has_translatable_strings():
    assert len(source_messages()) > 100


def test_every_message_has_a_german_translation():
    german = i18n.load_table("de")
    missing = [f"{where}: {message!r}" for message, where in source_messages().items() if message not in german]
    assert not missing, "missing German for:\n" + "\n".join(missing)


def test_translations_keep_the_same_placeholders():
    german = i18n.load_table("de")
    wrong = [
        source for source, translated in german.items()
        if placeholders(source) != placeholders(translated)
    ]
    assert not wrong, wrong


def test_no_translation_is_empty():
    assert all(value.strip() for value in i18n.load_table("de").values())


def test_set_language_switches_and_falls_back_to_english():
    message = next(m for m in source_messages() if not placeholders(m))
    try:
        i18n.set_language("de")
        assert i18n._(message) == i18n.load_table("de")[message]
        i18n.set_language("xx")
        assert i18n.current_language() == "en"
        assert i18n._(message) == message
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize(
    ("configured", "environ", "expected"),
    [
        ("de", {}, "de"),
        ("auto", {"LANG": "de_DE.UTF-8"}, "de"),
        (None, {"LANGUAGE": "de:en", "LANG": "en_US.UTF-8"}, "de"),
        (None, {"LC_ALL": "fr_FR.UTF-8"}, "en"),
        (None, {"LANG": "C"}, "en"),
        ("en", {"LANG": "de_DE.UTF-8"}, "en"),
    ],
)
def test_detect_language(configured, environ, expected):
    assert i18n.detect_language(configured, environ) == expected


def test_locale_files_are_flat_string_tables():
    for path in (SRC.parents[1] / "assets" / "locale").rglob("*.toml"):
        data = i18n._load_toml(path)
        bad = [key for key, value in data.items() if not isinstance(value, str)]
        assert not bad, f"{path}: not a string: {bad}"
        uneven = [key for key, value in data.items() if key.endswith(" ") != value.endswith(" ")]
        assert not uneven, f"{path}: trailing space differs: {uneven}"


def test_a_language_used_for_one_page_never_reaches_other_threads():
    """render_html(language="de") on the tray's thread must not turn a tick's texts German."""
    import threading

    i18n.set_language("en")
    inside, done = threading.Event(), threading.Event()
    seen: list[str] = []

    def render_german() -> None:
        with i18n.using("de"):
            seen.append(i18n._("Sitting"))
            inside.set()
            done.wait(5)

    thread = threading.Thread(target=render_german)
    thread.start()
    assert inside.wait(5)
    try:
        assert i18n.current_language() == "en" and i18n._("Sitting") == "Sitting"  # this thread: unchanged
    finally:
        done.set()
        thread.join()
    assert seen == [i18n.load_table("de")["Sitting"]]
    assert i18n.current_language() == "en"


def test_every_german_entry_is_still_used():
    """A changed English text leaves its old German behind; that entry would never be shown."""
    used = set(source_messages())
    stale = [f"{path.name}: {key!r}" for path in sorted((SRC.parents[1] / "assets" / "locale").rglob("*.toml"))
             for key in i18n._load_toml(path) if key not in used]
    assert not stale, "German entries no source string uses:\n" + "\n".join(stale)
