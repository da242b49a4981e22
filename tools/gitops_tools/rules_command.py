"""The `gitops rules` and `gitops explain ID` commands: the rule catalog, read by people."""

from __future__ import annotations

import argparse
import sys

from gitops_tools.errors import EXIT_OK


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `rules` and `explain` on the `gitops` subcommand parser."""
    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--markdown", action="store_true", help="print policies/rules.md")
    rules.set_defaults(handler=cmd_rules)
    explain = sub.add_parser("explain", help="print one rule's documentation")
    explain.add_argument("rule_id", metavar="ID")
    explain.set_defaults(handler=cmd_explain)


def cmd_rules(args: argparse.Namespace) -> int:
    from gitops_tools.policy.docs import rules_markdown, rules_table
    from gitops_tools.policy.registry import catalog

    sys.stdout.write(rules_markdown(catalog()) if args.markdown else rules_table(catalog()))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from gitops_tools.policy.docs import explain
    from gitops_tools.policy.registry import catalog

    sys.stdout.write(explain(args.rule_id, catalog()))
    return EXIT_OK
