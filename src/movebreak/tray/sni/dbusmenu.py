"""A pystray ``Menu`` as ``com.canonical.dbusmenu`` items: ids, properties, children.

The host (a panel) asks for the layout with ``GetLayout`` and shows the menu itself; a
click comes back as ``Event(id, "clicked")``. ``MenuModel.rebuild`` evaluates the menu
(pystray's callable texts and item lists) and says what changed since the last time, so
the icon emits ``LayoutUpdated`` (a new revision) and, when only properties changed,
``ItemsPropertiesUpdated`` too. Ids follow the items' positions (0 is the root), so an
unchanged menu keeps its ids across rebuilds. Pure: no D-Bus here, only the data.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

INTERFACE = "com.canonical.dbusmenu"
NODE = "(ia{sv}av)"
PROPERTY_TYPES = {"label": "s", "enabled": "b", "visible": "b", "type": "s", "children-display": "s",
                  "toggle-type": "s", "toggle-state": "i"}


class Node(NamedTuple):
    id: int
    props: tuple  # sorted (name, value) pairs; defaults left out, as the spec allows
    children: tuple  # child ids
    item: object  # the pystray MenuItem (None for the root)


class Change(NamedTuple):
    revision: int
    layout: bool  # the items or their order changed: hosts fetch the layout again
    updated: tuple  # (id, props) of items whose properties alone changed


def label(text: str) -> str:
    """dbusmenu reads "_" as the mnemonic mark: a literal one is doubled."""
    return str(text).replace("_", "__")


def item_props(item, separator) -> tuple:
    if item is separator:
        return (("type", "separator"),)
    props: dict[str, object] = {"label": label(item.text)}
    if not item.enabled:
        props["enabled"] = False
    if item.submenu is not None:
        props["children-display"] = "submenu"
    checked = item.checked
    if checked is not None:
        props["toggle-type"] = "radio" if item.radio else "checkmark"
        props["toggle-state"] = 1 if checked else 0
    return tuple(sorted(props.items()))


def flatten(menu) -> dict[int, Node]:
    """Every visible item of ``menu`` (a pystray Menu, or None), numbered depth first."""
    nodes: dict[int, Node] = {}
    counter = [0]
    separator = getattr(type(menu), "SEPARATOR", None) if menu is not None else None

    def walk(submenu) -> tuple:
        ids = []
        for item in (tuple(submenu) if submenu is not None else ()):
            counter[0] += 1
            node_id = counter[0]
            ids.append(node_id)
            nodes[node_id] = Node(node_id, (), (), item)  # placeholder keeps depth-first numbering
            children = walk(item.submenu) if item is not separator and item.submenu is not None else ()
            nodes[node_id] = Node(node_id, item_props(item, separator), children, item)
        return tuple(ids)

    root_children = walk(menu)
    nodes[0] = Node(0, (("children-display", "submenu"),), root_children, None)
    return nodes


class MenuModel:
    """The menu as the host last saw it (or is about to), with its revision."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._nodes: dict[int, Node] = {0: Node(0, (("children-display", "submenu"),), (), None)}
        self.revision = 1

    def rebuild(self, menu) -> Change | None:
        """Evaluate ``menu`` now; what changed since the last rebuild, or None."""
        nodes = flatten(menu)
        with self._lock:
            old = self._nodes
            if nodes == old or _same_look(nodes, old):
                self._nodes = nodes  # the same look; keep the fresh items (their callbacks)
                return None
            same_shape = old.keys() == nodes.keys() and all(
                old[i].children == nodes[i].children and _kind(old[i]) == _kind(nodes[i]) for i in nodes)
            updated = tuple((i, nodes[i].props) for i in sorted(nodes) if old[i].props != nodes[i].props) \
                if same_shape else ()
            self._nodes = nodes
            self.revision += 1
            return Change(self.revision, not same_shape, updated)

    def item(self, node_id: int):
        with self._lock:
            node = self._nodes.get(node_id)
        return node.item if node is not None else None

    def has(self, node_id: int) -> bool:
        with self._lock:
            return node_id in self._nodes

    def layout(self, parent_id: int, depth: int, names) -> tuple[int, tuple]:
        """``GetLayout``'s answer: (revision, (id, props, children)) down to ``depth`` (-1: all)."""
        with self._lock:
            nodes, revision = self._nodes, self.revision
        if parent_id not in nodes:
            raise KeyError(parent_id)
        return revision, _structure(nodes, parent_id, depth, names)

    def properties(self, ids, names) -> list[tuple[int, dict]]:
        """``GetGroupProperties``: every known item of ``ids`` (all items when empty)."""
        with self._lock:
            nodes = self._nodes
        wanted = ids or sorted(nodes)
        return [(i, variants(nodes[i].props, names)) for i in wanted if i in nodes]


def _kind(node: Node) -> str:
    return dict(node.props).get("type", "standard")


def _same_look(new: dict[int, Node], old: dict[int, Node]) -> bool:
    return new.keys() == old.keys() and all(
        new[i].props == old[i].props and new[i].children == old[i].children for i in new)


def variants(props, names=()) -> dict:
    """Properties as D-Bus variants (a{sv}), only ``names`` when given."""
    return {name: (PROPERTY_TYPES[name], value) for name, value in props if not names or name in names}


def _structure(nodes: dict[int, Node], node_id: int, depth: int, names) -> tuple:
    node = nodes[node_id]
    children = [] if depth == 0 else [
        (NODE, _structure(nodes, child, depth - 1 if depth > 0 else -1, names)) for child in node.children]
    return node_id, variants(node.props, names), children
