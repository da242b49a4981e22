from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule
from gitops_tools.policy.rules.argocd._argo import is_argo


@object_rule(
    "GO403",
    "no-default-project",
    "Applications must not use the default project",
    Severity.ERROR,
    kinds=("Application",),
)
def no_default_project(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """No Application is in Argo CD's `default` project or leaves `spec.project` unset.

    Why: the built-in `default` project allows every source repository, every cluster and
    namespace and every cluster-scoped kind, so an Application in it bypasses all the limits
    the AppProjects set (it can deploy into `kube-system` or create ClusterRoleBindings).

    Fix: set `spec.project` to the AppProject of the team or layer that owns the Application
    (`platform` for cluster add-ons, `workloads` for services).

    Bad:
        kind: Application
        spec:
          project: default

    Good:
        kind: Application
        spec:
          project: workloads
    """
    spec = m.obj.get("spec")
    if not is_argo(m) or not isinstance(spec, dict):
        return
    project = spec.get("project")
    if "project" not in spec or project in (None, ""):
        yield Violation(
            m,
            ("spec", "project") if "project" in spec else ("spec",),
            f"Application {m.name!r} sets no project, so it runs in the unrestricted default "
            "project: set spec.project to a dedicated AppProject",
        )
    elif project == "default":
        yield Violation(
            m,
            ("spec", "project"),
            f"Application {m.name!r} uses the unrestricted default project: set spec.project to "
            "a dedicated AppProject",
        )
