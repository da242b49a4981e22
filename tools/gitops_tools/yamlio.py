"""Strict, fast YAML loading: libyaml underneath, with the API server's strictness on top.

Duplicate keys are errors (the API server decodes strictly), timestamps stay strings (as
Kubernetes reads them), oversized input and alias bombs are refused before they cost memory.
Line numbers are not kept on load; `locate` recovers them lazily for the few objects that
need one.

Speed: rapidyaml parses and emits JSON in C++, and the C json module builds the objects, about
6x faster than libyaml (see `make bench`). It reads YAML 1.2, Kubernetes reads YAML 1.1, so
any text holding a construct where the two may differ (anchors, tags, `~`, `yes`/`on`, octal
or sexagesimal numbers, ...) goes to the libyaml path instead, as does anything rapidyaml or
the duplicate-key check refuses, so errors always come with libyaml's line and column.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from typing import Any

import yaml

try:
    import ryml  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - the libyaml path is complete on its own
    ryml = None

MAX_BYTES = 16 * 1024 * 1024
MAX_EXPANDED_NODES = 200_000
_ALIAS = re.compile(r"(?:^|[\s,\[{:-])\*[^\s,\[\]{}]")
# Tokens YAML 1.1 (Kubernetes, libyaml) and 1.2 (rapidyaml) may read differently. Checked
# per distinct whitespace-separated token (C-speed split), far faster than a regex scan.
_FLOW_PUNCTUATION = str.maketrans(",[]{}", "     ")
_YAML_1_1_WORDS = frozenset(
    "y Y n N yes Yes YES no No NO on On ON off Off OFF True TRUE False FALSE Null NULL ~".split()
)
_SPECIAL_START = ("%", "<<")  # directives, merge keys
_RISKY_NUMBER = re.compile(
    r"[-+]?(?:\.(?:inf|Inf|INF|nan|NaN|NAN)|0[0-9xXoObB_]|[0-9][0-9_]*[_:][0-9]|[0-9.]+[eE]"
    r"|\+|\.[0-9])"
)


def _needs_yaml_1_1(text: str) -> bool:
    """Whether any token could be read differently by YAML 1.1 and 1.2 (false alarms are fine:
    they only cost the slower path)."""
    for token in set(text.translate(_FLOW_PUNCTUATION).split()):
        if token.startswith(_SPECIAL_START):
            return True
        if token[0] in "&*!" and len(token) > 1 and token[1] not in "'\"":
            return True  # anchor, alias or tag
        for part in token.split(":") if ":" in token else (token,):
            if part in _YAML_1_1_WORDS:
                return True
        if token[0] in "0123456789+-." and _RISKY_NUMBER.match(token):
            return True
    return False


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
    if ryml is None:
        return _load_libyaml(text)
    if not _needs_yaml_1_1(text):
        docs = _load_fast(text)
        return docs if docs is not None else _load_libyaml(text)
    # One ambiguous token should not send a whole rendered stream to the slow path: decide
    # per document, and let libyaml read the whole text when any document does not load.
    docs = []
    for _, part in document_slices(text):
        loaded = None if _needs_yaml_1_1(part) else _load_fast(part)
        if loaded is None:
            try:
                loaded = _load_libyaml(part)
            except YamlError:
                return _load_libyaml(text)  # raises with the line in the whole text
        docs.extend(loaded)
    return docs


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    """rapidyaml prints parse errors to fd 2 itself; libyaml reports them properly instead."""
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _load_fast(text: str) -> list[Any] | None:
    """rapidyaml -> JSON -> objects; None when anything is off (libyaml then decides)."""
    try:
        with _stderr_silenced():
            tree = ryml.parse_in_arena(text.encode("utf-8"))
        root = tree.root_id()
        empty = not (tree.has_val(root) or tree.is_seq(root) or tree.is_map(root))
        if tree.num_children(root) == 0 and empty:
            return []  # empty, or only comments
        data = json.loads(ryml.emit_json_malloc(tree, root), object_pairs_hook=_unique_keys)
        return data if tree.is_stream(root) else [data]
    except Exception:  # rapidyaml raises its own exception types; any of them means "not here"
        return None


def _load_libyaml(text: str) -> list[Any]:
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
    if _ALIAS.search(text):
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


_DOCUMENT_START = re.compile(r"^---(?=[ \t]|$)", re.M)


def document_slices(text: str) -> list[tuple[int, str]]:
    """(first line - 1, text) of each document, split at `---` lines, so that one document can
    be composed without the whole stream. Callers check the count against the loaded documents
    before trusting it (directives or `...` markers make it differ)."""
    starts = [m.start() for m in _DOCUMENT_START.finditer(text)]
    if not starts or (text[: starts[0]].strip() and not _only_comments(text[: starts[0]])):
        starts = [0, *starts]
    slices = []
    line = text.count("\n", 0, starts[0])
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        part = text[begin:end]
        slices.append((line, part))
        line += part.count("\n")
    return slices


def _only_comments(text: str) -> bool:
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())


def compose(text: str) -> list[yaml.Node | None]:
    """The node tree of every document (with line marks); [] when the text does not parse."""
    try:
        return list(yaml.compose_all(text, Loader=_BaseLoader))
    except yaml.YAMLError:
        return []


def locate(text: str, doc_index: int, path: Sequence[str | int]) -> tuple[int, int]:
    """1-based (line, column) of `path` in document `doc_index`; see `locate_in`."""
    return locate_in(compose(text), doc_index, path)


def locate_in(
    documents: Sequence[yaml.Node | None], doc_index: int, path: Sequence[str | int]
) -> tuple[int, int]:
    """1-based (line, column) of the deepest node of `path` found in document `doc_index`.

    Keys are pointed at by their key, list items by their first character; a path that goes
    deeper than the document does stops at the deepest existing node. (0, 0) when unknown.
    """
    if not 0 <= doc_index < len(documents):
        return (0, 0)
    node = documents[doc_index]
    return _walk(node, path) if node is not None else (1, 1)


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
