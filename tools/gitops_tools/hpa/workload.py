"""The rendered HPA to simulate and what its target's pods look like to it: CPU request and
limit, readiness delay, and the memory utilization the pods hold steady."""

from __future__ import annotations

import re
from typing import Any

from gitops_tools.errors import FatalError
from gitops_tools.hpa import ASSUMED_MEMORY_PERCENT
from gitops_tools.hpa.simulate import Workload

MEMORY_UNITS = {"": 2**-20, "k": 1e3 / 2**20, "M": 1e6 / 2**20, "G": 1e9 / 2**20, "T": 1e12 / 2**20}
MEMORY_UNITS |= {"Ki": 2**-10, "Mi": 1.0, "Gi": 2**10, "Ti": 2**20}


def cpu_cores(quantity: Any) -> float:
    text = str(quantity)
    return float(text[:-1]) / 1000 if text.endswith("m") else float(text)


def memory_mib(quantity: Any) -> float:
    match = re.fullmatch(r"([0-9.]+)([kMGT]i?|)", str(quantity))
    if not match or match.group(2) not in MEMORY_UNITS:
        raise FatalError(f"cannot read the memory quantity {quantity!r}")
    return float(match.group(1)) * MEMORY_UNITS[match.group(2)]


def _resources(containers: list[dict[str, Any]], kind: str, resource: str) -> list[Any]:
    return [((c.get("resources") or {}).get(kind) or {}).get(resource) for c in containers]


def workload_model(
    objects: list[dict[str, Any]],
    hpa_name: str | None,
    startup: float,
    memory_mib_per_pod: float | None,
) -> tuple[dict[str, Any], Workload]:
    hpas = [o for o in objects if o.get("kind") == "HorizontalPodAutoscaler"]
    if hpa_name:
        hpas = [h for h in hpas if h["metadata"]["name"] == hpa_name]
    if not hpas:
        raise FatalError(f"no HorizontalPodAutoscaler{' ' + repr(hpa_name) if hpa_name else ''}")
    hpa = max(hpas, key=lambda h: int((h.get("spec") or {}).get("maxReplicas", 0)))
    ref = hpa["spec"]["scaleTargetRef"]
    target = next(
        (
            o
            for o in objects
            if o.get("kind") == ref["kind"] and o["metadata"]["name"] == ref["name"]
        ),
        None,
    )
    if target is None:
        raise FatalError(
            f"HPA {hpa['metadata']['name']} targets {ref['kind']} {ref['name']}, "
            "which is not rendered"
        )
    containers = target["spec"]["template"]["spec"]["containers"]
    requests = _resources(containers, "requests", "cpu")
    if any(r is None for r in requests):
        raise FatalError(
            f"{ref['kind']} {ref['name']}: every container needs a CPU request "
            "for CPU utilization to exist"
        )
    limits = _resources(containers, "limits", "cpu")
    delay = max(
        int((c.get("readinessProbe") or {}).get("initialDelaySeconds", 0)) for c in containers
    )
    memory = ASSUMED_MEMORY_PERCENT
    if memory_mib_per_pod is not None:
        memory_requests = _resources(containers, "requests", "memory")
        if any(r is None for r in memory_requests):
            raise FatalError(
                f"{ref['kind']} {ref['name']}: --memory-mib-per-pod needs a memory request "
                "on every container"
            )
        memory = 100.0 * memory_mib_per_pod / sum(memory_mib(r) for r in memory_requests)
    return hpa, Workload(
        cpu_request_cores=sum(cpu_cores(r) for r in requests),
        cpu_limit_cores=None if None in limits else sum(cpu_cores(x) for x in limits),
        startup_seconds=startup + delay,
        memory_utilization=memory,
    )
