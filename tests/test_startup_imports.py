"""`movebreak run` loads only what the tray icon needs before the icon is shown.

A tray app starts at every login; each module imported before the icon is time the user
waits for it (issue 9: docked no slower than Workrave). The history, the scheduler, the
catalogue, argparse and the config file are loaded from the tray's setup thread once the
icon is up. This runs the real `cli.main(["run"])` in a fresh interpreter, with the tray
check answered "usable" and a stand-in `pystray` whose `Icon.run` lists what was imported
at the moment the icon is shown: after the real `TrayUI` drew the icon and built its menu.
(pystray's own imports are its business; the stand-in keeps them out of the list.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

PROBE = textwrap.dedent("""
    import json, sys
    import movebreak.tray.backend as backend
    backend.choose_backend = lambda environ, platform: backend.BackendChoice("xorg", True, False, "probe")
    import types

    pystray = types.ModuleType("pystray")

    class Menu:
        def __init__(self, *items):
            self.items = items

    class MenuItem:
        def __init__(self, text, action, **options):
            self.text = text

    class Icon:
        def __init__(self, name, image, title, menu):
            self.image, self.title, self.menu = image, title, menu

        def run(self, setup=None):
            with open(sys.argv[1], "w") as out:
                json.dump({"modules": sorted(sys.modules), "title": self.title, "size": self.image.size,
                           "menu": [item.text for item in self.menu.items]}, out)

    pystray.Menu, pystray.MenuItem, pystray.Icon = Menu, MenuItem, Icon
    sys.modules["pystray"] = pystray
    from movebreak.cli import main
    raise SystemExit(main(["run"]))
""")

# Each of these is loaded later, by Startup.build in the setup thread.
NOT_BEFORE_THE_ICON = [
    "argparse",  # the CLI parser: `run` is dispatched without it
    "sqlite3", "movebreak.store", "movebreak.records",  # the history
    "apscheduler",  # the scheduler
    "movebreak.running", "movebreak.cli.commands", "movebreak.usecases", "movebreak.engine.engine",
    "movebreak.config", "tomllib",  # the config file is read after the icon is up
    "movebreak.exercises.catalogue",
    "movebreak.notify", "jeepney",  # notifications
    "logging.handlers",  # the rotating log is set up with the rest
    "dataclasses", "inspect",  # ~12 ms here; the classes on this path are plain or NamedTuples
    "movebreak.tray.window", "movebreak.tray.actions",  # the xorg window and what it does
    "movebreak.tray.state", "movebreak.tray.menu",  # the menu's state and entries
]


def test_movebreak_run_imports_only_what_the_icon_needs(tmp_path):
    listing = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "MOVEBREAK_"))}
    env.update({"MOVEBREAK_HOME": str(tmp_path / "home"), "PYTHONPATH": str(SRC)})
    done = subprocess.run([sys.executable, "-c", PROBE, str(listing)], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    probe = json.loads(listing.read_text())
    loaded = set(probe["modules"])
    # the probe really ran where the icon is shown, after the single-instance lock, with the
    # icon drawn and the xorg backend's one (invisible) menu item made
    assert {"movebreak.startup", "movebreak.instance", "movebreak.tray.ui", "movebreak.tray.icon"} <= loaded
    assert probe["title"] == "movebreak" and probe["size"] == [64, 64] and probe["menu"] == ["Open window"]
    early = [name for name in NOT_BEFORE_THE_ICON if name in loaded]
    assert early == [], f"imported before the tray icon is shown: {early}"
    assert "movebreak stopped; everything is saved." in done.stdout


def test_the_running_apps_notifier_and_reminders_do_not_load_the_html_entity_tables():
    """``import html`` loads 2,000-entry entity tables (~0.5 MB) that the app would hold all day
    for one escape of "&", "<" and ">"; the peak RSS target is 40 MB (issue 17)."""
    code = ("import sys, movebreak.notify.freedesktop as f, movebreak.running.reminders, movebreak.running.core\n"
            "assert f.markup_escaped('a & <b>') == 'a &amp; &lt;b&gt;'\n"
            "print(sorted(m for m in sys.modules if m == 'html' or m.startswith('html.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(SRC)}).stdout
    assert out.strip() == "[]"
