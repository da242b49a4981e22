"""Line and column of a field, recovered lazily: only objects with a finding pay for it.

A rendered object is looked up in the source file it came from (its origin annotation), in the
document of the same kind and name; the rendered output is the fallback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from gitops_tools.field_origins import FieldOrigins
from gitops_tools.manifests import Manifest
from gitops_tools.yamlio import (
    YamlError,
    compose,
    decode_text,
    document_slices,
    load_documents,
    locate_in,
)


class SourceIndex:
    """Source texts and their documents, each file read once per run."""

    def __init__(self) -> None:
        self._counts: dict[Path, int] = {}
        self._texts: dict[Path, str | None] = {}
        self._docs: dict[Path, list[Any]] = {}
        self._nodes: dict[Path, list[yaml.Node | None]] = {}
        self._slices: dict[Path, list[tuple[int, str]] | None] = {}
        self._one: dict[tuple[Path, int], tuple[int, list[yaml.Node | None]]] = {}
        self.origins = FieldOrigins()  # patch-level origins through the kustomization tree

    def add_counts(self, document_counts: dict[Path, int]) -> None:
        """Document counts already known from loading (saves parsing a file again)."""
        self._counts.update(document_counts)

    def remember(self, path: Path, text: str) -> None:
        """Text that is not in a file (standard input)."""
        self._texts[path] = text

    def text(self, path: Path) -> str | None:
        if path not in self._texts:
            try:
                self._texts[path] = decode_text(path.read_bytes())
            except (OSError, YamlError):
                self._texts[path] = None
        return self._texts[path]

    def documents(self, path: Path) -> list[Any]:
        if path not in self._docs:
            text = self.text(path)
            try:
                self._docs[path] = load_documents(text) if text is not None else []
            except YamlError:
                self._docs[path] = []
        return self._docs[path]

    def nodes(self, path: Path) -> list[yaml.Node | None]:
        if path not in self._nodes:
            text = self.text(path)
            self._nodes[path] = compose(text) if text is not None else []
        return self._nodes[path]

    def locate(self, path: Path, index: int, field: Sequence[str | int]) -> tuple[int, int]:
        """Compose just the one document when the stream splits cleanly at `---` lines."""
        if path not in self._slices:
            text = self.text(path)
            slices = document_slices(text) if text is not None else None
            count = self._counts.get(path)
            if count is None:
                count = len(self.documents(path))
            fits = slices is not None and len(slices) == count
            self._slices[path] = slices if fits else None
        slices = self._slices[path]
        if slices is None or not 0 <= index < len(slices):
            return locate_in(self.nodes(path), index, field)
        if (path, index) not in self._one:
            offset, text = slices[index]
            self._one[(path, index)] = (offset, compose(text) or [None])
        offset, nodes = self._one[(path, index)]
        line, column = locate_in(nodes, 0, field)
        return (line + offset, column) if line else (0, 0)

    def position(self, manifest: Manifest, field: Sequence[str | int]) -> tuple[Path, int, int]:
        """File, line and column of `field` of `manifest` (line 0 when nothing is known)."""
        patched = self.origins.position(manifest, field)  # the layer that set it, if not the base
        if patched is not None:
            return patched
        if manifest.path != manifest.text_path:
            index = self._source_document(manifest)
            if index is not None:
                line, column = self.locate(manifest.path, index, field)
                if line:
                    return manifest.path, line, column
        line, column = self.locate(manifest.text_path, manifest.doc_index, field)
        return manifest.text_path, line, column

    def _source_document(self, manifest: Manifest) -> int | None:
        """Index of the document in the origin file that became `manifest`."""
        candidates = []
        for index, doc in enumerate(self.documents(manifest.path)):
            if not isinstance(doc, dict) or doc.get("kind") != manifest.kind:
                continue
            name = str((doc.get("metadata") or {}).get("name", ""))
            if name == manifest.name:
                return index
            if name and name in manifest.name:  # namePrefix, nameSuffix, generator hashes
                candidates.append(index)
        return candidates[0] if candidates else None
