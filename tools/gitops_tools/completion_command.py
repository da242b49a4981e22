"""`gitops completion bash|zsh|tcsh`: the shell completion script of the whole command line,
written by shtab from the argparse parser (subcommands, options, their choices). shtab is
imported only when this command runs."""

from __future__ import annotations

import argparse
import sys

SHELLS = ("bash", "zsh", "tcsh")


def add_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], root: argparse.ArgumentParser
) -> None:
    """Register `completion` on `root`'s subcommand parser; the script covers all of `root`."""
    completion = sub.add_parser(
        "completion",
        help="print a shell completion script",
        description="Print the completion script for SHELL to standard output, e.g. "
        "`gitops completion bash > ~/.local/share/bash-completion/completions/gitops`.",
    )
    completion.add_argument("shell", choices=SHELLS, metavar="SHELL", help=", ".join(SHELLS))
    completion.set_defaults(handler=lambda args: print_script(root, args.shell))


def print_script(root: argparse.ArgumentParser, shell: str) -> int:
    import shtab

    sys.stdout.write(shtab.complete(root, shell=shell))
    return 0
