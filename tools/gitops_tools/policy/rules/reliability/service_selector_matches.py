from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.k8s import pod_labels
from gitops_tools.policy.model import Context, Violation, environment_rule
from gitops_tools.policy.rules.reliability._common import spec_of


@environment_rule(
    "GO207",
    "service-selector-matches",
    "A Service's selector must match the pods of a workload",
    Severity.ERROR,
)
def service_selector_matches(ctx: Context) -> Iterator[Violation]:
    """A Service with a `spec.selector` selects the pod template of at least one workload in
    its namespace (every pair of the selector is among the pod labels).

    Why: a Service that selects no pod has no endpoints: clients get connection refused or
    time out, and nothing fails at sync time. It happens after a label is renamed on the pods
    but not in the Service, or the Service moved to another namespace. Services of type
    ExternalName and Services without a selector (endpoints managed elsewhere) are skipped.

    Fix: make `spec.selector` a subset of the pod template's `metadata.labels` of the
    workload it fronts, in the same namespace.

    Bad:
        kind: Service
        spec:
          selector: {app: web-frontend}
        ---
        kind: Deployment
        spec:
          template:
            metadata:
              labels: {app: web}

    Good:
        kind: Service
        spec:
          selector: {app: web}
        ---
        kind: Deployment
        spec:
          template:
            metadata:
              labels: {app: web}
    """
    labels_by_namespace: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for workload in ctx.index.workloads():
        labels_by_namespace[workload.namespace].append(pod_labels(workload))
    for service in ctx.index.of_kind("Service"):
        spec = spec_of(service)
        selector = spec.get("selector")
        if spec.get("type") == "ExternalName" or not isinstance(selector, dict) or not selector:
            continue
        pairs = selector.items()
        if any(pairs <= labels.items() for labels in labels_by_namespace[service.namespace]):
            continue
        shown = ", ".join(f"{key}={value}" for key, value in selector.items())
        where = f"namespace {service.namespace!r}" if service.namespace else "its namespace"
        yield Violation(
            service,
            ("spec", "selector"),
            f"Service {service.name!r} selects no pod of a workload in {where} ({shown}): "
            "fix spec.selector or the pod template labels",
        )
