"""Where the shipped assets are: inside the wheel, or beside src/ in a source checkout."""

from __future__ import annotations

from pathlib import Path


def assets_dir() -> Path:
    packaged = Path(__file__).resolve().parent / "assets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "assets"
