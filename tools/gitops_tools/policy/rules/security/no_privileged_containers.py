from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.k8s import containers
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule


@object_rule(
    "GO105",
    "no-privileged-containers",
    "Containers must not be privileged",
    Severity.ERROR,
)
def no_privileged_containers(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """No container sets `securityContext.privileged: true`.

    Why: a privileged container has every capability, sees every device of the node and is
    not confined by seccomp or AppArmor: it is root on the node in all but name. The Pod
    Security Standards forbid it from the `baseline` profile up, so a namespace enforcing
    either profile rejects the pod at admission.

    Fix: remove `privileged: true` (or set it to `false`) and grant only what the process
    needs, e.g. one capability in `capabilities.add`, or move node-level work into a
    platform component with its own reviewed exemption.

    Bad:
        containers:
          - name: app
            image: registry.example.com/app:1.0
            securityContext:
              privileged: true

    Good:
        containers:
          - name: app
            image: registry.example.com/app:1.0
            securityContext:
              privileged: false
              allowPrivilegeEscalation: false
    """
    for container, path in containers(m):
        context = container.get("securityContext")
        if isinstance(context, dict) and context.get("privileged") is True:
            yield Violation(
                m,
                (*path, "securityContext", "privileged"),
                f"container {container.get('name')!r} is privileged: remove "
                "securityContext.privileged or set it to false",
            )
