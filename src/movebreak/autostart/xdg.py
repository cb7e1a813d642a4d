"""Autostart on Linux and other free desktops: ``$XDG_CONFIG_HOME/autostart/<app-id>.desktop``.

The XDG Autostart spec: every ``.desktop`` file in ``$XDG_CONFIG_HOME/autostart`` (default
``~/.config/autostart``) starts at login; a file there with ``Hidden=true`` also switches
off a system-wide entry of the same name in ``$XDG_CONFIG_DIRS/autostart`` (default
``/etc/xdg/autostart``, where a distribution package might put one). So ``disable``
deletes the user's file, or, when a system entry exists, writes one with ``Hidden=true``.

Check by hand: ``python -m movebreak.autostart.xdg`` prints the current state.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from movebreak.autostart.common import APP_ID, AutostartState, icon_file, write_user_only
from movebreak.i18n import _

# The same keys as packaging/linux/autostart/<app-id>.desktop (a test keeps them in step);
# only Exec and Icon differ, because here they point at this very install.
ENTRY_HEAD = """\
[Desktop Entry]
Type=Application
Name=movebreak
GenericName=Break reminder
GenericName[de]=Pausenerinnerung
Comment=Reminds you to get up and move
Comment[de]=Erinnert dich daran, aufzustehen und dich zu bewegen
"""
ENTRY_TAIL = """\
Terminal=false
Categories=Utility;
StartupNotify=false
X-GNOME-Autostart-enabled=true
X-GNOME-Autostart-Delay=5
X-KDE-autostart-after=panel
"""
HIDDEN_ENTRY = """\
[Desktop Entry]
Type=Application
Name=movebreak
Hidden=true
"""

_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def exec_quote(argument: str) -> str:
    """One argument of an ``Exec=`` line, quoted as the Desktop Entry spec asks."""
    text = argument.replace("%", "%%")
    if text and not (set(text) & _RESERVED):
        return text
    escaped = "".join("\\" + char if char in '"`$\\' else char for char in text)
    return f'"{escaped}"'


def exec_line(command: Sequence[str]) -> str:
    """The whole ``Exec=`` value, with the key file's own backslash escaping on top."""
    return " ".join(exec_quote(argument) for argument in command).replace("\\", "\\\\")


def entry_text(command: Sequence[str], icon: Path | None) -> str:
    lines = [f"Exec={exec_line(command)}"]
    lines.append(f"Icon={icon}" if icon is not None else f"Icon={APP_ID}")
    return ENTRY_HEAD + "\n".join(lines) + "\n" + ENTRY_TAIL


def read_entry(path: Path) -> dict[str, str]:
    """The keys of the ``[Desktop Entry]`` group (enough to judge an autostart file)."""
    keys: dict[str, str] = {}
    group = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1]
            continue
        if group == "Desktop Entry" and "=" in line:
            key, value = line.split("=", 1)
            keys[key.strip()] = value.strip()
    return keys


def switched_off(keys: Mapping[str, str]) -> bool:
    return keys.get("Hidden", "").lower() == "true" or keys.get("X-GNOME-Autostart-enabled", "").lower() == "false"


class XdgAutostart:
    name = "xdg"

    def __init__(self, config_home: Path, config_dirs: Sequence[Path] = ()) -> None:
        self.folder = Path(config_home) / "autostart"
        self.system_folders = [Path(folder) / "autostart" for folder in config_dirs]

    @classmethod
    def for_user(cls, environ: Mapping[str, str]) -> "XdgAutostart":
        """``$XDG_CONFIG_HOME`` (absolute only, as the spec says), else ``$HOME/.config``."""
        configured = environ.get("XDG_CONFIG_HOME", "")
        if configured and os.path.isabs(configured):
            config_home = Path(configured)
        else:
            home = environ.get("HOME") or str(Path.home())
            config_home = Path(home) / ".config"
        dirs = [Path(part) for part in (environ.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(":")
                if part and os.path.isabs(part)]
        return cls(config_home, dirs)

    @property
    def path(self) -> Path:
        return self.folder / f"{APP_ID}.desktop"

    def system_entry(self) -> Path | None:
        for folder in self.system_folders:
            candidate = folder / f"{APP_ID}.desktop"
            if candidate.is_file():
                return candidate
        return None

    def enable(self, command: Sequence[str]) -> AutostartState:
        write_user_only(self.path, entry_text(command, icon_file()).encode("utf-8"))
        return self.status()

    def disable(self) -> AutostartState:
        if self.system_entry() is not None:
            write_user_only(self.path, HIDDEN_ENTRY.encode("utf-8"))
        else:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
        return self.status()

    def status(self) -> AutostartState:
        if self.path.is_file():
            keys = read_entry(self.path)
            if switched_off(keys):
                system = self.system_entry()
                note = _("it switches off the system-wide entry {path}", path=system) if system else None
                return AutostartState(False, str(self.path), None, note)
            return AutostartState(True, str(self.path), keys.get("Exec"))
        system = self.system_entry()
        if system is not None:
            keys = read_entry(system)
            return AutostartState(not switched_off(keys), str(system), keys.get("Exec"),
                                  _("a system-wide entry, installed with the package"))
        return AutostartState(False, str(self.path))


if __name__ == "__main__":
    print(XdgAutostart.for_user(os.environ).status())
