"""What every PyInstaller spec of movebreak shares: entry script, data, hidden imports.

movebreak imports its GUI and OS libraries lazily, and pystray, APScheduler 3 and plyer
pick modules at run time (backends by name, triggers through entry points), so the
analysis cannot see them all. They are listed here per operating system, on top of what
pyinstaller-hooks-contrib adds (its pystray hook imports pystray, which fails without a
display: the "Failed to collect submodules for 'pystray'" warning is expected, and the
list below is what keeps the backends in). The shipped ``assets/`` folder goes to ``movebreak/assets``
inside the bundle, where ``movebreak.resources.assets_dir()`` looks first.

The specs add this folder to ``sys.path`` and call ``analysis_options(system)``.
"""

from __future__ import annotations

from pathlib import Path

APP_ID = "io.github.movebreak.Movebreak"
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ENTRY = str(HERE / "movebreak_entry.py")
ICON_PNG = str(REPO / "assets" / "icons" / "hicolor" / "512x512" / "apps" / "movebreak.png")

COMMON_HIDDEN = [
    "PIL.Image", "PIL.ImageDraw", "PIL.ImageFont", "PIL.ImageColor", "PIL.PngImagePlugin",
    "apscheduler.schedulers.background",
    "apscheduler.triggers.date", "apscheduler.triggers.interval", "apscheduler.triggers.cron",
    "apscheduler.executors.pool", "apscheduler.jobstores.memory",
    "platformdirs", "tzlocal",
]
PER_SYSTEM_HIDDEN = {
    "linux": ["pystray._xorg", "pystray._gtk", "pystray._appindicator", "pystray._util", "pystray._util.gtk",
              "Xlib.display", "Xlib.X", "Xlib.Xatom", "Xlib.XK", "Xlib.error", "Xlib.protocol.event",
              "Xlib.ext.screensaver", "Xlib.ext.xfixes", "Xlib.ext.randr", "Xlib.support.unix_connect",
              "Xlib.keysymdef.latin1", "Xlib.keysymdef.miscellany",
              "jeepney", "jeepney.io.blocking", "jeepney.bus_messages"],
    "win32": ["pystray._win32", "pystray._util.win32", "plyer.platforms.win.notification",
              "plyer.platforms.win.libs.balloontip", "winreg", "tzdata"],
    "darwin": ["pystray._darwin", "plyer.platforms.macosx.notification", "Quartz", "plistlib"],
}
# Needed by none of the builds: keeps the bundle small and its tray backend predictable
# (the Linux build uses pystray's xorg backend; GTK would drag in its whole stack).
EXCLUDES = ["gi", "pytest", "hypothesis", "numpy", "setuptools", "pip", "IPython"]


def hidden_imports(system: str) -> list[str]:
    from PyInstaller.utils.hooks import collect_submodules

    # movebreak imports its own modules inside functions; collect them all to be sure.
    own = collect_submodules("movebreak")
    xlib = collect_submodules("Xlib") if system == "linux" else []
    return sorted(set(COMMON_HIDDEN + PER_SYSTEM_HIDDEN[system] + own + xlib))


def datas() -> list[tuple[str, str]]:
    from PyInstaller.utils.hooks import copy_metadata

    # APScheduler 3 resolves "interval"/"date" through entry points: ship its metadata.
    return [(str(REPO / "assets"), "movebreak/assets"), *copy_metadata("APScheduler")]


def analysis_options(system: str) -> dict:
    return {
        "pathex": [str(REPO / "src")],
        "datas": datas(),
        "hiddenimports": hidden_imports(system),
        "excludes": EXCLUDES,
        "noarchive": False,
    }
