"""``Icon``: pystray's icon as a StatusNotifierItem with a dbusmenu menu (see the package docstring).

Threads: ``_run`` (pystray's loop, the main thread) opens the connection, owns the item's
name, then blocks in ``Bus.serve`` answering the host; the UI thread sets the icon, title
and menu, which emits signals on the same connection. A menu click or ``Activate`` runs
its pystray callback on a short thread of its own, never on the bus thread, so an action
that waits for the app (or for a D-Bus reply) cannot stall the tray.

The item registers with ``org.kde.StatusNotifierWatcher`` when shown, and again whenever
a watcher appears (``NameOwnerChanged``): a panel that starts late or restarts gets the
icon. Until a watcher exists the icon waits on the bus, costing nothing.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from movebreak.tray.sni.loading import pystray_module
from movebreak.dbus_connection import Bus, MethodError
from movebreak.tray.sni.dbusmenu import INTERFACE as MENU_INTERFACE, MenuModel, variants
from movebreak.tray.sni.item import (ACTIVE, INTROSPECTABLE, ITEM_INTERFACE, ITEM_PATH, ITEM_XML, MENU_PATH,
                                     MENU_XML, NEEDS_ATTENTION, PASSIVE, PEER, PROPERTIES, ROOT_XML, WATCHER,
                                     WATCHER_PATH, item_bus_name, item_properties, menu_properties, pixmaps)

log = logging.getLogger("movebreak.tray.sni")

UNKNOWN_METHOD = "org.freedesktop.DBus.Error.UnknownMethod"
INVALID_ARGS = "org.freedesktop.DBus.Error.InvalidArgs"
CALL_TIMEOUT = 2.0

_base = pystray_module()._base


class Icon(_base.Icon):
    """A pystray icon shown through the session bus's StatusNotifierWatcher."""

    HAS_DEFAULT_ACTION = True  # Activate (a left click) runs the default item
    HAS_MENU = True
    HAS_MENU_RADIO = True
    HAS_NOTIFICATION = False  # movebreak sends its own notifications (notify/freedesktop.py)

    def __init__(self, name, icon=None, title=None, menu=None, *, address: str | None = None, **kwargs) -> None:
        super().__init__(name, icon, title, menu, **kwargs)
        self._address = address if address is not None else os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
        self._bus: Bus | None = None
        self._bus_name = item_bus_name(os.getpid())
        self._model = MenuModel()
        self._pixmaps: list = []
        self._status = ACTIVE
        self._attention = False
        self._stopping = threading.Event()
        self.registered = threading.Event()  # set once a watcher accepted the item
        self.watcher_owner: str | None = None  # the unique name of the watcher that did
        self._started_at = time.monotonic()
        # Connected here, not in _run: a bus that cannot be reached is then an error of the
        # constructor (tray/ui.py goes on in terminal mode), not of pystray's loop, whose setup
        # thread would wait for ever for a loop that never became ready.
        self._bus = self._connect()

    # --- what tray/ui.py adds to pystray's API -----------------------------------------------

    def set_attention(self, pending: bool) -> None:
        """Status NeedsAttention while a reminder is pending (the host may highlight the icon)."""
        self._attention = bool(pending)
        if self._status != PASSIVE:
            self._set_status(NEEDS_ATTENTION if self._attention else ACTIVE)

    # --- pystray's backend hooks ---------------------------------------------------------------

    def _run(self) -> None:
        if self._bus is None or self._bus.closed:
            self._bus = self._connect()
        self._mark_ready()
        bus = self._bus
        try:
            bus.serve(self._handle)
        finally:
            bus.release()

    def _run_detached(self) -> None:
        raise NotImplementedError("the StatusNotifierItem tray runs its own loop (run)")

    def _stop(self) -> None:
        self._stopping.set()
        bus = self._bus
        if bus is not None:
            bus.close()

    def _show(self) -> None:
        if self._status == PASSIVE:
            self._set_status(NEEDS_ATTENTION if self._attention else ACTIVE)
        self._register()

    def _hide(self) -> None:
        self._set_status(PASSIVE)

    def _update_icon(self) -> None:
        self._pixmaps = pixmaps(self._icon)
        self._icon_valid = True
        self._emit(ITEM_PATH, ITEM_INTERFACE, "NewIcon")
        self._emit(ITEM_PATH, ITEM_INTERFACE, "NewAttentionIcon")

    def _update_title(self) -> None:
        self._emit(ITEM_PATH, ITEM_INTERFACE, "NewTitle")
        self._emit(ITEM_PATH, ITEM_INTERFACE, "NewToolTip")

    def _update_menu(self) -> None:
        self._refresh_menu()

    def _notify(self, message, title=None) -> None:
        raise NotImplementedError("notifications go through movebreak's notifier")

    def _remove_notification(self) -> None:
        pass

    # --- the bus ---------------------------------------------------------------------------------

    def _connect(self) -> Bus:
        from jeepney import MatchRule, message_bus

        if not self._address:
            raise ConnectionError("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
        bus = Bus.open(self._address, timeout=CALL_TIMEOUT)
        try:
            (result,) = bus.blocking_call(message_bus.RequestName(self._bus_name, 4), timeout=CALL_TIMEOUT)
            if result not in (1, 4):  # primary owner, or already owner
                log.info("could not own %s (RequestName %s); registering the unique name", self._bus_name, result)
                self._bus_name = bus.unique_name
            rule = MatchRule(type="signal", sender="org.freedesktop.DBus", interface="org.freedesktop.DBus",
                             member="NameOwnerChanged", path="/org/freedesktop/DBus")
            rule.add_arg_condition(0, WATCHER)
            bus.blocking_call(message_bus.AddMatch(rule), timeout=CALL_TIMEOUT)
        except Exception:
            bus.release()
            raise
        return bus

    def _register(self) -> None:
        """RegisterStatusNotifierItem; its answer comes on the bus thread (no waiting here)."""
        from jeepney import DBusAddress, new_method_call

        bus = self._bus
        if bus is None or bus.closed:
            return
        watcher = DBusAddress(WATCHER_PATH, bus_name=WATCHER, interface=WATCHER)
        message = new_method_call(watcher, "RegisterStatusNotifierItem", "s", (self._bus_name,))

        def answered(reply) -> None:
            from jeepney import HeaderFields, MessageType

            if reply.header.message_type is MessageType.error:
                log.info("no StatusNotifierWatcher took the icon yet (%s); it shows once one starts",
                         reply.header.fields.get(HeaderFields.error_name, ""))
                return
            self.watcher_owner = reply.header.fields.get(HeaderFields.sender, "")
            log.info("tray icon registered with %s (%s) %.3f s after the tray started", WATCHER,
                     self.watcher_owner, time.monotonic() - self._started_at)
            self.registered.set()

        try:
            bus.call_async(message, answered)
        except Exception:
            log.info("could not register the tray icon", exc_info=True)

    def _emit(self, path: str, interface: str, member: str, signature: str | None = None, body=()) -> None:
        bus = self._bus
        if bus is None or bus.closed:
            return
        from jeepney import DBusAddress, new_signal

        try:
            bus.send(new_signal(DBusAddress(path, interface=interface), member, signature, body))
        except Exception:
            log.debug("could not emit %s", member, exc_info=True)

    def _set_status(self, status: str) -> None:
        if status != self._status:
            self._status = status
            self._emit(ITEM_PATH, ITEM_INTERFACE, "NewStatus", "s", (status,))

    def _refresh_menu(self) -> bool:
        """Evaluate the menu; tell the host what changed. True when something did."""
        try:
            change = self._model.rebuild(self._menu)
        except Exception:
            log.exception("building the tray menu failed")
            return False
        if change is None:
            return False
        if change.updated:
            self._emit(MENU_PATH, MENU_INTERFACE, "ItemsPropertiesUpdated", "a(ia{sv})a(ias)",
                       ([(node_id, variants(props)) for node_id, props in change.updated], []))
        self._emit(MENU_PATH, MENU_INTERFACE, "LayoutUpdated", "ui", (change.revision, 0))
        return True

    # --- answering the host ---------------------------------------------------------------------

    def _handle(self, message) -> None:
        from jeepney import HeaderFields, MessageType, new_error, new_method_return

        header = message.header
        fields = header.fields
        if header.message_type is MessageType.signal:
            self._on_signal(fields.get(HeaderFields.member), message.body)
            return
        if header.message_type is not MessageType.method_call:
            return
        path = fields.get(HeaderFields.path, "")
        interface = fields.get(HeaderFields.interface, "")
        member = fields.get(HeaderFields.member, "")
        try:
            signature, body = self._method(path, interface, member, message.body)
        except MethodError as error:
            reply = new_error(message, error.name, "s", (error.text or error.name,))
        except (KeyError, IndexError, TypeError, ValueError) as error:
            reply = new_error(message, INVALID_ARGS, "s", (f"{member}: {error}",))
        else:
            reply = new_method_return(message, signature, body)
        if header.flags & 1:  # NO_REPLY_EXPECTED
            return
        try:
            self._bus.send(reply)
        except Exception:
            log.debug("could not answer %s", member, exc_info=True)

    def _on_signal(self, member, body) -> None:
        if member == "NameOwnerChanged" and len(body) == 3 and body[0] == WATCHER:
            self.registered.clear()
            if body[2]:  # a (new) watcher: a panel started or restarted
                log.info("a StatusNotifierWatcher appeared (%s); registering the tray icon", body[2])
                if self._visible:
                    self._register()

    def _method(self, path: str, interface: str, member: str, args) -> tuple[str, tuple]:
        if interface == PEER or (not interface and member in ("Ping", "GetMachineId")):
            if member == "Ping":
                return "", ()
        if member == "Introspect" and interface in (INTROSPECTABLE, ""):
            return "s", ({ITEM_PATH: ITEM_XML, MENU_PATH: MENU_XML, "/": ROOT_XML}.get(path, "<node/>"),)
        if path == ITEM_PATH:
            return self._item_method(interface, member, args)
        if path == MENU_PATH:
            return self._menu_method(interface, member, args)
        raise MethodError(UNKNOWN_METHOD, f"no object at {path}")

    def _properties(self, path: str, interface: str, member: str, args, table: dict, own: str):
        if args and args[0] not in (own, ""):
            raise MethodError(INVALID_ARGS, f"no interface {args[0]}")
        if member == "GetAll":
            return "a{sv}", (table,)
        if member == "Get":
            if args[1] not in table:
                raise MethodError(INVALID_ARGS, f"no property {args[1]}")
            return "v", (table[args[1]],)
        raise MethodError("org.freedesktop.DBus.Error.PropertyReadOnly", "every property is read-only")

    def _item_method(self, interface: str, member: str, args) -> tuple[str, tuple]:
        if interface == PROPERTIES:
            table = item_properties(item_id=self.name, title=self.title or self.name, status=self._status,
                                    icon=self._pixmaps, tooltip=self.title or "")
            return self._properties(ITEM_PATH, interface, member, args, table, ITEM_INTERFACE)
        if interface not in (ITEM_INTERFACE, ""):
            raise MethodError(UNKNOWN_METHOD, f"no interface {interface}")
        if member == "Activate":
            self._in_background(self, "activate")  # pystray: calling the icon runs the default item
            return "", ()
        if member in ("ContextMenu", "SecondaryActivate", "Scroll", "ProvideXdgActivationToken"):
            return "", ()  # the host shows the menu itself; a middle click or a scroll does nothing
        raise MethodError(UNKNOWN_METHOD, f"no method {member}")

    def _menu_method(self, interface: str, member: str, args) -> tuple[str, tuple]:
        if interface == PROPERTIES:
            return self._properties(MENU_PATH, interface, member, args, menu_properties(), MENU_INTERFACE)
        if interface not in (MENU_INTERFACE, ""):
            raise MethodError(UNKNOWN_METHOD, f"no interface {interface}")
        if member == "GetLayout":
            parent, depth, names = args
            self._refresh_menu()  # callable texts and item lists are evaluated for each layout
            return "u(ia{sv}av)", self._model.layout(parent, depth, list(names))
        if member == "GetGroupProperties":
            ids, names = args
            return "a(ia{sv})", (self._model.properties(list(ids), list(names)),)
        if member == "GetProperty":
            node_id, name = args
            found = dict(self._model.properties([node_id], [name]))
            if node_id not in found or name not in found[node_id]:
                raise MethodError(INVALID_ARGS, f"item {node_id} has no property {name}")
            return "v", (found[node_id][name],)
        if member == "Event":
            node_id, event, _data, _timestamp = args
            if not self._model.has(node_id):
                raise MethodError(INVALID_ARGS, f"no menu item {node_id}")
            self._event(node_id, event)
            return "", ()
        if member == "EventGroup":
            (events,) = args
            unknown = [node_id for node_id, *_rest in events if not self._model.has(node_id)]
            for node_id, event, _data, _timestamp in events:
                if node_id not in unknown:
                    self._event(node_id, event)
            return "ai", (unknown,)
        if member == "AboutToShow":
            return "b", (self._refresh_menu(),)
        if member == "AboutToShowGroup":
            (ids,) = args
            changed = self._refresh_menu()
            unknown = [node_id for node_id in ids if not self._model.has(node_id)]
            return "aiai", ([node_id for node_id in ids if changed and node_id not in unknown], unknown)
        raise MethodError(UNKNOWN_METHOD, f"no method {member}")

    def _event(self, node_id: int, event: str) -> None:
        if event != "clicked":
            return  # "hovered", "opened", "closed": nothing to do
        item = self._model.item(node_id)
        if item is None or not item.enabled or item.submenu is not None:
            return
        self._in_background(self._handler(item), "click")

    def _in_background(self, work, what: str) -> None:
        def run() -> None:
            try:
                work()
            except Exception:
                log.exception("the tray's %s action failed", what)

        threading.Thread(target=run, name=f"movebreak-tray-{what}", daemon=True).start()
