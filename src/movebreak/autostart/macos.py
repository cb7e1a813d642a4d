"""Autostart on macOS: a LaunchAgent, ``~/Library/LaunchAgents/<app-id>.plist``.

launchd loads every plist in that folder at login; ``RunAtLoad`` starts movebreak then.
``enable`` writes the plist and runs ``launchctl enable gui/<uid>/<label>``, which clears a
"disabled" override (System Settings → Login Items writes one), so the user's latest
choice wins. ``disable`` deletes the plist and runs ``launchctl disable`` for the label,
so a copy restored from a backup stays off too. Neither starts nor stops the app that is
running now (``bootstrap``/``bootout`` would: RunAtLoad launches at once, bootout sends
SIGTERM). ``launchctl`` is called through an injectable runner; tests pass a fake.

Check by hand: ``python -m movebreak.autostart.macos`` prints the current state.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from movebreak.autostart.common import APP_ID, AutostartState, write_user_only
from movebreak.errors import MovebreakError
from movebreak.i18n import _

# (argv) -> (exit status, output); the default runs the real launchctl.
Runner = Callable[[Sequence[str]], "tuple[int, str]"]


def run_launchctl(argv: Sequence[str]) -> tuple[int, str]:
    import subprocess

    try:
        done = subprocess.run(["launchctl", *argv], capture_output=True, text=True, timeout=15, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return 127, str(error)
    return done.returncode, (done.stdout + done.stderr).strip()


def agent_plist(command: Sequence[str]) -> bytes:
    """The LaunchAgent; the same keys as packaging/macos/io.github.movebreak.Movebreak.plist."""
    import plistlib

    agent = {
        "Label": APP_ID,
        "ProgramArguments": list(command),
        "RunAtLoad": True,
        "KeepAlive": False,  # Quit means quit until the next login
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",  # only in a graphical login, never over ssh
    }
    return plistlib.dumps(agent, fmt=plistlib.FMT_XML, sort_keys=False)


class LaunchAgentAutostart:
    name = "launchagent"

    def __init__(self, agents_dir: Path, uid: int, launchctl: Runner = run_launchctl) -> None:
        self.agents_dir = Path(agents_dir)
        self.uid = uid
        self.launchctl = launchctl

    @classmethod
    def for_user(cls, environ: Mapping[str, str], launchctl: Runner = run_launchctl) -> "LaunchAgentAutostart":
        home = environ.get("HOME") or str(Path.home())
        uid = os.getuid() if hasattr(os, "getuid") else 0
        return cls(Path(home) / "Library" / "LaunchAgents", uid, launchctl)

    @property
    def path(self) -> Path:
        return self.agents_dir / f"{APP_ID}.plist"

    @property
    def service(self) -> str:
        return f"gui/{self.uid}/{APP_ID}"

    def enable(self, command: Sequence[str]) -> AutostartState:
        write_user_only(self.path, agent_plist(command))
        status, output = self.launchctl(["enable", self.service])
        if status != 0:
            raise MovebreakError(_("launchctl enable {service} failed ({output}); {path} is written and loads at the "
                                   "next login unless Login Items has movebreak switched off",
                                   service=self.service, output=output or status, path=self.path))
        return self.status()

    def disable(self) -> AutostartState:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        self.launchctl(["disable", self.service])  # the plist is gone: that alone already disables it
        return self.status()

    def overridden_off(self) -> bool:
        """Whether launchd has a "disabled" override for the label (``launchctl print-disabled``)."""
        status, output = self.launchctl(["print-disabled", f"gui/{self.uid}"])
        if status != 0:
            return False
        for line in output.splitlines():
            # e.g.   "io.github.movebreak.Movebreak" => disabled   (older: => true)
            if f'"{APP_ID}"' in line:
                verdict = line.split("=>", 1)[-1].strip().lower()
                return verdict in ("disabled", "true")
        return False

    def status(self) -> AutostartState:
        if not self.path.is_file():
            return AutostartState(False, str(self.path))
        import plistlib

        try:
            with open(self.path, "rb") as handle:
                arguments = plistlib.load(handle).get("ProgramArguments") or []
        except (plistlib.InvalidFileException, ValueError, AttributeError):
            raise MovebreakError(_("{path} is not a valid LaunchAgent plist; run: movebreak autostart enable",
                                   path=self.path)) from None
        import shlex

        command = shlex.join(str(part) for part in arguments)
        if self.overridden_off():
            return AutostartState(False, str(self.path), command,
                                  _("switched off in System Settings → Login Items; movebreak autostart enable "
                                    "switches it on again"))
        return AutostartState(True, str(self.path), command)


if __name__ == "__main__":
    print(LaunchAgentAutostart.for_user(os.environ).status())
