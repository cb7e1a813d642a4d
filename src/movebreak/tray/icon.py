"""The tray icon as pure drawing: a ring that fills with continuous sitting.

Everything here is a pure function of its arguments (no clock, no core), so the look of
each state is unit-tested. The ring has a dark outline and a light track, so it reads on
light and on dark panels alike; the coloured arc is the sitting time against
``remind_after``, in ``STEPS`` steps so that the image changes rarely.

Looks: ``sitting`` (green arc, amber in its last third), ``due`` (full red ring with a
white bar: time to move), ``snoozed`` (blue arc and a "z"), ``paused`` (grey ring, two
pause bars), ``off-hours`` (grey ring, hollow), ``away`` (green centre: on a break).
Pillow is imported inside the functions.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

STEPS = 12  # the ring moves in twelfths of remind_after
SIZES = (16, 22, 24, 32, 48, 64)

SITTING, DUE, SNOOZED, PAUSED, OFF_HOURS, AWAY = "sitting", "due", "snoozed", "paused", "off-hours", "away"
LOOKS = (SITTING, DUE, SNOOZED, PAUSED, OFF_HOURS, AWAY)

OUTLINE = (24, 24, 24, 255)
TRACK = (236, 236, 236, 255)
GREEN = (46, 160, 67, 255)
AMBER = (230, 140, 20, 255)
RED = (214, 40, 40, 255)
BLUE = (40, 110, 220, 255)
GREY = (140, 140, 140, 255)
WHITE = (255, 255, 255, 255)

_STATE_LOOKS = {
    "sitting": SITTING,
    "reminding": DUE,
    "snoozed": SNOOZED,
    "paused": PAUSED,
    "outside-hours": OFF_HOURS,
    "away": AWAY,
}


class IconKey(NamedTuple):
    """What the image shows; an unchanged key means no redraw. (Not a dataclass: the
    first icon is drawn before anything else is loaded, see ``movebreak.startup``.)"""

    look: str
    step: int  # 0..STEPS filled twelfths of the ring


def icon_key(state: str, sitting: timedelta, remind_after: timedelta) -> IconKey:
    """The look for an engine state (``Status.state``) and the ring's step."""
    look = _STATE_LOOKS.get(str(state), SITTING)
    if look == DUE:
        return IconKey(DUE, STEPS)
    if look in (PAUSED, OFF_HOURS, AWAY):
        return IconKey(look, 0)
    total = max(remind_after.total_seconds(), 1.0)
    step = int(min(1.0, max(0.0, sitting.total_seconds() / total)) * STEPS)
    return IconKey(look, step)


def draw_icon(key: IconKey, size: int = 64):
    """An RGBA ``PIL.Image`` of ``size`` x ``size`` for ``key``.

    Drawn four times larger and scaled down, so the ring stays smooth at 16 px.
    """
    from PIL import Image, ImageDraw

    scale = 4
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    # Ring geometry: at 16 px the ring is ~3 px wide with a 1 px outline.
    outline = max(scale, round(big * 0.06))
    ring = round(big * 0.20)
    margin = round(big * 0.02)
    outer = [margin, margin, big - 1 - margin, big - 1 - margin]
    inner_margin = margin + outline + ring
    inner = [inner_margin, inner_margin, big - 1 - inner_margin, big - 1 - inner_margin]
    track_box = [margin + outline, margin + outline, big - 1 - margin - outline, big - 1 - margin - outline]

    track = GREY if key.look in (PAUSED, OFF_HOURS) else TRACK
    draw.ellipse(outer, fill=OUTLINE)
    draw.ellipse(track_box, fill=track)
    arc_colour = _arc_colour(key)
    if arc_colour is not None and key.step > 0:
        end = -90 + 360 * key.step / STEPS
        if key.step >= STEPS:
            draw.ellipse(track_box, fill=arc_colour)
        else:
            draw.pieslice(track_box, -90, end, fill=arc_colour)
    # The hole: dark outline, then the centre.
    draw.ellipse([inner[0] - outline, inner[1] - outline, inner[2] + outline, inner[3] + outline], fill=OUTLINE)
    centre = _centre_colour(key)
    draw.ellipse(inner, fill=centre)
    _draw_symbol(draw, key, inner)
    return image.resize((size, size), Image.LANCZOS)


def _arc_colour(key: IconKey):
    if key.look == DUE:
        return RED
    if key.look == SNOOZED:
        return BLUE
    if key.look == SITTING:
        return AMBER if key.step * 3 >= STEPS * 2 else GREEN
    return None


def _centre_colour(key: IconKey):
    return {DUE: RED, SNOOZED: BLUE, PAUSED: GREY, AWAY: GREEN, OFF_HOURS: OUTLINE}.get(key.look, TRACK)


def _draw_symbol(draw, key: IconKey, box: list[int]) -> None:
    """A glyph in the centre, drawn as shapes (no fonts: they differ per system)."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    cx, cy = (left + right) / 2, (top + bottom) / 2
    if key.look == PAUSED:
        bar_w, bar_h = width * 0.18, height * 0.55
        for offset in (-0.17, 0.17):
            x = cx + offset * width
            draw.rectangle([x - bar_w / 2, cy - bar_h / 2, x + bar_w / 2, cy + bar_h / 2], fill=WHITE)
    elif key.look == DUE:
        bar_w, bar_h = width * 0.2, height * 0.6
        draw.rectangle([cx - bar_w / 2, cy - bar_h / 2, cx + bar_w / 2, cy + bar_h / 2], fill=WHITE)
    elif key.look == SNOOZED:
        # a "z": top bar, diagonal, bottom bar
        w, h, t = width * 0.5, height * 0.5, max(1.0, height * 0.14)
        x0, y0, x1, y1 = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
        draw.rectangle([x0, y0, x1, y0 + t], fill=WHITE)
        draw.rectangle([x0, y1 - t, x1, y1], fill=WHITE)
        draw.polygon([(x1 - t * 1.2, y0 + t), (x1, y0 + t), (x0 + t * 1.2, y1 - t), (x0, y1 - t)], fill=WHITE)


def in_slot(image, width: int, height: int, background=(0, 0, 0)):
    """``image`` centred in a ``width`` x ``height`` RGB slot, scaled to fit with its aspect ratio
    kept: an XEmbed tray's slot need not be square (trayer's is 24x30), and stretching the
    ring into it drew an oval. The padding is the slot's black, as pystray's xorg icon had."""
    from PIL import Image

    side = max(1, min(width, height))
    square = image.convert("RGBA").resize((side, side), Image.LANCZOS)
    slot = Image.new("RGB", (width, height), background)
    slot.paste(square, ((width - side) // 2, (height - side) // 2), square)
    return slot


def app_icon(size: int = 256):
    """The application icon (packaging, the actions window): a ring two-thirds full."""
    return draw_icon(IconKey(SITTING, STEPS * 2 // 3 - 1), size)


if __name__ == "__main__":  # python -m movebreak.tray.icon OUT_DIR: every look, for a look by hand
    import sys
    from pathlib import Path

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    folder.mkdir(parents=True, exist_ok=True)
    for look in LOOKS:
        for size in SIZES:
            draw_icon(IconKey(look, STEPS // 2 if look in (SITTING, SNOOZED) else 0), size).save(
                folder / f"{look}-{size}.png")
    print(folder)
