from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import (
    Context,
    Violation,
    object_rule,
)
from gitops_tools.policy.rules.security._linux import containers_without, linux_pod_spec


@object_rule(
    "GO102",
    "no-privilege-escalation",
    "Containers must not allow privilege escalation",
    Severity.ERROR,
)
def no_privilege_escalation(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """Every container sets `securityContext.allowPrivilegeEscalation: false`.

    Why: when the field is unset, a process can gain more privileges than its parent (setuid
    binaries, file capabilities), which turns a compromised process into root in the container.
    The Pod Security Standards `restricted` profile requires it to be explicitly false, and a
    namespace enforcing that profile rejects the pod at admission. Windows pods
    (`spec.os.name: windows`) are exempt, as in the profile.

    Fix: set `securityContext.allowPrivilegeEscalation: false` on every container and init
    container (it has no pod-level equivalent).

    Bad:
        containers:
          - name: app
            image: registry.example.com/app:1.0

    Good:
        containers:
          - name: app
            image: registry.example.com/app:1.0
            securityContext:
              allowPrivilegeEscalation: false
    """
    if linux_pod_spec(m) is None:
        return
    for container, where in containers_without(m, "allowPrivilegeEscalation", False):
        yield Violation(
            m,
            where,
            f"container {container.get('name')!r} may escalate privileges: set "
            "securityContext.allowPrivilegeEscalation: false",
        )
