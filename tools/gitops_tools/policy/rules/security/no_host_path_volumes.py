from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.k8s import pod_spec
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule


@object_rule(
    "GO107",
    "no-host-path-volumes",
    "Pods must not mount hostPath volumes",
    Severity.ERROR,
)
def no_host_path_volumes(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """No volume of the pod is a `hostPath` volume.

    Why: a hostPath volume exposes a directory of the node to the pod: enough to read other
    pods' data and the kubelet's credentials, or to write to the container runtime's socket
    and take over the node. The data also stays on one node, so the pod breaks when it is
    rescheduled. The Pod Security Standards forbid hostPath volumes from `baseline` up.

    Fix: use an `emptyDir` for scratch space, a ConfigMap or Secret for files, and a
    PersistentVolumeClaim for data that must survive the pod.

    Bad:
        volumes:
          - name: data
            hostPath:
              path: /var/lib/app

    Good:
        volumes:
          - name: data
            persistentVolumeClaim:
              claimName: app-data
    """
    found = pod_spec(m)
    if found is None:
        return
    spec, path = found
    volumes = spec.get("volumes")
    for index, volume in enumerate(volumes if isinstance(volumes, list) else []):
        if not isinstance(volume, dict) or volume.get("hostPath") is None:
            continue
        host_path = volume["hostPath"]
        where = host_path.get("path") if isinstance(host_path, dict) else None
        shown = f" {where!r}" if isinstance(where, str) else ""
        yield Violation(
            m,
            (*path, "volumes", index),
            f"volume {volume.get('name')!r} mounts the node's directory{shown}: use an "
            "emptyDir, a ConfigMap or a PersistentVolumeClaim instead of hostPath",
        )
