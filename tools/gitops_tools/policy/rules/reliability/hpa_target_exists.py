from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.policy.model import Context, Violation, environment_rule
from gitops_tools.policy.rules.reliability._common import is_hpa, scale_target


@environment_rule(
    "GO204",
    "hpa-target-exists",
    "An HPA must scale an object that exists",
    Severity.ERROR,
)
def hpa_target_exists(ctx: Context) -> Iterator[Violation]:
    """The `spec.scaleTargetRef` of a HorizontalPodAutoscaler names an object of this
    environment, in the HPA's namespace.

    Why: an HPA whose target does not exist is accepted by the API server and then does
    nothing but report `FailedGetScale`; the workload it was meant for (often renamed, or
    given a name prefix by an overlay) runs at a fixed size without anyone noticing.

    Fix: correct `spec.scaleTargetRef` (kind and name) to the workload's rendered name, or
    remove the HPA together with the workload.

    Bad:
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: shop}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-frontend}
          maxReplicas: 5

    Good:
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: shop}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          maxReplicas: 5
    """
    for hpa in ctx.index.of_kind("HorizontalPodAutoscaler"):
        target = scale_target(hpa) if is_hpa(hpa) else None
        if target is None:
            continue
        kind, name = target
        if not ctx.index.exists(kind, hpa.namespace, name):
            where = f"namespace {hpa.namespace!r}" if hpa.namespace else "this environment"
            yield Violation(
                hpa,
                ("spec", "scaleTargetRef"),
                f"HorizontalPodAutoscaler {hpa.name!r} scales {kind} {name!r}, which does not "
                f"exist in {where}: fix spec.scaleTargetRef",
            )
