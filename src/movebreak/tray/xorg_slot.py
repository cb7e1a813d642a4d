"""pystray's xorg icon drawn into its tray slot with the aspect ratio kept (``icon.in_slot``).

pystray 0.19 stretches the image to the icon window's size (``_assert_icon_data``), so
the round icon was an oval in trayer's 24x30 slot. ``keep_aspect`` replaces that method
on the one icon object; when a future pystray renames it, this does nothing and logs so.
"""

from __future__ import annotations

import logging

log = logging.getLogger("movebreak.tray")


def keep_aspect(icon) -> bool:
    """Make the xorg ``icon`` pad its image to the slot instead of stretching it; True when done."""
    if not hasattr(icon, "_assert_icon_data"):
        log.info("pystray's xorg icon has no _assert_icon_data; the icon may be stretched in its slot")
        return False

    def assert_icon_data(width: int, height: int) -> None:
        from movebreak.tray.icon import in_slot

        data = getattr(icon, "_icon_data", None)
        if data is not None and data.size == (width, height):
            return
        data = in_slot(icon._icon, width, height)
        data.tostring = data.tobytes  # what pystray's put_pil_image asks for
        icon._icon_data = data

    icon._assert_icon_data = assert_icon_data
    return True
