from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.k8s import FieldPath
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule
from gitops_tools.policy.rules.argocd._argo import is_argo

# list field of the spec, key in each item (None: the item is the value), what "*" allows
CHECKS: tuple[tuple[str, str | None, str], ...] = (
    ("sourceRepos", None, "every source repository"),
    ("destinations", "server", "every cluster"),
    ("destinations", "name", "every cluster"),
    ("destinations", "namespace", "every namespace"),
    ("clusterResourceWhitelist", "group", "cluster-scoped kinds of every API group"),
    ("clusterResourceWhitelist", "kind", "every cluster-scoped kind"),
)


def _is_star(value: Any) -> bool:
    return isinstance(value, str) and value.strip() == "*"


@object_rule(
    "GO405",
    "appproject-no-wildcards",
    "AppProjects must not allow everything with a bare wildcard",
    Severity.ERROR,
    kinds=("AppProject",),
)
def appproject_no_wildcards(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """An AppProject never allows everything with a bare `"*"`.

    Why: a bare `"*"` in `sourceRepos`, in a destination's `server`, `name` or `namespace`, or
    in a `clusterResourceWhitelist` group or kind defeats the project. A project exists to limit
    what its Applications may deploy, from where and to where. A bare `"*"` removes that limit:
    any repository, any cluster, `kube-system`, or any cluster-scoped kind (ClusterRoleBindings,
    webhooks, CRDs) becomes allowed, which makes the project as open as Argo CD's `default`
    project. Patterns such as `team-*` stay allowed.

    Fix: list the repositories, servers, namespaces and cluster-scoped kinds the project's
    Applications really use.

    Bad:
        kind: AppProject
        spec:
          sourceRepos: ["*"]
          destinations:
            - {server: "*", namespace: "*"}

    Good:
        kind: AppProject
        spec:
          sourceRepos: [https://github.com/example-org/gitops-platform.git]
          destinations:
            - {server: https://kubernetes.default.svc, namespace: shop}
    """
    spec = m.obj.get("spec")
    if not is_argo(m) or not isinstance(spec, dict):
        return
    for field, key, allows in CHECKS:
        items = spec.get(field)
        for index, item in enumerate(items if isinstance(items, list) else []):
            value = item if key is None else item.get(key) if isinstance(item, dict) else None
            if not _is_star(value):
                continue
            path: FieldPath = ("spec", field, index) if key is None else ("spec", field, index, key)
            where = f"spec.{field}[{index}]" + (f".{key}" if key else "")
            yield Violation(
                m,
                path,
                f'AppProject {m.name!r} allows {allows} with "*" in {where}: list the allowed '
                "values instead",
            )
