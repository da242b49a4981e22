"""Conventions users bring from kubeconform, kube-linter and ruff: -o, -q, --summary, and a
Kubernetes version the bundled schemas cannot stand for refused instead of silently replaced."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gitops_tools.cli import main

from .conftest import REPO_ROOT

FIXTURE = str(REPO_ROOT / "tests/fixtures/validate/unknown_field.yaml")


def test_dash_o_is_the_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "-k", "1.33", "-o", "json", FIXTURE]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [f["rule_id"] for f in report["findings"]] == ["GO003"]


def test_summary_prints_only_the_summary_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "-k", "1.33", "--summary", FIXTURE]) == 1  # exit code as ever
    out = capsys.readouterr().out
    assert out.splitlines() == [out.strip()]
    assert out.startswith("1 error(s), 0 warning(s) in 1 objects from 1 files")


def test_a_version_far_past_the_bundled_schemas_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", "-k", "1.99", FIXTURE]) == 2
    err = capsys.readouterr().err
    assert "no schemas for Kubernetes 1.99: the newest bundled is" in err
    assert "Traceback" not in err


def test_one_minor_past_the_bundle_validates_with_a_note(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from gitops_tools.schemas import builtin_versions

    major, minor = builtin_versions()[-1]
    assert main(["validate", "-k", f"{major}.{minor + 1}", FIXTURE]) == 1
    captured = capsys.readouterr()
    assert f"validating against {major}.{minor}" in captured.err
    assert "spec.replica: unknown field" in captured.out


def test_check_from_a_subdirectory_finds_the_repository(tmp_path: Path) -> None:
    """Like ruff and pre-commit: the configuration is looked up from where you stand."""
    gitops = [sys.executable, "-m", "gitops_tools", "check", "--env", "dev", "--summary"]
    cache = ["--cache-dir", str(tmp_path / "cache")]
    here = subprocess.run(
        [*gitops, *cache], cwd=REPO_ROOT / "apps/workloads", capture_output=True, text=True
    )
    assert here.returncode == 0, here.stderr
    assert here.stdout.startswith("0 error(s)")
    assert "objects from" in here.stdout
    outside = subprocess.run([*gitops, *cache], cwd=tmp_path, capture_output=True, text=True)
    assert outside.returncode == 2
    assert f"no clusters/*/cluster.yaml under {tmp_path}" in outside.stderr
