"""`gitops check` with PATHS, --changed-since and --output, on a throwaway git repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from gitops_tools.cli import main

pytestmark = pytest.mark.integration


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.fixture
def git_repo(repo_copy: Path) -> Path:
    git(repo_copy, "init", "-q", "-b", "main")
    git(repo_copy, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", "-A")
    git(repo_copy, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "x")
    return repo_copy


def check_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    code = main(["check", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_changed_since_checks_only_what_the_change_feeds(
    git_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = check_json(capsys, "--repo", str(git_repo), "--changed-since", "HEAD")
    assert code == 0
    assert data["summary"]["objects"] == 0  # type: ignore[index]
    hpa = git_repo / "apps/workloads/qr-generator/base/backend-hpa.yaml"
    hpa.write_text(hpa.read_text().replace("minReplicas:", "minReplica:"))
    code, data = check_json(capsys, "--repo", str(git_repo), "--changed-since", "HEAD")
    assert code == 1
    findings = data["findings"]
    assert isinstance(findings, list)
    assert {f["env"] for f in findings} == {"dev", "staging", "prod"}
    assert {(f["path"], f["message"]) for f in findings} == {
        ("apps/workloads/qr-generator/base/backend-hpa.yaml", "spec.minReplica: unknown field")
    }
    # only the qr-generator overlays were rendered and checked, not movie-catalog
    assert data["summary"]["objects"] < 3 * 25  # type: ignore[index]


def test_changed_since_bad_ref(git_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--repo", str(git_repo), "--changed-since", "nope"]) == 2
    assert "--changed-since nope: not a commit in this repository" in capsys.readouterr().err


def test_paths_with_env_use_that_environment(
    repo_copy: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    manifest = tmp_path / "job.yaml"
    manifest.write_text(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: x\nspec:\n"
        "  schedule: '*/5 * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
        "          restartPolicy: Never\n          containers:\n            - name: x\n"
        "              image: busybox:1.36\n              command: [true]\n"
    )
    code, data = check_json(capsys, "--repo", str(repo_copy), "--env", "prod", str(manifest))
    assert code == 1  # `command: [true]` is a boolean, not a string
    schema = [f for f in data["findings"] if f["rule_id"] == "GO003"]  # type: ignore[union-attr]
    assert [f["message"] for f in schema] == [
        'spec.jobTemplate.spec.template.spec.containers[0].command[0]: true is not of type "string"'
    ]
    overlay = repo_copy / "apps/workloads/movie-catalog/overlays/dev"
    code, data = check_json(capsys, "--repo", str(repo_copy), "--env", "dev", str(overlay))
    assert data["summary"]["objects"] > 20  # type: ignore[index]


def test_output_file_is_written_whole(repo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    code = main(
        [
            "check",
            "--repo",
            str(repo_copy),
            "--env",
            "dev",
            "--format",
            "sarif",
            "--output",
            str(out),
        ]
    )
    assert code == 0
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert not list(tmp_path.glob(".*tmp"))
    assert main(["check", "--repo", str(repo_copy), "--output", str(tmp_path / "no/dir/x")]) == 2
