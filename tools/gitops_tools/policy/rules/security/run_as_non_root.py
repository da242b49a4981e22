from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.k8s import containers, pod_spec
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule


@object_rule("GO101", "run-as-non-root", "Containers must run as non-root", Severity.ERROR)
def run_as_non_root(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """Every container runs with `runAsNonRoot: true`, set on the pod or the container.

    Why: a container running as root is one kernel bug away from the node; the Pod Security
    Standards `restricted` profile requires non-root, and namespaces labelled for it refuse
    such pods at admission, so the sync fails in the cluster instead of in review.

    Fix: set `securityContext.runAsNonRoot: true` (and a non-zero `runAsUser`) on the pod.

    Bad:
        spec:
          containers:
            - name: app
              image: registry.example.com/app:1.0

    Good:
        spec:
          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
          containers:
            - name: app
              image: registry.example.com/app:1.0
    """
    found = pod_spec(m)
    if found is None:
        return
    spec, _ = found
    pod_level = (spec.get("securityContext") or {}).get("runAsNonRoot")
    for container, path in containers(m):
        own = (container.get("securityContext") or {}).get("runAsNonRoot")
        if own is False or (own is None and pod_level is not True):
            yield Violation(
                m,
                path,
                f"container {container.get('name')!r} may run as root: set "
                "securityContext.runAsNonRoot: true",
            )
