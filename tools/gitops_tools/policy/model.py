"""What a policy rule is and what it reports. The Kubernetes accessors the rules share
(pod_spec, containers, selector_matches, image parsing) are in `gitops_tools.k8s`."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gitops_tools.catalog import RuleInfo
from gitops_tools.findings import Severity
from gitops_tools.k8s import WORKLOAD_KINDS, FieldPath

if TYPE_CHECKING:
    from gitops_tools.cluster import Cluster
    from gitops_tools.manifests import Manifest
    from gitops_tools.policy.config import Profile
    from gitops_tools.policy.index import ResourceIndex


@dataclass(frozen=True)
class Violation:
    """One thing a rule found: the object, the field to point at, and what is wrong.
    `sensitive`: the value at `path` is a secret; the finding builder masks it in the
    message and hint of every output format."""

    manifest: Manifest
    path: FieldPath
    message: str
    hint: str = ""
    rule_id: str = ""  # set only when the engine reports for another rule (GO008)
    sensitive: bool = False


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


ObjectCheck = Callable[["Manifest", Context], Iterable[Violation]]
EnvironmentCheck = Callable[[Context], Iterable[Violation]]


@dataclass(frozen=True)
class Rule(RuleInfo):
    """A policy rule: the catalog entry (stable ID, never reused; name, title, default
    severity, documentation = the check function's docstring: what, why, fix, bad and good
    example) and the check that finds its violations."""

    check_object: ObjectCheck | None = None
    check_environment: EnvironmentCheck | None = None
    kinds: frozenset[str] | None = None  # per-object rules: only these kinds


def object_rule(
    rule_id: str,
    name: str,
    title: str,
    severity: Severity = Severity.ERROR,
    kinds: Iterable[str] | None = WORKLOAD_KINDS,
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
        )

    return wrap


def environment_rule(
    rule_id: str, name: str, title: str, severity: Severity = Severity.ERROR
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
        )

    return wrap
