"""Docs are tested: every command README shows (but `make test`, which is CI) runs and works."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO_ROOT

pytestmark = pytest.mark.integration


def readme_commands() -> list[str]:
    text = (REPO_ROOT / "README.md").read_text()
    blocks = re.findall(r"```console\n(.*?)```", text, flags=re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def test_readme_shows_the_two_commands_first() -> None:
    assert readme_commands()[:2] == ["make check", "make test"]


@pytest.mark.parametrize("command", [c for c in readme_commands() if c != "make test"])
def test_readme_command_works(command: str) -> None:
    argv = shlex.split(command)
    env = dict(os.environ, VENV=str(Path(sys.executable).parent.parent))
    if argv[0].startswith(".venv/bin/"):
        argv[0] = str(Path(sys.executable).parent / argv[0].removeprefix(".venv/bin/"))
    proc = subprocess.run(argv, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
