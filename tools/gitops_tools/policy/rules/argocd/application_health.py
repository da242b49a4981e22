from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.policy.model import Context, Violation, environment_rule
from gitops_tools.policy.rules.argocd._argo import (
    SYNC_WAVE,
    is_argo,
    is_root_app,
    of_kind,
    repo_yaml,
    sync_wave,
)

HEALTH_KEY = "resource.customizations.health.argoproj.io_Application"
LEGACY_KEY = "resource.customizations"  # one YAML block keyed by group/kind (before Argo CD 2.x)


def _has_health(cm: Any) -> bool:
    """An argocd-cm `data` (or Helm `configs.cm`) that restores Application health."""
    if not isinstance(cm, dict):
        return False
    if str(cm.get(HEALTH_KEY) or "").strip():
        return True
    legacy = cm.get(LEGACY_KEY)
    return (
        isinstance(legacy, str) and "argoproj.io/Application" in legacy and "health.lua" in legacy
    )


def _config_maps(docs: list[Any]) -> Iterator[Any]:
    """argocd-cm data in a file: a ConfigMap argocd-cm, or Helm values of the argo-cd chart."""
    for doc in docs:
        if not isinstance(doc, dict):
            continue
        metadata = doc.get("metadata")
        if doc.get("kind") == "ConfigMap" and isinstance(metadata, dict):
            if metadata.get("name") == "argocd-cm":
                yield doc.get("data")
        elif isinstance(doc.get("configs"), dict):
            yield doc["configs"].get("cm")


def health_configured(ctx: Context) -> tuple[bool, list[str]]:
    """Whether Argo CD assesses Application health, and where that was looked up."""
    files = ctx.profile.setting("argocdConfig")
    names = [
        f.replace("{env}", ctx.env)
        for f in (files if isinstance(files, list) else [])
        if isinstance(f, str)
    ]
    rendered = [m.obj.get("data") for m in ctx.index.of_kind("ConfigMap") if m.name == "argocd-cm"]
    found = any(_has_health(cm) for cm in rendered) or any(
        _has_health(cm) for name in names for cm in _config_maps(repo_yaml(ctx, name))
    )
    return found, names


@environment_rule(
    "GO406",
    "application-health",
    "App-of-apps sync waves need Application health",
    Severity.ERROR,
)
def application_health(ctx: Context) -> Iterator[Violation]:
    """When the child Applications of an app-of-apps use more than one sync wave, Argo CD's
    configuration restores the health assessment of Applications
    (`resource.customizations.health.argoproj.io_Application` in `argocd-cm`).

    Where the configuration is read: a ConfigMap `argocd-cm` among the environment's rendered
    objects (Argo CD managing itself from git), and the files the profile setting
    `argocdConfig` lists (repository-relative, `{env}` for the environment): Helm values of
    the argo-cd chart (`configs.cm`) or manifests holding ConfigMap `argocd-cm`. This
    repository installs Argo CD with Terraform, so it lists
    `infra-tf/modules/argocd-bootstrap/values/argo-cd.yaml`, the values file that module
    passes to the chart.

    Why: since Argo CD 1.8 an Application has no health of its own, so the parent treats a
    child Application as healthy as soon as it exists. Sync waves then only order creation:
    the workloads (wave 10) are applied while the platform add-ons (negative waves) are still
    installing their CRDs, webhooks and controllers, and fail or wait on retries.

    Fix: add the health check to `argocd-cm` (Helm values `configs.cm`), as Argo CD's
    documentation gives it:

        resource.customizations.health.argoproj.io_Application: |
          hs = {}
          hs.status = "Progressing"
          hs.message = ""
          if obj.status ~= nil and obj.status.health ~= nil then
            hs.status = obj.status.health.status
            if obj.status.health.message ~= nil then hs.message = obj.status.health.message end
          end
          return hs

    Bad:
        kind: Application
        metadata:
          name: shop
          annotations: {argocd.argoproj.io/sync-wave: "10"}
        # ... next to a platform Application in wave -10, and no health customization

    Good:
        kind: ConfigMap
        metadata:
          name: argocd-cm
        data:
          resource.customizations.health.argoproj.io_Application: |
            hs = {} ...
    """
    waves = [
        (app, wave)
        for app in of_kind(ctx, "Application")
        if is_argo(app) and not is_root_app(app, ctx)
        if (wave := sync_wave(app)) is not None
    ]
    first = min((wave for _, wave in waves), default=0)
    later = [(app, wave) for app, wave in waves if wave > first]
    if not later:
        return
    found, names = health_configured(ctx)
    if found or (not names and not ctx.complete):  # argocd-cm may be outside a partial load
        return
    looked = f"argocd-cm and {', '.join(names)}" if names else "the environment's argocd-cm"
    for app, wave in later:
        yield Violation(
            app,
            ("metadata", "annotations", SYNC_WAVE),
            f"Application {app.name!r} (sync-wave {wave}) should wait for the Applications of "
            f"wave {first}, but Argo CD has no Application health check ({HEALTH_KEY} is not "
            f"in {looked}), so the waves only order creation: add it to argocd-cm",
        )
