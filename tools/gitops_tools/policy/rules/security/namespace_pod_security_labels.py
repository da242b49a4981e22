from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.k8s import FieldPath
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, environment_rule

ENFORCE = "pod-security.kubernetes.io/enforce"
LEVEL = "restricted"
SYSTEM_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease"})


@environment_rule(
    "GO109",
    "namespace-pod-security-labels",
    "Namespaces with workloads must enforce the restricted Pod Security Standard",
    Severity.ERROR,
)
def namespace_pod_security_labels(ctx: Context) -> Iterator[Violation]:
    """Every namespace with workloads is a Namespace object that enforces `restricted`.

    Why: the Pod Security rules of this policy are checked in review, but only the
    namespace label makes the cluster enforce them at admission, for every pod, including
    those created outside Git. A namespace that is not declared in the environment gets no
    label at all (and is created by hand or by `CreateNamespace=true`, outside review).
    The label checked is `pod-security.kubernetes.io/enforce`, and its value must be
    `restricted`; kube-system, kube-public and kube-node-lease are not checked.

    Fix: declare the namespace in the application's base and label it
    `pod-security.kubernetes.io/enforce: restricted` (pin `enforce-version` as well, and set
    `audit` and `warn` to the same level).

    Bad:
        apiVersion: v1
        kind: Namespace
        metadata:
          name: shop

    Good:
        apiVersion: v1
        kind: Namespace
        metadata:
          name: shop
          labels:
            pod-security.kubernetes.io/enforce: restricted
            pod-security.kubernetes.io/enforce-version: v1.33
    """
    declared: dict[str, Manifest] = {}
    for declaration in ctx.index.of_kind("Namespace"):
        declared.setdefault(declaration.name, declaration)
    first_workload: dict[str, Manifest] = {}
    for workload in ctx.index.workloads():
        if workload.namespace and workload.namespace not in SYSTEM_NAMESPACES:
            first_workload.setdefault(workload.namespace, workload)
    for name, workload in first_workload.items():
        namespace = declared.get(name)
        if namespace is None:
            yield Violation(
                workload,
                ("metadata", "namespace"),
                f"namespace {name!r} has workloads but no Namespace object: declare it with "
                f"label {ENFORCE}: {LEVEL}",
            )
            continue
        metadata = namespace.obj.get("metadata")
        labels = metadata.get("labels") if isinstance(metadata, dict) else None
        level = labels.get(ENFORCE) if isinstance(labels, dict) else None
        if level == LEVEL:
            continue
        where: FieldPath = ("metadata",)
        if labels is not None:
            where = ("metadata", "labels", ENFORCE) if level is not None else ("metadata", "labels")
        problem = "does not enforce Pod Security" if level is None else f"enforces level {level!r}"
        yield Violation(
            namespace,
            where,
            f"namespace {name!r} {problem}: label it {ENFORCE}: {LEVEL}",
        )
