from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule
from gitops_tools.policy.rules.images.api_versions import (
    DEPRECATED_APIS,
    parse_version,
    replacement_for,
)


@object_rule(
    "GO304",
    "deprecated-api-version",
    "API version is deprecated or removed",
    Severity.ERROR,
    kinds=None,
)
def deprecated_api_version(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """No object uses an apiVersion removed or deprecated in the cluster's Kubernetes version.

    The table comes from the Kubernetes Deprecated API Migration Guide and is compared with the
    cluster's `kubernetesVersion` (clusters/<env>/cluster.yaml). An apiVersion removed at or
    before that version is reported as removed; one deprecated there but removed only in a later
    release is reported as deprecated, with the release that removes it, so that deprecations
    show up before the removal breaks an upgrade. Both are reported with the rule's severity
    (error unless the profile lowers it). Deprecations are reported once the replacement is
    served by the cluster, so the advice can always be followed.

    Why: the API server refuses objects of a removed apiVersion, so the Argo CD sync fails, and
    the cluster upgrade that removes a deprecated apiVersion breaks every Application still
    using it. Migrating while both versions are served is a routine change.

    Fix: change `apiVersion` to the replacement named in the message, and adapt the fields the
    guide lists as changed (`kubectl convert -f FILE --output-version GROUP/VERSION` helps).

    Bad:
        apiVersion: policy/v1beta1
        kind: PodDisruptionBudget
        metadata:
          name: web
        spec:
          minAvailable: 1
          selector:
            matchLabels: {app: web}

    Good:
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: web
        spec:
          minAvailable: 1
          selector:
            matchLabels: {app: web}
    """
    api_version, kind = m.api_version, m.kind
    change = DEPRECATED_APIS.get((api_version, kind))
    if change is None or ctx.cluster is None:
        return
    cluster = parse_version(str(ctx.cluster.kubernetes_version))
    since = parse_version(change.since)
    if cluster is None or since is None or cluster < since:
        return
    removed = parse_version(change.removed) if change.removed else None
    use = replacement_for(api_version, kind, cluster)
    if removed is not None and removed <= cluster:
        message = f"{kind} {api_version} was removed in Kubernetes {change.removed}; use {use}"
    elif removed is not None:
        message = (
            f"{kind} {api_version} is deprecated and removed in Kubernetes {change.removed}; "
            f"use {use}"
        )
    else:
        message = f"{kind} {api_version} is deprecated since Kubernetes {change.since}; use {use}"
    yield Violation(m, ("apiVersion",), message)
