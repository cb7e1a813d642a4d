"""The pictograms: every built-in exercise has its SVG and both PNGs (96 and 192 px, for Tk,
which has no SVG renderer), all three are what assets/exercises/make_pictograms.py draws from
the exercise's pose, and they stay small."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from movebreak.exercises.browse import bitmap_file
from movebreak.exercises.catalogue import load_catalogue

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "assets" / "exercises" / "make_pictograms.py"
IMG = REPO / "assets" / "exercises" / "img"


@pytest.fixture(scope="module")
def drawing():
    spec = importlib.util.spec_from_file_location("make_pictograms", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def catalogue():
    loaded, problems = load_catalogue()
    assert problems == []
    return loaded


def pixels(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGBA")


def differing_share(a: Image.Image, b: Image.Image, tolerance: int = 40) -> float:
    """The share of pixels where some channel differs by more than ``tolerance`` (a Pillow
    version may smooth an edge a little differently; a changed pose moves whole limbs)."""
    assert a.size == b.size
    channels = [channel.point(lambda v: 255 if v > tolerance else 0) for channel in ImageChops.difference(a, b).split()]
    mask = channels[0]
    for channel in channels[1:]:
        mask = ImageChops.lighter(mask, channel)
    far = mask.histogram()[255]
    return far / (a.size[0] * a.size[1])


def test_every_built_in_exercise_has_its_svg_and_both_pngs(catalogue):
    for exercise in catalogue.all(include_disabled=True):
        svg = catalogue.picture_file(exercise)
        assert svg is not None and svg.suffix == ".svg" and svg.is_file(), exercise.id
        for large, size in ((False, 96), (True, 192)):
            png = bitmap_file(svg, large=large)
            assert png is not None and png.is_file(), (exercise.id, size)
            with Image.open(png) as image:
                assert image.format == "PNG" and image.size == (size, size), (exercise.id, image.size)
                assert image.mode == "P", "a palette PNG keeps the files small"


def test_the_committed_pictures_are_what_the_script_draws(drawing, catalogue, tmp_path):
    written = drawing.write_all(tmp_path)
    assert {path.name for path in written} == {path.name for path in IMG.iterdir() if path.suffix in (".svg", ".png")}
    for path in written:
        committed = IMG / path.name
        if path.suffix == ".svg":
            assert path.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), path.name
        else:
            share = differing_share(pixels(path.read_bytes()), pixels(committed.read_bytes()))
            assert share < 0.01, f"{path.name}: {share:.1%} of the pixels differ; run {SCRIPT.name}"
    assert {e.id for e in catalogue.all(include_disabled=True)} == set(drawing.EXERCISES)


def test_a_png_shows_its_own_pose_not_another(drawing):
    squat = pixels(drawing.png("chair-squat", 96))
    assert differing_share(squat, pixels((IMG / "chair-squat.png").read_bytes())) < 0.01
    assert differing_share(squat, pixels((IMG / "wall-sit.png").read_bytes())) > 0.03


def test_the_pngs_are_small():
    sizes = [path.stat().st_size for path in IMG.glob("*.png")]
    assert len(sizes) == 2 * len(list(IMG.glob("*.svg")))
    assert max(sizes) < 4_000 and sum(sizes) < 250_000, (max(sizes), sum(sizes))


def test_a_picture_without_a_png_has_no_bitmap(tmp_path):
    (tmp_path / "mine.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "own.png").write_bytes(b"")
    assert bitmap_file(tmp_path / "mine.svg", large=False) is None
    assert bitmap_file(tmp_path / "own.png", large=True) == tmp_path / "own.png"
    assert bitmap_file(None, large=False) is None
