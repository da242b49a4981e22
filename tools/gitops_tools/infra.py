"""The Terraform side of `gitops check`: checkov over infra-tf/, `terraform fmt -check`, and
(opt-in) checkov's Kubernetes rules over the rendered objects."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitops_tools.fileio import display, write_atomically
from gitops_tools.findings import Finding, Severity
from gitops_tools.locations import SourceIndex
from gitops_tools.terraform import (
    INSTALL_HINT,
    find_checkov,
    scan_rendered_manifests,
    scan_terraform,
    terraform_fmt,
)
from gitops_tools.workflow_oidc import check_workflow_oidc

if TYPE_CHECKING:
    from gitops_tools.manifests import Loaded

TERRAFORM_DIR = Path("infra-tf")


def notice(text: str) -> None:
    print(f"gitops: notice: {text}", file=sys.stderr)


CACHE_FORMAT = "1"


def _content_key(directory: Path, tools: list[str]) -> str:
    """checkov and terraform take seconds; their results depend only on the Terraform files
    and the tools' versions (their binaries' identity stands in for the version)."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    for tool in tools:
        stat = Path(tool).stat()
        digest.update(f"\0{tool}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    files = (p for p in directory.rglob("*") if p.is_file() and ".terraform" not in p.parts)
    for path in sorted(files):
        digest.update(str(path.relative_to(directory)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _scan(directory: Path, repo_root: Path, checkov: str | None) -> list[Finding]:
    findings, fmt_notice = terraform_fmt(directory, repo_root)
    if fmt_notice:
        notice(fmt_notice)
    if checkov is None:
        notice(f"checkov not installed: {TERRAFORM_DIR}/ not scanned; {INSTALL_HINT}")
        return findings
    return findings + scan_terraform(directory, repo_root, checkov)


def check_terraform(repo_root: Path, cache_dir: Path) -> list[Finding]:
    """GO505 (workflows vs the OIDC trust of infra-tf/global), then checkov and `terraform fmt
    -check` findings for infra-tf/ (nothing when it has no .tf), cached by the content of the
    Terraform files when both tools are installed."""
    return check_workflow_oidc(repo_root) + _check_tf_files(repo_root, cache_dir)


def _check_tf_files(repo_root: Path, cache_dir: Path) -> list[Finding]:
    directory = repo_root / TERRAFORM_DIR
    if not any(directory.rglob("*.tf")):
        return []
    checkov, terraform = find_checkov(repo_root), shutil.which("terraform")
    if checkov is None or terraform is None:
        return _scan(directory, repo_root, checkov)  # the notices must show every time
    cached = cache_dir / "terraform" / f"{_content_key(directory, [checkov, terraform])}.json"
    if cached.is_file():
        try:
            return [
                Finding(**{**f, "severity": Severity(f["severity"])})
                for f in json.loads(cached.read_text())
            ]
        except (ValueError, TypeError, KeyError):
            pass  # an unreadable cache entry is scanned again
    findings = _scan(directory, repo_root, checkov)
    records = [{**asdict(f), "severity": int(f.severity)} for f in findings]
    write_atomically(cached, json.dumps(records), make_parents=True)
    return findings


def check_rendered_with_checkov(
    loaded: Sequence[Loaded], repo_root: Path, cache_dir: Path
) -> list[Finding]:
    """`--checkov-k8s`: checkov's Kubernetes checks on every rendered object, at its source."""
    checkov = find_checkov(repo_root)
    if checkov is None:
        notice(f"checkov not installed: --checkov-k8s skipped; {INSTALL_HINT}")
        return []
    sources = SourceIndex()
    objects: dict[str, list[tuple[dict[str, Any], int]]] = {}
    for one in loaded:
        sources.add_loaded(one)
        for m in one.manifests:
            file, line, _ = sources.position(m, [])
            objects.setdefault(display(file, repo_root), []).append((m.obj, line))
    return scan_rendered_manifests(objects, checkov, cache_dir / "checkov")
