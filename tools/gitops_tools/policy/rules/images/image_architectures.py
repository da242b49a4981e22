from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.k8s import FieldPath, pod_spec, pod_template
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, environment_rule

ARCH = "kubernetes.io/arch"
ANNOTATION = "gitops/image-architectures"
# What Karpenter can launch on AWS; a NodePool without an arch requirement admits both.
ARCHITECTURES = ("amd64", "arm64")
UNDECLARED = frozenset({"amd64"})  # what `docker build` on an x86 runner produces


def _restrict(allowed: set[str], requirement: dict[str, Any]) -> set[str]:
    """A node selector requirement on kubernetes.io/arch applied to a set of architectures."""
    raw = requirement.get("values")
    values = {str(v) for v in raw} if isinstance(raw, list) else set()
    operator = requirement.get("operator")
    if operator == "In":
        return allowed & values
    if operator == "NotIn":
        return allowed - values
    if operator == "DoesNotExist":
        return set()
    return allowed


def _arch_requirements(items: Any) -> Iterator[dict[str, Any]]:
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("key") == ARCH:
            yield item


def nodepool_architectures(pool: Manifest) -> set[str]:
    """The architectures a Karpenter NodePool may launch (`spec.template.spec.requirements`)."""
    spec = pool.obj.get("spec")
    template = spec.get("template") if isinstance(spec, dict) else None
    node = template.get("spec") if isinstance(template, dict) else None
    allowed = set(ARCHITECTURES)
    for requirement in _arch_requirements(
        node.get("requirements") if isinstance(node, dict) else None
    ):
        allowed = _restrict(allowed, requirement)
    return allowed


def pod_architectures(spec: dict[str, Any]) -> set[str]:
    """The architectures a pod may be scheduled on: its nodeSelector and the required node
    affinity terms on kubernetes.io/arch (terms are alternatives)."""
    allowed = set(ARCHITECTURES)
    selector = spec.get("nodeSelector")
    if isinstance(selector, dict) and ARCH in selector:
        allowed &= {str(selector[ARCH])}
    affinity = spec.get("affinity")
    node = affinity.get("nodeAffinity") if isinstance(affinity, dict) else None
    required = (
        node.get("requiredDuringSchedulingIgnoredDuringExecution")
        if isinstance(node, dict)
        else None
    )
    terms = required.get("nodeSelectorTerms") if isinstance(required, dict) else None
    if isinstance(terms, list) and terms:
        union: set[str] = set()
        for term in terms:
            admitted = set(ARCHITECTURES)
            expressions = term.get("matchExpressions") if isinstance(term, dict) else None
            for requirement in _arch_requirements(expressions):
                admitted = _restrict(admitted, requirement)
            union |= admitted
        allowed &= union
    return allowed


def declared_architectures(m: Manifest) -> tuple[list[str], FieldPath] | None:
    """The `gitops/image-architectures` annotation of the workload, else of its pod template
    (where Helm charts put `podAnnotations`), split, with its path."""
    places: list[tuple[Any, FieldPath]] = [(m.obj, ())]
    template = pod_template(m)
    if template is not None and template[1]:
        places.append(template)
    for holder, path in places:
        metadata = holder.get("metadata") if isinstance(holder, dict) else None
        annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
        if isinstance(annotations, dict) and ANNOTATION in annotations:
            words = str(annotations[ANNOTATION]).replace(",", " ").split()
            return words, (*path, "metadata", "annotations", ANNOTATION)
    return None


@environment_rule(
    "GO305",
    "image-architectures",
    "Images are built for every architecture the NodePools may launch",
    Severity.ERROR,
)
def image_architectures(ctx: Context) -> Iterator[Violation]:
    """Every workload's images are declared for each CPU architecture the environment's
    Karpenter NodePools may give it a node of.

    A NodePool admits the architectures of its `kubernetes.io/arch` requirement (In, NotIn;
    none means both amd64 and arm64). A pod may land on any of them unless its
    `nodeSelector` or required node affinity on `kubernetes.io/arch` narrows the choice. The
    workload declares what its images are built for in the annotation
    `gitops/image-architectures` (a list such as `amd64,arm64`, on the Deployment,
    StatefulSet, ... itself or on its pod template, where a Helm chart's `podAnnotations`
    go); without it the images are taken as amd64 only, what a plain
    `docker build` on an x86 runner produces. Environments without NodePools are not checked.

    Why: Karpenter picks the cheapest instance the NodePool allows, often Graviton (arm64)
    spot capacity. An image without an arm64 variant then fails on that node with `exec
    format error` and the pod crash-loops, only on some nodes and only some of the time.

    Fix: build the images for every admitted platform (`docker buildx build --platform
    linux/amd64,linux/arm64`) and list them in the annotation, or pin the pod to the
    architectures its images have with `nodeSelector: {kubernetes.io/arch: amd64}`.

    Bad:
        kind: NodePool
        spec:
          template:
            spec:
              requirements:
                - {key: kubernetes.io/arch, operator: In, values: [amd64, arm64]}
        ---
        kind: Deployment
        metadata:
          name: web

    Good:
        kind: Deployment
        metadata:
          name: web
          annotations:
            gitops/image-architectures: amd64,arm64
    """
    pools = [
        (pool, nodepool_architectures(pool))
        for pool in ctx.index.of_kind("NodePool")
        if pool.api_version.startswith("karpenter.sh/")
    ]
    if not pools:
        return
    for workload in ctx.index.workloads():
        found = pod_spec(workload)
        if found is None:
            continue
        declared = declared_architectures(workload)
        if declared is not None:
            words, where = declared
            unknown = [w for w in words if w not in ARCHITECTURES]
            if unknown:
                yield Violation(
                    workload,
                    where,
                    f"{ANNOTATION} of {workload.kind} {workload.name!r} names {unknown[0]!r}, "
                    f"which is not a Kubernetes architecture: use {', '.join(ARCHITECTURES)}",
                )
                continue
            built = set(words)
        else:
            built, where = set(UNDECLARED), ("metadata",)
        reachable = pod_architectures(found[0])
        missing = sorted(
            arch for arch in reachable - built if any(arch in admitted for _, admitted in pools)
        )
        if not missing:
            continue
        names = sorted({pool.name for pool, admitted in pools if admitted & set(missing)})
        pinned = sorted(built & reachable) or sorted(built)
        wanted = sorted(built | set(missing))
        images = (
            f"declares its images for {', '.join(sorted(built))} only"
            if declared is not None
            else "declares no image architectures (taken as amd64 only)"
        )
        yield Violation(
            workload,
            where,
            f"{workload.kind} {workload.name!r} may be placed on {', '.join(missing)} nodes "
            f"(NodePool {', '.join(repr(n) for n in names)}) but {images}: build its images "
            f"for {', '.join('linux/' + a for a in wanted)} and set {ANNOTATION}: "
            f"{','.join(wanted)}, or set nodeSelector {ARCH}: {pinned[0]}",
        )
