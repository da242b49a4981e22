from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.k8s import pod_spec
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule

HOST_NAMESPACES = {
    "hostNetwork": "network",
    "hostPID": "process",
    "hostIPC": "IPC",
}


@object_rule(
    "GO106",
    "no-host-namespaces",
    "Pods must not share the node's network, process or IPC namespace",
    Severity.ERROR,
)
def no_host_namespaces(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """The pod sets none of `hostNetwork`, `hostPID` or `hostIPC` to `true`.

    Why: a pod in the node's network namespace can bind node ports and reach services that
    listen on localhost and bypasses NetworkPolicies; in the node's PID namespace it sees (and
    can signal or trace) every process of the node; in its IPC namespace it can read shared
    memory of other pods. The Pod Security Standards forbid all three from `baseline` up.

    Fix: remove the field (or set it to `false`); expose the pod through a Service, and
    share data between containers of the same pod with a volume.

    Bad:
        spec:
          hostNetwork: true
          containers:
            - name: app
              image: registry.example.com/app:1.0

    Good:
        spec:
          containers:
            - name: app
              image: registry.example.com/app:1.0
              ports:
                - containerPort: 8080
    """
    found = pod_spec(m)
    if found is None:
        return
    spec, path = found
    for key, namespace in HOST_NAMESPACES.items():
        if spec.get(key) is True:
            yield Violation(
                m,
                (*path, key),
                f"pod shares the node's {namespace} namespace: remove {key} or set it to false",
            )
