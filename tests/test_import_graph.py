"""No import circles: the module graph of tools/gitops_tools (and loadtests/) has no cycle.

Every import counts, wherever it is written: at module level, inside functions (a deferred
import is still a dependency) and under `if TYPE_CHECKING:`. A package's `__init__` running
before its submodules is not an edge (that is how packages work); an import of a name from a
package is an edge to the submodule when one has that name, else to the package.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from .conftest import REPO_ROOT

TREES = {
    "gitops_tools": REPO_ROOT / "tools" / "gitops_tools",
    "loadtests": REPO_ROOT / "loadtests",
}


def modules(package: str, root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of the tree (tests excluded)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if "tests" in rel.parts or any(part.startswith(".") for part in rel.parts):
            continue
        parts = [package, *rel.with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imported(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The known modules one module imports, anywhere in its body."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield from _known(alias.name, known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                if candidate in known:
                    yield candidate
                else:
                    yield from _known(base, known)


def _known(name: str, known: dict[str, Path]) -> Iterator[str]:
    """`name` if it is a module of the tree, else its nearest known parent package."""
    parts = name.split(".")
    while parts:
        dotted = ".".join(parts)
        if dotted in known:
            yield dotted
            return
        parts.pop()


def graph(package: str, root: Path) -> dict[str, set[str]]:
    known = modules(package, root)
    loadtests = package == "loadtests"
    if loadtests:  # loadtests' scripts import each other as top-level modules
        known |= {n.removeprefix("loadtests."): p for n, p in known.items()}
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        if loadtests and not name.startswith("loadtests"):
            continue
        targets = {t for t in imported(name, path, known) if t != name}
        if loadtests:
            targets = {t if t.startswith("loadtests") else f"loadtests.{t}" for t in targets}
            targets.discard("loadtests")
        edges[name] = targets
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module: the modules that can
    reach each other (a cycle runs through each of them)."""
    reach = {node: _reachable(node, edges) for node in edges}
    found: list[list[str]] = []
    seen: set[str] = set()
    for node in sorted(edges):
        if node in seen:
            continue
        component = sorted(n for n in reach[node] if node in reach.get(n, set()))
        if len(component) > 1:
            found.append(component)
            seen.update(component)
    return found


def _reachable(start: str, edges: dict[str, set[str]]) -> set[str]:
    out: set[str] = set()
    stack = [start]
    while stack:
        for target in edges.get(stack.pop(), ()):
            if target not in out:
                out.add(target)
                stack.append(target)
    return out


def test_the_graph_sees_function_level_and_type_checking_imports() -> None:
    edges = graph("gitops_tools", TREES["gitops_tools"])
    assert "gitops_tools.policy.registry" in edges["gitops_tools.pipeline"]  # in a function
    assert "gitops_tools.manifests" in edges["gitops_tools.k8s"]  # under TYPE_CHECKING
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_in_gitops_tools() -> None:
    found = cycles(graph("gitops_tools", TREES["gitops_tools"]))
    assert found == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_no_import_cycle_in_loadtests() -> None:
    found = cycles(graph("loadtests", TREES["loadtests"]))
    assert found == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


COMMANDS = {
    "gitops_tools.cli",
    "gitops_tools.check_command",
    "gitops_tools.rules_command",
    "gitops_tools.diff.command",
    "gitops_tools.hpa.command",
    "gitops_tools.promote.commands",
}
STAGES = {
    "gitops_tools.discover",
    "gitops_tools.render",
    "gitops_tools.manifests",
    "gitops_tools.locations",
    "gitops_tools.schemas",
    "gitops_tools.validate",
    "gitops_tools.infra",
    "gitops_tools.terraform",
    "gitops_tools.policy.engine",
    "gitops_tools.policy.config",
    "gitops_tools.policy.index",
    "gitops_tools.policy.model",
}
GROUND = {
    "gitops_tools.errors",
    "gitops_tools.fileio",
    "gitops_tools.findings",
    "gitops_tools.catalog",
    "gitops_tools.gitrun",
}


def test_calls_go_one_way() -> None:
    """Commands -> pipeline -> stages -> ground floor: no stage reaches back up to the
    pipeline, the report or a command, and the ground floor imports only itself."""
    edges = graph("gitops_tools", TREES["gitops_tools"])
    upward = {
        "gitops_tools.pipeline",
        "gitops_tools.report",
        *COMMANDS,
        *(m for m in edges if m.startswith("gitops_tools.formats")),
    }
    for stage in STAGES:
        assert not edges[stage] & upward, (stage, sorted(edges[stage] & upward))
    assert not edges["gitops_tools.pipeline"] & (upward - {"gitops_tools.pipeline"})
    for module in GROUND:
        assert edges[module] <= GROUND, (module, sorted(edges[module] - GROUND))
