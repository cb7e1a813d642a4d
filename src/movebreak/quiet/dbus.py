"""Do-not-disturb on Linux/BSD desktops, read over the session bus with jeepney.

Two places say it: the notification server's ``Inhibited`` property (KDE Plasma, and other
servers that implement it) and GNOME's ``org.gnome.desktop.notifications show-banners``,
read through the desktop portal's ``org.freedesktop.portal.Settings.Read`` so that no
``gsettings``/``dconf`` process is spawned. Either one saying "quiet" is enough; a server
without the property or a missing portal is "not known". Each reading opens a short
connection and closes it, so nothing stays open between reminders, and asks with
NO_AUTO_START: the bus does not start a service for us.

Check by hand: ``python -m movebreak.quiet`` prints what each source says.
"""

from __future__ import annotations

from movebreak.i18n import _
from movebreak.quiet.base import SourceReport, reason_of

NOTIFICATIONS = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications", "org.freedesktop.Notifications")
PORTAL = ("org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop", "org.freedesktop.portal.Settings")
GNOME_BANNERS = ("org.gnome.desktop.notifications", "show-banners")


class DesktopDoNotDisturb:
    """The notification server's ``Inhibited`` and GNOME's ``show-banners`` (via the portal)."""

    name = "do-not-disturb"
    reason = "do-not-disturb"

    def __init__(self, address: str, *, timeout: float = 0.5) -> None:
        self._address = address
        self._timeout = timeout

    def readings(self) -> tuple[bool | None, bool | None]:
        """(Inhibited, show-banners), each None when this desktop does not say; raises for a bus error."""
        from jeepney.io.blocking import open_dbus_connection

        connection = open_dbus_connection(self._address, auth_timeout=self._timeout)
        try:
            bus_name, path, interface = NOTIFICATIONS
            inhibited = self._call(connection, bus_name, path, "org.freedesktop.DBus.Properties", "Get",
                                   (interface, "Inhibited"))
            bus_name, path, interface = PORTAL
            banners = self._call(connection, bus_name, path, interface, "Read", GNOME_BANNERS)
        finally:
            connection.close()
        return inhibited, banners

    def _call(self, connection, bus_name: str, path: str, interface: str, method: str,
              args: tuple[str, str]) -> bool | None:
        """A boolean answer, or None for an error reply (no such service, property or key)."""
        from jeepney import DBusAddress, MessageType, new_method_call
        from jeepney.low_level import MessageFlag

        message = new_method_call(DBusAddress(path, bus_name=bus_name, interface=interface), method, "ss", args)
        message.header.flags |= MessageFlag.no_auto_start
        reply = connection.send_and_get_reply(message, timeout=self._timeout)
        if reply.header.message_type is MessageType.error or not reply.body:
            return None
        return _boolean(reply.body[0])

    def active(self) -> bool | None:
        if not self._address:
            return None
        inhibited, banners = self.readings()
        if inhibited or banners is False:
            return True
        if inhibited is None and banners is None:
            return None
        return False

    def report(self) -> SourceReport:
        if not self._address:
            return SourceReport(self.name, False, _("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set): "
                                                    "not detected"))
        try:
            inhibited, banners = self.readings()
        except Exception as error:
            return SourceReport(self.name, False, _("cannot reach the session bus ({error}): not detected",
                                                    error=reason_of(error)))
        if inhibited is not None and banners is not None:
            detail = _("reads the notification server's Inhibited property and GNOME's show-banners "
                       "through the settings portal")
        elif inhibited is not None:
            detail = _("reads the notification server's Inhibited property")
        elif banners is not None:
            detail = _("reads GNOME's show-banners through the settings portal")
        else:
            return SourceReport(self.name, False, _("the notification server has no Inhibited property and no "
                                                    "GNOME settings portal here: not detected"))
        return SourceReport(self.name, True, detail)


def _boolean(value) -> bool | None:
    """Unwrap D-Bus variants (``Read`` returns one inside another) down to a bool, else None."""
    while isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        value = value[1]
    return value if isinstance(value, bool) else None
