"""Docs are tested: every command README shows (but `make test`, which is CI) runs, and where
README shows its output, the output is what it prints (timings aside)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO_ROOT

pytestmark = pytest.mark.integration
TIMING = re.compile(r"\d+\.\d+s\b|\(\d+ rendered, \d+ cached\)")


def readme_examples() -> list[tuple[str, list[str]]]:
    """(command, the output lines shown under it) for every `$ ` line of console blocks."""
    text = (REPO_ROOT / "README.md").read_text()
    examples: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            elif examples:
                examples[-1][1].append(line)
    return examples


def test_readme_shows_the_two_commands_first() -> None:
    assert [c for c, _ in readme_examples()][:2] == ["make check", "make test"]


@pytest.mark.parametrize(
    ("command", "shown"), [e for e in readme_examples() if e[0] != "make test"], ids=lambda x: ""
)
def test_readme_command_works(command: str, shown: list[str]) -> None:
    argv = shlex.split(command)
    env = dict(os.environ, VENV=str(Path(sys.executable).parent.parent))
    if argv[0].startswith(".venv/bin/"):
        argv[0] = str(Path(sys.executable).parent / argv[0].removeprefix(".venv/bin/"))
    proc = subprocess.run(argv, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert "Traceback" not in proc.stderr
    if argv[0] == "make":
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return
    assert proc.returncode in (0, 1), proc.stderr
    if shown:
        got = [TIMING.sub("T", ln) for ln in proc.stdout.splitlines()]
        want = [TIMING.sub("T", ln) for ln in shown]
        assert got == want


def test_readme_sarif_excerpt_is_real() -> None:
    text = (REPO_ROOT / "README.md").read_text()
    match = re.search(r"<!-- sarif-excerpt: (.+?) -->\n```json\n(.*?)```", text, flags=re.S)
    assert match, "README shows a SARIF excerpt"
    argv = shlex.split(match.group(1))
    argv[0] = str(Path(sys.executable).parent / argv[0].removeprefix(".venv/bin/"))
    proc = subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    results = json.loads(proc.stdout)["runs"][0]["results"]
    assert json.loads(match.group(2)) in results


def test_readme_diff_sample_is_real(tmp_path: Path) -> None:
    text = (REPO_ROOT / "README.md").read_text()
    match = re.search(r"<!-- diff-sample -->\n````markdown\n(.*?)````", text, flags=re.S)
    assert match, "README shows a sample diff comment"
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(clone)], check=True)
    overlay = clone / "apps/workloads/qr-generator/overlays/staging/kustomization.yaml"
    overlay.write_text(overlay.read_text().replace("newTag: 1.4.2", "newTag: 1.4.3", 1))
    gitops = str(Path(sys.executable).parent / "gitops")
    proc = subprocess.run(
        [gitops, "diff", "--base", "HEAD"], cwd=clone, capture_output=True, text=True
    )
    assert proc.returncode == 1, proc.stderr
    got = re.sub(r"Rendered diff: [0-9a-f]{12}", "Rendered diff: 0123456789ab", proc.stdout)
    assert got == match.group(1)


def test_readme_install_section_names_real_hooks_and_tests() -> None:
    """The install section's hook ids exist, and the tests it cites exist and do what it says."""
    text = (REPO_ROOT / "README.md").read_text()
    section = text.split("## Using it from another repository", 1)[1].split("\n## ", 1)[0]
    hooks = (REPO_ROOT / ".pre-commit-hooks.yaml").read_text()
    for hook in re.findall(r"- id: ([\w-]+)", section):
        assert f"- id: {hook}\n" in hooks, hook
    for test in re.findall(r"`(tests/test_[\w]+\.py)`", section):
        assert (REPO_ROOT / test).is_file(), test
    assert "pre-commit" in (REPO_ROOT / "tests/test_hooks_foreign.py").read_text()
