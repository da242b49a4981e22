"""The Terraform side of `gitops check`: checkov over infra-tf/, `terraform fmt -check`, and
(opt-in) checkov's Kubernetes rules over the rendered objects."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitops_tools.findings import Finding
from gitops_tools.locations import SourceIndex
from gitops_tools.terraform import (
    INSTALL_HINT,
    find_checkov,
    scan_rendered_manifests,
    scan_terraform,
    terraform_fmt,
)

if TYPE_CHECKING:
    from gitops_tools.check import EnvironmentRun

TERRAFORM_DIR = Path("infra-tf")


def notice(text: str) -> None:
    print(f"gitops: notice: {text}", file=sys.stderr)


def check_terraform(repo_root: Path) -> list[Finding]:
    """checkov and `terraform fmt -check` findings for infra-tf/ (nothing when it has no .tf)."""
    directory = repo_root / TERRAFORM_DIR
    if not any(directory.rglob("*.tf")):
        return []
    findings, fmt_notice = terraform_fmt(directory, repo_root)
    if fmt_notice:
        notice(fmt_notice)
    checkov = find_checkov(repo_root)
    if checkov is None:
        notice(f"checkov not installed: {TERRAFORM_DIR}/ not scanned; {INSTALL_HINT}")
        return findings
    return findings + scan_terraform(directory, repo_root, checkov)


def check_rendered_with_checkov(
    runs: Sequence[EnvironmentRun], repo_root: Path, cache_dir: Path
) -> list[Finding]:
    """`--checkov-k8s`: checkov's Kubernetes checks on every rendered object, at its source."""
    from gitops_tools.check import display

    checkov = find_checkov(repo_root)
    if checkov is None:
        notice(f"checkov not installed: --checkov-k8s skipped; {INSTALL_HINT}")
        return []
    sources = SourceIndex()
    objects: dict[str, list[tuple[dict[str, Any], int]]] = {}
    for run in runs:
        sources.add_counts(run.loaded.document_counts)
        for m in run.loaded.manifests:
            file, line, _ = sources.position(m, [])
            objects.setdefault(display(file, repo_root), []).append((m.obj, line))
    return scan_rendered_manifests(objects, checkov, cache_dir / "checkov")
