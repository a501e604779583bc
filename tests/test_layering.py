"""The shape of the package: no import cycles, and dependencies only point down the layers.

Every import in ``src/fourresp`` counts: module level, inside functions and under
``TYPE_CHECKING``, since each is a dependency someone reading or moving the code
must carry. The layers, lowest first (a module may import its own layer and those
below it):

1. the floor: the loader's parts, ``errors``;
2. rendering: ``badges``, ``charts`` (they take plain values, and know nothing of
   the domain);
3. ``content``: the framework and its packs;
4. the domain: ``assessment``, ``scenario``, ``supporters``;
5. the package's top level, ``fourresp`` itself: the loader's typed face, whose
   overloads name every kind's model (so nothing below may import it: the code
   below imports the loader's own modules);
6. interop and test aids: ``exchange``, ``xapi``, ``testing``, the deprecated
   ``typing``;
7. the command line, the demo and the site.
"""

from __future__ import annotations

import ast
import pathlib

import fourresp

SRC = pathlib.Path(fourresp.__file__).resolve().parent
LAYERS = (
    ("rendering", ("fourresp.badges", "fourresp.charts")),
    ("content", ("fourresp.content",)),
    ("domain", ("fourresp.assessment", "fourresp.scenario", "fourresp.supporters")),
    ("top level", ()),  # fourresp itself; see layer()
    ("interop", ("fourresp.exchange", "fourresp.xapi", "fourresp.testing", "fourresp.typing")),
    (
        "command line",
        (
            "fourresp.cli",
            "fourresp._cli",
            "fourresp.cli._demo",
            "fourresp.site",
            "fourresp.__main__",
        ),
    ),
)


def modules() -> dict[str, pathlib.Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = ["fourresp", *path.relative_to(SRC).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: pathlib.Path, known: dict[str, pathlib.Path]) -> set[str]:
    """Every fourresp module ``name`` imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def resolve(target: str) -> str | None:
        while target and target not in known:
            target = target.rpartition(".")[0]
        return target or None

    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            resolved = resolve(target)
            if resolved is not None and resolved.startswith("fourresp") and resolved != name:
                found.add(resolved)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def layer(name: str) -> int:
    """0 for the floor, then 1.. in the order of LAYERS."""
    if name == "fourresp":
        return [title for title, _ in LAYERS].index("top level") + 1
    for number, (_, prefixes) in enumerate(LAYERS, start=1):
        if any(name == p or name.startswith((p + ".", p + "_")) for p in prefixes):
            return number
    return 0


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_walker_sees_every_kind_of_import():
    edges = graph()
    assert "fourresp.errors" in edges["fourresp._load"]  # module level
    assert edges["fourresp.cli"] & {"fourresp.cli._demo"}  # inside a function
    assert "fourresp.supporters._models" in edges["fourresp.supporters._protocol"]  # TYPE_CHECKING


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_cycles_are_found_when_there_are_some():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_dependencies_only_point_down_the_layers():
    upward = [
        f"{name} ({LAYERS[layer(name) - 1][0] if layer(name) else 'floor'}) imports {target}"
        for name, targets in sorted(graph().items())
        for target in sorted(targets)
        if layer(target) > layer(name)
    ]
    assert upward == []


MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def test_modules_and_functions_stay_small():
    """No module over 600 lines and no function over 80 (its docstring included)."""
    too_long = []
    for name, path in sorted(modules().items()):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{name}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}.{node.name} (line {node.lineno}): {length} lines")
    assert too_long == []
