"""What a rule is, what it reports, and the workload helpers every rule shares."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gitops_tools.findings import Severity
from gitops_tools.manifests import Manifest

if TYPE_CHECKING:
    from gitops_tools.cluster import Cluster
    from gitops_tools.policy.config import Profile
    from gitops_tools.policy.index import ResourceIndex

FieldPath = tuple[str | int, ...]
WORKLOAD_KINDS = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"}
)


@dataclass(frozen=True)
class Violation:
    """One thing a rule found: the object, the field to point at, and what is wrong."""

    manifest: Manifest
    path: FieldPath
    message: str
    hint: str = ""
    rule_id: str = ""  # set only when the engine reports for another rule (GO008)


@dataclass(frozen=True)
class Context:
    """What a rule may look at besides the object: the environment and everything rendered."""

    env: str
    profile: Profile
    index: ResourceIndex
    cluster: Cluster | None = None
    repo_root: Any = None  # Path of the repository, for rules about files (Argo CD paths)
    # False when only part of the environment was loaded (--changed-since, PATHS in a
    # repository): then "X is missing" cannot be concluded
    complete: bool = True


ObjectCheck = Callable[[Manifest, Context], Iterable[Violation]]
EnvironmentCheck = Callable[[Context], Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    """A rule: stable ID (never reused), name, title, default severity, and its documentation
    (the check function's docstring: what, why, fix, bad and good example)."""

    id: str
    name: str
    title: str
    severity: Severity
    doc: str
    check_object: ObjectCheck | None = None
    check_environment: EnvironmentCheck | None = None
    kinds: frozenset[str] | None = None  # per-object rules: only these kinds
    tags: tuple[str, ...] = field(default=())


def object_rule(
    rule_id: str,
    name: str,
    title: str,
    severity: Severity = Severity.ERROR,
    kinds: Iterable[str] | None = WORKLOAD_KINDS,
    tags: tuple[str, ...] = (),
) -> Callable[[ObjectCheck], Rule]:
    """Make a per-object rule of a check function; its docstring is the rule's documentation."""

    def wrap(check: ObjectCheck) -> Rule:
        return Rule(
            rule_id,
            name,
            title,
            severity,
            inspect.cleandoc(check.__doc__ or ""),
            check_object=check,
            kinds=frozenset(kinds) if kinds is not None else None,
            tags=tags,
        )

    return wrap


def environment_rule(
    rule_id: str,
    name: str,
    title: str,
    severity: Severity = Severity.ERROR,
    tags: tuple[str, ...] = (),
) -> Callable[[EnvironmentCheck], Rule]:
    """Make a cross-resource rule: it sees the whole rendered environment through the index."""

    def wrap(check: EnvironmentCheck) -> Rule:
        return Rule(
            rule_id,
            name,
            title,
            severity,
            inspect.cleandoc(check.__doc__ or ""),
            check_environment=check,
            tags=tags,
        )

    return wrap


def pod_template(manifest: Manifest) -> tuple[dict[str, Any], FieldPath] | None:
    """The pod template (metadata + spec) of a workload and its path, or None."""
    obj = manifest.obj
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return None
    kind = manifest.kind
    if kind == "Pod":
        return obj, ()
    if kind == "CronJob":
        job_template = spec.get("jobTemplate")
        job = job_template.get("spec") if isinstance(job_template, dict) else None
        template = job.get("template") if isinstance(job, dict) else None
        path: FieldPath = ("spec", "jobTemplate", "spec", "template")
    elif kind in WORKLOAD_KINDS:
        template = spec.get("template")
        path = ("spec", "template")
    else:
        return None
    return (template, path) if isinstance(template, dict) else None


def pod_spec(manifest: Manifest) -> tuple[dict[str, Any], FieldPath] | None:
    """The pod spec of a workload (or Pod) and its path, or None."""
    found = pod_template(manifest)
    if found is None:
        return None
    template, path = found
    spec = template.get("spec")
    return (spec, (*path, "spec")) if isinstance(spec, dict) else None


def pod_labels(manifest: Manifest) -> dict[str, Any]:
    """The labels of a workload's pod template ({} when it has none or they are malformed)."""
    found = pod_template(manifest)
    metadata = found[0].get("metadata") if found else None
    labels = metadata.get("labels") if isinstance(metadata, dict) else None
    return labels if isinstance(labels, dict) else {}


def containers(manifest: Manifest, init: bool = True) -> Iterator[tuple[dict[str, Any], FieldPath]]:
    """Every container (and init container) of a workload with its path."""
    found = pod_spec(manifest)
    if found is None:
        return
    spec, path = found
    for key in ("initContainers", "containers") if init else ("containers",):
        items = spec.get(key)
        for index, container in enumerate(items if isinstance(items, list) else []):
            if isinstance(container, dict):
                yield container, (*path, key, index)


def selector_matches(selector: dict[str, Any] | None, labels: dict[str, Any] | None) -> bool:
    """A LabelSelector (matchLabels and matchExpressions) against labels. As in Kubernetes,
    an empty selector `{}` selects everything and a missing one (None) selects nothing."""
    if not isinstance(selector, dict):
        return False
    labels = labels if isinstance(labels, dict) else {}
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not isinstance(match_labels, dict) or not isinstance(expressions, list):
        return False  # malformed: selects nothing (the schema check reports it)
    for key, value in match_labels.items():
        if labels.get(key) != value:
            return False
    for expression in expressions:
        if not isinstance(expression, dict):
            return False
        key, operator = str(expression.get("key")), expression.get("operator")
        raw = expression.get("values")
        values: list[Any] = raw if isinstance(raw, list) else []
        present = key in labels
        if operator == "In" and not (present and labels[key] in values):
            return False
        if operator == "NotIn" and present and labels[key] in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True
