"""Kubernetes objects with where they came from: loaded from rendered output or plain files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitops_tools import catalog as rules
from gitops_tools.yamlio import Stream, YamlError, load_stream, read_text

if TYPE_CHECKING:
    from gitops_tools.render import Rendered


@dataclass(frozen=True, eq=False)
class Manifest:
    """One object. `path` is the file it was written in (the origin of a rendered object);
    `text_path`/`doc_index` locate its document in the text it was loaded from."""

    obj: dict[str, Any]
    path: Path
    text_path: Path
    doc_index: int
    env: str | None = None
    entry: Path | None = None  # the kustomization that rendered it

    # Read by every rule for every object: computed once (objects are not changed after load).
    @cached_property
    def kind(self) -> str:
        return str(self.obj.get("kind", ""))

    @cached_property
    def api_version(self) -> str:
        return str(self.obj.get("apiVersion", ""))

    @cached_property
    def name(self) -> str:
        metadata = self.obj.get("metadata")
        return str(metadata.get("name", "")) if isinstance(metadata, dict) else ""

    @cached_property
    def namespace(self) -> str:
        metadata = self.obj.get("metadata")
        return str(metadata.get("namespace") or "") if isinstance(metadata, dict) else ""


@dataclass(frozen=True)
class LoadProblem:
    """A file or document that yielded no object, and why."""

    path: Path
    message: str
    line: int = 0
    column: int = 0
    rule_id: str = rules.YAML_INVALID.id


@dataclass
class Loaded:
    manifests: list[Manifest] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    document_counts: dict[Path, int] = field(default_factory=dict)
    streams: dict[Path, Stream] = field(default_factory=dict)  # for SourceIndex.add_loaded

    def extend(self, other: Loaded) -> None:
        self.manifests.extend(other.manifests)
        self.problems.extend(other.problems)
        self.document_counts.update(other.document_counts)
        self.streams.update(other.streams)

    def kinds(self) -> Counter[str]:
        return Counter(m.kind for m in self.manifests)


def load_text(text: str, path: Path, env: str | None = None) -> Loaded:
    """Objects of one YAML/JSON text; `kind: List` is flattened."""
    loaded = Loaded()
    try:
        stream = load_stream(text)
    except YamlError as exc:
        loaded.problems.append(LoadProblem(path, exc.message, exc.line, exc.column))
        return loaded
    docs = stream.documents
    loaded.document_counts[path] = len(docs)
    loaded.streams[path] = stream

    def problem(index: int, field: list[str | int], message: str) -> None:
        line, column = stream.locate(index, field)
        loaded.problems.append(
            LoadProblem(path, message, line, column, rule_id=rules.OBJECT_INVALID.id)
        )

    for index, doc in enumerate(docs):
        if doc is None:
            continue
        if not isinstance(doc, dict):
            what = _describe(doc)
            problem(index, [], f"document {index + 1} is {what}, not a Kubernetes object")
            continue
        kind = doc.get("kind")
        if "kind" in doc and not (isinstance(kind, str) and kind):
            shown = "empty" if kind in ("", None) else _describe(kind)
            problem(index, ["kind"], f"kind must be a non-empty string, not {shown}")
            continue
        items = doc.get("items") if isinstance(kind, str) and kind.endswith("List") else None
        if not isinstance(items, list):
            loaded.manifests.append(Manifest(doc, path, path, index, env))
            continue
        for position, item in enumerate(items):
            if isinstance(item, dict):
                loaded.manifests.append(Manifest(item, path, path, index, env))
            else:
                what = f"item {position} of the {kind} is {_describe(item)}, not an object"
                problem(index, ["items", position], what)
    return loaded


def _describe(value: object) -> str:
    """`a str ('x')`, `a list`, ...: what a value is, for a message (short)."""
    name = {str: "a string", int: "a number", float: "a number", bool: "a boolean"}.get(
        type(value), f"a {type(value).__name__}"
    )
    if isinstance(value, str | int | float | bool):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        return f"{name} ({shown})"
    return name


def load_file(path: Path, env: str | None = None) -> Loaded:
    """Objects of one manifest file; a file with none is itself a problem (GO007). Only
    regular files are read: a FIFO, socket or device is a problem, never opened."""
    try:
        text = read_text(path)
    except OSError as exc:
        return Loaded(problems=[LoadProblem(path, f"cannot read: {exc.strerror}")])
    except YamlError as exc:
        return Loaded(problems=[LoadProblem(path, exc.message, exc.line, exc.column)])
    loaded = load_text(text, path, env)
    if not loaded.manifests and not loaded.problems:
        empty = LoadProblem(path, "file holds no Kubernetes objects", rule_id=rules.EMPTY_FILE.id)
        loaded.problems.append(empty)
    return loaded


def load_rendered(rendered: Rendered, cache_dir: Path, env: str | None) -> Loaded:
    """Objects of one rendered kustomization, each pointed back at its source file."""
    from gitops_tools.render import origin_of, wrapper_dir

    cache_file = rendered.output or rendered.directory
    loaded = load_text(rendered.text, cache_file, env)
    base = wrapper_dir(rendered.directory, cache_dir)
    manifests = []
    for m in loaded.manifests:
        origin = origin_of(m.obj, base)
        manifests.append(
            Manifest(m.obj, origin or cache_file, cache_file, m.doc_index, env, rendered.directory)
        )
    loaded.manifests = manifests
    return loaded


def load_paths(paths: Iterable[Path], env: str | None = None) -> Loaded:
    from gitops_tools.fileio import manifest_files

    loaded = Loaded()
    for root in paths:
        for file in manifest_files(root):
            loaded.extend(load_file(file, env))
    return loaded
