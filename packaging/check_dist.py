"""Check what `python -m build` made: every shipped asset is in the wheel and the sdist.

Usage: python packaging/check_dist.py DIST_DIR   (.ci/packaging runs it)
Prints one line per archive with its size; exits 1 naming what is missing.
"""

from __future__ import annotations

import sys
import tarfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Files under assets/ that are tools, not assets: they may ship, but need not.
NOT_REQUIRED = {"exercises/make_pictograms.py"}


def expected_assets() -> list[str]:
    root = REPO / "assets"
    names = [path.relative_to(root).as_posix() for path in sorted(root.rglob("*")) if path.is_file()]
    return [name for name in names if name not in NOT_REQUIRED and "__pycache__" not in name]


def check_wheel(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as wheel:
        names = set(wheel.namelist())
    problems = [f"wheel lacks movebreak/assets/{name}" for name in expected_assets()
                if f"movebreak/assets/{name}" not in names]
    for needed in ("movebreak/cli/__init__.py", "movebreak/autostart/__init__.py", "movebreak/autostart/common.py",
                   "movebreak/autostart/xdg.py", "movebreak/autostart/macos.py", "movebreak/autostart/windows.py"):
        if needed not in names:
            problems.append(f"wheel lacks {needed}")
    if not any(name.endswith(".dist-info/entry_points.txt") for name in names):
        problems.append("wheel has no entry_points.txt (the movebreak console script)")
    if any(name.startswith(("tests/", "packaging/")) for name in names):
        problems.append("wheel contains tests/ or packaging/")
    kinds = {"catalogue TOML": "movebreak/assets/exercises/strength.toml",
             "German locale": "movebreak/assets/locale/de/cli.toml",
             "autostart locale": "movebreak/assets/locale/de/autostart.toml",
             "icon": "movebreak/assets/icons/hicolor/256x256/apps/movebreak.png",
             "exercise SVG": "movebreak/assets/exercises/img/chair-squat.svg",
             "exercise PNG": "movebreak/assets/exercises/img/chair-squat.png",
             "exercise PNG for large fonts": "movebreak/assets/exercises/img/chair-squat@2x.png"}
    problems += [f"wheel lacks the {kind} {name}" for kind, name in kinds.items() if name not in names]
    return problems


def check_sdist(path: Path) -> list[str]:
    with tarfile.open(path) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    wanted = [f"assets/{name}" for name in expected_assets()] + [
        "pyproject.toml", "README.md", "src/movebreak/cli/__init__.py",
        "packaging/linux/io.github.movebreak.Movebreak.desktop",
        "packaging/linux/io.github.movebreak.Movebreak.metainfo.xml",
        "packaging/pyinstaller/movebreak_build.py",
    ]
    return [f"sdist lacks {name}" for name in wanted if name not in names]


def main(folder: str) -> int:
    dist = Path(folder)
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        print(f"check_dist: expected one wheel and one sdist in {dist}, found {wheels + sdists}")
        return 1
    problems = check_wheel(wheels[0]) + check_sdist(sdists[0])
    for archive in (wheels[0], sdists[0]):
        print(f"check_dist: {archive.name}: {archive.stat().st_size / 1024:.0f} KiB")
    for problem in problems:
        print(f"check_dist: {problem}")
    if not problems:
        print(f"check_dist: OK, {len(expected_assets())} asset files in the wheel and the sdist")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "dist"))
