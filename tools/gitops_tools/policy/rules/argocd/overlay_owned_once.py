from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.k8s import FieldPath
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, environment_rule
from gitops_tools.policy.rules.argocd._argo import (
    in_this_repo,
    of_kind,
    repo_path,
    sources,
    whole_environment,
)


def _generated_sources(ctx: Context) -> Iterator[tuple[Manifest, dict[str, Any], FieldPath]]:
    """The sources of the Applications each ApplicationSet generates (expanded offline), with
    the path of the source in the ApplicationSet's template."""
    from gitops_tools.appsets import expand
    from gitops_tools.errors import FatalError

    root = ctx.repo_root if isinstance(ctx.repo_root, Path) else None
    for appset in of_kind(ctx, "ApplicationSet"):
        spec = appset.obj.get("spec")
        if root is None or not isinstance(spec, dict):
            continue
        try:
            generated = list(expand(spec, appset.path, root))
        except FatalError:
            continue  # discovery reported it
        base: FieldPath = ("spec", "template", "spec")
        for app in generated:
            app_spec: dict[str, Any] = app["spec"] if isinstance(app.get("spec"), dict) else {}
            many = app_spec.get("sources")
            if isinstance(many, list) and many:
                for index, source in enumerate(many):
                    if isinstance(source, dict):
                        yield appset, source, (*base, "sources", index)
            elif isinstance(app_spec.get("source"), dict):
                yield appset, app_spec["source"], (*base, "source")


def _overlays(ctx: Context) -> list[str]:
    """The environment's overlay directories (the `overlayGlob` setting), repository-relative."""
    pattern = ctx.profile.setting("overlayGlob")
    if not isinstance(pattern, str) or not pattern or not isinstance(ctx.repo_root, Path):
        return []
    root = ctx.repo_root
    try:
        found = [p for p in root.glob(pattern.replace("{env}", ctx.env)) if p.is_dir()]
        return sorted(p.relative_to(root).as_posix() for p in found)
    except (ValueError, NotImplementedError, OSError):
        return []


@environment_rule(
    "GO401",
    "overlay-owned-once",
    "Each overlay of an environment is deployed by exactly one Application",
    Severity.ERROR,
)
def overlay_owned_once(ctx: Context) -> Iterator[Violation]:
    """Every overlay of the environment is the source path of exactly one Application.

    Why: an overlay no Application points at is never deployed, so a change merged there
    silently does nothing; an overlay two Applications point at is owned twice, and the two
    fight over its objects (each prunes or overwrites what the other applies, and deleting one
    Application deletes the other's resources). The overlays are the directories matching the
    `overlayGlob` setting with `{env}` replaced by the environment name.

    Applications an ApplicationSet generates (its list, git, matrix and merge generators,
    expanded offline) count as owners like Applications written out.

    Fix: give each overlay one Application whose `spec.source.path` (or one of its
    `spec.sources[].path`) is the overlay; remove the extra source from the other Applications.

    Bad:
        # both in clusters/prod/apps/
        metadata: {name: shop}
        spec:
          source: {path: apps/workloads/shop/overlays/prod}
        ---
        metadata: {name: shop-copy}
        spec:
          source: {path: apps/workloads/shop/overlays/prod}

    Good:
        metadata: {name: shop}
        spec:
          source: {path: apps/workloads/shop/overlays/prod}
    """
    apps = of_kind(ctx, "Application")
    appsets = of_kind(ctx, "ApplicationSet")
    if not apps and not appsets:
        return
    owners: dict[str, list[tuple[Manifest, FieldPath]]] = {o: [] for o in _overlays(ctx)}
    found = [(app, source, path) for app in apps for source, path in sources(app)]
    found += list(_generated_sources(ctx))  # ApplicationSet-generated Applications own too
    for app, source, path in found:
        overlay = repo_path(source.get("path"))
        if overlay in owners and in_this_repo(source, ctx):
            owners[overlay].append((app, (*path, "path")))
    apps = apps or appsets
    whole = whole_environment(ctx, apps)
    for overlay, deployed in owners.items():
        if not deployed:
            if whole:  # a partial check (--changed-since) may not have loaded the owner
                yield Violation(
                    apps[0],
                    ("metadata",),
                    f"overlay {overlay} is deployed by no Application of this environment: add "
                    f"an Application with spec.source.path: {overlay}",
                )
            continue
        first = deployed[0][0]
        for app, path in deployed[1:]:
            owner = "this Application" if app is first else f"Application {first.name!r}"
            yield Violation(
                app,
                path,
                f"overlay {overlay} is already deployed by {owner}: remove this source, one "
                "Application owns each overlay",
            )
