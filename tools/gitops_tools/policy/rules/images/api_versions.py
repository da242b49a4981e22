"""Deprecated and removed Kubernetes API versions, as data.

Source: the Kubernetes "Deprecated API Migration Guide"
(https://kubernetes.io/docs/reference/using-api/deprecation-guide/), sections "Removed APIs by
release" v1.16 to v1.32: the removal release, the replacement apiVersion and the release it is
"available since". Two core/v1 kinds are deprecated without a removal: ComponentStatus
(deprecated in v1.19, "Deprecated: This API is deprecated in v1.19+" in the API reference) and
Endpoints (deprecated in v1.33 in favour of discovery.k8s.io/v1 EndpointSlice, Kubernetes blog
"Continuing the transition from Endpoints to EndpointSlices", 2025-04-24).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiChange:
    """What happens to one apiVersion of one kind.

    `since`: the first release in which using it is worth a finding: the release its
    replacement became available (the guide's "available since"), or its deprecation release
    when there is no replacement API. `removed`: the release that stops serving it (None: still
    served, deprecated only). `replacement`: the apiVersion to use, of `replacement_kind` when
    the kind changes too, or a description when no API replaces it."""

    since: str
    removed: str | None
    replacement: str
    replacement_kind: str = ""


def _same(
    replacement: str, since: str, removed: str | None, *keys: str
) -> dict[tuple[str, str], ApiChange]:
    """Entries `"apiVersion Kind"` that all move to `replacement` (same kind)."""
    change = ApiChange(since, removed, replacement)
    return {(key.split()[0], key.split()[1]): change for key in keys}


_PSA = "Pod Security Admission (pod-security.kubernetes.io/* namespace labels)"

# fmt: off
DEPRECATED_APIS: dict[tuple[str, str], ApiChange] = {
    # v1.16
    **_same("networking.k8s.io/v1", "1.8", "1.16", "extensions/v1beta1 NetworkPolicy"),
    **_same(
        "apps/v1", "1.9", "1.16",
        "extensions/v1beta1 DaemonSet", "apps/v1beta2 DaemonSet",
        "extensions/v1beta1 Deployment", "apps/v1beta1 Deployment", "apps/v1beta2 Deployment",
        "apps/v1beta1 StatefulSet", "apps/v1beta2 StatefulSet",
        "extensions/v1beta1 ReplicaSet", "apps/v1beta1 ReplicaSet", "apps/v1beta2 ReplicaSet",
    ),
    **_same("policy/v1beta1", "1.10", "1.16", "extensions/v1beta1 PodSecurityPolicy"),
    # v1.22
    **_same(
        "admissionregistration.k8s.io/v1", "1.16", "1.22",
        "admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration",
        "admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration",
    ),
    **_same(
        "apiextensions.k8s.io/v1", "1.16", "1.22",
        "apiextensions.k8s.io/v1beta1 CustomResourceDefinition",
    ),
    **_same(
        "apiregistration.k8s.io/v1", "1.10", "1.22",
        "apiregistration.k8s.io/v1beta1 APIService",
    ),
    **_same("authentication.k8s.io/v1", "1.6", "1.22", "authentication.k8s.io/v1beta1 TokenReview"),
    **_same(
        "authorization.k8s.io/v1", "1.6", "1.22",
        "authorization.k8s.io/v1beta1 LocalSubjectAccessReview",
        "authorization.k8s.io/v1beta1 SelfSubjectAccessReview",
        "authorization.k8s.io/v1beta1 SubjectAccessReview",
        "authorization.k8s.io/v1beta1 SelfSubjectRulesReview",
    ),
    **_same(
        "certificates.k8s.io/v1", "1.19", "1.22",
        "certificates.k8s.io/v1beta1 CertificateSigningRequest",
    ),
    **_same("coordination.k8s.io/v1", "1.14", "1.22", "coordination.k8s.io/v1beta1 Lease"),
    **_same(
        "networking.k8s.io/v1", "1.19", "1.22",
        "extensions/v1beta1 Ingress", "networking.k8s.io/v1beta1 Ingress",
        "networking.k8s.io/v1beta1 IngressClass",
    ),
    **_same(
        "rbac.authorization.k8s.io/v1", "1.8", "1.22",
        "rbac.authorization.k8s.io/v1beta1 ClusterRole",
        "rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding",
        "rbac.authorization.k8s.io/v1beta1 Role",
        "rbac.authorization.k8s.io/v1beta1 RoleBinding",
    ),
    **_same("scheduling.k8s.io/v1", "1.14", "1.22", "scheduling.k8s.io/v1beta1 PriorityClass"),
    **_same("storage.k8s.io/v1", "1.19", "1.22", "storage.k8s.io/v1beta1 CSIDriver"),
    **_same("storage.k8s.io/v1", "1.17", "1.22", "storage.k8s.io/v1beta1 CSINode"),
    **_same("storage.k8s.io/v1", "1.6", "1.22", "storage.k8s.io/v1beta1 StorageClass"),
    **_same("storage.k8s.io/v1", "1.13", "1.22", "storage.k8s.io/v1beta1 VolumeAttachment"),
    # v1.25
    **_same("batch/v1", "1.21", "1.25", "batch/v1beta1 CronJob"),
    **_same("discovery.k8s.io/v1", "1.21", "1.25", "discovery.k8s.io/v1beta1 EndpointSlice"),
    **_same("events.k8s.io/v1", "1.19", "1.25", "events.k8s.io/v1beta1 Event"),
    **_same("autoscaling/v2", "1.23", "1.25", "autoscaling/v2beta1 HorizontalPodAutoscaler"),
    **_same("policy/v1", "1.21", "1.25", "policy/v1beta1 PodDisruptionBudget"),
    **_same(_PSA, "1.21", "1.25", "policy/v1beta1 PodSecurityPolicy"),
    **_same("node.k8s.io/v1", "1.20", "1.25", "node.k8s.io/v1beta1 RuntimeClass"),
    # v1.26
    **_same(
        "flowcontrol.apiserver.k8s.io/v1beta2", "1.23", "1.26",
        "flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema",
        "flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration",
    ),
    **_same("autoscaling/v2", "1.23", "1.26", "autoscaling/v2beta2 HorizontalPodAutoscaler"),
    # v1.27
    **_same("storage.k8s.io/v1", "1.24", "1.27", "storage.k8s.io/v1beta1 CSIStorageCapacity"),
    # v1.29 (the guide also names flowcontrol.apiserver.k8s.io/v1, available since v1.29)
    **_same(
        "flowcontrol.apiserver.k8s.io/v1beta3", "1.26", "1.29",
        "flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema",
        "flowcontrol.apiserver.k8s.io/v1beta2 PriorityLevelConfiguration",
    ),
    # v1.32
    **_same(
        "flowcontrol.apiserver.k8s.io/v1", "1.29", "1.32",
        "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema",
        "flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration",
    ),
    # deprecated, not removed
    ("v1", "ComponentStatus"): ApiChange(
        "1.19", None, "the /livez and /readyz endpoints of each control-plane component"
    ),
    ("v1", "Endpoints"): ApiChange("1.33", None, "discovery.k8s.io/v1", "EndpointSlice"),
}
# fmt: on


def parse_version(version: str) -> tuple[int, int] | None:
    """(major, minor) of "1.33", "v1.33" or "1.33.2"; None when it is not a version."""
    parts = version.strip().removeprefix("v").split(".")
    if len(parts) < 2 or not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    return int(parts[0]), int(parts[1])


def replacement_for(api_version: str, kind: str, cluster: tuple[int, int]) -> str:
    """What to use instead on a cluster of version `cluster`: the replacement, followed while
    the replacement is itself deprecated there (policy/v1beta1 PodSecurityPolicy leads on to
    Pod Security Admission; flowcontrol v1beta1 to v1beta2, v1beta3 and v1)."""
    seen = {(api_version, kind)}
    change = DEPRECATED_APIS[(api_version, kind)]
    while True:
        target = (change.replacement, change.replacement_kind or kind)
        after = DEPRECATED_APIS.get(target)
        since = parse_version(after.since) if after else None
        if after is None or target in seen or since is None or since > cluster:
            shown_kind = f" {change.replacement_kind}" if change.replacement_kind else ""
            return f"{change.replacement}{shown_kind}"
        seen.add(target)
        change = after
