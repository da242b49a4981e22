from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.k8s import containers
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule

PROBES = ("livenessProbe", "readinessProbe")


@object_rule(
    "GO202",
    "probes",
    "Long-running containers must have liveness and readiness probes",
    Severity.ERROR,
    kinds=("Deployment", "StatefulSet", "DaemonSet"),
)
def probes(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """Every container of a Deployment, StatefulSet or DaemonSet (init containers aside) has a
    `livenessProbe` and a `readinessProbe`.

    Why: without a readiness probe a pod receives traffic as soon as its process starts, and a
    rolling update goes on while the new pods still fail; without a liveness probe a hung
    process is never restarted. Jobs and init containers run to completion and are not checked.

    Fix: add `readinessProbe` (is it ready for traffic?) and `livenessProbe` (is it stuck?) to
    each container; for a slow start add a `startupProbe` rather than a long initial delay.

    Bad:
        containers:
          - name: app
            image: registry.example.com/app:1.0

    Good:
        containers:
          - name: app
            image: registry.example.com/app:1.0
            readinessProbe:
              httpGet: {path: /ready, port: http}
            livenessProbe:
              httpGet: {path: /health, port: http}
    """
    for container, path in containers(m, init=False):
        missing = [probe for probe in PROBES if not isinstance(container.get(probe), dict)]
        if missing:
            yield Violation(
                m,
                path,
                f"container {container.get('name')!r} has no {' and no '.join(missing)}: "
                f"add {'it' if len(missing) == 1 else 'both'}",
            )
