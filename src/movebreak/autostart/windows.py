"""Autostart on Windows: a value in ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``.

Explorer starts every command in that key at login. Task Manager's Startup tab does not
delete it when the user switches it off: it writes a value of the same name under
``...\\Explorer\\StartupApproved\\Run`` whose first byte is odd. ``status`` reads that;
``enable`` (an explicit "on" from the user) clears it; ``disable`` deletes both.
The registry is reached through a small object (``WinRegistry`` by default, ``winreg``
imported on first use); tests pass a dictionary-backed fake with the same methods.

Check by hand: ``python -m movebreak.autostart.windows`` prints the current state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from movebreak.autostart.common import AutostartState
from movebreak.i18n import _

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
VALUE_NAME = "movebreak"


class Registry(Protocol):
    """The few HKEY_CURRENT_USER operations autostart needs."""

    def get(self, key: str, name: str) -> object | None:
        """The value's data, or None when the key or value does not exist."""

    def set_string(self, key: str, name: str, data: str) -> None:
        """Create the key if needed and set a REG_SZ value."""

    def delete(self, key: str, name: str) -> None:
        """Delete the value; nothing happens when it does not exist."""


class WinRegistry:
    def get(self, key: str, name: str) -> object | None:
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_READ) as handle:
                return winreg.QueryValueEx(handle, name)[0]
        except FileNotFoundError:
            return None

    def set_string(self, key: str, name: str, data: str) -> None:
        import winreg

        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
            winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, data)

    def delete(self, key: str, name: str) -> None:
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
                winreg.DeleteValue(handle, name)
        except FileNotFoundError:
            pass


def command_line(command: Sequence[str]) -> str:
    import subprocess

    return subprocess.list2cmdline(list(command))


class RunKeyAutostart:
    name = "runkey"

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry if registry is not None else WinRegistry()

    @property
    def where(self) -> str:
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{VALUE_NAME}"

    def enable(self, command: Sequence[str]) -> AutostartState:
        self.registry.set_string(RUN_KEY, VALUE_NAME, command_line(command))
        self.registry.delete(APPROVED_KEY, VALUE_NAME)
        return self.status()

    def disable(self) -> AutostartState:
        self.registry.delete(RUN_KEY, VALUE_NAME)
        self.registry.delete(APPROVED_KEY, VALUE_NAME)
        return self.status()

    def status(self) -> AutostartState:
        data = self.registry.get(RUN_KEY, VALUE_NAME)
        if not isinstance(data, str) or not data:
            return AutostartState(False, self.where)
        approved = self.registry.get(APPROVED_KEY, VALUE_NAME)
        if isinstance(approved, (bytes, bytearray)) and approved and approved[0] % 2 == 1:
            return AutostartState(False, self.where, data,
                                  _("switched off in Task Manager's Startup tab; movebreak autostart enable "
                                    "switches it on again"))
        return AutostartState(True, self.where, data)


if __name__ == "__main__":
    print(RunKeyAutostart().status())
