from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.k8s import FieldPath, containers
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule
from gitops_tools.policy.rules.security._linux import linux_pod_spec

ALLOWED = ("RuntimeDefault", "Localhost")


@object_rule(
    "GO108",
    "seccomp-runtime-default",
    "Pods must run with the RuntimeDefault or a Localhost seccomp profile",
    Severity.ERROR,
)
def seccomp_runtime_default(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """The pod or every container sets `seccompProfile.type` `RuntimeDefault` or `Localhost`.

    Why: without a seccomp profile a container may call every system call of the kernel,
    including the rarely used ones behind most container escapes. The Pod Security Standards
    `restricted` profile requires `RuntimeDefault` or `Localhost`, set on the pod or on each
    container, and refuses `Unconfined` anywhere, even on one container under a pod-level
    default; a namespace enforcing the profile rejects such pods at admission. Windows pods
    (`spec.os.name: windows`) are exempt.

    Fix: set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (it applies to
    every container), and remove `Unconfined` from any container.

    Bad:
        spec:
          containers:
            - name: app
              image: registry.example.com/app:1.0

    Good:
        spec:
          securityContext:
            seccompProfile:
              type: RuntimeDefault
          containers:
            - name: app
              image: registry.example.com/app:1.0
    """
    found = linux_pod_spec(m)
    if found is None:
        return
    spec, spec_path = found
    pod_type, pod_where = _profile(spec, spec_path)
    if pod_type is not None and pod_type not in ALLOWED:
        yield Violation(
            m,
            pod_where,
            f"pod sets seccompProfile.type {pod_type!r}: set it to RuntimeDefault or Localhost",
        )
    for container, path in containers(m):
        own, where = _profile(container, path)
        name = container.get("name")
        if own is not None and own not in ALLOWED:
            yield Violation(
                m,
                where,
                f"container {name!r} sets seccompProfile.type {own!r}: set it to "
                "RuntimeDefault or Localhost",
            )
        elif own is None and pod_type is None:
            yield Violation(
                m,
                where,
                f"container {name!r} has no seccomp profile: set securityContext."
                "seccompProfile.type: RuntimeDefault on the pod or the container",
            )


def _profile(owner: dict[str, Any], path: FieldPath) -> tuple[Any, FieldPath]:
    """`securityContext.seccompProfile.type` of a pod spec or container (None when unset),
    and the path of its deepest existing part."""
    context = owner.get("securityContext")
    if context is None:
        return None, path
    if not isinstance(context, dict) or context.get("seccompProfile") is None:
        return None, (*path, "securityContext")
    profile = context["seccompProfile"]
    if not isinstance(profile, dict) or "type" not in profile:
        return None, (*path, "securityContext", "seccompProfile")
    return profile["type"], (*path, "securityContext", "seccompProfile", "type")
