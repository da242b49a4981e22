from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.policy.model import Context, Violation, environment_rule
from gitops_tools.policy.rules.reliability._common import hpas_by_target, spec_of

SCALED_KINDS = ("Deployment", "StatefulSet")


@environment_rule(
    "GO203",
    "hpa-target-no-replicas",
    "Workloads scaled by an HPA must not set spec.replicas",
    Severity.ERROR,
)
def hpa_target_no_replicas(ctx: Context) -> Iterator[Violation]:
    """A Deployment or StatefulSet that a HorizontalPodAutoscaler scales does not set
    `spec.replicas`.

    Why: the HPA owns the replica count. With `spec.replicas` in Git, every Argo CD sync
    resets the workload to that number, killing the pods the HPA added under load (or
    starting pods it removed), and the application shows as out of sync whenever the HPA acts.

    Fix: remove `spec.replicas` from the workload (base and overlays) and set the bounds on the
    HPA with `minReplicas` and `maxReplicas`.

    Bad:
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 3
        ---
        kind: HorizontalPodAutoscaler
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 3
          maxReplicas: 10

    Good:
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
        ---
        kind: HorizontalPodAutoscaler
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 3
          maxReplicas: 10
    """
    for (namespace, kind, name), hpas in hpas_by_target(ctx.index).items():
        if kind not in SCALED_KINDS:
            continue
        workload = ctx.index.get(kind, namespace, name)
        if workload is None or "replicas" not in spec_of(workload):
            continue
        yield Violation(
            workload,
            ("spec", "replicas"),
            f"{kind} {name!r} sets spec.replicas but HorizontalPodAutoscaler {hpas[0].name!r} "
            "scales it: remove spec.replicas and set minReplicas on the HPA",
        )
