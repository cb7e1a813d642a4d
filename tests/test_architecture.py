"""The import rules of docs/architecture.md, checked on the source: no import cycle anywhere
under src/movebreak (imports inside functions included), no module over 500 lines, and
each module imports only from its own layer and the layers below.

Today's exceptions are listed by name (``KNOWN_LARGE``, ``KNOWN_VIOLATIONS``), each with
why; they shrink as issue 18's parts are merged and must not grow. A new cycle, a new
large module or a new upward import fails here. The checker itself is tested on a small
made-up module graph at the end.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "movebreak"
MAX_LINES = 500

# -- the layer table (docs/architecture.md), lowest first ------------------------------------------
# A module may import from its own layer and the layers below. A module is placed by the
# longest prefix of its dotted name listed here; a module that matches none fails the test,
# so a new module gets a place in the table when it is written.
LAYERS = ["contracts", "domain", "adapters", "use cases", "running app", "ui", "cli"]
LAYER_OF = {
    # contracts: plain records and helpers, stdlib only
    "movebreak.records": "contracts", "movebreak.durations": "contracts", "movebreak.clock": "contracts",
    "movebreak.errors": "contracts", "movebreak.i18n": "contracts", "movebreak.limits": "contracts",
    "movebreak.timezones": "contracts", "movebreak.timeparse": "contracts", "movebreak.resources": "contracts",
    "movebreak.x11display": "contracts", "movebreak": "contracts",
    # domain (pure): no I/O, no clock reads, no GUI
    "movebreak.engine": "domain", "movebreak.exercises.choice": "domain",
    "movebreak.summary": "domain", "movebreak.summary.accounting": "domain",
    # adapters: files, SQLite, config, the OS
    "movebreak.store": "adapters", "movebreak.config": "adapters", "movebreak.settings": "adapters", "movebreak.idle": "adapters",
    "movebreak.notify": "adapters", "movebreak.quiet": "adapters", "movebreak.exercises": "adapters", "movebreak.exercises.catalogue": "adapters",
    "movebreak.exercises.render": "adapters", "movebreak.summary.render_html": "adapters",
    "movebreak.summary.render_json": "adapters", "movebreak.summary.render_text": "adapters",
    "movebreak.summary.render_grid": "adapters",
    "movebreak.export": "adapters", "movebreak.reports": "adapters", "movebreak.paths": "adapters",
    "movebreak.environment": "adapters", "movebreak.storage_files": "adapters", "movebreak.logfile": "adapters",
    "movebreak.instance": "adapters", "movebreak.autostart": "adapters", "movebreak.tray.backend": "adapters",
    "movebreak.dbus_connection": "adapters",
    "movebreak.tray.presence": "adapters",  # issue 20.5: is a tray running yet (doctor asks it too)
    # use cases: what the CLI and the tray both do (issue 18: replaces commands.py as a service layer)
    "movebreak.usecases": "use cases", "movebreak.usecases.first_run": "use cases",
    # the running app: AppCore's parts and the scheduler
    "movebreak.running": "running app",
    # the user interfaces
    "movebreak.tray": "ui", "movebreak.tray.welcome": "ui", "movebreak.terminal": "ui",
    # the CLI and the composition root
    "movebreak.cli": "cli", "movebreak.startup": "cli",
    "movebreak.__main__": "cli", "movebreak.idle.__main__": "cli",
}

# -- today's exceptions: the lead empties these as issue 18's parts are merged -----------------------
KNOWN_LARGE: dict[str, str] = {}
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()
KNOWN_CYCLES: set[frozenset[str]] = set()


# -- the checker ---------------------------------------------------------------------------------


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> Iterable[ast.Import | ast.ImportFrom]:
    """Every import statement, inside functions too, but not in ``if TYPE_CHECKING:`` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _type_checking_only(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def imported_modules(name: str, is_package: bool, tree: ast.AST, known: set[str]) -> set[str]:
    """The modules of ``known`` that module ``name`` imports. ``from p import x`` counts as
    importing the submodule ``p.x`` when there is one, else the package ``p``."""
    found: set[str] = set()
    for node in _imports(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    found.add(alias.name)
            continue
        if node.level:
            base = name.split(".") if is_package else name.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        for alias in node.names:
            sub = f"{target}.{alias.name}"
            if sub in known:
                found.add(sub)
            elif target in known:
                found.add(target)
    found.discard(name)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    paths = {module_name(path, root): path for path in sorted((root / PACKAGE).rglob("*.py"))}
    known = set(paths)
    return {name: imported_modules(name, path.name == "__init__.py", ast.parse(path.read_text(encoding="utf-8")),
                                   known)
            for name, path in paths.items()}


def cycles(graph: Mapping[str, Iterable[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[frozenset[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph.get(start, ())))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(frozenset(component))
    return found


def layer_of(module: str, table: Mapping[str, str] = LAYER_OF) -> str | None:
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        layer = table.get(".".join(parts[:end]))
        if layer is not None:
            return layer
    return None


def upward_imports(graph: Mapping[str, Iterable[str]], table: Mapping[str, str] = LAYER_OF,
                   layers: list[str] = LAYERS) -> set[tuple[str, str]]:
    rank = {layer: number for number, layer in enumerate(layers)}
    return {(importer, imported) for importer, targets in graph.items() for imported in targets
            if rank[layer_of(imported, table)] > rank[layer_of(importer, table)]}


def large_modules(root: Path, limit: int = MAX_LINES) -> dict[str, int]:
    sizes = {path.relative_to(root).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in (root / PACKAGE).rglob("*.py")}
    return {path: lines for path, lines in sizes.items() if lines > limit}


# -- the rules on the real source ------------------------------------------------------------------


def test_every_module_has_a_layer():
    unplaced = sorted(name for name in import_graph(SRC) if layer_of(name) is None)
    assert unplaced == [], f"add these to LAYER_OF: {unplaced}"


def test_no_import_cycle():
    found = set(cycles(import_graph(SRC)))
    new = [sorted(component) for component in found - KNOWN_CYCLES]
    assert new == [], f"import cycles: {new}"
    gone = [sorted(component) for component in KNOWN_CYCLES - found]
    assert gone == [], f"fixed: remove from KNOWN_CYCLES: {gone}"


def test_no_module_over_500_lines():
    large = large_modules(SRC)
    new = {path: lines for path, lines in large.items() if path not in KNOWN_LARGE}
    assert new == {}, f"modules over {MAX_LINES} lines: {new}"
    gone = sorted(set(KNOWN_LARGE) - set(large))
    assert gone == [], f"now small enough: remove from KNOWN_LARGE: {gone}"


def test_each_module_imports_only_its_own_layer_and_below():
    found = upward_imports(import_graph(SRC))
    new = sorted(found - set(KNOWN_VIOLATIONS))
    assert new == [], f"imports from a higher layer: {new}"
    gone = sorted(set(KNOWN_VIOLATIONS) - found)
    assert gone == [], f"fixed: remove from KNOWN_VIOLATIONS: {gone}"


# -- the checker, on a made-up package -----------------------------------------------------------------


def write(root: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_checker_finds_cycles_through_function_level_relative_and_submodule_imports(tmp_path):
    write(tmp_path, {
        "movebreak/__init__.py": "",
        "movebreak/a.py": "def f():\n    from movebreak.pkg import b\n",
        "movebreak/pkg/__init__.py": "",
        "movebreak/pkg/b.py": "from . import c\n",
        "movebreak/pkg/c.py": "import movebreak.a\n",
        "movebreak/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import movebreak.e\n",
        "movebreak/e.py": "import movebreak.d\n",
    })
    graph = import_graph(tmp_path)
    assert graph["movebreak.a"] == {"movebreak.pkg.b"}
    assert graph["movebreak.pkg.b"] == {"movebreak.pkg.c"}
    assert graph["movebreak.d"] == set()  # TYPE_CHECKING only
    assert cycles(graph) == [frozenset({"movebreak.a", "movebreak.pkg.b", "movebreak.pkg.c"})]


def test_the_checker_finds_upward_imports_and_large_modules(tmp_path):
    write(tmp_path, {
        "movebreak/__init__.py": "",
        "movebreak/low.py": "from movebreak.high import thing\n",
        "movebreak/high.py": "from movebreak import low\n" + "x = 1\n" * 501,
    })
    graph = import_graph(tmp_path)
    table = {"movebreak": "top", "movebreak.low": "bottom", "movebreak.high": "top"}
    assert upward_imports(graph, table, ["bottom", "top"]) == {("movebreak.low", "movebreak.high")}
    assert cycles(graph) == [frozenset({"movebreak.low", "movebreak.high"})]
    assert large_modules(tmp_path) == {"movebreak/high.py": 502}
    assert layer_of("movebreak.pkg.deep", {"movebreak.pkg": "x"}) == "x"
