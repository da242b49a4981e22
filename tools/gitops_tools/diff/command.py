"""The `gitops diff` command: arguments, output, exit code (0 same, 1 changed, 2 error)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gitops_tools.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from gitops_tools.fileio import CACHE_DIR

DEFAULT_FULL_OUTPUT = Path(CACHE_DIR, "diff", "full.md")


def add_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    diff = sub.add_parser("diff", help="rendered per-environment diff between two refs")
    diff.add_argument("--base", required=True, metavar="REF", help="e.g. origin/main")
    diff.add_argument("--head", metavar="REF", help="default: the working tree")
    diff.add_argument("--env", action="append", default=[], metavar="ENV")
    diff.add_argument("--format", choices=["markdown", "text", "json"], default="markdown")
    diff.add_argument("--repo", type=Path, default=Path())
    diff.add_argument("--cache-dir", type=Path, default=None)
    diff.add_argument(
        "--full-output",
        type=Path,
        default=None,
        help=f"where the uncut Markdown goes when it is cut (default: {DEFAULT_FULL_OUTPUT})",
    )
    diff.set_defaults(handler=cmd_diff)


def cmd_diff(args: argparse.Namespace) -> int:
    from gitops_tools.diff.report import as_json, capped, markdown, text
    from gitops_tools.diff.run import run_diff
    from gitops_tools.fileio import cache_directory, write_atomically

    repo_root = args.repo.resolve()
    cache_dir = cache_directory(repo_root, args.cache_dir)
    result = run_diff(repo_root, args.base, args.head, args.env, cache_dir)
    if args.format == "json":
        sys.stdout.write(as_json(result))
    elif args.format == "text":
        sys.stdout.write(text(result))
    else:
        sections = markdown(result)
        full = "\n".join(sections)
        full_path = args.full_output or repo_root / DEFAULT_FULL_OUTPUT
        shown = capped(sections, str(full_path))
        if shown != full or args.full_output:
            write_atomically(full_path, full, f"--full-output {full_path}", make_parents=True)
        sys.stdout.write(shown)
    if result.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if result.changed else EXIT_OK
