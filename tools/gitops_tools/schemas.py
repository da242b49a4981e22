"""JSON schemas by (apiVersion, kind): built-in kinds from kubernetes-validate's bundled strict
schemas for one Kubernetes version, custom resources from CRDs, compiled once and cached.

The bundled schemas leave quantities unchecked and lack the enums the API server enforces, so
the definitions are tightened here (values from the Kubernetes API reference).
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import sys
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from gitops_tools.errors import FatalError

DEFINITIONS_URI = "https://kubernetes.io/api/_definitions.json"
OBJECT_META_REF = f"{DEFINITIONS_URI}#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
QUANTITY_PATTERN = (
    r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
    r"(([eE][+-]?[0-9]+)|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$"
)
_CORE = "io.k8s.api.core.v1."
ENUMS: dict[tuple[str, str], list[str]] = {
    (_CORE + "Container", "imagePullPolicy"): ["Always", "IfNotPresent", "Never"],
    (_CORE + "Container", "terminationMessagePolicy"): ["File", "FallbackToLogsOnError"],
    (_CORE + "ContainerPort", "protocol"): ["TCP", "UDP", "SCTP"],
    (_CORE + "ServicePort", "protocol"): ["TCP", "UDP", "SCTP"],
    (_CORE + "PodSpec", "restartPolicy"): ["Always", "OnFailure", "Never"],
    (_CORE + "PodSpec", "dnsPolicy"): [
        "ClusterFirst",
        "ClusterFirstWithHostNet",
        "Default",
        "None",
    ],
    (_CORE + "PodSpec", "preemptionPolicy"): ["PreemptLowerPriority", "Never"],
    (_CORE + "ServiceSpec", "type"): ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
    (_CORE + "ServiceSpec", "externalTrafficPolicy"): ["Cluster", "Local"],
    (_CORE + "ServiceSpec", "internalTrafficPolicy"): ["Cluster", "Local"],
    (_CORE + "ServiceSpec", "sessionAffinity"): ["ClientIP", "None"],
    (_CORE + "TopologySpreadConstraint", "whenUnsatisfiable"): ["DoNotSchedule", "ScheduleAnyway"],
    (_CORE + "Toleration", "operator"): ["Exists", "Equal"],
    (_CORE + "Toleration", "effect"): ["NoSchedule", "PreferNoSchedule", "NoExecute"],
    (_CORE + "SeccompProfile", "type"): ["Localhost", "RuntimeDefault", "Unconfined"],
    ("io.k8s.api.apps.v1.DeploymentStrategy", "type"): ["Recreate", "RollingUpdate"],
    ("io.k8s.api.apps.v1.StatefulSetSpec", "podManagementPolicy"): ["OrderedReady", "Parallel"],
    ("io.k8s.api.apps.v1.StatefulSetUpdateStrategy", "type"): ["OnDelete", "RollingUpdate"],
    ("io.k8s.api.autoscaling.v2.MetricSpec", "type"): [
        "ContainerResource",
        "External",
        "Object",
        "Pods",
        "Resource",
    ],
    ("io.k8s.api.autoscaling.v2.MetricTarget", "type"): ["AverageValue", "Utilization", "Value"],
    ("io.k8s.api.autoscaling.v2.HPAScalingPolicy", "type"): ["Percent", "Pods"],
    ("io.k8s.api.autoscaling.v2.HPAScalingRules", "selectPolicy"): ["Disabled", "Max", "Min"],
    ("io.k8s.api.networking.v1.NetworkPolicyPort", "protocol"): ["TCP", "UDP", "SCTP"],
    ("io.k8s.api.networking.v1.HTTPIngressPath", "pathType"): [
        "Exact",
        "ImplementationSpecific",
        "Prefix",
    ],
    ("io.k8s.api.policy.v1.PodDisruptionBudgetSpec", "unhealthyPodEvictionPolicy"): [
        "AlwaysAllow",
        "IfHealthyBudget",
    ],
}
_GVK = "x-kubernetes-group-version-kind"
GroupVersionKind = tuple[str, str, str]


def split_api_version(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


@cache
def _builtin_root() -> Path:
    """kubernetes-validate's schema folder, found without importing the package (its import
    pulls in jsonschema and costs more than our whole validation)."""
    spec = importlib.util.find_spec("kubernetes_validate")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise FatalError(
            "kubernetes-validate is not installed; its schemas are needed",
            "run `make setup`",
        )
    return Path(locations[0]) / "kubernetes-json-schema"


_NOTED: set[str] = set()


@cache
def builtin_versions() -> list[tuple[int, int]]:
    found = set()
    for entry in _builtin_root().iterdir():
        match = re.fullmatch(r"v(\d+)\.(\d+)\.\d+-local-strict", entry.name)
        if match:
            found.add((int(match.group(1)), int(match.group(2))))
    return sorted(found)


def resolve_version(requested: str) -> str:
    """The bundled schema version to use for a cluster version like "1.33"."""
    match = re.fullmatch(r"v?(\d+)\.(\d+)(\.\d+)?", requested.strip())
    available = builtin_versions()
    if not match:
        raise FatalError(f"Kubernetes version {requested!r} is not like 1.33")
    wanted = (int(match.group(1)), int(match.group(2)))
    newest = available[-1]
    if wanted > newest:
        shown = ".".join(map(str, newest))
        if wanted[0] != newest[0] or wanted[1] - newest[1] > 1:
            raise FatalError(
                f"no schemas for Kubernetes {requested}: the newest bundled is {shown}",
                "give a released version (e.g. --kubernetes-version "
                f"{shown}), or upgrade kubernetes-validate for newer schemas",
            )
        if requested not in _NOTED:  # one minor ahead of the bundle: close enough, but say so
            _NOTED.add(requested)
            print(
                f"gitops: note: no schemas for Kubernetes {requested} yet; validating against "
                f"{shown}",
                file=sys.stderr,
            )
    usable = [v for v in available if v <= wanted]
    if not usable:
        oldest = ".".join(map(str, available[0]))
        raise FatalError(
            f"no schemas for Kubernetes {requested}: the oldest bundled is {oldest}",
            "upgrade the cluster version in cluster.yaml, or pass --kubernetes-version",
        )
    major, minor = usable[-1]
    return f"{major}.{minor}"


@cache
def _definitions(version: str) -> dict[str, Any]:
    directory = _builtin_root() / f"v{version}.0-local-strict"
    defs: dict[str, Any] = json.loads((directory / "_definitions.json").read_text())
    tightened = defs["$defs"]
    tightened["io.k8s.apimachinery.pkg.api.resource.Quantity"] = {
        "description": "A quantity such as 500m, 2, 1.5Gi or 128974848.",
        "anyOf": [
            {"type": "string", "pattern": QUANTITY_PATTERN},
            {"type": "number"},
            {"type": "null"},
        ],
    }
    for (definition, field), values in ENUMS.items():
        prop = tightened.get(definition, {}).get("properties", {}).get(field)
        if prop is not None:
            prop["enum"] = [*values, None]
    return defs


@cache
def _builtin_schema(version: str, api_version: str, kind: str) -> dict[str, Any] | None:
    group, ver = split_api_version(api_version)
    prefix = group.split(".")[0] + "-" if group else ""
    name = f"{kind.lower()}-{prefix}{ver}.json"
    path = _builtin_root() / f"v{version}.0-local-strict" / name
    if not path.is_file():
        return None
    schema: dict[str, Any] = json.loads(path.read_text())
    declared = {(g.get("group", ""), g.get("version"), g.get("kind")) for g in schema.get(_GVK, [])}
    return schema if (group, ver, kind) in declared else None


def crd_schemas(crd: dict[str, Any]) -> Iterator[tuple[GroupVersionKind, dict[str, Any]]]:
    """(group, version, kind) and a strict JSON schema for each version a CRD serves."""
    spec = crd.get("spec") or {}
    group = str(spec.get("group", ""))
    kind = str((spec.get("names") or {}).get("kind", ""))
    for version in spec.get("versions") or []:
        openapi = ((version.get("schema") or {}).get("openAPIV3Schema")) if version else None
        if isinstance(openapi, dict) and group and kind:
            yield (group, str(version.get("name")), kind), crd_to_json_schema(openapi)


def crd_to_json_schema(openapi: dict[str, Any]) -> dict[str, Any]:
    """An openAPIV3Schema made a strict JSON schema: unknown fields refused where the API server
    would prune them, `nullable` and int-or-string spelled out, metadata as ObjectMeta."""
    schema: dict[str, Any] = _strict(copy.deepcopy(openapi))
    props = schema.setdefault("properties", {})
    props.setdefault("apiVersion", {"type": "string"})
    props.setdefault("kind", {"type": "string"})
    props["metadata"] = {"$ref": OBJECT_META_REF}
    return schema


def _strict(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node.pop("x-kubernetes-int-or-string", False):
        node.pop("type", None)
        node.setdefault("anyOf", [{"type": "integer"}, {"type": "string"}])
    if node.pop("nullable", False) and isinstance(node.get("type"), str):
        node["type"] = [node["type"], "null"]
    if node.get("x-kubernetes-embedded-resource"):
        props = node.setdefault("properties", {})
        for field in ("apiVersion", "kind"):
            props.setdefault(field, {"type": "string"})
        props.setdefault("metadata", {"type": "object"})
    for child in (node.get("properties") or {}).values():
        _strict(child)
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            _strict(node[key])
    if (
        "properties" in node
        and "additionalProperties" not in node
        and not node.get("x-kubernetes-preserve-unknown-fields")
    ):
        node["additionalProperties"] = False
    return node


def custom_schemas(documents: Iterable[Any]) -> dict[GroupVersionKind, dict[str, Any]]:
    """Schemas from CRD objects and from JSON schemas declaring x-kubernetes-group-version-kind."""
    found: dict[GroupVersionKind, dict[str, Any]] = {}
    for doc in documents:
        if not isinstance(doc, dict):
            continue
        if doc.get("kind") == "CustomResourceDefinition":
            found.update(crd_schemas(doc))
        for gvk in doc.get(_GVK) or []:
            found[(gvk.get("group", ""), gvk.get("version", ""), gvk.get("kind", ""))] = dict(doc)
    return found


@cache
def _registry(version: str) -> jsonschema_rs.Registry:
    return jsonschema_rs.Registry([(DEFINITIONS_URI, _definitions(version))])


@cache
def _builtin_validator(version: str, api_version: str, kind: str) -> jsonschema_rs.Validator | None:
    schema = _builtin_schema(version, api_version, kind)
    if schema is None:
        return None
    return jsonschema_rs.Draft202012Validator(
        schema, registry=_registry(version), validate_formats=False
    )


class SchemaStore:
    """Validators for one Kubernetes version plus custom resources, compiled on first use.

    Custom schemas (CRDs, policies/schemas) win over built-in ones of the same kind.
    """

    def __init__(
        self, kubernetes_version: str, custom: dict[GroupVersionKind, dict[str, Any]] | None = None
    ) -> None:
        self.version = resolve_version(kubernetes_version)
        self.custom = dict(custom or {})
        self._compiled: dict[GroupVersionKind, jsonschema_rs.Validator] = {}

    def validator(self, api_version: str, kind: str) -> jsonschema_rs.Validator | None:
        group, version = split_api_version(api_version)
        gvk = (group, version, kind)
        schema = self.custom.get(gvk)
        if schema is None:
            return _builtin_validator(self.version, api_version, kind)
        if gvk not in self._compiled:
            try:
                self._compiled[gvk] = jsonschema_rs.validator_for(
                    schema, registry=_registry(self.version), validate_formats=False
                )
            except (ValueError, jsonschema_rs.ReferencingError) as exc:
                raise FatalError(
                    f"the schema for {kind} {api_version} is not a valid JSON schema: {exc}",
                    "fix the CRD or the file under policies/schemas/",
                ) from None
        return self._compiled[gvk]


CONVERTER_VERSION = "1"


def schema_dir_schemas(
    directory: Path, cache_dir: Path | None = None
) -> dict[GroupVersionKind, dict[str, Any]]:
    """Custom schemas from every CRD/JSON-schema file under `directory`, each file converted
    once and kept in `cache_dir` by its content (CRDs are large; JSON loads fast)."""
    from gitops_tools.fileio import manifest_files, write_atomically

    found: dict[GroupVersionKind, dict[str, Any]] = {}
    import hashlib  # only a schema directory's cache key needs it

    for file in manifest_files(directory) if directory.is_dir() else []:
        data = file.read_bytes()
        key = hashlib.sha256(CONVERTER_VERSION.encode() + b"\0" + data).hexdigest()
        cached = cache_dir / "schemas" / f"{key}.json" if cache_dir else None
        if cached is not None and cached.is_file():
            pairs = json.loads(cached.read_text())
        else:
            pairs = [[list(gvk), schema] for gvk, schema in custom_schemas(_load(file)).items()]
            if cached is not None:
                write_atomically(cached, json.dumps(pairs), make_parents=True)
        found.update({(g, v, k): schema for (g, v, k), schema in pairs})
    return found


def _load(file: Path) -> list[Any]:
    from gitops_tools.yamlio import YamlError, decode_text, load_documents

    try:
        return load_documents(decode_text(file.read_bytes()))
    except (OSError, YamlError) as exc:
        raise FatalError(f"{file}: cannot load schema: {exc}") from None


def load_schema_dir(directory: Path) -> list[Any]:
    """Every document of every schema/CRD file under `directory` (e.g. policies/schemas)."""
    from gitops_tools.fileio import manifest_files
    from gitops_tools.yamlio import YamlError, decode_text, load_documents

    documents: list[Any] = []
    for file in manifest_files(directory) if directory.is_dir() else []:
        try:
            documents.extend(load_documents(decode_text(file.read_bytes())))
        except (OSError, YamlError) as exc:
            raise FatalError(f"{file}: cannot load schema: {exc}") from None
    return documents


@cache
def builtin_kinds(kubernetes_version: str) -> tuple[GroupVersionKind, ...]:
    """Every (group, version, kind) the bundled schemas of a Kubernetes version define, lists
    and API machinery types left out: what a cluster of that version serves."""
    defs = _definitions(resolve_version(kubernetes_version))["$defs"]
    found = set()
    for name, definition in defs.items():
        if name.startswith("io.k8s.apimachinery."):
            continue
        for gvk in definition.get(_GVK) or []:
            kind = str(gvk.get("kind", ""))
            if kind and not kind.endswith("List"):
                found.add((str(gvk.get("group", "")), str(gvk.get("version", "")), kind))
    return tuple(sorted(found))
