from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.k8s import containers
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, environment_rule
from gitops_tools.policy.rules.reliability._common import hpas_by_target, spec_of

RESOURCES = ("cpu", "memory")


def _utilization_metrics(hpa: Manifest) -> list[tuple[str, str | None]]:
    """(resource, container or None for all) of each utilization metric of the HPA. An HPA
    without metrics scales on 80 % CPU utilization (the API server's default)."""
    spec = spec_of(hpa)
    if hpa.api_version == "autoscaling/v1":
        return [("cpu", None)]
    metrics = spec.get("metrics")
    if not isinstance(metrics, list) or not metrics:
        return [("cpu", None)]
    out: list[tuple[str, str | None]] = []
    for metric in metrics:
        if not isinstance(metric, dict):
            continue
        key = {"Resource": "resource", "ContainerResource": "containerResource"}.get(
            str(metric.get("type"))
        )
        source = metric.get(key) if key else None
        if not isinstance(source, dict) or source.get("name") not in RESOURCES:
            continue
        target = source.get("target")
        if not isinstance(target, dict) or target.get("type") != "Utilization":
            continue
        container = source.get("container") if key == "containerResource" else None
        out.append((str(source["name"]), str(container) if container is not None else None))
    return out


def _requests(container: dict[str, Any]) -> dict[str, Any]:
    resources = container.get("resources")
    requests = resources.get("requests") if isinstance(resources, dict) else None
    return requests if isinstance(requests, dict) else {}


@environment_rule(
    "GO206",
    "hpa-metric-requests",
    "Containers scaled on utilization must request that resource",
    Severity.ERROR,
)
def hpa_metric_requests(ctx: Context) -> Iterator[Violation]:
    """For every CPU or memory utilization metric of a HorizontalPodAutoscaler, each container
    of the target's pod template requests that resource.

    Why: utilization is usage divided by the request; when one container has no request the
    HPA cannot compute it (`FailedGetResourceMetric: missing request for cpu`) and stops
    scaling altogether. An HPA without metrics scales on CPU utilization by default.

    Fix: set `resources.requests.<resource>` on every container of the target (sidecars
    included), or scale on a `ContainerResource` metric of the container that has it.

    Bad:
        containers:
          - name: app
            resources:
              limits: {memory: 256Mi}

    Good:
        containers:
          - name: app
            resources:
              requests: {cpu: 100m, memory: 128Mi}
              limits: {memory: 256Mi}
    """
    seen: set[tuple[int, int, str]] = set()
    for (namespace, kind, name), hpas in hpas_by_target(ctx.index).items():
        workload = ctx.index.get(kind, namespace, name)
        if workload is None:
            continue
        pods = list(enumerate(containers(workload, init=False)))
        for hpa in hpas:
            for resource, only in _utilization_metrics(hpa):
                for number, (container, path) in pods:
                    if only is not None and container.get("name") != only:
                        continue
                    if _requests(container).get(resource) not in (None, ""):
                        continue
                    if (id(workload), number, resource) in seen:
                        continue
                    seen.add((id(workload), number, resource))
                    yield Violation(
                        workload,
                        path,
                        f"container {container.get('name')!r} requests no {resource}, so "
                        f"HorizontalPodAutoscaler {hpa.name!r} cannot compute its {resource} "
                        f"utilization: set resources.requests.{resource}",
                    )
