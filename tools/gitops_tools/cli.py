"""The `gitops` command line: one parser, one place that turns errors into exit codes."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from gitops_tools import __version__
from gitops_tools.check import run_environments, select_clusters
from gitops_tools.errors import EXIT_ERROR, EXIT_OK, FatalError

CACHE_DIR = ".cache"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gitops", description="Check and operate a Kustomize + Argo CD GitOps repository."
    )
    parser.add_argument("--version", action="version", version=f"gitops {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="render, load and check every environment")
    check.add_argument("--repo", type=Path, default=Path(), help="repository root (default: .)")
    check.add_argument(
        "--env", action="append", default=[], metavar="ENV", help="only this environment"
    )
    check.add_argument("--jobs", type=int, default=None, help="parallel renders (default: cores)")
    return parser


def cmd_check(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    repo_root = args.repo.resolve()
    runs = run_environments(
        repo_root, select_clusters(repo_root, args.env), repo_root / CACHE_DIR, args.jobs
    )
    errors = [e for run in runs for e in run.errors]
    problems = [p for run in runs for p in run.loaded.problems]
    for run in runs:
        kinds = run.loaded.kinds()
        print(
            f"{run.cluster.environment:<10} {len(run.entry_points):>3} entry points "
            f"{len(run.loaded.manifests):>5} objects {len(kinds):>3} kinds "
            f"({run.rendered} rendered, {run.cached} cached) {run.seconds:.2f}s"
        )
        print("           " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    for problem in problems:
        errors.append(f"{problem.path}:{problem.line}:{problem.column}: {problem.message}")
    if errors:
        raise FatalError("\n".join(errors), "fix the source named above, then run `gitops check`")
    print(f"checked {len(runs)} environments in {time.perf_counter() - started:.2f}s")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(cmd_check(args))
    except FatalError as exc:
        print(f"gitops: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
