"""Which layer set a rendered field: the last one that wrote it, the base only when no later
layer touched it.

A scalar (or a list replaced whole) belongs to the last layer that holds it. A mapping (or a
list merged by key) belongs to the layer that created it, unless a later one replaced it
whole. A field that is not there (a required field missing) belongs to the layer that holds
the most of its path, the earliest of those on a tie.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gitops_tools.field_origins.build import build, resource_files
from gitops_tools.field_origins.layers import Layer, Reach, merge_key
from gitops_tools.field_origins.replacements import resolve_field_path
from gitops_tools.field_origins.selectors import Target, without_hash
from gitops_tools.field_origins.texts import FieldPath, Position, Texts, value_at
from gitops_tools.field_origins.tree import GENERATOR_KEYS, Kustomization, Tree
from gitops_tools.manifests import Manifest

KUSTOMIZATION_NAMES = frozenset({"kustomization.yaml", "kustomization.yml", "Kustomization"})
MAX_SOURCE_DEPTH = 8


def choose(layers: Sequence[Layer], target: Target, path: FieldPath) -> Reach | None:
    start = max((i for i, layer in enumerate(layers) if layer.resets), default=0)
    reaches = [r for layer in layers[start:] if (r := layer.reach(target, path)) is not None]
    if not reaches:
        return None
    exists, value = value_at(target.obj, path)
    full = [r for r in reaches if r.depth >= len(path)]
    if exists and full:
        merged = isinstance(value, dict) or (
            isinstance(value, list) and merge_key(path, target.builtin) is not None
        )
        if not merged:
            return full[-1]
        return full[max((i for i, r in enumerate(full) if r.replaces), default=0)]
    return max(reaches, key=lambda r: r.depth)  # the first of the deepest


class FieldOrigins:
    """Where each field of a rendered object was set, through its kustomization tree; one
    instance per run, every file read once."""

    def __init__(self) -> None:
        self.texts = Texts()
        self.tree = Tree(self.texts)
        self._objects: dict[tuple[Any, ...], tuple[Target, list[Layer]] | None] = {}
        self._depth = 0

    def position(self, manifest: Manifest, field: FieldPath) -> Position | None:
        """File, line and column that set `field` of `manifest`; None when that is the
        object's own source document (or cannot be told): the caller looks there."""
        if manifest.entry is None or not field or manifest.path == manifest.text_path:
            return None
        try:
            built = self._object(manifest)
            reach = choose(built[1], built[0], field) if built else None
            if reach is None or reach.base:
                return None
            found = reach.locate()
        except Exception:  # unusual input must never cost the finding: use the origin file
            return None
        return found if found[1] else None

    def _object(self, m: Manifest) -> tuple[Target, list[Layer]] | None:
        key = (m.entry, m.path, m.kind, m.namespace, m.name)
        if key not in self._objects:
            generated = m.kind in GENERATOR_KEYS and m.path.name in KUSTOMIZATION_NAMES
            steps = self.tree.steps(m.entry, m.path, generated) if m.entry else []
            self._objects[key] = build(steps, m.obj, self.texts, self._source) if steps else None
        return self._objects[key]

    def _source(self, k: Kustomization, source: dict[str, Any]) -> Position | None:
        """Where the value of a replacement's source field was set, as of the replacement."""
        kind, name = source.get("kind"), source.get("name")
        if not isinstance(kind, str) or not isinstance(name, str):
            return None
        field = source.get("fieldPath") or "metadata.name"
        if self._depth >= MAX_SOURCE_DEPTH or not isinstance(field, str):
            return None
        self._depth += 1
        try:
            for file in resource_files(k, self.tree.kustomization):
                found = self._source_in(k, file, kind, name, field)
                if found is not None:
                    return found
        finally:
            self._depth -= 1
        return None

    def _source_in(
        self, k: Kustomization, file: Path, kind: str, name: str, field: str
    ) -> Position | None:
        generated = file.name in KUSTOMIZATION_NAMES
        if generated and kind not in GENERATOR_KEYS:
            return None
        for obj in self._documents(file, kind, name, generated):
            steps = self.tree.steps(k.directory, file, generated)
            built = build(steps, obj, self.texts, self._source, False) if steps else None
            path = resolve_field_path(field, obj)
            if built is None or path is None:
                continue
            reach = choose(built[1], built[0], path)
            if reach is not None:
                return reach.locate()
        return None

    def _documents(self, file: Path, kind: str, name: str, generated: bool) -> list[Any]:
        """Stand-ins for the source object as its file (or generator) wrote it."""
        if generated:
            k = self.tree.kustomization(file.parent)
            entries = k.entries(GENERATOR_KEYS[kind]) if k else []
            return [
                {"kind": kind, "metadata": {"name": name}, "data": _generated_keys(entry)}
                for _, entry in entries
                if isinstance(entry, dict) and _named(str(entry.get("name", "")), name)
            ]
        text = self.texts.file(file)
        docs = text.docs if text else []
        return [
            doc
            for doc in docs
            if isinstance(doc, dict)
            and doc.get("kind") == kind
            and isinstance(doc.get("metadata"), dict)
            and _named(str(doc["metadata"].get("name", "")), name)
        ]


def _named(written: str, name: str) -> bool:
    """Whether an object written as `written` may be the one a selector names `name`
    (namePrefix/nameSuffix of inner kustomizations make it longer)."""
    return bool(written) and (written == without_hash(name) or written in name)


def _generated_keys(entry: dict[str, Any]) -> dict[str, str]:
    keys = {}
    for item in [*(entry.get("literals") or []), *(entry.get("files") or [])]:
        if isinstance(item, str):
            keys[item.split("=", 1)[0] if "=" in item else item.rsplit("/", 1)[-1]] = ""
    return keys
