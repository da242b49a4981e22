from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.k8s import pod_labels, selector_matches
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, environment_rule
from gitops_tools.policy.rules.reliability._common import (
    hpas_by_target,
    label_selector,
    max_replicas,
    spec_of,
)


def _selector(pdb: Manifest) -> dict[str, Any] | None:
    return label_selector(spec_of(pdb).get("selector"))


@environment_rule(
    "GO208",
    "pdb-coverage",
    "Replicated workloads need a PodDisruptionBudget, and every PDB must select one",
    Severity.ERROR,
)
def pdb_coverage(ctx: Context) -> Iterator[Violation]:
    """Every Deployment or StatefulSet that can run more than one replica (`spec.replicas`
    above 1, or an HPA with `maxReplicas` above 1) is selected by a PodDisruptionBudget of its
    namespace, and every PodDisruptionBudget selects the pods of some workload.

    Why: node drains (cluster upgrades, autoscaler scale-down, spot interruptions) evict pods
    without regard for the service; without a PDB all replicas can go at once and the
    redundancy the replicas were meant to give is lost. A PDB that selects nothing protects
    nothing, typically after a label rename.

    Fix: add a PodDisruptionBudget with `maxUnavailable: 1` (or a `minAvailable`) whose
    `spec.selector` matches the pod template labels; fix or remove a PDB that selects nothing.

    Bad:
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 3
          template:
            metadata:
              labels: {app: web}

    Good:
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec:
          maxUnavailable: 1
          selector:
            matchLabels: {app: web}
    """
    pdbs: dict[str, list[dict[str, Any] | None]] = defaultdict(list)
    for pdb in ctx.index.of_kind("PodDisruptionBudget"):
        pdbs[pdb.namespace].append(_selector(pdb))
    labels_by_namespace: dict[str, list[dict[str, Any]]] = defaultdict(list)
    hpas = hpas_by_target(ctx.index)
    for workload in ctx.index.workloads():
        labels = pod_labels(workload)
        labels_by_namespace[workload.namespace].append(labels)
        if workload.kind not in ("Deployment", "StatefulSet"):
            continue
        most = max_replicas(workload, hpas)
        if most <= 1 or any(selector_matches(s, labels) for s in pdbs[workload.namespace]):
            continue
        yield Violation(
            workload,
            ("spec", "replicas"),
            f"{workload.kind} {workload.name!r} can run {most} replicas but no "
            "PodDisruptionBudget selects its pods: add one with maxUnavailable: 1",
        )
    for pdb in ctx.index.of_kind("PodDisruptionBudget"):
        selector = _selector(pdb)
        if any(selector_matches(selector, labels) for labels in labels_by_namespace[pdb.namespace]):
            continue
        yield Violation(
            pdb,
            ("spec", "selector"),
            f"PodDisruptionBudget {pdb.name!r} selects the pods of no workload in its "
            "namespace: fix spec.selector",
        )
