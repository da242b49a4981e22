"""The repository's own pre-commit configuration passes on the repository (offline hooks)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO_ROOT

pytestmark = pytest.mark.integration


def test_pre_commit_passes_on_all_files(tmp_path: Path) -> None:
    if not (REPO_ROOT / ".git").exists():
        pytest.skip("LOUD: not a git checkout, pre-commit cannot run here")
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit"))
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run(
        [str(bin_dir / "pre-commit"), "run", "--all-files", "--color", "never"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    hooks = [ln for ln in proc.stdout.splitlines() if ln.endswith(("Passed", "Failed", "Skipped"))]
    assert len(hooks) >= 10, proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not [h for h in hooks if h.endswith("Failed")]
