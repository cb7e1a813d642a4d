"""packaging/: one app id everywhere, valid desktop metadata, icons in step with assets/, specs that load.

The builds themselves run in .ci/packaging (tests/test_packaging_standalone.py checks the
standalone one); these checks need no build and run in `make test`.
"""

from __future__ import annotations

import importlib.util
import plistlib
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from movebreak.autostart import APP_ID

REPO = Path(__file__).resolve().parents[1]
PACKAGING = REPO / "packaging"
LINUX = PACKAGING / "linux"
DESKTOP_FILES = [LINUX / f"{APP_ID}.desktop", LINUX / "autostart" / f"{APP_ID}.desktop"]
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
SPECS = [LINUX / "movebreak.spec", PACKAGING / "windows" / "movebreak.spec", PACKAGING / "macos" / "movebreak.spec"]
ICON_SIZES = ["16x16", "22x22", "24x24", "32x32", "48x48", "64x64", "128x128", "256x256", "512x512"]


def build_module():
    sys.path.insert(0, str(PACKAGING / "pyinstaller"))
    try:
        import movebreak_build

        return movebreak_build
    finally:
        sys.path.remove(str(PACKAGING / "pyinstaller"))


def desktop_keys(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line and not line.startswith("#"))


def test_one_app_id_everywhere():
    metainfo = ET.parse(METAINFO).getroot()
    assert metainfo.findtext("id") == APP_ID
    assert metainfo.findtext("launchable") == f"{APP_ID}.desktop"
    assert all(path.exists() for path in DESKTOP_FILES)
    assert desktop_keys(DESKTOP_FILES[0])["Icon"] == APP_ID
    assert plistlib.loads((PACKAGING / "macos" / f"{APP_ID}.plist").read_bytes())["Label"] == APP_ID
    assert build_module().APP_ID == APP_ID


def test_the_release_in_the_metainfo_is_the_version():
    from movebreak import __version__

    releases = ET.parse(METAINFO).getroot().find("releases")
    assert releases[0].get("version") == __version__


def test_the_desktop_files_start_the_tray_app():
    for path in DESKTOP_FILES:
        keys = desktop_keys(path)
        assert keys["Exec"] == "movebreak run" and keys["Type"] == "Application" and keys["Terminal"] == "false"


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icons_are_the_app_icon_in_every_hicolor_size(size):
    from PIL import Image

    shipped = LINUX / "icons" / "hicolor" / size / "apps" / f"{APP_ID}.png"
    source = REPO / "assets" / "icons" / "hicolor" / size / "apps" / "movebreak.png"
    assert shipped.read_bytes() == source.read_bytes(), f"{shipped} differs from {source}: copy it again"
    with Image.open(shipped) as image:
        assert f"{image.width}x{image.height}" == size


def test_desktop_files_pass_desktop_file_validate():
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate is missing (Debian package desktop-file-utils; .ci/packaging installs it)")
    result = subprocess.run(["desktop-file-validate", *map(str, DESKTOP_FILES)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_metainfo_passes_appstreamcli_validate():
    if shutil.which("appstreamcli") is None:
        pytest.skip("appstreamcli is missing (Debian package appstream; .ci/packaging installs it)")
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.parent.name)
def test_specs_compile_and_use_the_shared_build_module(spec):
    text = spec.read_text(encoding="utf-8")
    compile(text, str(spec), "exec")
    assert "from movebreak_build import" in text and "analysis_options(" in text


def test_the_macos_bundle_stays_out_of_the_dock():
    text = (PACKAGING / "macos" / "movebreak.spec").read_text(encoding="utf-8")
    assert '"LSUIElement": True' in text and "bundle_identifier=APP_ID" in text


def module_exists(name: str) -> bool:
    """Whether a module's file is there, without importing its packages (pystray's needs a display)."""
    top, *rest = name.split(".")
    spec = importlib.util.find_spec(top)
    if spec is None:
        return False
    folders = [Path(folder) for folder in (spec.submodule_search_locations or [])]
    for part in rest:
        found = None
        for folder in folders:
            if (folder / part / "__init__.py").is_file():
                found = [folder / part]
            elif (folder / f"{part}.py").is_file() or any(folder.glob(f"{part}.*.so")):
                found = []
        if found is None:
            return False
        folders = found
    return True


def test_linux_hidden_imports_exist():
    build = build_module()
    missing = [name for name in build.COMMON_HIDDEN + build.PER_SYSTEM_HIDDEN["linux"] if not module_exists(name)]
    assert missing == []
    assert not module_exists("pystray._no_such_backend")


def test_the_entry_script_runs_the_cli():
    entry = PACKAGING / "pyinstaller" / "movebreak_entry.py"
    result = subprocess.run([sys.executable, str(entry), "--version"], capture_output=True, text=True, timeout=30)
    from movebreak import __version__

    assert result.returncode == 0 and result.stdout.strip() == f"movebreak {__version__}"


def test_the_readme_tells_how_to_install_and_uninstall():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    install = readme.split("## Install", 1)[1].split("\n## ", 1)[0]
    for needed in ("pipx install", ".whl", "PyInstaller", "AppIndicator", "movebreak[menu]",
                   "movebreak autostart enable", "movebreak autostart disable", "pipx uninstall"):
        assert needed in install, needed
