"""Per-environment comparison of two renders: what was added, removed and changed, the image
moves first, and the scaling and resource changes a reviewer must not miss."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gitops_tools.diff.objects import Key, identity, masked, stable_key
from gitops_tools.k8s import containers
from gitops_tools.manifests import Manifest

SCALING_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}


@dataclass(frozen=True)
class ObjectChange:
    status: str  # added, removed, changed
    kind: str
    namespace: str
    name: str  # the head name (the base name when removed)
    diff: str

    @property
    def title(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {where}{self.name}"


@dataclass(frozen=True)
class ImageMove:
    workload: str
    container: str
    before: str
    after: str


@dataclass
class EnvironmentDiff:
    env: str
    changes: list[ObjectChange] = field(default_factory=list)
    images: list[ImageMove] = field(default_factory=list)
    scaling: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(c.status == status for c in self.changes)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def _by_key(manifests: Iterable[Manifest]) -> dict[Key, dict[str, Any]]:
    return {stable_key(identity(m.obj)): m.obj for m in manifests}


def _dump(obj: dict[str, Any] | None) -> list[str]:
    if obj is None:
        return []
    return yaml.safe_dump(obj, sort_keys=False, default_flow_style=False).splitlines(True)


def compare(env: str, base: Iterable[Manifest], head: Iterable[Manifest]) -> EnvironmentDiff:
    before, after = _by_key(base), _by_key(head)
    result = EnvironmentDiff(env)
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key[1] == "Secret":
            old, new = masked(old, new)
        status = "added" if old is None else "removed" if new is None else "changed"
        _, kind, namespace, _ = key
        name = identity(new if new is not None else old or {})[3]
        label = f"{kind}/{namespace + '/' if namespace else ''}{name}"
        diff = "".join(
            difflib.unified_diff(_dump(old), _dump(new), f"base/{label}", f"head/{label}", n=3)
        )
        if status == "changed" and not diff:
            continue  # differs only in a masked Secret value's representation
        result.changes.append(ObjectChange(status, kind, namespace, name, diff))
        if old is not None or new is not None:
            _images(result, key, old, new)
            _scaling(result, key, old, new)
    return result


def _containers(obj: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    if obj is None:
        return {}
    return {str(c.get("name")): c for c, _ in containers(Manifest(obj, Path(), Path(), 0))}


def _workload_images(obj: dict[str, Any] | None) -> dict[str, str]:
    return {
        name: str(c["image"])
        for name, c in _containers(obj).items()
        if isinstance(c.get("image"), str)
    }


def _images(result: EnvironmentDiff, key: Key, old: Any, new: Any) -> None:
    before, after = _workload_images(old), _workload_images(new)
    workload = f"{key[1]} {key[2] + '/' if key[2] else ''}{key[3]}"
    for container in sorted(set(before) | set(after)):
        if before.get(container) != after.get(container):
            result.images.append(
                ImageMove(
                    workload, container, before.get(container, "-"), after.get(container, "-")
                )
            )


def _get(obj: Any, *path: str) -> Any:
    for step in path:
        obj = obj.get(step) if isinstance(obj, dict) else None
    return obj


def _scaling(result: EnvironmentDiff, key: Key, old: Any, new: Any) -> None:
    """Replica counts, HPA bounds and targets, container requests and limits."""
    kind, name = key[1], f"{key[2] + '/' if key[2] else ''}{key[3]}"
    fields: list[tuple[str, tuple[str, ...]]] = []
    if kind in SCALING_KINDS:
        fields.append(("replicas", ("spec", "replicas")))
    if kind == "HorizontalPodAutoscaler":
        fields += [
            ("minReplicas", ("spec", "minReplicas")),
            ("maxReplicas", ("spec", "maxReplicas")),
            ("metrics", ("spec", "metrics")),
            ("behavior", ("spec", "behavior")),
        ]
    for label, path in fields:
        a, b = _get(old, *path), _get(new, *path)
        if a != b:
            result.scaling.append(f"{kind} {name}: {label} {_short(a)} → {_short(b)}")
    olds, news = _containers(old), _containers(new)
    for container in sorted(set(olds) & set(news)):
        for section in ("requests", "limits"):
            a = _get(olds[container], "resources", section) or {}
            b = _get(news[container], "resources", section) or {}
            for resource in sorted(set(a) | set(b)):
                if a.get(resource) != b.get(resource):
                    result.scaling.append(
                        f"{kind} {name} container {container}: {section}.{resource} "
                        f"{a.get(resource, '-')} → {b.get(resource, '-')}"
                    )


def _short(value: Any) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, dict | list):
        text = yaml.safe_dump(value, default_flow_style=True, width=10_000).strip()
        return text if len(text) <= 80 else text[:77] + "..."
    return str(value)
