"""Kustomization files, patches and inline patches, each read once per run, with positions.

An inline patch (`patch: |-` in a kustomization) is its own YAML text; its positions are
mapped back into the kustomization file when it is a literal block whose lines are the file's
lines, indented. Anything else (a quoted or folded string) points at its `patch:` key.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gitops_tools.yamlio import YamlError, decode_text, load_documents

FieldPath = Sequence[str | int]
Position = tuple[Path, int, int]


@dataclass(frozen=True, eq=False)
class Text:
    """The documents of one YAML text, and how its lines map to the lines of `file`."""

    file: Path
    source: str
    docs: list[Any]
    nodes: list[yaml.Node | None]
    line_offset: int = 0  # inline text: file line of its line 1, minus one
    indent: int = 0  # inline text: how far its lines are indented in the file
    anchor: tuple[int, int] | None = None  # inline text that cannot be mapped: its key

    def position(self, index: int, path: FieldPath) -> Position:
        if self.anchor is not None:
            return (self.file, *self.anchor)
        line, column = locate_in(self.nodes, index, path)
        if not line:
            return self.file, 0, 0
        return self.file, line + self.line_offset, column + self.indent

    def get(self, index: int, path: FieldPath) -> Any:
        """The value at `path` of document `index`, or None."""
        doc = self.docs[index] if 0 <= index < len(self.docs) else None
        return value_at(doc, path)[1]


def value_at(obj: Any, path: FieldPath) -> tuple[bool, Any]:
    """(whether `path` exists in `obj`, the value there)."""
    for step in path:
        in_map = isinstance(step, str) and isinstance(obj, dict) and step in obj
        in_list = isinstance(step, int) and isinstance(obj, list) and 0 <= step < len(obj)
        if not (in_map or in_list):
            return False, None
        obj = obj[step]
    return True, obj


def same_file(a: Path, b: Path) -> bool:
    if os.path.normpath(a) == os.path.normpath(b):
        return True
    return a.name == b.name and a.resolve() == b.resolve()  # through a symlink


class Texts:
    """Every text the lookup reads, parsed once (None: unreadable or not YAML)."""

    def __init__(self) -> None:
        self._files: dict[Path, Text | None] = {}
        self._inline: dict[tuple[int, tuple[str | int, ...]], Text | None] = {}
        self._lines: dict[Path, list[str] | None] = {}

    def file(self, path: Path) -> Text | None:
        key = Path(os.path.normpath(path))
        if key not in self._files:
            try:
                source = decode_text(key.read_bytes())
                self._files[key] = _parse(key, source)
            except (OSError, YamlError):
                self._files[key] = None
        return self._files[key]

    def lines(self, path: Path) -> list[str] | None:
        """The lines of a file that is not YAML (an env file); None when unreadable."""
        key = Path(os.path.normpath(path))
        if key not in self._lines:
            try:
                self._lines[key] = decode_text(key.read_bytes()).splitlines()
            except (OSError, YamlError):
                self._lines[key] = None
        return self._lines[key]

    def inline(self, host: Text, path: FieldPath) -> Text | None:
        """The YAML text held in the string at `path` of `host`'s first document."""
        key = (id(host), tuple(path))
        if key not in self._inline:
            self._inline[key] = self._parse_inline(host, path)
        return self._inline[key]

    def _parse_inline(self, host: Text, path: FieldPath) -> Text | None:
        value = host.get(0, path)
        if not isinstance(value, str):
            return None
        try:
            text = _parse(host.file, value)
        except YamlError:
            return None
        node = _value_node(host.nodes[0] if host.nodes else None, path)
        block = _block_lines(host.source, node, value) if host.anchor is None else None
        if block is None:
            _, line, column = host.position(0, path)
            return Text(host.file, value, text.docs, text.nodes, anchor=(line, column))
        offset, indent = block
        return Text(host.file, value, text.docs, text.nodes, offset, indent)


def _parse(file: Path, source: str) -> Text:
    return Text(file, source, load_documents(source), compose(source))


def _value_node(node: yaml.Node | None, path: FieldPath) -> yaml.Node | None:
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            node = next((v for k, v in node.value if getattr(k, "value", None) == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step] if 0 <= step < len(node.value) else None
        else:
            return None
    return node


def _block_lines(source: str, node: yaml.Node | None, value: str) -> tuple[int, int] | None:
    """(line offset, indent) of a literal block scalar whose lines are the file's, else None."""
    if not isinstance(node, yaml.ScalarNode) or node.style != "|":
        return None
    file_lines = source.splitlines()
    first = node.start_mark.line + 1  # content starts on the line after the `|` indicator
    lines = value.splitlines()
    filled = [(i, ln) for i, ln in enumerate(lines) if ln.strip()]
    if not filled or first + len(lines) > len(file_lines):
        return None
    head = file_lines[first + filled[0][0]]
    indent = len(head) - len(head.lstrip(" "))
    for i, ln in filled:
        if file_lines[first + i][indent:].rstrip() != ln.rstrip():
            return None
    return first, indent


# Node trees with marks: patches need the block a value is written in (inline patches are
# mapped into the kustomization file line by line), which located values alone do not give.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str) -> list[yaml.Node | None]:
    """The node tree of every document (with line marks); [] when the text does not parse."""
    try:
        return list(yaml.compose_all(text, Loader=_COMPOSER))
    except yaml.YAMLError:
        return []


def locate_in(
    documents: Sequence[yaml.Node | None], doc_index: int, path: Sequence[str | int]
) -> tuple[int, int]:
    """1-based (line, column) of the deepest node of `path` found in document `doc_index`:
    keys at their key, list items at their first character; (0, 0) when unknown."""
    if not 0 <= doc_index < len(documents):
        return (0, 0)
    node = documents[doc_index]
    if node is None:
        return (1, 1)
    mark = node.start_mark
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == step:
                    mark, node = key_node.start_mark, value_node
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if not 0 <= step < len(node.value):
                break
            node = node.value[step]
            mark = node.start_mark
        else:
            break
    return (mark.line + 1, mark.column + 1)
