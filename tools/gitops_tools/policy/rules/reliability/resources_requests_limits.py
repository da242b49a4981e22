from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.k8s import containers
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule


def _has(section: Any, key: str) -> bool:
    return isinstance(section, dict) and section.get(key) not in (None, "")


@object_rule(
    "GO201",
    "resources-requests-limits",
    "Containers must set CPU and memory requests and a memory limit",
    Severity.ERROR,
)
def resources_requests_limits(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """Every container (init containers too) sets `requests.cpu`, `requests.memory` and
    `limits.memory`; `limits.cpu` too when the profile sets `requireCpuLimit`.

    Why: the scheduler places pods by their requests, so a container without them lands on a
    node that cannot hold it and is the first evicted under pressure (QoS BestEffort); without
    a memory limit one leaking container takes the node's memory from its neighbours.
    Kubernetes would copy a missing request from the limit; the rule wants it written out, so
    reviews see what each container reserves.

    Fix: set `resources.requests.cpu`, `resources.requests.memory` and
    `resources.limits.memory` (and `resources.limits.cpu` where the profile requires it) on
    every container, sized from observed usage.

    Bad:
        containers:
          - name: app
            image: registry.example.com/app:1.0
            resources:
              limits:
                cpu: "1"

    Good:
        containers:
          - name: app
            image: registry.example.com/app:1.0
            resources:
              requests:
                cpu: 100m
                memory: 128Mi
              limits:
                memory: 256Mi
    """
    wanted = [("requests", "cpu"), ("requests", "memory"), ("limits", "memory")]
    if ctx.profile.setting("requireCpuLimit"):
        wanted.append(("limits", "cpu"))
    for container, path in containers(m):
        resources = container.get("resources")
        resources = resources if isinstance(resources, dict) else {}
        missing = [
            f"{section}.{key}" for section, key in wanted if not _has(resources.get(section), key)
        ]
        if missing:
            listed = " and ".join(
                [", ".join(missing[:-1]), missing[-1]] if missing[:-1] else missing
            )
            yield Violation(
                m,
                (*path, "resources"),
                f"container {container.get('name')!r} is missing resources {listed}: "
                f"set {'it' if len(missing) == 1 else 'them'} from observed usage",
            )
