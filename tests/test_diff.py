"""`gitops diff` on a temporary git repository built from this repository's desired state."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gitops_tools.cli import main
from gitops_tools.diff.report import capped

pytestmark = pytest.mark.integration
QR = "apps/workloads/qr-generator"


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return proc.stdout


@pytest.fixture
def repo(repo_copy: Path) -> Path:
    (repo_copy / ".gitignore").write_text(".cache/\n")
    git(repo_copy, "init", "-q", "-b", "main")
    git(repo_copy, "add", "-A")
    git(repo_copy, "commit", "-qm", "base")
    return repo_copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def diff(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    code = main(["diff", "--repo", str(repo), "--base", "HEAD", "--format", "json", *args])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out else captured.err


def envs(data: Any) -> dict[str, Any]:
    return {e["env"]: e for e in data["environments"]}


def statuses(env: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(c["status"], c["kind"], c["name"]) for c in env["changes"]]


def test_no_change(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--repo", str(repo), "--base", "HEAD"]) == 0
    assert "No rendered object changes in any environment." in capsys.readouterr().out


def test_base_patch_affects_every_environment(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        repo / QR / "base/backend-deployment.yaml",
        "envFrom:",
        "env:\n            - name: LOG_LEVEL\n              value: info\n          envFrom:",
    )
    code, data = diff(repo, capsys)
    assert code == 1
    for env in ("dev", "staging", "prod"):
        assert statuses(envs(data)[env]) == [("changed", "Deployment", "qr-backend")]
        assert "+        - name: LOG_LEVEL" in envs(data)[env]["changes"][0]["diff"]


def test_prod_only_change_and_scaling_notes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hpa = repo / QR / "overlays/prod/hpa-patch.yaml"
    hpa.write_text(
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n"
        "  name: qr-backend\nspec:\n  maxReplicas: 20\n"
    )
    edit(
        repo / QR / "overlays/prod/kustomization.yaml",
        "patches:\n",
        "patches:\n  - path: hpa-patch.yaml\n",
    )
    code, data = diff(repo, capsys, "--env", "prod", "--env", "dev")
    assert code == 1
    assert [e["env"] for e in data["environments"]] == ["dev", "prod"]
    assert statuses(envs(data)["dev"]) == []
    prod = envs(data)["prod"]
    assert statuses(prod) == [("changed", "HorizontalPodAutoscaler", "qr-backend")]
    assert prod["scaling"] == [
        "HorizontalPodAutoscaler qr-generator/qr-backend: maxReplicas 12 → 20"
    ]


def test_image_bump_is_tabled(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / QR / "overlays/staging/kustomization.yaml", "newTag: 1.4.2", "newTag: 1.4.3")
    code = main(["diff", "--repo", str(repo), "--base", "HEAD"])
    out = capsys.readouterr().out
    assert code == 1
    registry = "222222222222.dkr.ecr.us-east-1.amazonaws.com"
    row = (
        f"| Deployment qr-generator/qr-backend | backend | `{registry}/qr-generator/backend:1.4.2@"
    )
    assert row in out
    assert "qr-generator/backend:1.4.3@sha256:" in out
    assert out.index("| Workload |") < out.index("<details>")


def test_generated_configmap_is_followed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overlay = repo / QR / "overlays/dev/kustomization.yaml"
    overlay.write_text(
        overlay.read_text()
        + "configMapGenerator:\n  - name: qr-extra\n    literals:\n      - MODE=a\n"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "generator")
    edit(overlay, "MODE=a", "MODE=b")
    code, data = diff(repo, capsys, "--env", "dev")
    assert code == 1
    changes = envs(data)["dev"]["changes"]
    assert [(c["status"], c["kind"]) for c in changes] == [("changed", "ConfigMap")]
    assert changes[0]["name"].startswith("qr-extra-")
    assert "-  MODE: a" in changes[0]["diff"] and "+  MODE: b" in changes[0]["diff"]


def test_secret_values_are_masked(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overlay = repo / QR / "overlays/dev/kustomization.yaml"
    (overlay.parent / "secret.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-token\nstringData:\n"
        "  token: old-very-secret-value\n  user: admin-unchanged\n"
    )
    edit(overlay, "resources:\n", "resources:\n  - secret.yaml\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "secret")
    edit(overlay.parent / "secret.yaml", "old-very-secret-value", "new-very-secret-value")
    code = main(["diff", "--repo", str(repo), "--base", "HEAD", "--format", "text"])
    out = capsys.readouterr().out
    assert code == 1
    assert "very-secret-value" not in out and "admin-unchanged" not in out
    assert "-  token: '***'" in out
    assert "+  token: '*** (changed)'" in out
    assert "changed Secret api-token" in out


def test_deleted_overlay_removes_everything_it_rendered(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subprocess.run(
        ["rm", "-r", str(repo / "apps/workloads/movie-catalog/overlays/dev")], check=True
    )
    (repo / "clusters/dev/apps/movie-catalog.yaml").unlink()
    edit(repo / "clusters/dev/kustomization.yaml", "  - apps/movie-catalog.yaml\n", "")
    code, data = diff(repo, capsys, "--env", "dev")
    assert code == 1
    dev = envs(data)["dev"]
    kinds = {(c["status"], c["kind"]) for c in dev["changes"]}
    assert ("removed", "Application") in kinds and ("removed", "StatefulSet") in kinds
    assert all(c["status"] == "removed" for c in dev["changes"])
    assert len(dev["changes"]) > 30
    assert dev["errors"] == []


def test_bad_ref(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--repo", str(repo), "--base", "no-such-branch"]) == 2
    err = capsys.readouterr().err
    assert "--base no-such-branch: not a commit in this repository" in err
    assert "Traceback" not in err


def test_broken_head_is_an_error_not_a_diff(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / QR / "overlays/prod/kustomization.yaml", "../../base", "../../nowhere")
    code, data = diff(repo, capsys, "--env", "prod")
    assert code == 2
    assert any("kustomize build failed" in e for e in envs(data)["prod"]["errors"])


def test_comment_is_capped_with_a_note() -> None:
    sections = ["head\n", "a" * 500, "b" * 500]
    out = capped(sections, ".cache/diff/full.md", limit=700)
    assert out.startswith("head\n\n" + "a" * 500)
    assert "b" * 10 not in out
    assert "the full diff is in `.cache/diff/full.md`" in out
    assert len(out) < 700
