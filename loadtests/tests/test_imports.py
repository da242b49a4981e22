"""Imports between the modules of loadtests/ go one way: no cycle, counting imports made inside
functions (they are cycles all the same, only later)."""

from __future__ import annotations

import ast
from pathlib import Path

LOADTESTS = Path(__file__).resolve().parent.parent


def import_graph(*directories: Path) -> dict[str, set[str]]:
    """Module -> the modules of `directories` it imports, anywhere in its body."""
    files = {p.stem: p for d in directories for p in sorted(d.glob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
        graph[name] = {m for m in imported if m in files and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk, each as the path that closes it."""
    found, done = [], set()

    def walk(node: str, path: list[str]) -> None:
        if node in path:
            found.append([*path[path.index(node) :], node])
            return
        if node in done:
            return
        for nxt in sorted(graph[node]):
            walk(nxt, [*path, node])
        done.add(node)

    for node in sorted(graph):
        walk(node, [])
    return found


def test_no_import_cycle_in_loadtests():
    graph = import_graph(LOADTESTS, LOADTESTS / "tests")
    assert {"hpa_observer", "hpa_verdict", "hpa_report", "hpa_plots"} <= graph.keys()
    assert cycles(graph) == []


def test_a_cycle_through_a_function_level_import_is_found(tmp_path):
    (tmp_path / "a.py").write_text("import b\n")
    (tmp_path / "b.py").write_text("def late():\n    from c import x\n")
    (tmp_path / "c.py").write_text("import os\nfrom a import y\n")
    assert cycles(import_graph(tmp_path)) == [["a", "b", "c", "a"]]
