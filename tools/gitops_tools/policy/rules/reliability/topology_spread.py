from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.k8s import pod_spec
from gitops_tools.policy.model import Context, Violation, environment_rule
from gitops_tools.policy.rules.reliability._common import (
    hpas_by_target,
    max_replicas,
)

ZONE = "topology.kubernetes.io/zone"


def _spread(spec: dict[str, Any]) -> bool:
    """The pod spec spreads its replicas across zones, or keeps them apart (anti-affinity)."""
    constraints = spec.get("topologySpreadConstraints")
    if isinstance(constraints, list) and any(
        isinstance(c, dict) and c.get("topologyKey") == ZONE for c in constraints
    ):
        return True
    affinity = spec.get("affinity")
    anti = affinity.get("podAntiAffinity") if isinstance(affinity, dict) else None
    return isinstance(anti, dict) and bool(anti)


@environment_rule(
    "GO211",
    "topology-spread",
    "Replicated workloads must spread across zones",
    Severity.ERROR,
)
def topology_spread(ctx: Context) -> Iterator[Violation]:
    """A Deployment or StatefulSet that can run more than one replica (`spec.replicas` above
    1, or an HPA with `maxReplicas` above 1) has a `topologySpreadConstraints` entry on
    `topology.kubernetes.io/zone` or a `podAntiAffinity`, when the profile sets
    `requireTopologySpread`.

    Why: the scheduler packs pods where resources are free, so all replicas can end up in one
    zone or on one node, and a single zone outage or node failure takes the whole service down
    even though it runs several replicas.

    Fix: add a `topologySpreadConstraints` entry with `topologyKey:
    topology.kubernetes.io/zone` (`whenUnsatisfiable: ScheduleAnyway` keeps pods schedulable),
    or a `podAntiAffinity` on the pod's own labels.

    Bad:
        spec:
          replicas: 3
          template:
            spec:
              containers: [{name: app, image: registry.example.com/app:1.0}]

    Good:
        spec:
          replicas: 3
          template:
            spec:
              topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: ScheduleAnyway
                  labelSelector: {matchLabels: {app: web}}
              containers: [{name: app, image: registry.example.com/app:1.0}]
    """
    if not ctx.profile.setting("requireTopologySpread"):
        return
    hpas = hpas_by_target(ctx.index)
    for workload in ctx.index.of_kind("Deployment", "StatefulSet"):
        most = max_replicas(workload, hpas)
        found = pod_spec(workload)
        if most <= 1 or found is None or _spread(found[0]):
            continue
        yield Violation(
            workload,
            found[1],
            f"{workload.kind} {workload.name!r} can run {most} replicas but does not spread "
            f"them: add a topologySpreadConstraints entry on {ZONE} or a podAntiAffinity",
        )
