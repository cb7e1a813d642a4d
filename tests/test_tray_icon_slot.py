"""The tray icon keeps its aspect ratio in a slot that is not square (trayer's is 24x30).

pystray's xorg backend stretched the round icon into its window, an oval; ``icon.in_slot``
pads instead (``tray/xorg_slot.py`` puts it in place of pystray's scaling).
"""

from __future__ import annotations

import pytest

from desktop import wait_until
from movebreak.tray.icon import IconKey, draw_icon, in_slot
from test_tray_gui import docked_icon, write_config


def drawn_box(image) -> tuple[int, int]:
    """Width and height of what is drawn (not the black background)."""
    left, top, right, bottom = image.convert("L").point(lambda v: 255 if v > 8 else 0).getbbox()
    return right - left, bottom - top


@pytest.mark.parametrize("size", [(24, 30), (30, 24), (22, 22), (64, 32)])
def test_the_ring_stays_round_in_any_slot(size):
    width, height = drawn_box(in_slot(draw_icon(IconKey("due", 12), 64), *size))
    assert abs(width - height) <= 1, (width, height)
    assert max(width, height) >= min(size) - 2


@pytest.mark.gui
def test_the_docked_xorg_icon_is_round_in_trayers_slot(desktop):
    from Xlib import X
    from Xlib.display import Display
    from PIL import Image

    write_config(desktop.home)
    desktop.run_app("run", PYSTRAY_BACKEND="xorg")
    window_id = wait_until(lambda: docked_icon(desktop.display, desktop.tray.owner), timeout=15,
                           message=desktop.log())
    connection = Display(desktop.display)
    try:
        window = connection.create_resource_object("window", window_id)

        def drawn() -> tuple[int, int, tuple[int, int]] | None:
            geometry = window.get_geometry()
            raw = window.get_image(0, 0, geometry.width, geometry.height, X.ZPixmap, 0xFFFFFFFF)
            image = Image.frombytes("RGB", (geometry.width, geometry.height), raw.data, "raw", "BGRX")
            box = image.convert("L").point(lambda v: 255 if v > 8 else 0).getbbox()
            if box is None:
                return None
            return geometry.width, geometry.height, (box[2] - box[0], box[3] - box[1])

        width, height, (drawn_width, drawn_height) = wait_until(drawn, timeout=10)
    finally:
        connection.close()
    assert abs(drawn_width - drawn_height) <= 1, f"slot {width}x{height}, icon drawn {drawn_width}x{drawn_height}"
