from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, environment_rule
from gitops_tools.policy.rules.argocd._argo import (
    IN_CLUSTER,
    destination_allowed,
    of_kind,
    repo_allowed,
    sources,
    spec_of,
    whole_environment,
)


@environment_rule(
    "GO402",
    "project-allows-destination",
    "An Application's AppProject exists and allows its destination and sources",
    Severity.ERROR,
)
def project_allows_destination(ctx: Context) -> Iterator[Violation]:
    """Each Application's AppProject exists and allows its destination and source repositories.

    Why: the project's `spec.destinations` must allow the Application's server (or cluster name)
    and namespace, and its `spec.sourceRepos` every source's `repoURL`. Argo CD refuses to sync
    an Application its project does not permit, or whose project does not exist: the sync fails
    in the cluster with "application destination is not permitted in project" instead of in
    review. Project patterns are globs (`team-*`) and `!pattern` denies.

    Fix: add the destination or repository to the AppProject, or point the Application at a
    namespace and repository its project already allows.

    Bad:
        kind: Application
        spec:
          project: workloads
          destination: {server: https://kubernetes.default.svc, namespace: kube-system}

    Good:
        kind: Application
        spec:
          project: workloads
          destination: {server: https://kubernetes.default.svc, namespace: shop}
    """
    projects: dict[str, Manifest] = {}
    for candidate in of_kind(ctx, "AppProject"):
        projects.setdefault(candidate.name, candidate)
    apps = of_kind(ctx, "Application")
    whole = whole_environment(ctx, apps)
    for app in apps:
        spec = spec_of(app)
        name = spec.get("project")
        if not isinstance(name, str) or not name:
            continue  # no project: GO403
        project = projects.get(name)
        if project is None:
            if name != "default" and whole:  # default: Argo CD's built-in project, GO403
                yield Violation(
                    app,
                    ("spec", "project"),
                    f"project {name!r} of Application {app.name!r} is not an AppProject of this "
                    "environment: add the AppProject or set spec.project to an existing one",
                )
            continue
        allowed = spec_of(project)
        yield from _destination_violations(app, name, spec.get("destination"), allowed)
        for source, path in sources(app):
            repo = source.get("repoURL")
            if isinstance(repo, str) and not repo_allowed(allowed.get("sourceRepos"), repo):
                yield Violation(
                    app,
                    (*path, "repoURL"),
                    f"AppProject {name!r} does not allow source repository {repo}: add it to the "
                    "project's spec.sourceRepos or change repoURL",
                )


def _destination_violations(
    app: Manifest, project: str, dest: Any, allowed: dict[str, Any]
) -> Iterator[Violation]:
    """The Application names a cluster, and its project allows that cluster and namespace."""
    if not isinstance(dest, dict):
        return
    server, cluster = str(dest.get("server") or ""), str(dest.get("name") or "")
    namespace = str(dest.get("namespace") or "")
    known = server or (IN_CLUSTER if cluster == "in-cluster" else None)
    if not server and not cluster:
        yield Violation(
            app,
            ("spec", "destination"),
            f"Application {app.name!r} names no cluster: set spec.destination.server (or name)",
        )
    elif not destination_allowed(allowed.get("destinations"), known, cluster, namespace):
        where = f"server {server}" if server else f"cluster {cluster!r}"
        yield Violation(
            app,
            ("spec", "destination"),
            f"AppProject {project!r} does not allow destination {where} namespace "
            f"{namespace!r}: add it to the project's spec.destinations or change "
            "spec.destination",
        )
