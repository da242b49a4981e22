"""The `gitops check` and `gitops validate` commands: arguments in, a report out.

`check` hands a `pipeline.CheckRequest` to `pipeline.check` and reports the result; `validate`
hands its files to `validate_files.validate_paths`. Both report through `report.report`. Only
argparse and the light ground-floor modules are imported until a command runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_tools.colors import COLOR_CHOICES, wants_color
from gitops_tools.formats import FORMAT_NAMES

if TYPE_CHECKING:
    from gitops_tools.pipeline import CheckRequest
    from gitops_tools.progress import Progress


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", "-o", choices=FORMAT_NAMES, default="text", help="report format"
    )
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="text: only the findings and the summary line"
    )
    parser.add_argument(
        "--summary", action="store_true", help="text: only the summary line (exit code as ever)"
    )
    parser.add_argument(
        "--color",
        choices=COLOR_CHOICES,
        default="auto",
        help="text on a terminal in colour (default: auto; never with NO_COLOR set, always "
        "with FORCE_COLOR set; never into --output)",
    )
    parser.add_argument(
        "--output",
        metavar="FILE",
        help="write the report to this regular file, atomically (- for standard output)",
    )
    parser.add_argument(
        "--fail-on",
        choices=["error", "warning", "info"],
        default="error",
        help="exit 1 when a finding is at least this severe (default: error)",
    )
    parser.add_argument(
        "--missing-schema",
        choices=["error", "warning"],
        default="error",
        help="severity of objects whose kind has no schema (default: error)",
    )


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `check` and `validate` on the `gitops` subcommand parser."""
    check = sub.add_parser("check", help="render, load and validate every environment")
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="kustomization directories or manifest files/directories (default: what "
        "clusters/*/ deploys)",
    )
    check.add_argument(
        "--repo",
        type=Path,
        default=None,
        help="repository root (default: the nearest directory up from here with "
        "clusters/*/cluster.yaml or .gitops.yaml, else .)",
    )
    check.add_argument(
        "--env", action="append", default=[], metavar="ENV", help="only this environment"
    )
    check.add_argument(
        "--changed-since", metavar="REF", help="only entry points fed by files changed since REF"
    )
    check.add_argument(
        "--changed-files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="only entry points fed by these files (what a pre-commit hook passes; every file "
        "with --all-files, so everything is checked); give it last",
    )
    check.add_argument("--jobs", type=int, default=None, help="parallel renders (default: cores)")
    check.add_argument(
        "--cache-dir", type=Path, default=None, help="render cache (default: REPO/.cache)"
    )
    check.add_argument(
        "--profile", default=None, help="policy profile to apply (default: the cluster's)"
    )
    check.add_argument(
        "--checkov-k8s",
        action="store_true",
        help="also run checkov's Kubernetes checks on the rendered objects (slow)",
    )
    check.add_argument(
        "--kubernetes-version",
        "-k",
        default=None,
        help="for PATHS outside a repository with clusters/ (default: newest bundled)",
    )
    check.add_argument(
        "--offline",
        action="store_true",
        help="never pull a chart missing from the chart cache (.cache/charts)",
    )
    check.add_argument(
        "--allow-remote",
        action="store_true",
        help="let kustomize fetch remote resources and helmCharts (refused by default)",
    )
    check.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="print the time each stage took to standard error (on a terminal, stderr shows "
        "each stage as it runs, unless -q or --summary)",
    )
    add_output_options(check)
    check.set_defaults(handler=cmd_check)

    validate = sub.add_parser("validate", help="schema-validate manifest files (kubeconform-like)")
    validate.add_argument(
        "paths", nargs="+", metavar="PATH", help="files or directories (recursive), or - for stdin"
    )
    validate.add_argument(
        "--kubernetes-version", "-k", default=None, help="e.g. 1.33 (default: newest bundled)"
    )
    validate.add_argument(
        "--crds",
        action="append",
        default=[],
        type=Path,
        metavar="PATH",
        help="CRD files or JSON schemas (with x-kubernetes-group-version-kind); repeatable",
    )
    from gitops_tools.trees import add_tree_options

    add_tree_options(validate)
    add_output_options(validate)
    validate.set_defaults(handler=cmd_validate)


def cmd_check(args: argparse.Namespace) -> int:
    from gitops_tools.findings import Severity
    from gitops_tools.pipeline import check
    from gitops_tools.policy.registry import catalog
    from gitops_tools.progress import StageTimes, on_terminal
    from gitops_tools.report import environment_lines, report, summarize

    started = time.perf_counter()
    repo_root = args.repo.resolve() if args.repo is not None else repository_root(Path.cwd())
    with on_terminal(enabled=not quiet(args)) as shown:
        times = StageTimes(shown)
        result = check(_request(args, repo_root, times))
    seconds = time.perf_counter() - started
    summary = summarize(result.findings, result.files, result.objects, seconds, result.helm_sources)
    code = report(
        result.findings,
        summary,
        format_name=args.format,
        output=args.output,
        catalog=catalog(),
        fail_on=Severity.parse(args.fail_on),
        preamble=environment_lines(result) if args.format == "text" and not quiet(args) else "",
        summary_only=args.summary,
        color=wants_color(args.color, sys.stdout),
    )
    if args.verbose:
        print(f"gitops: {times.line()}", file=sys.stderr)
    return code


def _request(args: argparse.Namespace, repo_root: Path, progress: Progress) -> CheckRequest:
    from gitops_tools.fileio import cache_directory
    from gitops_tools.findings import Severity
    from gitops_tools.pipeline import CheckRequest

    return CheckRequest(
        repo_root=repo_root,
        cache_dir=cache_directory(repo_root, args.cache_dir),
        paths=args.paths,
        envs=args.env,
        changed_since=args.changed_since,
        changed_files=(
            frozenset(p.resolve() for p in args.changed_files) if args.changed_files else None
        ),
        jobs=args.jobs,
        profile=args.profile,
        kubernetes_version=args.kubernetes_version,
        missing_schema=Severity.parse(args.missing_schema),
        checkov_k8s=args.checkov_k8s,
        fetch=not args.offline,  # and not GITOPS_OFFLINE=1
        allow_remote=args.allow_remote,
        progress=progress,
    )


def repository_root(start: Path) -> Path:
    """The nearest directory at or above `start` that says what its environments are, so
    `gitops check` works from a subdirectory (like ruff and pre-commit); else `start`."""
    from gitops_tools.pipeline import has_clusters

    start = start.resolve()
    for directory in (start, *start.parents):
        if has_clusters(directory):
            return directory
        if (directory / ".git").exists():
            break  # never above the repository
    return start


def quiet(args: argparse.Namespace) -> bool:
    return bool(args.quiet or args.summary)


def cmd_validate(args: argparse.Namespace) -> int:
    from gitops_tools.catalog import BUILTIN
    from gitops_tools.findings import Severity
    from gitops_tools.report import report, summarize
    from gitops_tools.validate_files import validate_paths

    started = time.perf_counter()
    findings, files, objects = validate_paths(
        args.paths,
        args.kubernetes_version,
        args.crds,
        Severity.parse(args.missing_schema),
        tree_options=args,
    )
    summary = summarize(findings, files, objects, time.perf_counter() - started)
    return report(
        findings,
        summary,
        format_name=args.format,
        output=args.output,
        catalog=BUILTIN,
        fail_on=Severity.parse(args.fail_on),
        summary_only=args.summary,
        color=wants_color(args.color, sys.stdout),
    )
