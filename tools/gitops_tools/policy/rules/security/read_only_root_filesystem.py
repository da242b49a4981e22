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
    "GO103",
    "read-only-root-filesystem",
    "Containers must have a read-only root filesystem",
    Severity.ERROR,
)
def read_only_root_filesystem(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """Every container sets `securityContext.readOnlyRootFilesystem: true`.

    Why: a writable root filesystem lets an attacker drop tools or change binaries and
    configuration inside a running container, and lets the application write state that is
    lost on restart. A read-only root makes the image the single truth; the few paths that
    must be writable are declared as volumes. Windows pods (`spec.os.name: windows`), which
    cannot set the field, are exempt.

    Fix: set `securityContext.readOnlyRootFilesystem: true` on every container and init
    container, and mount an `emptyDir` on each path the process writes (`/tmp`, caches).

    Bad:
        containers:
          - name: app
            image: registry.example.com/app:1.0

    Good:
        containers:
          - name: app
            image: registry.example.com/app:1.0
            securityContext:
              readOnlyRootFilesystem: true
            volumeMounts:
              - name: tmp
                mountPath: /tmp
        volumes:
          - name: tmp
            emptyDir:
              sizeLimit: 64Mi
    """
    if linux_pod_spec(m) is None:
        return
    for container, where in containers_without(m, "readOnlyRootFilesystem", True):
        yield Violation(
            m,
            where,
            f"container {container.get('name')!r} has a writable root filesystem: set "
            "securityContext.readOnlyRootFilesystem: true",
        )
