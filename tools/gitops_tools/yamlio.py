"""Strict, fast YAML loading: libyaml underneath, with the API server's strictness on top.

Duplicate keys are errors (the API server decodes strictly), timestamps stay strings (as
Kubernetes reads them), oversized input and alias bombs are refused before they cost memory.
Line numbers are not kept on load; `locate` recovers them lazily for the few objects that
need one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import yaml

MAX_BYTES = 16 * 1024 * 1024
MAX_EXPANDED_NODES = 200_000
_ANCHOR = re.compile(rb"(?:^|[\s,\[{:-])&[^\s,\[\]{}]")

try:  # libyaml is what makes loading fast; the pure-Python loader is the fallback
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class YamlError(Exception):
    """A document that cannot be loaded; line and column are 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class _StrictLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[tuple[str, str]] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            key = (key_node.tag, key_node.value)
            if key in seen:
                mark = key_node.start_mark
                raise YamlError(
                    f"duplicate key {key_node.value!r} in one mapping "
                    "(the API server rejects it; keep one)",
                    mark.line + 1,
                    mark.column + 1,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


# Kubernetes reads `2024-01-01` as a string, not a date.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def decode_text(data: bytes) -> str:
    """Bytes of a manifest file as text, or a YamlError saying why they are not text."""
    if len(data) > MAX_BYTES:
        raise YamlError(
            f"file is {len(data) / 1e6:.1f} MB, over the {MAX_BYTES // (1024 * 1024)} MiB limit "
            "for one manifest file; split it"
        )
    if b"\0" in data[:8192]:
        raise YamlError("binary file, not YAML or JSON text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            line,
        ) from None


def load_documents(text: str) -> list[Any]:
    """Every document of a YAML (or JSON) stream, `None` for empty ones."""
    if len(text) > MAX_BYTES:
        raise YamlError(f"input is over the {MAX_BYTES // (1024 * 1024)} MiB limit; split it")
    try:
        docs = list(yaml.load_all(text, Loader=_StrictLoader))
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        raise YamlError(
            f"malformed YAML: {what}",
            mark.line + 1 if mark else 0,
            mark.column + 1 if mark else 0,
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"malformed YAML: {exc}") from None
    except RecursionError:
        raise YamlError("YAML nested too deeply") from None
    if _ANCHOR.search(text.encode("utf-8", "surrogatepass")):
        for doc in docs:
            _refuse_alias_bomb(doc)
    return docs


def _refuse_alias_bomb(doc: Any) -> None:
    """Aliases share objects; count what they would expand to once serialized."""
    sizes: dict[int, int] = {}

    def size(node: Any) -> int:
        if not isinstance(node, dict | list):
            return 1
        known = sizes.get(id(node))
        if known is not None:
            return known
        children: Iterator[Any] = iter(node.values() if isinstance(node, dict) else node)
        total = 1 + sum(size(child) for child in children)
        if total > MAX_EXPANDED_NODES:
            raise YamlError(
                f"YAML aliases expand to over {MAX_EXPANDED_NODES} nodes (an alias bomb?); "
                "write the content out instead of aliasing it"
            )
        sizes[id(node)] = total
        return total

    size(doc)


def locate(text: str, doc_index: int, path: Sequence[str | int]) -> tuple[int, int]:
    """1-based (line, column) of the deepest node of `path` found in document `doc_index`.

    Keys are pointed at by their key, list items by their first character; a path that goes
    deeper than the document does stops at the deepest existing node.
    """
    try:
        nodes = yaml.compose_all(text, Loader=_BaseLoader)
        for index, node in enumerate(nodes):
            if index == doc_index:
                return _walk(node, path) if node is not None else (1, 1)
    except yaml.YAMLError:
        pass
    return (0, 0)


def _walk(node: yaml.Node, path: Sequence[str | int]) -> tuple[int, int]:
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
