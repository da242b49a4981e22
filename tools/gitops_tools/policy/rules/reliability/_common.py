"""Helpers the reliability rules share: HPA targets, replica counts and label selectors,
tolerant of invalid input (rules must not raise); the generic accessors are in `k8s`."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from gitops_tools import k8s
from gitops_tools.k8s import as_int
from gitops_tools.manifests import Manifest
from gitops_tools.policy.index import ResourceIndex

TargetKey = tuple[str, str, str]  # (namespace, kind, name)


def spec_of(m: Manifest) -> dict[str, Any]:
    return k8s.spec_of(m.obj)


def is_hpa(m: Manifest) -> bool:
    return m.kind == "HorizontalPodAutoscaler" and m.api_version.startswith("autoscaling/")


def scale_target(hpa: Manifest) -> tuple[str, str] | None:
    """(kind, name) of the HPA's spec.scaleTargetRef, or None when it names nothing."""
    ref = spec_of(hpa).get("scaleTargetRef")
    if not isinstance(ref, dict):
        return None
    kind, name = ref.get("kind"), ref.get("name")
    if not isinstance(kind, str) or not isinstance(name, str) or not kind or not name:
        return None
    return kind, name


def hpas_by_target(index: ResourceIndex) -> dict[TargetKey, list[Manifest]]:
    """Every HPA (autoscaling/v1 or v2) by the (namespace, kind, name) it scales."""
    out: dict[TargetKey, list[Manifest]] = defaultdict(list)
    for hpa in index.of_kind("HorizontalPodAutoscaler"):
        target = scale_target(hpa) if is_hpa(hpa) else None
        if target is not None:
            out[(hpa.namespace, *target)].append(hpa)
    return out


def max_replicas(workload: Manifest, hpas: dict[TargetKey, list[Manifest]]) -> int:
    """The most replicas a workload can run: spec.replicas (default 1) or its HPAs' maximum."""
    most = as_int(spec_of(workload).get("replicas"))
    most = 1 if most is None else most
    for hpa in hpas.get((workload.namespace, workload.kind, workload.name), []):
        most = max(most, as_int(spec_of(hpa).get("maxReplicas")) or 0)
    return most


def label_selector(value: Any) -> dict[str, Any] | None:
    """A LabelSelector safe to give to selector_matches, or None (selects nothing) when it is
    missing or malformed."""
    if not isinstance(value, dict):
        return None
    labels = value.get("matchLabels")
    expressions = value.get("matchExpressions")
    if labels is not None and not isinstance(labels, dict):
        return None
    if expressions is not None and not isinstance(expressions, list):
        return None
    for expression in expressions or []:
        if not isinstance(expression, dict) or not isinstance(expression.get("key"), str):
            return None
        if not isinstance(expression.get("values") or [], list):
            return None
    return value
