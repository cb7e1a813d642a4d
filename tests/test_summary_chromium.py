"""The summary page in a real headless Chromium: the numbers it shows equal the JSON's.

Screenshots (light/English and dark/German) are saved in the test-artifacts folder for
people to look at; the dark one is also checked to really be dark.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import need_programs
from movebreak.summary import build_history, render_html, to_json
from test_summary_render import check_page_against_json, parse_hooks
from test_summary_seed import BERLIN, SCRIPT, SEEDED_WEEKS, seeded_history

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DARK_FLAGS = ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"]


def chromium(page: Path, profile: Path, *extra: str) -> str:
    command = [shutil.which("chromium"), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def corner_brightness(png: Path) -> float:
    from PIL import Image  # test-only; the summary itself never imports PIL

    with Image.open(png) as image:
        assert image.size == (1200, 1600)
        red, green, blue = image.convert("RGB").getpixel((6, 6))
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


@pytest.fixture(scope="module")
def week47():
    return build_history(SEEDED_WEEKS, BERLIN, **seeded_history().kwargs())[-1]


@pytest.mark.gui
@pytest.mark.parametrize(
    ("language", "dark", "shot"),
    [("en", False, "summary-week.png"), ("de", True, "summary-week-dark-de.png")],
    ids=["light-en", "dark-de"],
)
def test_page_in_chromium_shows_the_json_numbers(week47, tmp_path, artifacts, language, dark, shot):
    need_programs("chromium")
    began = time.monotonic()
    page = tmp_path / f"summary-{language}.html"
    page.write_text(render_html(week47, language=language), encoding="utf-8")
    mode = DARK_FLAGS if dark else []

    dom = chromium(page, tmp_path / "profile-dom", *mode, "--dump-dom")
    hooks = parse_hooks(dom)
    assert check_page_against_json(hooks.found, to_json(week47), language) > 100
    assert hooks.scripts == 0  # the <script> in a note and a name stayed text
    assert SCRIPT.replace("<", "&lt;").replace(">", "&gt;") in dom

    screenshot = artifacts / shot
    screenshot.unlink(missing_ok=True)
    chromium(page, tmp_path / "profile-shot", *mode, f"--screenshot={screenshot}", "--window-size=1200,1600",
             "--hide-scrollbars")
    assert screenshot.stat().st_size > 20_000
    brightness = corner_brightness(screenshot)
    assert (brightness < 0.2) if dark else (brightness > 0.9), brightness
    if not dark:  # the whole page, for people to look at
        chromium(page, tmp_path / "profile-full", f"--screenshot={artifacts / 'summary-week-full.png'}",
                 "--window-size=1200,2100", "--hide-scrollbars")
    assert time.monotonic() - began < 60
