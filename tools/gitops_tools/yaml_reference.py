"""The reference decoder: libyaml's event stream, go-yaml v2's decoding, a mark for every node.

libyaml (through PyYAML's C parser) is the parser go-yaml v2 was ported from, so it accepts and
refuses the same texts with the same line and column. On its events this module applies the API
server's decoding rules (`yaml_semantics`): YAML 1.1 scalars, merge keys, aliases, strict
duplicate keys, keys turned into strings, with an alias-expansion budget. Every key and item
keeps the mark of its first character, so a finding anywhere can be located.

It is slower than yamlio's fast path (Python per event); yamlio uses it for the documents the
fast path declines, and the tests use it as the reference for the fast path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from gitops_tools.yaml_semantics import (
    MERGE,
    DecodeError,
    json_value,
    key_string,
    resolve_plain,
    resolve_tagged,
)

MAX_DEPTH = 1000
Mark = tuple[int, int]  # 0-based line and column, as libyaml counts them


class LoadError(Exception):
    """A document that cannot be decoded; line and column are 0-based (-1 when unknown)."""

    def __init__(self, message: str, line: int = -1, column: int = -1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class Budget:
    """How many nodes aliases may still add: checked per document, per file and per run."""

    def __init__(self, per_document: int, per_file: int, run: list[int]) -> None:
        self.per_document = per_document
        self.file_left = per_file
        self.run = run  # one-element list shared by every file of the run
        self.document_left = per_document

    def spend(self, nodes: int, mark: Mark) -> None:
        self.document_left -= nodes
        self.file_left -= nodes
        self.run[0] -= nodes
        if self.document_left < 0:
            what = f"YAML aliases expand to over {self.per_document} nodes in one document"
        elif self.file_left < 0:
            what = "YAML aliases expand to too many nodes in this file"
        elif self.run[0] < 0:
            what = "YAML aliases expand to too many nodes across the files of this run"
        else:
            return
        raise LoadError(
            f"{what} (an alias bomb?); write the content out instead of aliasing it", *mark
        )


@dataclass
class Document:
    """One decoded document and the marks of its nodes (by container identity)."""

    value: Any
    root: Mark
    keys: dict[int, dict[str, Mark]] = field(default_factory=dict)
    items: dict[int, list[Mark]] = field(default_factory=dict)

    def locate(self, path: Sequence[str | int]) -> Mark:
        """Mark of the deepest node of `path`: a key's first character, an item's first."""
        node, mark = self.value, self.root
        for step in path:
            if isinstance(node, dict) and isinstance(step, str) and step in node:
                mark = self.keys[id(node)][step]
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                mark = self.items[id(node)][step]
                node = node[step]
            else:
                break
        return mark


class _Container:
    __slots__ = ("anchor", "key", "key_mark", "mark", "marks", "merged", "obj", "size")

    def __init__(self, obj: Any, marks: Any, mark: Mark, anchor: str | None) -> None:
        self.obj = obj
        self.marks = marks
        self.mark = mark
        self.anchor = anchor
        self.size = 1
        self.key: Any = _NO_KEY
        self.key_mark: Mark = mark
        self.merged: set[str] = set()


class _Unusable:
    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


_NO_KEY = object()
_MERGE_KEY = object()


def decode(text: str, budget: Budget) -> list[Document]:
    """Every document of `text`; LoadError (0-based marks) for the first problem."""
    try:
        return _Decoder(budget).run(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        raise LoadError(
            f"malformed YAML: {what}", mark.line if mark else -1, mark.column if mark else -1
        ) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"malformed YAML: {exc}") from None


class _Decoder:
    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.anchors: dict[str, tuple[Any, Any, int, Any]] = {}  # value, raw, size, marks
        self.stack: list[_Container] = []
        self.open_anchors: set[str] = set()

    def run(self, text: str) -> list[Document]:
        documents: list[Document] = []
        doc: Document | None = None
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            kind = type(event)
            if kind is yaml.ScalarEvent:
                self.scalar(event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self.start(event, kind is yaml.MappingStartEvent)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.end()
            elif kind is yaml.AliasEvent:
                self.alias(event)
            elif kind is yaml.DocumentStartEvent:
                mark = (event.start_mark.line, event.start_mark.column)  # type: ignore[union-attr]
                if getattr(event, "version", None) not in (None, (1, 1)):
                    raise LoadError(
                        "found incompatible YAML document (the API server reads YAML 1.1: "
                        "drop the %YAML directive)",
                        *mark,
                    )
                doc = Document(None, mark)
                self.document = doc
                self.anchors.clear()
                self.budget.document_left = self.budget.per_document
            elif kind is yaml.DocumentEndEvent and doc is not None:
                documents.append(doc)
        return documents

    def start(self, event: Any, mapping: bool) -> None:
        mark = (event.start_mark.line, event.start_mark.column)
        if len(self.stack) >= MAX_DEPTH:
            raise LoadError(f"YAML nested too deeply (over {MAX_DEPTH} levels)", *mark)
        obj: Any = {} if mapping else []
        marks: Any = {} if mapping else []
        (self.document.keys if mapping else self.document.items)[id(obj)] = marks
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.stack.append(_Container(obj, marks, mark, event.anchor))

    def end(self) -> None:
        top = self.stack.pop()
        if top.anchor:
            self.open_anchors.discard(top.anchor)
            self.anchors[top.anchor] = (top.obj, top.obj, top.size, top.marks)
        self.add(top.obj, top.obj, top.mark, top.size, container=True)

    def scalar(self, event: Any) -> None:
        mark = (event.start_mark.line, event.start_mark.column)
        plain = event.implicit[0]
        try:
            if event.tag is None:
                raw = resolve_plain(event.value) if plain else event.value
            else:
                raw = resolve_tagged(event.tag, event.value)
            merge = (plain and event.tag is None and event.value == "<<") or event.tag == MERGE
        except DecodeError as exc:
            raise LoadError(str(exc), *mark) from None
        try:
            value = raw if merge else json_value(raw)
        except DecodeError as exc:
            value = _Unusable(str(exc))  # fine as a key (`.inf: x`), refused as a value
        if merge and self.stack and self.stack[-1].key is _NO_KEY:
            raw = _MERGE_KEY
        if event.anchor:
            self.anchors[event.anchor] = (value, raw, 1, None)
        self.add(value, raw, mark, 1, container=False)

    def alias(self, event: Any) -> None:
        mark = (event.start_mark.line, event.start_mark.column)
        if event.anchor not in self.anchors:
            if event.anchor in self.open_anchors:
                raise LoadError(f"anchor {event.anchor!r} value contains itself", *mark)
            raise LoadError(f"unknown anchor {event.anchor!r} referenced", *mark)
        value, raw, size, _ = self.anchors[event.anchor]
        self.budget.spend(size, mark)
        self.add(value, raw, mark, size, container=isinstance(value, dict | list), alias=True)

    def add(
        self, value: Any, raw: Any, mark: Mark, size: int, container: bool, alias: bool = False
    ) -> None:
        top_is_key = self.stack and isinstance(self.stack[-1].obj, dict)
        if isinstance(value, _Unusable) and not (top_is_key and self.stack[-1].key is _NO_KEY):
            raise LoadError(value.message, *mark)
        if not self.stack:
            self.document.value = value
            self.document.root = mark
            return
        top = self.stack[-1]
        top.size += size
        if isinstance(top.obj, list):
            top.obj.append(value)
            top.marks.append(mark)
            return
        if top.key is _NO_KEY:
            if container:
                raise LoadError("a mapping or sequence cannot be a mapping key", *mark)
            try:
                top.key = raw if raw is _MERGE_KEY else key_string(raw)
            except DecodeError as exc:
                raise LoadError(str(exc), *mark) from None
            top.key_mark = mark
            return
        key, top.key = top.key, _NO_KEY
        if key is _MERGE_KEY:
            self.merge(top, value, mark)
            return
        if key in top.obj:
            raise LoadError(_duplicate(key, key in top.merged), *top.key_mark)
        top.obj[key] = value
        top.marks[key] = top.key_mark

    def merge(self, top: _Container, value: Any, mark: Mark) -> None:
        sources = value if isinstance(value, list) else [value]
        if not sources or not all(isinstance(s, dict) for s in sources):
            raise LoadError(
                "map merge requires a mapping or a sequence of mappings as the value", *mark
            )
        for source in reversed(sources):  # go-yaml merges the last first
            marks = self.document.keys.get(id(source), {})
            for key, item in source.items():
                if key in top.obj:
                    raise LoadError(_duplicate(key, True), *mark)
                top.obj[key] = item
                top.marks[key] = marks.get(key, mark)
                top.merged.add(key)


def _duplicate(key: str, merged: bool) -> str:
    if merged:
        return (
            f"key {key!r} is set twice in one mapping (once through the merge key `<<`); "
            "the API server's strict decoding rejects it"
        )
    return f"duplicate key {key!r} in one mapping (the API server rejects it; keep one)"
