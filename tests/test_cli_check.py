from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gitops_tools.cli import main

pytestmark = pytest.mark.integration


def test_check_prints_a_summary_per_environment(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--repo", str(repo_copy)]) == 0
    out = capsys.readouterr().out
    for env in ("dev", "staging", "prod"):
        assert f"\n{env} " in "\n" + out
    assert "Deployment 9" in out
    assert re.search(r"entry points .*\((\d+) rendered, 0 cached\)", out)
    # warnings: the add-ons' upstream charts, not cached offline (GO009)
    assert re.search(r"^0 error\(s\), \d+ warning\(s\) in \d+ objects from \d+ files", out, re.M)
    # the second run renders nothing
    assert main(["check", "--repo", str(repo_copy), "--env", "prod"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\(0 rendered, \d+ cached\)", out)
    assert "staging" not in out


def test_changed_base_is_rendered_again(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--repo", str(repo_copy), "--env", "dev"]) == 0
    capsys.readouterr()
    cm = repo_copy / "apps/workloads/qr-generator/base/configmap.yaml"
    cm.write_text(cm.read_text() + "# edited\n")
    assert main(["check", "--repo", str(repo_copy), "--env", "dev"]) == 0
    out = capsys.readouterr().out
    rendered = re.search(r"\((\d+) rendered, (\d+) cached\)", out)
    assert rendered and rendered.group(1) == "1" and int(rendered.group(2)) >= 2


def test_broken_overlay_is_one_clear_error(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overlay = repo_copy / "apps/workloads/qr-generator/overlays/staging/kustomization.yaml"
    overlay.write_text(overlay.read_text().replace("../../base", "../../no-such-base"))
    assert main(["check", "--repo", str(repo_copy)]) == 2
    captured = capsys.readouterr()
    lines = [ln for ln in captured.out.splitlines() if "GO001" in ln]
    assert len(lines) == 1
    assert lines[0].startswith(
        "apps/workloads/qr-generator/overlays/staging/kustomization.yaml: GO001 kustomize build "
        "failed (deployed by clusters/staging/apps/qr-generator.yaml): "
    )
    assert "no-such-base" in lines[0]
    assert lines[0].endswith("[staging]")
    assert "Traceback" not in captured.err


def test_application_pointing_nowhere(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = repo_copy / "clusters/dev/apps/movie-catalog.yaml"
    app.write_text(app.read_text().replace("overlays/dev", "overlays/qa"))
    assert main(["check", "--repo", str(repo_copy), "--env", "dev"]) == 2
    out = capsys.readouterr().out
    assert (
        "clusters/dev/apps/movie-catalog.yaml: GO006 Application argocd/movie-catalog: "
        "source path apps/workloads/movie-catalog/overlays/qa does not exist [dev]"
    ) in out


def test_unknown_environment(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--repo", str(repo_copy), "--env", "qa"]) == 2
    err = capsys.readouterr().err
    assert "no cluster for environment 'qa'" in err
    assert "known environments: dev, staging, prod" in err


def test_not_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--repo", str(tmp_path)]) == 2
    assert "Hint: run from the repository root, or pass --repo" in capsys.readouterr().err


def test_inputs_skip_literals_absolute_paths_and_hidden_dirs(tmp_path: Path) -> None:
    from gitops_tools.render import kustomization_inputs

    root = tmp_path / "k"
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / ".venv" / "lib" / "big.py").write_text("x")
    (root / "cm.env").write_text("A=1\n")
    (root / "kustomization.yaml").write_text(
        "configMapGenerator:\n  - name: c\n    literals: [HOME=/tmp, DIR=..]\n    envs: [cm.env]\n"
    )
    inputs = {p.relative_to(root).as_posix() for p in kustomization_inputs(root)}
    assert inputs == {"kustomization.yaml", "cm.env"}


def test_loadtest_manifests_pass_the_staging_checks(capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import REPO_ROOT

    code = main(
        [
            "check",
            "--repo",
            str(REPO_ROOT),
            "--env",
            "staging",
            "--format",
            "json",
            str(REPO_ROOT / "loadtests"),
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert data["findings"] == []
    assert code == 0
    assert data["summary"]["objects"] >= 8
