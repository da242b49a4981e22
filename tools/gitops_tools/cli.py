"""The `gitops` command line: one parser, each command module registering its own
subcommands; `errors.run` turns errors into exit codes."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from gitops_tools import (
    __version__,
    charts_command,
    check_command,
    completion_command,
    rules_command,
)
from gitops_tools.diff import command as diff_command
from gitops_tools.errors import run
from gitops_tools.hpa import command as hpa_command
from gitops_tools.promote import commands as promote_commands

EPILOG = """\
On a terminal, `gitops check` shows each stage on standard error as it runs (nothing when
standard error is not a terminal, or with -q/--summary); -v prints the time of each stage.
The text report is coloured on a terminal: --color auto|always|never, NO_COLOR=1 turns it
off, FORCE_COLOR=1 on; JSON, SARIF, JUnit, GitHub and --output files are never coloured.

Shell completion: gitops completion bash > ~/.local/share/bash-completion/completions/gitops
(or zsh, tcsh)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gitops",
        description="Check and operate a Kustomize + Argo CD GitOps repository.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"gitops {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check_command.add_commands(sub)
    rules_command.add_commands(sub)
    charts_command.add_command(sub)
    diff_command.add_command(sub)
    hpa_command.add_command(sub)
    promote_commands.add_commands(sub)
    completion_command.add_command(sub, parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return run(_parser(), argv)
