from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.k8s import FieldPath, containers, dict_items, pod_spec
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, environment_rule
from gitops_tools.policy.rules.reliability._common import spec_of

Reference = tuple[str, str, FieldPath, str]  # kind, name, path of the name, who refers
ENV_FROM = (("configMapRef", "ConfigMap"), ("secretRef", "Secret"))
ENV_VALUE = (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret"))
VOLUME = (("configMap", "ConfigMap", "name"), ("secret", "Secret", "secretName"))


def _ref(ref: Any, key: str = "name") -> str | None:
    """The referenced name, unless the reference is optional or malformed."""
    if not isinstance(ref, dict) or ref.get("optional") is True:
        return None
    name = ref.get(key)
    return name if isinstance(name, str) and name else None


def _references(m: Manifest) -> Iterator[Reference]:
    found = pod_spec(m)
    if found is None:
        return
    spec, path = found
    account = spec.get("serviceAccountName")
    if isinstance(account, str) and account not in ("", "default"):
        yield "ServiceAccount", account, (*path, "serviceAccountName"), "the pod template"
    for container, cpath in containers(m):
        yield from _container_references(container, cpath)
    for number, volume in dict_items(spec.get("volumes")):
        yield from _volume_references(volume, (*path, "volumes", number))


def _container_references(container: dict[str, Any], cpath: FieldPath) -> Iterator[Reference]:
    """ConfigMaps and Secrets a container reads through envFrom and env valueFrom."""
    who = f"container {container.get('name')!r}"
    for number, item in dict_items(container.get("envFrom")):
        for key, kind in ENV_FROM:
            if name := _ref(item.get(key)):
                yield kind, name, (*cpath, "envFrom", number, key, "name"), who
    for number, item in dict_items(container.get("env")):
        source = item.get("valueFrom")
        for key, kind in ENV_VALUE:
            if isinstance(source, dict) and (name := _ref(source.get(key))):
                where = (*cpath, "env", number, "valueFrom", key, "name")
                yield kind, name, where, f"{who} (env {item.get('name')})"


def _volume_references(volume: dict[str, Any], vpath: FieldPath) -> Iterator[Reference]:
    """ConfigMaps and Secrets a volume mounts, directly or as projected sources."""
    who = f"volume {volume.get('name')!r}"
    for key, kind, field in VOLUME:
        if name := _ref(volume.get(key), field):
            yield kind, name, (*vpath, key, field), who
    projected = volume.get("projected")
    sources = projected.get("sources") if isinstance(projected, dict) else None
    for index, source in dict_items(sources):
        for key, kind, _ in VOLUME:
            if name := _ref(source.get(key)):
                yield kind, name, (*vpath, "projected", "sources", index, key, "name"), who


@environment_rule(
    "GO210",
    "references-exist",
    "ServiceAccounts, ConfigMaps and Secrets a pod uses must exist",
    Severity.ERROR,
)
def references_exist(ctx: Context) -> Iterator[Violation]:
    """The ServiceAccount (other than `default`), ConfigMaps and Secrets a workload refers to
    (env, envFrom and volumes, unless `optional: true`) exist in its namespace; a Secret also
    exists when an ExternalSecret produces it (`spec.target.name`, else its own name).

    Why: a pod whose ConfigMap or Secret is missing stays in `CreateContainerConfigError` or
    `ContainerCreating`, and one with a missing ServiceAccount is never created; the sync
    itself succeeds, so the rollout hangs. Usually a typo, a rename, or a missing resource in
    kustomization.yaml.

    Fix: add the object (or the ExternalSecret that produces the Secret) to the same
    kustomization, correct the name, or mark a reference that may be absent `optional: true`.

    Bad:
        # no Secret or ExternalSecret named db-credentials in the namespace
        env:
          - name: DB_PASSWORD
            valueFrom:
              secretKeyRef: {name: db-credentials, key: password}

    Good:
        # in the same kustomization: produces Secret db-credentials
        kind: ExternalSecret
        metadata: {name: db}
        spec:
          target: {name: db-credentials}
    """
    secrets = {(m.namespace, m.name) for m in ctx.index.of_kind("Secret")}
    for external in ctx.index.of_kind("ExternalSecret"):
        if external.api_version.startswith("external-secrets.io/"):
            target = spec_of(external).get("target")
            name = _ref(target) or external.name
            secrets.add((external.namespace, name))
    for workload in ctx.index.workloads():
        namespace = workload.namespace
        for kind, name, path, who in _references(workload):
            if kind == "Secret":
                exists = (namespace, name) in secrets
            else:
                exists = ctx.index.exists(kind, namespace, name)
            if not exists:
                where = f"namespace {namespace!r}" if namespace else "its namespace"
                producer = " (or an ExternalSecret that produces it)" if kind == "Secret" else ""
                yield Violation(
                    workload,
                    path,
                    f"{who} refers to {kind} {name!r}, which does not exist in {where}: add "
                    f"it{producer} or fix the name",
                )
