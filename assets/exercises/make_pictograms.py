"""Draw the exercise pictograms: a stick figure in a pose, the prop it needs, a category tint.

Run from anywhere: ``python assets/exercises/make_pictograms.py``. It rewrites
``assets/exercises/img/<id>.svg`` for every exercise listed in POSES below; the catalogue
test checks that every built-in exercise has its picture.
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

PROPS = {
    "floor": '<line x1="4" y1="87" x2="92" y2="87" stroke="{prop}" stroke-width="2"/>',
    "stairs": '<path d="M50 87V72H66V58H82V44H92" fill="none" stroke="{prop}" stroke-width="3"/>',
    "chair": '<path d="M30 58H62M36 58V87M58 58V87M32 58V30" fill="none" stroke="{prop}" stroke-width="3"/>',
    "chair-behind": '<path d="M28 66H48M32 66V87M46 66V87M28 66V44" fill="none" stroke="{prop}" stroke-width="3"/>',
    "chair-backrest-left": '<path d="M14 50H38M18 50V87M34 50V87M14 50V22" fill="none" stroke="{prop}" stroke-width="3"/>',
    "wall-far-left": '<line x1="9" y1="10" x2="9" y2="87" stroke="{prop}" stroke-width="4"/>',
    "chair-small": '<path d="M26 60H50M30 60V87M46 60V87M28 60V32" fill="none" stroke="{prop}" stroke-width="3"/>',
    "desk-left": '<path d="M4 48H30M8 48V87M26 48V87" fill="none" stroke="{prop}" stroke-width="3"/>',
    "wall-left": '<line x1="12" y1="10" x2="12" y2="87" stroke="{prop}" stroke-width="4"/>',
    "wall-right": '<line x1="78" y1="10" x2="78" y2="87" stroke="{prop}" stroke-width="4"/>',
    # across the thighs just above the knees (the thigh runs from the hip 48,66 to the knee 64,62)
    "band-thighs": '<path d="M53 87Q59 35 65 87" fill="none" stroke="#e65100" stroke-width="2.5"/>',
    "band-arms": '<line x1="26" y1="33" x2="70" y2="33" stroke="#e65100" stroke-width="2.5"/>',
    "band-knees": '<line x1="38" y1="66" x2="58" y2="66" stroke="#e65100" stroke-width="2.5"/>',
    "speed": '<path d="M6 40H20M4 48H18M6 56H20" stroke="{prop}" stroke-width="2" stroke-linecap="round"/>',
    "cup": '<path d="M60 44h8l-1 10h-6z" fill="#4fc3f7" stroke="{prop}" stroke-width="1.5"/>',
    "heel-up": '<path d="M34 86V74m-4 4 4-4 4 4" fill="none" stroke="{prop}" stroke-width="2"/>',
    "arrow-back": '<path d="M30 80H14m6-5-6 5 6 5" fill="none" stroke="{prop}" stroke-width="2"/>',
    "arrow-head": '<path d="M62 18H74m-4-4 4 4-4 4" fill="none" stroke="{prop}" stroke-width="2"/>',
}
CIRCLES = {
    "circle-shoulders": (48, 30, 12),
    "circle-hands": (48, 54, 14),
    "circle-hips": (48, 52, 12),
    "circle-arms": (48, 30, 30),
}


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
            parts.append(PROPS[prop].format(prop=PROP))
    hx, hy = pose["head"]
    parts.append(f'<g fill="none" stroke="{INK}" stroke-width="4" stroke-linecap="round" stroke-linejoin="round">')
    for line in pose["lines"]:
        points = " ".join(f"{x:g},{y:g}" for x, y in line)
        parts.append(f'<polyline points="{points}"/>')
    parts.append("</g>")
    parts.append(f'<circle cx="{hx:g}" cy="{hy:g}" r="6.5" fill="{INK}"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> None:
    folder = HERE / "img"
    folder.mkdir(exist_ok=True)
    for exercise_id in EXERCISES:
        (folder / f"{exercise_id}.svg").write_text(svg(exercise_id), encoding="utf-8")
    print(f"wrote {len(EXERCISES)} pictograms to {folder}")


if __name__ == "__main__":
    main()
