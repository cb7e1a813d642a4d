"""Shared fixtures. GUI pieces skip with a reason locally and fail under MOVEBREAK_REQUIRE_GUI=1."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"


def gui_required() -> bool:
    return os.environ.get("MOVEBREAK_REQUIRE_GUI") == "1"


def need(condition: bool, reason: str) -> None:
    """Skip a GUI test whose piece is missing, or fail it when CI requires GUI tests."""
    if condition:
        return
    if gui_required():
        pytest.fail(f"MOVEBREAK_REQUIRE_GUI=1 but {reason}")
    pytest.skip(reason)


def need_programs(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    need(not missing, f"missing program(s): {', '.join(missing)} (see .ci/run for the apt packages)")


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty MOVEBREAK_HOME for one test."""
    root = tmp_path / "home"
    monkeypatch.setenv("MOVEBREAK_HOME", str(root))
    return root


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# Desktop fixtures (Xvfb, tray, private D-Bus, notification server) live in tests/desktop.py.
from desktop import *  # noqa: E402,F401,F403
