"""tools/bootstrap/ensure-registry.sh is idempotent: with the binary there it does nothing."""

from __future__ import annotations

import subprocess

import pytest

from ..conftest import REPO_ROOT
from .oci import REGISTRY_BINARY


def test_second_run_is_a_no_op() -> None:
    if not REGISTRY_BINARY.exists():
        pytest.skip("docker-registry is not installed here (see the registry fixture)")
    script = REPO_ROOT / "tools" / "bootstrap" / "ensure-registry.sh"
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
