"""The hooks of `.pre-commit-hooks.yaml`, used by another repository by `rev:` as its users
would: pre-commit installs this project from a git repository into its own environment, then
runs `gitops-check` on the files it is given (every file under `--all-files`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO_ROOT

pytestmark = pytest.mark.integration

# what a pip install of this project and its hook definitions need
HOOK_SOURCE = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "tools/gitops_tools")
# a small Argo CD repository laid out as this one: one cluster, one workload
FOREIGN = (
    "clusters/dev/cluster.yaml",
    "clusters/dev/bootstrap",
    "clusters/dev/projects",
    "clusters/dev/apps/qr-generator.yaml",
    "apps/workloads/qr-generator/base",
    "apps/workloads/qr-generator/components",
    "apps/workloads/qr-generator/overlays/dev",
    "policies/config.yaml",
    "policies/schemas",
)
ROOT_KUSTOMIZATION = """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: argocd
resources:
  - projects/platform.yaml
  - projects/workloads.yaml
  - apps/qr-generator.yaml
"""


def git(repo: Path, *args: str) -> str:
    env = os.environ | {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout


def copy_tree(names: tuple[str, ...], target: Path) -> None:
    for name in names:
        source = REPO_ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def new_repo(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial")
    return root


@pytest.fixture(scope="module")
def foreign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("LOUD: git is not installed")
    hooks = tmp_path_factory.mktemp("gitops-hooks")
    copy_tree(HOOK_SOURCE, hooks)
    rev = new_repo(hooks) and git(hooks, "rev-parse", "HEAD").strip()
    repo = tmp_path_factory.mktemp("foreign")
    copy_tree(FOREIGN, repo)
    (repo / "clusters/dev/kustomization.yaml").write_text(ROOT_KUSTOMIZATION)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: gitops-check\n"
    )
    (repo / "NOTES.txt").write_text("nothing to render here\n")
    return new_repo(repo)


def pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PRE_COMMIT_HOME=str(home))
    env["PATH"] = f"{env.get('PATH', '')}{os.pathsep}{bin_dir}"  # kubectl from the system first
    return subprocess.run(
        [str(bin_dir / "pre-commit"), "run", "--color", "never", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )


def test_the_check_hook_from_another_repository_passes_clean_and_catches_a_defect(
    foreign: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    home = tmp_path_factory.mktemp("pre-commit-home")  # one hook environment for every run
    clean = pre_commit(foreign, home, "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "gitops check" in clean.stdout and "Passed" in clean.stdout

    deployment = foreign / "apps/workloads/qr-generator/base/backend-deployment.yaml"
    text = deployment.read_text()
    assert "\nspec:\n" in text
    deployment.write_text(text.replace("\nspec:\n", "\nspec:\n  replica: 3\n", 1))
    git(foreign, "commit", "-qam", "a typo committed past the hook")

    # --all-files checks everything, not only what differs from HEAD (nothing, here)
    committed = pre_commit(foreign, home, "--all-files")
    assert committed.returncode == 1, committed.stdout + committed.stderr
    assert "Failed" in committed.stdout
    assert "backend-deployment.yaml" in committed.stdout
    assert "GO003" in committed.stdout and "spec.replica: unknown field" in committed.stdout

    # a commit that stages only an unrelated file checks nothing and passes
    (foreign / "NOTES.txt").write_text("still nothing to render\n")
    git(foreign, "add", "NOTES.txt")
    unrelated = pre_commit(foreign, home)
    assert unrelated.returncode == 0, unrelated.stdout + unrelated.stderr

    # staging the broken file itself fails, as a commit of it would
    deployment.write_text(deployment.read_text() + "# touched\n")
    git(foreign, "add", str(deployment))
    staged = pre_commit(foreign, home)
    assert staged.returncode == 1, staged.stdout + staged.stderr
    assert "spec.replica: unknown field" in staged.stdout
