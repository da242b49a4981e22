"""The kustomization tree of an entry point, in the order kustomize builds it.

kustomize (v5.1+) builds a kustomization as: its resources (each base built whole, in order),
its generators, its components (each applied to everything accumulated so far), then its
transformers. `Tree.steps` lists what of that touches one object, from the step that created
it (a resource file or a generator) to the entry point's transformers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from gitops_tools.field_origins.texts import Text, Texts, same_file
from gitops_tools.fileio import kustomization_file

MAX_DEPTH = 64
GENERATOR_KEYS = {"ConfigMap": "configMapGenerator", "Secret": "secretGenerator"}
StepKind = Literal["resource", "generator", "generators", "transformers"]


@dataclass(frozen=True, eq=False)
class Kustomization:
    directory: Path
    text: Text
    _refs: dict[tuple[str, ...], list[Path]] = field(default_factory=dict, repr=False)

    @property
    def data(self) -> dict[str, Any]:
        doc = self.text.docs[0] if self.text.docs else None
        return doc if isinstance(doc, dict) else {}

    def entries(self, key: str) -> list[tuple[int, Any]]:
        """(index, item) of a list field; [] when it is missing or not a list."""
        value = self.data.get(key)
        return list(enumerate(value)) if isinstance(value, list) else []

    def local(self, ref: Any) -> Path | None:
        """A relative path this kustomization names, when it exists here."""
        if not isinstance(ref, str) or not ref.strip() or "\n" in ref or "://" in ref:
            return None
        if ref.startswith("/") or len(ref) > 1024:
            return None
        try:
            path = Path(os.path.normpath(self.directory / ref))
            return path if path.exists() else None
        except (OSError, ValueError):
            return None

    def refs(self, *keys: str) -> list[Path]:
        if keys not in self._refs:
            self._refs[keys] = [
                p for k in keys for _, ref in self.entries(k) if (p := self.local(ref))
            ]
        return self._refs[keys]

    def string(self, key: str) -> str:
        value = self.data.get(key)
        return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Step:
    kind: StepKind
    kustomization: Kustomization
    file: Path | None = None  # the resource file of a "resource" step


class Tree:
    """Kustomizations read once per run."""

    def __init__(self, texts: Texts) -> None:
        self.texts = texts
        self._kustomizations: dict[Path, Kustomization | None] = {}

    def kustomization(self, directory: Path) -> Kustomization | None:
        if directory not in self._kustomizations:
            file = kustomization_file(directory) if directory.is_dir() else None
            text = self.texts.file(file) if file else None
            self._kustomizations[directory] = Kustomization(directory, text) if text else None
        return self._kustomizations[directory]

    def steps(self, entry: Path, origin: Path, generated: bool) -> list[Step]:
        """What builds the object whose origin is `origin` (a resource file, or for a
        generated object the kustomization file that generated it); [] when not found."""
        steps: list[Step] = []
        found = self._collect(entry, origin, generated, False, (), steps)
        return steps if found else []

    def _collect(
        self,
        directory: Path,
        origin: Path,
        generated: bool,
        found: bool,
        seen: tuple[Path, ...],
        steps: list[Step],
    ) -> bool:
        k = self.kustomization(directory)
        if k is None or directory in seen or len(seen) > MAX_DEPTH:
            return found
        seen = (*seen, directory)
        for ref in k.refs("resources", "bases"):
            if ref.is_dir():
                inner: list[Step] = []
                if not found and self._collect(ref, origin, generated, False, seen, inner):
                    found = True
                    steps += inner
            elif not found and not generated and same_file(ref, origin):
                found = True
                steps.append(Step("resource", k, ref))
        if not found and generated and same_file(k.text.file, origin):
            found = True
            steps.append(Step("generator", k))
        elif found:
            steps.append(Step("generators", k))
        for ref in k.refs("components"):
            found = self._collect(ref, origin, generated, found, seen, steps)
        if found:
            steps.append(Step("transformers", k))
        return found
