"""What the Linux-only security rules share: Windows pods are exempt (the API refuses these
fields on them), and "every container sets securityContext.X to V" with a precise pointer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_tools.k8s import FieldPath, containers, pod_spec
from gitops_tools.manifests import Manifest


def linux_pod_spec(m: Manifest) -> tuple[dict[str, Any], FieldPath] | None:
    """The pod spec and its path, or None for non-workloads and Windows pods."""
    found = pod_spec(m)
    if found is None:
        return None
    target_os = found[0].get("os")
    if isinstance(target_os, dict) and target_os.get("name") == "windows":
        return None
    return found


def containers_without(
    m: Manifest, field: str, wanted: object
) -> Iterator[tuple[dict[str, Any], FieldPath]]:
    """(container, where to point) for each container whose securityContext.<field> is not
    `wanted`: the field when set wrong, else securityContext, else the container item."""
    for container, path in containers(m):
        context = container.get("securityContext")
        where: FieldPath = path
        if isinstance(context, dict):
            if context.get(field) is wanted:
                continue
            where = (*path, "securityContext")
            if field in context:
                where = (*where, field)
        yield container, where
