"""The layers that built one object, in the order kustomize applied them.

Within a kustomization kustomize applies: patchesStrategicMerge, patches, namespace,
namePrefix/nameSuffix, labels, commonAnnotations, patchesJson6902, replicas, images,
replacements; an outer overlay after its bases; a component after what was accumulated
before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from gitops_tools.field_origins.layers import Json6902, Layer, Source, StrategicMerge
from gitops_tools.field_origins.replacements import Replacement, SourceLookup
from gitops_tools.field_origins.selectors import Target, group_version, without_hash
from gitops_tools.field_origins.texts import Text, Texts
from gitops_tools.field_origins.transformers import Generator, Image, Metadata, Replicas
from gitops_tools.field_origins.tree import GENERATOR_KEYS, Kustomization, Step

# where a replacement's source field was set: (the replacement's kustomization, its source)
SourceResolver = Callable[[Kustomization, dict[str, Any]], Any]


def build(
    steps: list[Step],
    obj: dict[str, Any],
    texts: Texts,
    resolver: SourceResolver,
    replacements_last: bool = True,
) -> tuple[Target, list[Layer]] | None:
    """The object as a selector target, and its layers (the first one is its source)."""
    kind = str(obj.get("kind", ""))
    metadata: dict[str, Any] = obj["metadata"] if isinstance(obj.get("metadata"), dict) else {}
    name = str(metadata.get("name", ""))
    renames = [
        (s.kustomization.string("namePrefix"), s.kustomization.string("nameSuffix"))
        for s in steps
        if s.kind == "transformers"
    ]
    created = _created(steps[0], kind, name, renames, texts)
    if created is None:
        return None
    source, base = created
    names = {name, without_hash(name), base.get("name", "")}
    current = base.get("name", "")
    for prefix, suffix in renames:
        current = f"{prefix}{current}{suffix}"
        names.add(current)
    namespaces = {"", str(metadata.get("namespace") or ""), str(base.get("namespace") or "")}
    namespaces |= {s.kustomization.string("namespace") for s in steps}
    group, version = group_version(obj.get("apiVersion"))
    target = Target(obj, kind, group, version, frozenset(names), frozenset(namespaces))
    layers: list[Layer] = [source]
    for number, step in enumerate(steps[1:], 1):
        k = step.kustomization
        if step.kind == "generators" and kind in GENERATOR_KEYS:
            key = GENERATOR_KEYS[kind]
            for index, entry in k.entries(key):
                if not isinstance(entry, dict) or str(entry.get("name")) not in names:
                    continue
                if entry.get("behavior") in ("merge", "replace"):
                    layers.append(Generator(k.text, texts, k.directory, key, index, False))
        elif step.kind == "transformers":
            last = number == len(steps) - 1
            lookup = _bind(resolver, k)
            layers += transformers(k, texts, lookup, replacements_last or not last)
    return target, layers


def _bind(resolver: SourceResolver, k: Kustomization) -> SourceLookup:
    return lambda source: resolver(k, source)


def _created(
    step: Step, kind: str, name: str, renames: list[tuple[str, str]], texts: Texts
) -> tuple[Layer, dict[str, Any]] | None:
    """The layer that created the object, and its name and namespace there."""
    k = step.kustomization
    if step.kind == "resource" and step.file is not None:
        text = texts.file(step.file)
        if text is None:
            return None
        candidates = [
            (i, doc.get("metadata") or {})
            for i, doc in enumerate(text.docs)
            if isinstance(doc, dict) and doc.get("kind") == kind
        ]
        found = _pick([(i, m) for i, m in candidates if isinstance(m, dict)], name, renames)
        return (Source(text, found[0]), found[1]) if found else None
    key = GENERATOR_KEYS.get(kind)
    if step.kind != "generator" or key is None:
        return None
    entries = [
        (i, e)
        for i, e in k.entries(key)
        if isinstance(e, dict) and e.get("behavior") != "merge"  # replace: generated anew
    ]
    found = _pick(entries, name, renames, loose=False)  # not a Helm chart's ConfigMap
    if found is None:
        return None
    return Generator(k.text, texts, k.directory, key, found[0], True), found[1]


def _pick(
    candidates: list[tuple[int, dict[str, Any]]],
    name: str,
    renames: list[tuple[str, str]],
    loose: bool = True,
) -> tuple[int, dict[str, Any]] | None:
    """The candidate whose name became `name` through the renames, else the same name, else
    (when `loose`) a name it contains."""

    def renamed(base: str) -> str:
        for prefix, suffix in renames:
            base = f"{prefix}{base}{suffix}"
        return base

    tests: list[Callable[[str], bool]] = [
        lambda n: renamed(n) in (name, without_hash(name)),
        lambda n: n == name,
    ]
    if loose:
        tests.append(lambda n: bool(n) and n in name)
    for test in tests:
        for index, meta in candidates:
            if test(str(meta.get("name", ""))):
                return index, meta
    return None


def transformers(
    k: Kustomization, texts: Texts, lookup: SourceLookup, with_replacements: bool = True
) -> list[Layer]:
    layers: list[Layer] = []
    for index, item in k.entries("patchesStrategicMerge"):
        text = _patch_text(k, texts, item, ["patchesStrategicMerge", index])
        layers += [StrategicMerge(text, i) for i in _docs(text)] if text else []
    for index, item in k.entries("patches"):
        if not isinstance(item, dict):
            continue
        text = _patch_text(k, texts, item.get("path"), ["patches", index, "patch"])
        selector = item.get("target") if isinstance(item.get("target"), dict) else None
        if text is None:
            continue
        if text.docs and isinstance(text.docs[0], list):
            layers += [Json6902(text, 0, selector)] if selector else []
        else:
            layers += [StrategicMerge(text, i, selector) for i in _docs(text)]
    layers.append(Metadata(k.text))
    for index, item in k.entries("patchesJson6902"):
        if isinstance(item, dict) and isinstance(item.get("target"), dict):
            text = _patch_text(k, texts, item.get("path"), ["patchesJson6902", index, "patch"])
            layers += [Json6902(text, 0, item["target"])] if text and text.docs else []
    layers += [Replicas(k.text, index) for index, _ in k.entries("replicas")]
    layers += [Image(k.text, index) for index, _ in k.entries("images")]
    if with_replacements:
        for index, item in k.entries("replacements"):
            layers += _replacements(k, texts, item, index, lookup)
    return layers


def _patch_text(
    k: Kustomization, texts: Texts, ref: Any, inline_at: list[str | int]
) -> Text | None:
    """A patch in its own file (`ref`), else the inline patch at `inline_at`."""
    path = k.local(ref)
    if path is not None and path.is_file():
        return texts.file(path)
    if inline_at[-1] == "patch" or (isinstance(ref, str) and "\n" in ref):
        return texts.inline(k.text, inline_at)
    return None  # a patch file that is not there: kustomize itself reports it


def _docs(text: Text) -> Iterator[int]:
    for index, doc in enumerate(text.docs):
        if isinstance(doc, dict):
            yield index


def _replacements(
    k: Kustomization, texts: Texts, item: Any, index: int, lookup: SourceLookup
) -> list[Layer]:
    if not isinstance(item, dict):
        return []
    if "path" not in item:
        return [Replacement(k.text, 0, ("replacements", index), lookup)]
    path = k.local(item["path"])
    text = texts.file(path) if path is not None and path.is_file() else None
    layers: list[Layer] = []
    for number, doc in enumerate(text.docs if text else []):
        if text is not None and isinstance(doc, dict):
            layers.append(Replacement(text, number, (), lookup))
        elif text is not None and isinstance(doc, list):
            layers += [Replacement(text, number, (j,), lookup) for j in range(len(doc))]
    return layers


def resource_files(k: Kustomization, tree_kustomization: Callable[[Path], Any]) -> Iterator[Path]:
    """Every resource file and generating kustomization file below `k` (for replacements)."""
    stack, seen = [k], set()
    while stack:
        current = stack.pop()
        if current.directory in seen:
            continue
        seen.add(current.directory)
        yield current.text.file
        for ref in current.refs("resources", "bases", "components"):
            if ref.is_dir():
                inner = tree_kustomization(ref)
                if inner is not None:
                    stack.append(inner)
            else:
                yield ref
