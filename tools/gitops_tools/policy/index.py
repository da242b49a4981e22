"""The whole rendered environment, indexed for cross-resource rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from gitops_tools.k8s import WORKLOAD_KINDS, pod_labels, selector_matches
from gitops_tools.manifests import Manifest


class ResourceIndex:
    """Objects by kind, by (kind, namespace, name), and workloads with their pod labels."""

    def __init__(self, manifests: Iterable[Manifest]) -> None:
        self.manifests = list(manifests)
        self._by_kind: dict[str, list[Manifest]] = defaultdict(list)
        self._by_key: dict[tuple[str, str, str], Manifest] = {}
        for m in self.manifests:
            self._by_kind[m.kind].append(m)
            self._by_key[(m.kind, m.namespace, m.name)] = m

    def of_kind(self, *kinds: str) -> list[Manifest]:
        return [m for kind in kinds for m in self._by_kind.get(kind, [])]

    def get(self, kind: str, namespace: str, name: str) -> Manifest | None:
        return self._by_key.get((kind, namespace, name))

    def exists(self, kind: str, namespace: str, name: str) -> bool:
        return (kind, namespace, name) in self._by_key

    def namespaces(self) -> set[str]:
        """Namespaces declared as objects or used by namespaced objects."""
        used = {m.namespace for m in self.manifests if m.namespace}
        return used | {m.name for m in self.of_kind("Namespace")}

    def workloads(self, namespace: str | None = None) -> Iterator[Manifest]:
        """Objects with a pod template (Pods included), optionally in one namespace."""
        for m in self.manifests:
            if m.kind in WORKLOAD_KINDS and (namespace is None or m.namespace == namespace):
                yield m

    def pod_labels(self, manifest: Manifest) -> dict[str, Any]:
        return pod_labels(manifest)

    def workloads_selected(self, namespace: str, selector: dict[str, Any] | None) -> list[Manifest]:
        """Workloads in `namespace` whose pod template labels the LabelSelector selects."""
        return [
            w for w in self.workloads(namespace) if selector_matches(selector, self.pod_labels(w))
        ]
