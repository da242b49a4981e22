"""Progress on a terminal: `gitops check` shows its stages on standard error only when that
is a terminal, never on standard output, never in a pipe; rich is imported only then."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import REPO_ROOT
from .tty import GITOPS, TerminalReader, run_on_terminal

pytestmark = pytest.mark.integration
FIXTURE = str(REPO_ROOT / "tests/fixtures/validate/unknown_field.yaml")
STAGES = [
    b"discovering entry points",
    b"rendering ",
    b"entry points",
    b"loading dev",
    b"validating",
    b"policies",
    b"terraform scan (checkov)",
]


def test_check_on_a_terminal_shows_each_stage_on_stderr(repo_copy: Path) -> None:
    ran = run_on_terminal(["check", "--env", "dev"], cwd=repo_copy)
    assert ran.returncode == 0, ran.stdout
    for stage in STAGES:
        assert stage in ran.terminal, stage
    assert re.search(rb"rendering \d+/\d+ entry points", ran.terminal)
    assert re.search(rb"helm \d+/\d+ sources", ran.terminal)  # dev's add-ons are Helm charts
    # standard output is still the plain report, nothing of the display in it
    assert b"\x1b" not in ran.stdout
    assert ran.stdout.startswith(b"dev ")
    assert ran.stdout.splitlines()[-1].startswith(b"0 error(s), ")


def test_check_with_stderr_piped_writes_nothing_to_stderr(repo_copy: Path) -> None:
    proc = subprocess.run(
        [*GITOPS, "check", "--env", "dev"], cwd=repo_copy, capture_output=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    assert proc.stdout.splitlines()[-1].startswith(b"0 error(s), ")


@pytest.mark.parametrize("flag", ["-q", "--summary"])
def test_quiet_shows_no_progress_on_a_terminal(repo_copy: Path, flag: str) -> None:
    ran = run_on_terminal(["check", "--env", "dev", flag], cwd=repo_copy)
    assert ran.returncode == 0, ran.stdout
    assert ran.terminal == b""
    assert ran.stdout.splitlines()[-1].startswith(b"0 error(s), ")


def test_json_on_a_terminal_keeps_stdout_json(repo_copy: Path) -> None:
    import json

    ran = run_on_terminal(["check", "--env", "dev", "-o", "json"], cwd=repo_copy)
    assert b"validating" in ran.terminal
    assert json.loads(ran.stdout)["summary"]["errors"] == 0


def test_render_workers_advance_the_display_safely(monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight threads advance one stage 100 times each: the line counts every step."""
    from gitops_tools.terminal import TerminalProgress

    monkeypatch.setenv("TERM", "xterm-256color")  # rich draws nothing on a dumb terminal
    terminal = TerminalReader()
    with os.fdopen(os.dup(terminal.slave), "w") as stream, TerminalProgress(stream) as shown:
        shown.begin("render", "rendering", 800, "entry points")

        def advance() -> None:
            for _ in range(100):
                shown.advance("render")

        workers = [threading.Thread(target=advance) for _ in range(8)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    # the display's last frame (drawn as it stops) shows the count of every step
    terminal.close_slave()
    assert b"rendering 800/800 entry points" in terminal.text()


def imported_after(args: list[str], stderr: int | None = None) -> set[str]:
    """The top-level modules loaded after `gitops ARGS` ran in a fresh interpreter."""
    code = (
        "import sys\n"
        "from gitops_tools.cli import main\n"
        f"code = main({args!r})\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=REPO_ROOT
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return set(proc.stdout.splitlines()[-1].split())


def test_validate_and_piped_check_never_import_rich_or_shtab(repo_copy: Path) -> None:
    validate = imported_after(["validate", "-k", "1.33", FIXTURE])
    assert "gitops_tools" in validate  # the list is real
    assert not validate & {"rich", "shtab"}
    check = imported_after(["check", "--repo", str(repo_copy), "--env", "dev", "-q"])
    assert "jsonschema_rs" in check or "jsonschema" in check  # it did validate
    assert not check & {"rich", "shtab"}
