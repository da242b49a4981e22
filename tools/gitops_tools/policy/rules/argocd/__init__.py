"""Argo CD integrity: overlays owned once, projects allow what apps do, sync-wave order."""

from __future__ import annotations

from gitops_tools.policy.rules.argocd.application_health import application_health
from gitops_tools.policy.rules.argocd.appproject_no_wildcards import appproject_no_wildcards
from gitops_tools.policy.rules.argocd.no_default_project import no_default_project
from gitops_tools.policy.rules.argocd.overlay_owned_once import overlay_owned_once
from gitops_tools.policy.rules.argocd.project_allows_destination import (
    project_allows_destination,
)
from gitops_tools.policy.rules.argocd.sync_wave_order import sync_wave_order

RULES = [
    overlay_owned_once,
    project_allows_destination,
    no_default_project,
    sync_wave_order,
    appproject_no_wildcards,
    application_health,
]
