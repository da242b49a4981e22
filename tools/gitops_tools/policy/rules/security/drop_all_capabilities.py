from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.k8s import FieldPath, containers
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule
from gitops_tools.policy.rules.security._linux import linux_pod_spec

ALLOWED_ADD = "NET_BIND_SERVICE"


@object_rule(
    "GO104",
    "drop-all-capabilities",
    "Containers must drop all capabilities and add only NET_BIND_SERVICE",
    Severity.ERROR,
)
def drop_all_capabilities(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """Every container drops `ALL` capabilities and adds back nothing but `NET_BIND_SERVICE`.

    Why: the runtime's default capability set (CHOWN, SETUID, NET_RAW, ...) is far more than
    an application needs, and each capability is an extra path to the node. The Pod Security
    Standards `restricted` profile requires `drop: [ALL]` and allows adding back only
    `NET_BIND_SERVICE`; admission compares the names exactly, so `all` or
    `CAP_NET_BIND_SERVICE` are refused. Windows pods (`spec.os.name: windows`) are exempt.

    Fix: set `securityContext.capabilities.drop: [ALL]` on every container and init
    container, and remove every other entry from `capabilities.add` (to listen on a port
    below 1024, add `NET_BIND_SERVICE`, or better listen on a high port).

    Bad:
        securityContext:
          capabilities:
            add: [NET_ADMIN]

    Good:
        securityContext:
          capabilities:
            drop: [ALL]
            add: [NET_BIND_SERVICE]
    """
    found = linux_pod_spec(m)
    if found is None:
        return
    for container, path in containers(m):
        name = container.get("name")
        context = container.get("securityContext")
        caps = context.get("capabilities") if isinstance(context, dict) else None
        drop = caps.get("drop") if isinstance(caps, dict) else None
        if not (isinstance(drop, list) and "ALL" in drop):
            yield Violation(
                m,
                _deepest(path, context, caps, drop),
                f"container {name!r} does not drop all capabilities: set "
                "securityContext.capabilities.drop: [ALL]",
            )
        add = caps.get("add") if isinstance(caps, dict) else None
        for index, capability in enumerate(add if isinstance(add, list) else []):
            if capability != ALLOWED_ADD:
                yield Violation(
                    m,
                    (*path, "securityContext", "capabilities", "add", index),
                    f"container {name!r} adds capability {capability!r}: remove it from "
                    f"securityContext.capabilities.add (only {ALLOWED_ADD} is allowed)",
                )


def _deepest(path: FieldPath, context: Any, caps: Any, drop: Any) -> FieldPath:
    """The deepest of securityContext, capabilities and drop that the container has."""
    if drop is not None:
        return (*path, "securityContext", "capabilities", "drop")
    if caps is not None:
        return (*path, "securityContext", "capabilities")
    if context is not None:
        return (*path, "securityContext")
    return path
