"""Quiet on Windows: the shell's notification state, and the microphone/camera use record.

``SHQueryUserNotificationState`` (shell32) is what Windows itself consults before showing a
notification: busy with a fullscreen app or a Direct3D game, presentation mode, quiet time.
``QUNS_APP`` (7, a Store app in front) is not counted: on Windows 10 and later such apps
are windowed. A call shows in ``CapabilityAccessManager\\ConsentStore``: each app that
used the microphone or webcam has a key whose ``LastUsedTimeStop`` is 0 while it still
uses it (desktop apps under ``NonPackaged``). Both are read in-process (ctypes, winreg),
behind injectable ``shell32``/``registry`` objects so tests pass fakes.
"""

from __future__ import annotations

from movebreak.i18n import _
from movebreak.quiet.base import SourceReport, reason_of

QUNS_BUSY = 2  # a fullscreen app, or presentation settings
QUNS_RUNNING_D3D_FULL_SCREEN = 3
QUNS_PRESENTATION_MODE = 4
QUNS_QUIET_TIME = 6
FULLSCREEN_STATES = frozenset({QUNS_BUSY, QUNS_RUNNING_D3D_FULL_SCREEN})
DO_NOT_DISTURB_STATES = frozenset({QUNS_PRESENTATION_MODE, QUNS_QUIET_TIME})

CONSENT_STORE = r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"
CAPTURE_DEVICES = ("microphone", "webcam")
DESKTOP_APPS = "NonPackaged"


def notification_state(shell32=None) -> int:
    """The QUNS_* value; raises OSError when the call fails or this is not Windows."""
    import ctypes

    if shell32 is None:
        windll = getattr(ctypes, "windll", None)
        if windll is None:
            raise OSError(_("this is not Windows (ctypes.windll is missing)"))
        shell32 = windll.shell32
    state = ctypes.c_int(0)
    result = int(shell32.SHQueryUserNotificationState(ctypes.byref(state)))
    if result != 0:
        raise OSError(f"SHQueryUserNotificationState returned {result & 0xFFFFFFFF:#010x}")
    return state.value


class NotificationState:
    """do-not-disturb or fullscreen, from one ``SHQueryUserNotificationState`` call."""

    def __init__(self, name: str, states: frozenset[int], shell32=None) -> None:
        self.name = name
        self.reason = name
        self._states = states
        self._shell32 = shell32

    def active(self) -> bool | None:
        return notification_state(self._shell32) in self._states

    def report(self) -> SourceReport:
        try:
            notification_state(self._shell32)
        except Exception as error:
            return SourceReport(self.name, False, _("SHQueryUserNotificationState failed ({error}): not detected",
                                                    error=reason_of(error)))
        if self.name == "fullscreen":
            detail = _("reads from SHQueryUserNotificationState whether a fullscreen app or game is in front")
        else:
            detail = _("reads from SHQueryUserNotificationState whether presentation mode or quiet time is on")
        return SourceReport(self.name, True, detail)


class ConsentStoreCalls:
    """A microphone or webcam in use, from the CapabilityAccessManager's ConsentStore (HKCU)."""

    name = "calls"
    reason = "call"

    def __init__(self, registry=None) -> None:
        self._registry = registry

    def _winreg(self):
        if self._registry is None:
            import winreg

            self._registry = winreg
        return self._registry

    def in_use(self) -> bool:
        registry = self._winreg()
        with registry.OpenKey(registry.HKEY_CURRENT_USER, CONSENT_STORE) as store:
            return any(self._device_in_use(registry, store, device) for device in CAPTURE_DEVICES)

    def _device_in_use(self, registry, store, device: str) -> bool:
        try:
            key = registry.OpenKey(store, device)
        except OSError:
            return False  # never used on this account
        with key:
            for app in _subkeys(registry, key):
                if app == DESKTOP_APPS:
                    with registry.OpenKey(key, app) as desktop:
                        if any(_app_in_use(registry, desktop, name) for name in _subkeys(registry, desktop)):
                            return True
                elif _app_in_use(registry, key, app):
                    return True
        return False

    def active(self) -> bool | None:
        return self.in_use()

    def report(self) -> SourceReport:
        try:
            self.in_use()
        except ImportError:
            return SourceReport(self.name, False, _("this is not Windows (winreg is missing): not detected"))
        except OSError as error:
            return SourceReport(self.name, False, _("Windows keeps no record of microphone and camera use here "
                                                    "({error}): not detected", error=reason_of(error)))
        return SourceReport(self.name, True, _("reads from Windows' privacy records (CapabilityAccessManager) "
                                               "whether an app uses the microphone or camera"))


def _subkeys(registry, key) -> list[str]:
    names = []
    while True:
        try:
            names.append(registry.EnumKey(key, len(names)))
        except OSError:  # no more subkeys
            return names


def _app_in_use(registry, parent, name: str) -> bool:
    """An app's key: in use while it has started (LastUsedTimeStart) and not stopped (LastUsedTimeStop 0)."""
    try:
        with registry.OpenKey(parent, name) as app:
            stop = registry.QueryValueEx(app, "LastUsedTimeStop")[0]
            start = registry.QueryValueEx(app, "LastUsedTimeStart")[0]
    except OSError:
        return False  # never used, or removed in between
    return stop == 0 and start != 0
