from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.k8s import FieldPath
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, environment_rule
from gitops_tools.policy.rules.reliability._common import spec_of

DIRECTIONS = ("Ingress", "Egress")


def _denied(policy: Manifest) -> set[str]:
    """The directions a NetworkPolicy denies for every pod of its namespace: it selects all
    pods (empty podSelector) and has no rule for the direction."""
    spec = spec_of(policy)
    selector = spec.get("podSelector")
    if not isinstance(selector, dict) or any(selector.get(k) for k in selector):
        return set()
    types = spec.get("policyTypes")
    if not isinstance(types, list):  # the API server's default
        types = ["Ingress", "Egress"] if spec.get("egress") else ["Ingress"]
    return {d for d in DIRECTIONS if d in types and not spec.get(d.lower())}


@environment_rule(
    "GO209",
    "default-deny-network-policy",
    "Namespaces with workloads must have a default-deny NetworkPolicy",
    Severity.ERROR,
)
def default_deny_network_policy(ctx: Context) -> Iterator[Violation]:
    """Every namespace with workloads has a NetworkPolicy with an empty `podSelector` that
    denies both Ingress and Egress (one policy or two), when the profile sets
    `requireNetworkPolicy`.

    Why: without a default deny every pod accepts connections from anywhere in the cluster and
    can reach anything, so one compromised pod reaches every database. With it, each allowed
    flow is a reviewed NetworkPolicy, and a new workload starts isolated.

    Fix: add a NetworkPolicy with `podSelector: {}`, `policyTypes: [Ingress, Egress]` and no
    `ingress` or `egress` rules, then allow the needed flows (DNS included) with policies
    selecting specific pods.

    Bad:
        kind: NetworkPolicy
        metadata: {name: default-deny, namespace: shop}
        spec:
          podSelector: {}
          policyTypes: [Ingress]

    Good:
        kind: NetworkPolicy
        metadata: {name: default-deny, namespace: shop}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
    """
    if not ctx.profile.setting("requireNetworkPolicy"):
        return
    denied: dict[str, set[str]] = defaultdict(set)
    for policy in ctx.index.of_kind("NetworkPolicy"):
        denied[policy.namespace] |= _denied(policy)
    declared = {m.name: m for m in ctx.index.of_kind("Namespace")}
    first: dict[str, Manifest] = {}
    for workload in ctx.index.workloads():
        first.setdefault(workload.namespace, workload)
    for namespace, workload in first.items():
        missing = [d for d in DIRECTIONS if d not in denied[namespace]]
        if not missing:
            continue
        target = declared.get(namespace) if namespace else None
        path: FieldPath = ("metadata", "name") if target else ("metadata", "namespace")
        yield Violation(
            target or workload,
            path,
            f"namespace {namespace or '(default)'!r} has no default-deny NetworkPolicy for "
            f"{' and '.join(missing)}: add one with podSelector: {{}} and "
            "policyTypes: [Ingress, Egress] and no rules",
        )
