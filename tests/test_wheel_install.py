"""A non-editable install is complete: the wheel carries every data file the tool reads
(the JSON schemas and schemas/default-policy.yaml), so `gitops check` works in a repository
without policies/ (before, FileNotFoundError and a traceback).

Offline and fast: the wheel is built with the dev venv's setuptools (no build isolation),
installed without dependencies into a fresh venv, which finds the dependencies in the dev
venv's site-packages through a .pth line (not the dev venv's own .pth files, so the editable
install there stays out of sight)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO_ROOT

pytestmark = pytest.mark.integration

CLUSTER_YAML = """\
environment: dev
kubernetesVersion: "1.33"
aws: {region: us-east-1, accountId: "111111111111"}
registry: 111111111111.dkr.ecr.us-east-1.amazonaws.com
promotion: {from: null}
policyProfile: dev
argocd: {repoURL: https://github.com/example-org/other.git, targetRevision: main}
"""
APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: default
  source: {repoURL: "https://github.com/example-org/other.git", path: manifests}
  destination: {server: "https://kubernetes.default.svc", namespace: web}
"""
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: web}\ndata: {a: b}\n"


def run(*argv: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv], capture_output=True, text=True, check=False, **kwargs
    )  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ directory of a fresh venv holding the wheel of this repository."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"  # a clean copy: the build writes build/ and *.egg-info
    shutil.copytree(
        REPO_ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", ".cache", "build", "*.egg-info", "__pycache__", "apps", "infra-tf"
        ),
    )
    built = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--wheel-dir",
        tmp / "dist",
        source,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp / "dist").glob("gitops_tools-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for data in ("default-policy.yaml", "cluster.schema.json", "policy-config.schema.json"):
        assert f"gitops_tools/schemas/{data}" in names
    venv = tmp / "venv"
    assert run(sys.executable, "-m", "venv", "--without-pip", venv).returncode == 0
    python = venv / "bin" / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    site = Path(purelib.stdout.strip())
    (site / "dev-venv-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        wheel,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    where = run(python, "-c", "import gitops_tools; print(gitops_tools.__file__)")
    assert where.stdout.startswith(str(site)), where.stdout + where.stderr
    return venv / "bin"


def test_installed_wheel_checks_a_repository_without_policies(
    installed: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "other-repo"
    (repo / "clusters/dev").mkdir(parents=True)
    (repo / "clusters/dev/cluster.yaml").write_text(CLUSTER_YAML)
    (repo / "clusters/dev/web.yaml").write_text(APP)
    (repo / "manifests").mkdir()
    (repo / "manifests/configmap.yaml").write_text(CONFIGMAP)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = run(installed / "gitops", "check", "--format", "json", cwd=repo, env=env)
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    assert '"objects": 2' in proc.stdout, proc.stdout
    assert not (repo / "policies").exists()
    rules = run(installed / "gitops", "explain", "GO003", cwd=repo, env=env)
    assert rules.returncode == 0 and "schema-violation" in rules.stdout
