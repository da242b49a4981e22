from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# Tests reach nothing beyond 127.0.0.1: `gitops check` never tries to pull a missing chart
# (the Helm tests that pull from local repositories call `main` with it unset).
os.environ.setdefault("GITOPS_OFFLINE", "1")


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of this repository's desired state (clusters/ and apps/) to break on purpose."""
    root = tmp_path / "repo"
    for part in ("clusters", "apps", "policies"):
        shutil.copytree(
            REPO_ROOT / part, root / part, ignore=shutil.ignore_patterns("service", ".*")
        )
    # the Argo CD install values that policies/config.yaml reads (argocdConfig, GO406)
    values = "infra-tf/modules/argocd-bootstrap/values"
    shutil.copytree(REPO_ROOT / values, root / values)
    return root
