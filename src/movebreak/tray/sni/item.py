"""What ``org.kde.StatusNotifierItem`` and the menu object say about themselves: names,
paths, properties, introspection, and the icon as ARGB32 pixmaps. Pure data, no bus."""

from __future__ import annotations

ITEM_INTERFACE = "org.kde.StatusNotifierItem"
WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
ITEM_PATH = "/StatusNotifierItem"
MENU_PATH = "/MenuBar"
PROPERTIES = "org.freedesktop.DBus.Properties"
INTROSPECTABLE = "org.freedesktop.DBus.Introspectable"
PEER = "org.freedesktop.DBus.Peer"
PIXMAP_SIZES = (16, 22, 24, 32, 48, 64)
DBUSMENU_VERSION = 3

ACTIVE, NEEDS_ATTENTION, PASSIVE = "Active", "NeedsAttention", "Passive"


def item_bus_name(pid: int, number: int = 1) -> str:
    """The well-known name the spec asks an item to own."""
    return f"org.kde.StatusNotifierItem-{pid}-{number}"


def argb32(image) -> bytes:
    """A PIL image's pixels as ARGB32 in network byte order (A, R, G, B per pixel), as the spec says."""
    from PIL import Image

    rgba = image.convert("RGBA")
    red, green, blue, alpha = rgba.split()
    return Image.merge("RGBA", (alpha, red, green, blue)).tobytes()


def fitted(image, size: int):
    """``image`` scaled into a ``size``-pixel square, its aspect ratio kept (transparent padding)."""
    from PIL import Image

    width, height = image.size
    if (width, height) == (size, size):
        return image.convert("RGBA")
    scale = size / max(width, height, 1)
    inner = image.convert("RGBA").resize((max(1, round(width * scale)), max(1, round(height * scale))),
                                         Image.LANCZOS)
    square = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    square.paste(inner, ((size - inner.width) // 2, (size - inner.height) // 2))
    return square


def pixmaps(image, sizes=PIXMAP_SIZES) -> list[tuple[int, int, bytes]]:
    """``IconPixmap``'s value (a(iiay)): the icon at each size, so the host picks without scaling."""
    if image is None:
        return []
    return [(size, size, argb32(fitted(image, size))) for size in sizes]


def item_properties(*, item_id: str, title: str, status: str, icon: list, tooltip: str) -> dict:
    """Every property of the item as (signature, value), the way ``Get``/``GetAll`` answer."""
    return {
        "Category": ("s", "ApplicationStatus"),
        "Id": ("s", item_id),
        "Title": ("s", title),
        "Status": ("s", status),
        "WindowId": ("i", 0),
        "IconName": ("s", ""),
        "IconThemePath": ("s", ""),
        "IconPixmap": ("a(iiay)", icon),
        "OverlayIconName": ("s", ""),
        "OverlayIconPixmap": ("a(iiay)", []),
        "AttentionIconName": ("s", ""),
        "AttentionIconPixmap": ("a(iiay)", icon),
        "AttentionMovieName": ("s", ""),
        "ToolTip": ("(sa(iiay)ss)", ("", [], tooltip, "")),
        "ItemIsMenu": ("b", False),
        "Menu": ("o", MENU_PATH),
    }


def menu_properties() -> dict:
    return {
        "Version": ("u", DBUSMENU_VERSION),
        "TextDirection": ("s", "ltr"),
        "Status": ("s", "normal"),
        "IconThemePath": ("as", []),
    }


_COMMON = """
  <interface name="org.freedesktop.DBus.Properties">
    <method name="Get"><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="v" direction="out"/></method>
    <method name="GetAll"><arg type="s" direction="in"/><arg type="a{sv}" direction="out"/></method>
    <method name="Set"><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="v" direction="in"/></method>
  </interface>
  <interface name="org.freedesktop.DBus.Introspectable">
    <method name="Introspect"><arg type="s" direction="out"/></method>
  </interface>"""

ITEM_XML = """<node>
  <interface name="org.kde.StatusNotifierItem">
    <property name="Category" type="s" access="read"/>
    <property name="Id" type="s" access="read"/>
    <property name="Title" type="s" access="read"/>
    <property name="Status" type="s" access="read"/>
    <property name="WindowId" type="i" access="read"/>
    <property name="IconName" type="s" access="read"/>
    <property name="IconThemePath" type="s" access="read"/>
    <property name="IconPixmap" type="a(iiay)" access="read"/>
    <property name="OverlayIconName" type="s" access="read"/>
    <property name="OverlayIconPixmap" type="a(iiay)" access="read"/>
    <property name="AttentionIconName" type="s" access="read"/>
    <property name="AttentionIconPixmap" type="a(iiay)" access="read"/>
    <property name="AttentionMovieName" type="s" access="read"/>
    <property name="ToolTip" type="(sa(iiay)ss)" access="read"/>
    <property name="ItemIsMenu" type="b" access="read"/>
    <property name="Menu" type="o" access="read"/>
    <method name="ContextMenu"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
    <method name="Activate"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
    <method name="SecondaryActivate"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
    <method name="Scroll"><arg name="delta" type="i" direction="in"/><arg name="orientation" type="s" direction="in"/></method>
    <signal name="NewTitle"/>
    <signal name="NewIcon"/>
    <signal name="NewAttentionIcon"/>
    <signal name="NewOverlayIcon"/>
    <signal name="NewToolTip"/>
    <signal name="NewStatus"><arg name="status" type="s"/></signal>
  </interface>""" + _COMMON + "\n</node>\n"

MENU_XML = """<node>
  <interface name="com.canonical.dbusmenu">
    <property name="Version" type="u" access="read"/>
    <property name="TextDirection" type="s" access="read"/>
    <property name="Status" type="s" access="read"/>
    <property name="IconThemePath" type="as" access="read"/>
    <method name="GetLayout"><arg type="i" name="parentId" direction="in"/><arg type="i" name="recursionDepth" direction="in"/><arg type="as" name="propertyNames" direction="in"/><arg type="u" name="revision" direction="out"/><arg type="(ia{sv}av)" name="layout" direction="out"/></method>
    <method name="GetGroupProperties"><arg type="ai" name="ids" direction="in"/><arg type="as" name="propertyNames" direction="in"/><arg type="a(ia{sv})" name="properties" direction="out"/></method>
    <method name="GetProperty"><arg type="i" name="id" direction="in"/><arg type="s" name="name" direction="in"/><arg type="v" name="value" direction="out"/></method>
    <method name="Event"><arg type="i" name="id" direction="in"/><arg type="s" name="eventId" direction="in"/><arg type="v" name="data" direction="in"/><arg type="u" name="timestamp" direction="in"/></method>
    <method name="EventGroup"><arg type="a(isvu)" name="events" direction="in"/><arg type="ai" name="idErrors" direction="out"/></method>
    <method name="AboutToShow"><arg type="i" name="id" direction="in"/><arg type="b" name="needUpdate" direction="out"/></method>
    <method name="AboutToShowGroup"><arg type="ai" name="ids" direction="in"/><arg type="ai" name="updatesNeeded" direction="out"/><arg type="ai" name="idErrors" direction="out"/></method>
    <signal name="ItemsPropertiesUpdated"><arg type="a(ia{sv})" name="updatedProps"/><arg type="a(ias)" name="removedProps"/></signal>
    <signal name="LayoutUpdated"><arg type="u" name="revision"/><arg type="i" name="parent"/></signal>
    <signal name="ItemActivationRequested"><arg type="i" name="id"/><arg type="u" name="timestamp"/></signal>
  </interface>""" + _COMMON + "\n</node>\n"

ROOT_XML = """<node>
  <node name="StatusNotifierItem"/>
  <node name="MenuBar"/>
</node>
"""
