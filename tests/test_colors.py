"""Colour: the text report is coloured on a terminal (or with --color always / FORCE_COLOR),
never with NO_COLOR or --color never, never in a pipe, a file or a machine-read format."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

from gitops_tools.cli import main
from gitops_tools.colors import wants_color

from .conftest import REPO_ROOT
from .tty import GITOPS, run_on_terminal

FIXTURE = str(REPO_ROOT / "tests/fixtures/validate/unknown_field.yaml")
VALIDATE = ["validate", "-k", "1.33", FIXTURE]
ESC = "\x1b["


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("choice", "environ", "terminal", "expected"),
    [
        ("auto", {}, True, True),
        ("auto", {}, False, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"NO_COLOR": ""}, True, True),  # set but empty: as if unset (no-color.org)
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
        ("auto", {"TERM": "dumb"}, True, False),
        ("always", {"NO_COLOR": "1"}, False, True),  # the flag is the user's last word
        ("never", {"FORCE_COLOR": "1"}, True, False),
    ],
)
def test_when_to_colour(
    choice: str, environ: dict[str, str], terminal: bool, expected: bool
) -> None:
    stream = Terminal() if terminal else io.StringIO()
    assert wants_color(choice, stream, environ) is expected


def test_color_always_colours_rule_location_and_counts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*VALIDATE, "--color", "always"]) == 1
    out = capsys.readouterr().out
    path = FIXTURE
    assert f"\x1b[1m{path}:7:3\x1b[0m: \x1b[1;31mGO003\x1b[0m Deployment shop/web" in out
    assert "\x1b[2m    hint: see `kubectl explain" in out
    assert out.splitlines()[-1].startswith("\x1b[1;31m1 error(s)\x1b[0m, 0 warning(s) in ")


def test_piped_and_never_are_plain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*VALIDATE]) == 1  # auto, and pytest's stdout is no terminal
    assert ESC not in capsys.readouterr().out
    assert main([*VALIDATE, "--color", "never"]) == 1
    assert ESC not in capsys.readouterr().out


def test_machine_formats_and_files_are_never_coloured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("json", "sarif", "junit", "github"):
        assert main([*VALIDATE, "--color", "always", "-o", name]) == 1
        out = capsys.readouterr().out
        assert "GO003" in out and ESC not in out, name
    report = tmp_path / "report.txt"
    assert main([*VALIDATE, "--color", "always", "--output", str(report)]) == 1
    assert "GO003" in report.read_text() and ESC not in report.read_text()
    assert main([*VALIDATE, "--color", "always", "--output", "-"]) == 1  # - is stdout
    assert f"\x1b[1;31mGO003{chr(27)}[0m" in capsys.readouterr().out


@pytest.mark.integration
def test_on_a_terminal_colour_unless_no_color() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    coloured = run_on_terminal(VALIDATE, cwd=REPO_ROOT, stream="stdout", env=env)
    assert coloured.returncode == 1
    assert b"\x1b[1;31mGO003\x1b[0m" in coloured.terminal
    plain = run_on_terminal(VALIDATE, cwd=REPO_ROOT, stream="stdout", env={"NO_COLOR": "1"})
    assert plain.returncode == 1
    assert b"GO003" in plain.terminal and b"\x1b" not in plain.terminal


@pytest.mark.integration
def test_piped_and_forced() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    piped = subprocess.run([*GITOPS, *VALIDATE], capture_output=True, env=env, check=False)
    assert b"GO003" in piped.stdout and b"\x1b" not in piped.stdout
    forced = subprocess.run(
        [*GITOPS, *VALIDATE], capture_output=True, env={**env, "FORCE_COLOR": "1"}, check=False
    )
    assert b"\x1b[1;31mGO003\x1b[0m" in forced.stdout
