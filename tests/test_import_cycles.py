"""No import cycles between weaklabel modules.

Every module under ``weaklabel/`` is parsed (never imported) and each import of a weaklabel
module becomes an edge of a graph of modules: module-level imports and imports inside
functions alike (a function-level import that only dodges a cycle is still a cycle), but
not imports under ``if TYPE_CHECKING:``, which never run. The rules follow what Python does
at run time:

- relative imports are resolved against the importing module's package;
- ``from pkg import name`` imports the submodule ``pkg.name`` when there is one, else
  ``pkg`` itself;
- importing a package runs its ``__init__``, and importing ``a.b.c`` first imports the
  packages ``a.b`` and ``a`` -- except those the importing module lives in, which Python
  has already imported before the module itself;
- the string maps of lazy exports (``weaklabel._lazy``, ``weaklabel._deprecated``) are
  data, not imports: a name is imported when first used, after its package is loaded.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "weaklabel"


def module_name(path: Path, root: Path = PACKAGE_ROOT) -> str:
    """``weaklabel/models/base.py`` -> ``weaklabel.models.base``; a package's ``__init__``
    is the package."""
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def find_modules(root: Path = PACKAGE_ROOT) -> dict[str, Path]:
    """Every module of the package under ``root``, by dotted name."""
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Import statements that can run: everything but the body of ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The weaklabel modules that importing module ``name`` (at ``path``) may run."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    targets: set[str] = set()
    for node in _runtime_imports(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        if node.level:  # relative: from . import x, from ..y import z
            base = _package_of(name, path).split(".")
            base = base[: len(base) - (node.level - 1)]
            origin = ".".join(base + ([node.module] if node.module else []))
        else:
            origin = node.module or ""
        for alias in node.names:
            submodule = f"{origin}.{alias.name}"
            targets.add(submodule if submodule in modules else origin)
    own = set(_ancestors(name))
    edges: set[str] = set()
    for target in targets:
        for module in [*_ancestors(target), target]:
            if module in modules and module not in own and module != name:
                edges.add(module)
    return edges


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the weaklabel modules it imports (see :func:`imports_of`)."""
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module, as a path
    ``[a, b, ..., a]``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []

    def connect(v: str) -> None:  # Tarjan's algorithm; the graph is small
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return [_cycle_in(graph, set(c)) for c in components]


def _cycle_in(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest cycle through the first module of a strongly connected component."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph[v] & component):
                if w == start:
                    return [*paths[v], start]
                if w not in paths:
                    paths[w] = [*paths[v], w]
                    nxt.append(w)
        frontier = nxt
    raise AssertionError(f"no cycle in component {sorted(component)}")  # pragma: no cover


def test_import_cycles_none_between_weaklabel_modules() -> None:
    cycles = find_cycles(import_graph(find_modules()))
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


# ------------------------------------------------------------------ the checker itself
def _write(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return find_modules(root / "pkg")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(  # a function-level import closes a cycle too
            {
                "pkg/__init__.py": "",
                "pkg/a.py": "from pkg.b import f\n",
                "pkg/b.py": "def f():\n    from pkg import a\n",
            },
            [["pkg.a", "pkg.b", "pkg.a"]],
            id="function-level",
        ),
        pytest.param(  # relative imports, and `from pkg import submodule`
            {
                "pkg/__init__.py": "",
                "pkg/sub/__init__.py": "",
                "pkg/sub/a.py": "from . import b\n",
                "pkg/sub/b.py": "from ..sub.a import x\n",
            },
            [["pkg.sub.a", "pkg.sub.b", "pkg.sub.a"]],
            id="relative",
        ),
        pytest.param(  # importing a.b.c runs the package a.b's __init__ first
            {
                "pkg/__init__.py": "",
                "pkg/low.py": "from pkg.high.errors import E\n",
                "pkg/high/__init__.py": "from pkg.high.model import M\n",
                "pkg/high/errors.py": "",
                "pkg/high/model.py": "import pkg.low\n",
            },
            [["pkg.high", "pkg.high.model", "pkg.low", "pkg.high"]],
            id="parent-package",
        ),
        pytest.param(  # TYPE_CHECKING imports, own packages and lazy string maps: no edge
            {
                "pkg/__init__.py": "EXPORTS = {'M': 'pkg.high.model'}\n",
                "pkg/high/__init__.py": "from pkg.high.model import M\n",
                "pkg/high/model.py": (
                    "from typing import TYPE_CHECKING\nimport pkg.high.util\n"
                    "if TYPE_CHECKING:\n    from pkg.high import M\n"
                ),
                "pkg/high/util.py": "",
            },
            [],
            id="no-cycle",
        ),
    ],
)
def test_import_cycles_checker_finds_cycles(
    tmp_path: Path, files: dict[str, str], expected: list[list[str]]
) -> None:
    modules = _write(tmp_path, files)
    assert find_cycles(import_graph(modules)) == expected
