"""Rendering refuses what it must not do (issue 17): read outside the repository, fetch remote
resources offline; and it shows kustomize's whole error."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from gitops_tools.cli import main
from gitops_tools.render import kustomization_scan

pytestmark = pytest.mark.integration
APP = "clusters/dev/apps/qr-generator.yaml"
OVERLAY = "apps/workloads/qr-generator/overlays/dev/kustomization.yaml"


def check(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, Any, str]:
    started = time.perf_counter()
    code = main(["check", "--repo", str(repo), "--env", "dev", "--format", "json", *extra])
    out = capsys.readouterr()
    assert time.perf_counter() - started < 60
    assert "Traceback" not in out.err
    return code, json.loads(out.out) if out.out else None, out.err


def test_application_path_outside_the_repository_is_refused_unread(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = repo_copy / APP
    app.write_text(
        app.read_text().replace(
            "path: apps/workloads/qr-generator/overlays/dev", "path: ../../../usr"
        )
    )
    code, report, _ = check(repo_copy, capsys)
    assert code == 2
    (finding,) = [f for f in report["findings"] if f["rule_id"] == "GO006"]
    assert finding["path"] == APP
    assert finding["message"].endswith("is outside the repository: refused")


def test_kustomization_resource_outside_the_repository_is_refused(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overlay = repo_copy / OVERLAY
    overlay.write_text(
        overlay.read_text().replace(
            "  - ../../base", "  - ../../base\n  - ../../../../../../../../usr"
        )
    )
    code, report, _ = check(repo_copy, capsys)
    assert code == 2
    (finding,) = [f for f in report["findings"] if f["rule_id"] == "GO001"]
    assert finding["path"] == OVERLAY
    assert "../../../../../../../../usr" in finding["message"]
    assert "outside the repository" in finding["message"]
    scan = kustomization_scan(overlay.parent, repo_copy)
    assert not any(str(p).startswith("/usr/") for p in scan.files)


def test_remote_resource_is_refused_offline_without_a_fetch(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = "https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v3.3.1"
    overlay = repo_copy / OVERLAY
    overlay.write_text(
        overlay.read_text().replace("  - ../../base", f"  - ../../base\n  - {remote}")
    )
    started = time.perf_counter()
    _code, report, _ = check(repo_copy, capsys)
    assert time.perf_counter() - started < 30
    (finding,) = [f for f in report["findings"] if f["rule_id"] == "GO001"]
    assert f"remote resource {remote} refused" in finding["message"]
    assert "--allow-remote" in finding["message"]


def test_kustomize_error_is_shown_whole(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overlay = repo_copy / OVERLAY
    overlay.write_text(
        overlay.read_text().replace("  - ../../base", "  - ../../base\n  - missing.yaml")
    )
    _code, report, _ = check(repo_copy, capsys)
    (finding,) = [f for f in report["findings"] if f["rule_id"] == "GO001"]
    assert "missing.yaml" in finding["message"]
    assert not finding["message"].rstrip().endswith(">")
    assert "kustomize build failed" in finding["message"]


def test_symlinked_file_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    kust = tmp_path / "repo" / "k"
    kust.mkdir(parents=True)
    (kust / "kustomization.yaml").write_text("resources: [cm.yaml]\n")
    (kust / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    (kust / "secret-link").symlink_to("/etc/hostname")
    scan = kustomization_scan(kust, tmp_path / "repo")
    assert kust / "cm.yaml" in scan.files
    assert kust / "secret-link" not in scan.files
