"""Draw the exercise pictograms: a stick figure in a pose, the prop it needs, a category tint.

Run from anywhere with Pillow installed: ``python assets/exercises/make_pictograms.py``. It
rewrites ``assets/exercises/img/<id>.svg``, ``<id>.png`` (96 px) and ``<id>@2x.png`` (192 px)
for every exercise listed in EXERCISES below: the SVG for the summary page, the PNGs for the Tk
windows (no SVG library at run time). The catalogue test checks that every built-in exercise
has all three and that they are what this script draws.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
INK = "#263238"
TINT = {"strength": "#ffe0b2", "cardio": "#ffcdd2", "mobility": "#c8e6c9", "stretch": "#bbdefb"}
PROP = "#78909c"
GROUND = 86

# A pose: head centre and the limbs as polylines, in a 96 x 96 box.
Point = tuple[float, float]
STAND = {
    "head": (48, 18),
    "lines": [
        [(48, 25), (48, 52)],
        [(48, 30), (41, 42), (39, 53)],
        [(48, 30), (55, 42), (57, 53)],
        [(48, 52), (44, 69), (43, GROUND)],
        [(48, 52), (52, 69), (53, GROUND)],
    ],
}
POSES: dict[str, dict] = {
    "stand": STAND,
    "arms-up": {
        "head": (48, 20),
        "lines": [
            [(48, 27), (48, 54)],
            [(48, 31), (37, 22), (31, 10)],
            [(48, 31), (59, 22), (65, 10)],
            [(48, 54), (44, 70), (43, GROUND)],
            [(48, 54), (52, 70), (53, GROUND)],
        ],
    },
    "arms-wide": {
        "head": (48, 18),
        "lines": [
            [(48, 25), (48, 52)],
            [(48, 30), (36, 30), (24, 30)],
            [(48, 30), (60, 30), (72, 30)],
            [(48, 52), (44, 69), (43, GROUND)],
            [(48, 52), (52, 69), (53, GROUND)],
        ],
    },
    "side-bend": {
        "head": (39, 21),
        "lines": [
            [(42, 28), (48, 53)],
            [(43, 32), (34, 18), (28, 8)],
            [(44, 33), (52, 43), (55, 52)],
            [(48, 53), (44, 70), (43, GROUND)],
            [(48, 53), (52, 70), (53, GROUND)],
        ],
    },
    "squat": {
        "head": (52, 34),
        "lines": [
            [(50, 41), (42, 62)],
            [(50, 45), (60, 50), (70, 50)],
            [(42, 62), (58, 66), (54, GROUND)],
        ],
    },
    "wide-squat": {
        "head": (48, 32),
        "lines": [
            [(48, 39), (48, 62)],
            [(48, 44), (44, 52), (48, 56)],
            [(48, 44), (52, 52), (48, 56)],
            [(48, 62), (32, 68), (30, GROUND)],
            [(48, 62), (64, 68), (66, GROUND)],
        ],
    },
    "lunge": {
        "head": (46, 20),
        "lines": [
            [(46, 27), (46, 54)],
            [(46, 31), (40, 42), (40, 52)],
            [(46, 31), (52, 42), (52, 52)],
            [(46, 54), (60, 64), (60, GROUND)],
            [(46, 54), (36, 70), (24, GROUND)],
        ],
    },
    "crescent": {
        "head": (46, 14),
        "lines": [
            [(46, 21), (46, 52)],
            [(46, 25), (42, 13), (40, 3)],
            [(46, 25), (50, 13), (52, 3)],
            [(46, 52), (60, 64), (60, GROUND)],
            [(46, 52), (34, 70), (20, GROUND)],
        ],
    },
    "hinge": {
        "head": (22, 40),
        "lines": [
            [(29, 41), (52, 46)],
            [(32, 42), (32, 54), (32, 64)],
            [(52, 46), (52, 66), (52, GROUND)],
            [(52, 46), (70, 42), (86, 38)],
        ],
    },
    "good-morning": {
        "head": (26, 36),
        "lines": [
            [(32, 39), (52, 50)],
            [(36, 41), (40, 46), (34, 48)],
            [(52, 50), (50, 68), (50, GROUND)],
            [(52, 50), (56, 68), (56, GROUND)],
        ],
    },
    "bridge": {
        "head": (14, 78),
        "lines": [
            [(21, 79), (48, 66)],
            [(24, 80), (36, 84), (46, GROUND)],
            [(48, 66), (64, 62), (68, GROUND)],
        ],
    },
    "plank": {
        "head": (16, 58),
        "lines": [
            [(22, 62), (70, 74)],
            [(26, 64), (26, 76), (36, 78)],
            [(70, 74), (84, 78), (86, GROUND - 2)],
        ],
    },
    "all-fours": {
        "head": (22, 50),
        "lines": [
            [(28, 54), (58, 56)],
            [(30, 55), (30, 70), (30, GROUND)],
            [(30, 55), (18, 52), (6, 50)],
            [(58, 56), (58, 72), (72, GROUND)],
            [(58, 56), (74, 54), (90, 52)],
        ],
    },
    "child": {  # sitting back on the heels: knees and shins on the floor, forehead down
        "head": (23, 79),
        "lines": [
            [(30, 77), (58, 70)],
            [(31, 78), (18, 84), (6, 85)],
            [(58, 70), (38, GROUND), (64, GROUND)],
        ],
    },
    "knees-chest": {
        "head": (16, 78),
        "lines": [
            [(23, 80), (50, 80)],
            [(30, 79), (40, 68), (46, 60)],
            [(50, 80), (44, 62), (60, 58)],
        ],
    },
    "seated": {
        "head": (42, 26),
        "lines": [
            [(42, 33), (42, 58)],
            [(42, 38), (50, 48), (58, 50)],
            [(42, 58), (60, 58), (60, GROUND)],
        ],
    },
    "seated-reach": {
        "head": (40, 26),
        "lines": [
            [(42, 33), (42, 58)],
            [(42, 37), (36, 24), (32, 13)],
            [(42, 58), (60, 58), (60, GROUND)],
        ],
    },
    "seated-leg-out": {
        "head": (48, 30),
        "lines": [
            [(46, 37), (40, 58)],
            [(46, 41), (56, 52), (64, 60)],
            [(40, 58), (60, 66), (78, GROUND - 2)],
            [(40, 58), (52, 58), (52, GROUND)],
        ],
    },
    "step-up": {
        "head": (40, 14),
        "lines": [
            [(40, 21), (40, 48)],
            [(40, 26), (34, 37), (34, 47)],
            [(40, 26), (46, 37), (46, 47)],
            [(40, 48), (52, 58), (52, 70)],
            [(40, 48), (36, 66), (32, GROUND)],
        ],
    },
    "walk": {
        "head": (50, 18),
        "lines": [
            [(49, 25), (47, 52)],
            [(49, 30), (40, 40), (36, 50)],
            [(49, 30), (56, 40), (62, 46)],
            [(47, 52), (56, 68), (60, GROUND)],
            [(47, 52), (40, 68), (32, GROUND)],
        ],
    },
    "march": {
        "head": (48, 18),
        "lines": [
            [(48, 25), (48, 52)],
            [(48, 30), (40, 38), (42, 26)],
            [(48, 30), (56, 40), (58, 50)],
            [(48, 52), (60, 54), (58, 70)],
            [(48, 52), (46, 69), (46, GROUND)],
        ],
    },
    "leg-side": {
        "head": (44, 18),
        "lines": [
            [(45, 25), (46, 52)],
            [(45, 30), (36, 40), (30, 44)],
            [(45, 30), (53, 41), (55, 51)],
            [(46, 52), (44, 69), (44, GROUND)],
            [(46, 52), (60, 66), (72, 76)],
        ],
    },
    "incline": {
        "head": (28, 30),
        "lines": [
            [(33, 35), (62, 62)],
            [(36, 38), (30, 46), (24, 48)],
            [(62, 62), (70, 74), (76, GROUND)],
        ],
    },
    "wall-sit": {
        "head": (22, 30),
        "lines": [
            [(22, 37), (22, 60)],
            [(22, 42), (30, 50), (34, 56)],
            [(22, 60), (42, 60), (42, GROUND)],
        ],
    },
    "dip": {  # hands on the front edge of the seat, the chair's back against the wall
        "head": (44, 38),
        "lines": [
            [(44, 45), (45, 66)],
            [(44, 48), (34, 58), (37, 50)],
            [(45, 66), (64, 64), (66, GROUND)],
        ],
    },
    "tiptoe": {  # heels lifted, weight on the balls of the feet
        "head": (48, 12),
        "lines": [
            [(48, 19), (48, 46)],
            [(48, 24), (41, 36), (39, 47)],
            [(48, 24), (55, 36), (57, 47)],
            [(48, 46), (44, 63), (43, 79), (49, GROUND)],
            [(48, 46), (52, 63), (53, 79), (59, GROUND)],
        ],
    },
    "wall-press": {
        "head": (50, 22),
        "lines": [
            [(52, 29), (58, 54)],
            [(53, 33), (64, 34), (74, 30)],
            [(58, 54), (54, 70), (50, GROUND)],
            [(58, 54), (62, 70), (64, GROUND)],
        ],
    },
}

# Exercise id -> (pose, props). Props: chair, desk, wall, stairs, band, floor.
EXERCISES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "step-up": ("strength", "step-up", ("stairs",)),
    "banded-glute-bridge": ("strength", "bridge", ("floor", "band-thighs")),
    "single-leg-deadlift": ("strength", "hinge", ()),
    "glute-bridge": ("strength", "bridge", ("floor",)),
    "chair-squat": ("strength", "squat", ("chair-behind",)),
    "desk-push-up": ("strength", "incline", ("desk-left",)),
    "wall-sit": ("strength", "wall-sit", ("wall-left",)),
    "calf-raise": ("strength", "tiptoe", ("floor", "heel-up")),
    "split-squat": ("strength", "lunge", ()),
    "reverse-lunge": ("strength", "lunge", ("arrow-back",)),
    "chair-dip": ("strength", "dip", ("wall-far-left", "chair-backrest-left")),
    "standing-hip-abduction": ("strength", "leg-side", ("desk-left",)),
    "band-pull-apart": ("strength", "arms-wide", ("band-arms",)),
    "banded-side-step": ("strength", "wide-squat", ("band-knees",)),
    "bird-dog": ("strength", "all-fours", ("floor",)),
    "forearm-plank": ("strength", "plank", ("floor",)),
    "desk-plank": ("strength", "incline", ("desk-left",)),
    "seated-knee-lift": ("strength", "seated", ("chair",)),
    "sumo-squat": ("strength", "wide-squat", ()),
    "good-morning": ("strength", "good-morning", ()),
    "stair-climb": ("cardio", "step-up", ("stairs", "speed")),
    "stair-walk": ("cardio", "step-up", ("stairs",)),
    "march-in-place": ("cardio", "march", ()),
    "step-jack": ("cardio", "arms-up", ()),
    "walk-and-refill": ("cardio", "walk", ("cup",)),
    "brisk-walk": ("cardio", "walk", ("speed",)),
    "shoulder-rolls": ("mobility", "stand", ("circle-shoulders",)),
    "chin-tuck": ("mobility", "stand", ("arrow-head",)),
    "seated-cat-cow": ("mobility", "seated", ("chair",)),
    "chair-back-extension": ("mobility", "seated-reach", ("chair",)),
    "wrist-circles": ("mobility", "stand", ("circle-hands",)),
    "ankle-circles": ("mobility", "seated-leg-out", ("chair-small",)),
    "hip-circles": ("mobility", "stand", ("circle-hips",)),
    "arm-circles": ("mobility", "arms-wide", ("circle-arms",)),
    "leg-swings": ("mobility", "leg-side", ("desk-left",)),
    "wall-angel": ("mobility", "arms-up", ("wall-right",)),
    "torso-rotation": ("mobility", "stand", ("circle-hips",)),
    "shoulder-blade-squeeze": ("mobility", "seated", ("chair",)),
    "hip-mobility-flow": ("mobility", "lunge", ("circle-hips",)),
    "crescent-lunge": ("stretch", "crescent", ()),
    "doorway-chest-stretch": ("stretch", "wall-press", ("wall-right",)),
    "standing-quad-stretch": ("stretch", "stand", ()),
    "seated-hamstring-stretch": ("stretch", "seated-leg-out", ("chair-small",)),
    "seated-figure-four": ("stretch", "seated", ("chair",)),
    "wall-calf-stretch": ("stretch", "wall-press", ("wall-right",)),
    "overhead-side-stretch": ("stretch", "side-bend", ()),
    "neck-side-stretch": ("stretch", "stand", ("arrow-head",)),
    "forearm-stretch": ("stretch", "arms-wide", ()),
    "cross-body-shoulder-stretch": ("stretch", "stand", ("circle-shoulders",)),
    "childs-pose": ("stretch", "child", ("floor",)),
    "knees-to-chest": ("stretch", "knees-chest", ("floor",)),
    "full-body-stretch-sequence": ("stretch", "arms-up", ()),
}

# A prop is a list of shapes in the 96 x 96 box, drawn the same way into the SVG and the PNG:
# ("lines", colour, width, round_caps, [polyline, ...]), ("quad", colour, width, start, control, end)
# (a quadratic curve) or ("polygon", fill, stroke, width, points).
BAND = "#e65100"
PROPS: dict[str, list[tuple]] = {
    "floor": [("lines", PROP, 2, False, [[(4, 87), (92, 87)]])],
    "stairs": [("lines", PROP, 3, False, [[(50, 87), (50, 72), (66, 72), (66, 58), (82, 58), (82, 44), (92, 44)]])],
    "chair": [("lines", PROP, 3, False, [[(30, 58), (62, 58)], [(36, 58), (36, 87)], [(58, 58), (58, 87)],
                                         [(32, 58), (32, 30)]])],
    "chair-behind": [("lines", PROP, 3, False, [[(28, 66), (48, 66)], [(32, 66), (32, 87)], [(46, 66), (46, 87)],
                                                [(28, 66), (28, 44)]])],
    "chair-backrest-left": [("lines", PROP, 3, False, [[(14, 50), (38, 50)], [(18, 50), (18, 87)],
                                                       [(34, 50), (34, 87)], [(14, 50), (14, 22)]])],
    "wall-far-left": [("lines", PROP, 4, False, [[(9, 10), (9, 87)]])],
    "chair-small": [("lines", PROP, 3, False, [[(26, 60), (50, 60)], [(30, 60), (30, 87)], [(46, 60), (46, 87)],
                                               [(28, 60), (28, 32)]])],
    "desk-left": [("lines", PROP, 3, False, [[(4, 48), (30, 48)], [(8, 48), (8, 87)], [(26, 48), (26, 87)]])],
    "wall-left": [("lines", PROP, 4, False, [[(12, 10), (12, 87)]])],
    "wall-right": [("lines", PROP, 4, False, [[(78, 10), (78, 87)]])],
    # across the thighs just above the knees (the thigh runs from the hip 48,66 to the knee 64,62)
    "band-thighs": [("quad", BAND, 2.5, (53, 87), (59, 35), (65, 87))],
    "band-arms": [("lines", BAND, 2.5, False, [[(26, 33), (70, 33)]])],
    "band-knees": [("lines", BAND, 2.5, False, [[(38, 66), (58, 66)]])],
    "speed": [("lines", PROP, 2, True, [[(6, 40), (20, 40)], [(4, 48), (18, 48)], [(6, 56), (20, 56)]])],
    "cup": [("polygon", "#4fc3f7", PROP, 1.5, [(60, 44), (68, 44), (67, 54), (61, 54)])],
    "heel-up": [("lines", PROP, 2, False, [[(34, 86), (34, 74)], [(30, 78), (34, 74), (38, 78)]])],
    "arrow-back": [("lines", PROP, 2, False, [[(30, 80), (14, 80)], [(20, 75), (14, 80), (20, 85)]])],
    "arrow-head": [("lines", PROP, 2, False, [[(62, 18), (74, 18)], [(70, 14), (74, 18), (70, 22)]])],
}
CIRCLES = {
    "circle-shoulders": (48, 30, 12),
    "circle-hands": (48, 54, 14),
    "circle-hips": (48, 52, 12),
    "circle-arms": (48, 30, 30),
}
HEAD_RADIUS = 6.5
LIMB_WIDTH = 4
PNG_SIZES = {"": 96, "@2x": 192}  # file suffix -> pixels; @2x for a scaled-up font (HiDPI)
SUPERSAMPLE = 4  # drawn this much larger, then scaled down: smooth edges without an SVG renderer


def _points(points) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in points)


def _svg_shape(shape: tuple) -> list[str]:
    kind = shape[0]
    if kind == "lines":
        _, colour, width, round_caps, lines = shape
        caps = ' stroke-linecap="round"' if round_caps else ""
        return [f'<polyline points="{_points(line)}" fill="none" stroke="{colour}" stroke-width="{width:g}"{caps}/>'
                for line in lines]
    if kind == "quad":
        _, colour, width, (x0, y0), (cx, cy), (x1, y1) = shape
        return [f'<path d="M{x0:g} {y0:g}Q{cx:g} {cy:g} {x1:g} {y1:g}" fill="none" stroke="{colour}"'
                f' stroke-width="{width:g}"/>']
    _, fill, stroke, width, points = shape
    return [f'<polygon points="{_points(points)}" fill="{fill}" stroke="{stroke}" stroke-width="{width:g}"/>']


def svg(exercise_id: str) -> str:
    category, pose_name, props = EXERCISES[exercise_id]
    pose = POSES[pose_name]
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" width="96" height="96"'
        f' role="img" aria-label="{exercise_id}">',
        f'<rect x="0" y="0" width="96" height="96" rx="14" fill="{TINT[category]}"/>',
    ]
    for prop in props:
        if prop in CIRCLES:
            x, y, r = CIRCLES[prop]
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="{r}" fill="none" stroke="{PROP}" stroke-width="1.5"'
                ' stroke-dasharray="4 3"/>'
            )
        else:
            for shape in PROPS[prop]:
                parts.extend(_svg_shape(shape))
    hx, hy = pose["head"]
    parts.append(f'<g fill="none" stroke="{INK}" stroke-width="{LIMB_WIDTH}" stroke-linecap="round"'
                 ' stroke-linejoin="round">')
    for line in pose["lines"]:
        parts.append(f'<polyline points="{_points(line)}"/>')
    parts.append("</g>")
    parts.append(f'<circle cx="{hx:g}" cy="{hy:g}" r="{HEAD_RADIUS}" fill="{INK}"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# --- the same drawing as PNG (Pillow), so the app shows it with Tk's own PhotoImage ---------------


def _quad_points(start, control, end, steps: int = 24) -> list[tuple[float, float]]:
    return [((1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t * t * end[0],
             (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t * t * end[1])
            for t in (i / steps for i in range(steps + 1))]


class _Pen:
    """Draws in the 96-unit box at ``scale`` pixels per unit."""

    def __init__(self, draw, scale: float) -> None:
        self.draw = draw
        self.scale = scale

    def xy(self, points) -> list[tuple[float, float]]:
        return [(x * self.scale, y * self.scale) for x, y in points]

    def dot(self, x: float, y: float, radius: float, colour: str) -> None:
        s = self.scale
        self.draw.ellipse((x * s - radius * s, y * s - radius * s, x * s + radius * s, y * s + radius * s),
                          fill=colour)

    def line(self, points, colour: str, width: float, round_caps: bool, round_joins: bool = False) -> None:
        pixels = max(1, round(width * self.scale))
        self.draw.line(self.xy(points), fill=colour, width=pixels, joint="curve" if round_joins else None)
        if round_caps:
            for x, y in points:  # round caps (and joins): a disc at every point
                self.dot(x, y, width / 2, colour)

    def shape(self, shape: tuple) -> None:
        kind = shape[0]
        if kind == "lines":
            _, colour, width, round_caps, lines = shape
            for points in lines:
                self.line(points, colour, width, round_caps)
        elif kind == "quad":
            _, colour, width, start, control, end = shape
            self.line(_quad_points(start, control, end), colour, width, False, round_joins=True)
        else:
            _, fill, stroke, width, points = shape
            self.draw.polygon(self.xy(points), fill=fill, outline=stroke, width=max(1, round(width * self.scale)))

    def dashed_circle(self, x: float, y: float, r: float, colour: str, width: float) -> None:
        import math

        circumference = 2 * math.pi * r
        dash, gap = 4, 3
        angle = 0.0
        while angle < circumference - 0.5:
            run = min(dash, circumference - angle)
            points = [(x + r * math.cos((angle + run * i / 6) / r), y + r * math.sin((angle + run * i / 6) / r))
                      for i in range(7)]
            self.line(points, colour, width, False, round_joins=True)
            angle += dash + gap


def png(exercise_id: str, size: int) -> bytes:
    """The pictogram as a small palette PNG of ``size`` x ``size`` pixels, transparent corners."""
    import io

    from PIL import Image, ImageDraw

    category, pose_name, props = EXERCISES[exercise_id]
    pose = POSES[pose_name]
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    scale = big / 96
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=round(14 * scale), fill=TINT[category])
    pen = _Pen(draw, scale)
    for prop in props:
        if prop in CIRCLES:
            pen.dashed_circle(*CIRCLES[prop], PROP, 1.5)
        else:
            for shape in PROPS[prop]:
                pen.shape(shape)
    for points in pose["lines"]:
        pen.line(points, INK, LIMB_WIDTH, True, round_joins=True)
    pen.dot(*pose["head"], HEAD_RADIUS, INK)
    small = image.resize((size, size), Image.LANCZOS)
    paletted = small.quantize(colors=48, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    paletted.save(out, format="PNG", optimize=True)
    return out.getvalue()


def write_all(folder: Path) -> list[Path]:
    """Every pictogram as ``<id>.svg``, ``<id>.png`` and ``<id>@2x.png`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for exercise_id in EXERCISES:
        target = folder / f"{exercise_id}.svg"
        target.write_text(svg(exercise_id), encoding="utf-8")
        written.append(target)
        for suffix, size in PNG_SIZES.items():
            target = folder / f"{exercise_id}{suffix}.png"
            target.write_bytes(png(exercise_id, size))
            written.append(target)
    return written


def main() -> None:
    folder = HERE / "img"
    written = write_all(folder)
    pngs = sum(path.stat().st_size for path in written if path.suffix == ".png")
    print(f"wrote {len(EXERCISES)} pictograms (SVG, PNG and @2x PNG) to {folder}; the PNGs take {pngs} bytes")


if __name__ == "__main__":
    main()
