"""Line and column of a field: every file is loaded once, with the position of every node.

A rendered object is looked up in the source file it came from (its origin annotation), in the
document of the same kind and name; the rendered output is the fallback. Positions come from
the loader's own pass (`yamlio.Stream.locate`), so a finding costs a lookup, not a parse.

Stable entry points (the field-origins module calls them):
- `SourceIndex.locate(path, doc_index, field)` -> (line, column) of a field in one document;
- `SourceIndex.locate_object(path, kind, namespace, name, field)` -> (line, column) of a field
  of the object written in `path` with that kind/namespace/name ((0, 0) when not found);
- `SourceIndex.position(manifest, field)` -> (file, line, column) for a loaded Manifest.
Lines and columns are 1-based; 0 means unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitops_tools.manifests import Loaded, Manifest
from gitops_tools.yamlio import Stream, YamlError, load_stream, read_text

if TYPE_CHECKING:
    from gitops_tools.field_origins import FieldOrigins


class SourceIndex:
    """Source texts and their located documents, each file read and parsed once per run."""

    def __init__(self) -> None:
        self._texts: dict[Path, str | None] = {}
        self._streams: dict[Path, Stream | None] = {}
        self._origins: FieldOrigins | None = None  # made for the first rendered object's finding

    @property
    def origins(self) -> FieldOrigins:
        """Patch-level origins through the kustomization tree (imported when first needed)."""
        if self._origins is None:
            from gitops_tools.field_origins import FieldOrigins

            self._origins = FieldOrigins()
        return self._origins

    def add_counts(self, document_counts: dict[Path, int]) -> None:
        """Kept for callers of the previous index: counts are no longer needed."""

    def remember(self, path: Path, text: str) -> None:
        """Text that is not in a file (standard input)."""
        self._texts[path] = text
        self._streams.pop(path, None)

    def add_stream(self, path: Path, stream: Stream) -> None:
        """A stream already loaded (saves parsing the file again)."""
        self._streams[path] = stream

    def add_loaded(self, loaded: Loaded) -> None:
        """Every stream a load already parsed: their positions are known."""
        self._streams.update(loaded.streams)

    def text(self, path: Path) -> str | None:
        if path not in self._texts:
            try:
                self._texts[path] = read_text(path)
            except (OSError, YamlError):
                self._texts[path] = None
        return self._texts[path]

    def stream(self, path: Path) -> Stream | None:
        if path not in self._streams:
            text = self.text(path)
            try:
                self._streams[path] = load_stream(text) if text is not None else None
            except YamlError:
                self._streams[path] = None
        return self._streams[path]

    def documents(self, path: Path) -> list[Any]:
        stream = self.stream(path)
        return stream.documents if stream is not None else []

    def locate(self, path: Path, index: int, field: Sequence[str | int]) -> tuple[int, int]:
        """1-based (line, column) of `field` in document `index` of `path`; (0, 0) unknown."""
        stream = self.stream(path)
        return stream.locate(index, field) if stream is not None else (0, 0)

    def locate_object(
        self, path: Path, kind: str, namespace: str, name: str, field: Sequence[str | int]
    ) -> tuple[int, int]:
        """1-based (line, column) of `field` of the object `kind` `namespace`/`name` written
        in `path` (a patch or a base file); (0, 0) when no document there is that object."""
        for index, doc in enumerate(self.documents(path)):
            if not isinstance(doc, dict) or doc.get("kind") != kind:
                continue
            metadata = doc.get("metadata")
            if not isinstance(metadata, dict) or str(metadata.get("name", "")) != name:
                continue
            if namespace and str(metadata.get("namespace") or namespace) != namespace:
                continue
            return self.locate(path, index, field)
        return (0, 0)

    def position(self, manifest: Manifest, field: Sequence[str | int]) -> tuple[Path, int, int]:
        """File, line and column of `field` of `manifest` (line 0 when nothing is known)."""
        if manifest.path != manifest.text_path:  # rendered: look where the field was set
            if manifest.entry is not None:  # through the kustomization tree, from its layers
                patched = self.origins.position(manifest, field)
                if patched is not None:
                    return patched
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
            metadata = doc.get("metadata")
            name = str(metadata.get("name", "")) if isinstance(metadata, dict) else ""
            if name == manifest.name:
                return index
            if name and name in manifest.name:  # namePrefix, nameSuffix, generator hashes
                candidates.append(index)
        return candidates[0] if candidates else None
