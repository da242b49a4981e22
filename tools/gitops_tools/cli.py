"""The `gitops` command line: one parser, one place that turns errors into exit codes."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from gitops_tools import __version__
from gitops_tools.check import (
    police_runs,
    run_environments,
    select_clusters,
    standalone_cluster,
    validate_runs,
)
from gitops_tools.cluster import CLUSTER_FILE, CLUSTERS_DIR
from gitops_tools.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, FatalError
from gitops_tools.findings import Finding, Severity, count_by_severity
from gitops_tools.formats import FORMAT_NAMES, Summary, formatters
from gitops_tools.infra import TERRAFORM_DIR, check_rendered_with_checkov, check_terraform
from gitops_tools.rules import REGISTRY

CACHE_DIR = ".cache"


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMAT_NAMES, default="text", help="report format")
    parser.add_argument("--output", type=Path, help="write the report to this file")
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


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    """Helm charts and remote kustomize resources: what `check` may fetch."""
    parser.add_argument(
        "--offline",
        action="store_true",
        help="never pull a chart missing from the chart cache (.cache/charts)",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="let kustomize fetch remote resources and helmCharts (refused by default)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gitops", description="Check and operate a Kustomize + Argo CD GitOps repository."
    )
    parser.add_argument("--version", action="version", version=f"gitops {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="render, load and validate every environment")
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="kustomization directories or manifest files/directories (default: what "
        "clusters/*/ deploys)",
    )
    check.add_argument("--repo", type=Path, default=Path(), help="repository root (default: .)")
    check.add_argument(
        "--env", action="append", default=[], metavar="ENV", help="only this environment"
    )
    check.add_argument(
        "--changed-since", metavar="REF", help="only entry points fed by files changed since REF"
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
    _add_source_options(check)
    _add_output_options(check)
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
    _add_output_options(validate)
    validate.set_defaults(handler=cmd_validate)

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--markdown", action="store_true", help="print policies/rules.md")
    rules.set_defaults(handler=cmd_rules)
    explain = sub.add_parser("explain", help="print one rule's documentation")
    explain.add_argument("rule_id", metavar="ID")
    explain.set_defaults(handler=cmd_explain)

    from gitops_tools.charts_command import add_command as add_charts
    from gitops_tools.diff.command import add_command as add_diff
    from gitops_tools.hpa.command import add_command as add_hpa
    from gitops_tools.promote.commands import add_commands as add_promote

    add_charts(sub)
    add_diff(sub)
    add_hpa(sub)
    add_promote(sub)
    return parser


def cmd_rules(args: argparse.Namespace) -> int:
    from gitops_tools.policy.docs import rules_markdown, rules_table

    sys.stdout.write(rules_markdown() if args.markdown else rules_table())
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from gitops_tools.policy.docs import explain

    sys.stdout.write(explain(args.rule_id))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    repo_root = args.repo.resolve()
    from gitops_tools.repoconfig import CONFIG_FILE

    has_clusters = (
        any((repo_root / CLUSTERS_DIR).glob(f"*/{CLUSTER_FILE}"))
        or (repo_root / CONFIG_FILE).is_file()
    )
    standalone = bool(args.paths) and not has_clusters
    if standalone:
        from gitops_tools.schemas import builtin_versions

        newest = ".".join(map(str, builtin_versions()[-1]))
        env = args.env[0] if args.env else "default"
        clusters = [
            standalone_cluster(
                env, args.profile or env, args.kubernetes_version or newest, repo_root
            )
        ]
    else:
        clusters = select_clusters(repo_root, args.env)
    cache_dir = (args.cache_dir or repo_root / CACHE_DIR).resolve()
    runs = run_environments(
        repo_root,
        clusters,
        cache_dir,
        args.jobs,
        args.paths,
        args.changed_since,
        fetch=not args.offline,  # and not GITOPS_OFFLINE=1
        allow_remote=args.allow_remote,
    )
    validate_runs(runs, repo_root, Severity.parse(args.missing_schema), cache_dir)
    partial = args.changed_since is not None or (bool(args.paths) and not standalone)
    full = not args.paths and not args.env and not partial
    infra: list[Finding] = []
    if not args.paths and _terraform_in_scope(repo_root, args.changed_since):
        infra += check_terraform(repo_root, cache_dir)
    if args.checkov_k8s:
        infra += check_rendered_with_checkov(runs, repo_root, cache_dir)
    meta = police_runs(
        runs,
        repo_root,
        args.profile,
        report_unused_exemptions=full,
        complete=not partial,
        extra=infra,
    )
    if args.format == "text" and not args.output:
        for run in runs:
            kinds = run.loaded.kinds()
            print(
                f"{run.cluster.environment:<10} {len(run.entry_points):>3} entry points "
                f"{len(run.loaded.manifests):>5} objects {len(kinds):>3} kinds "
                f"({run.rendered} rendered, {run.cached} cached) {run.seconds:.2f}s"
            )
            print("           " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    from gitops_tools.helm_check import relocate, summary

    findings = relocate([f for run in runs for f in run.findings] + meta, runs, repo_root)
    files = len({f for run in runs for f in run.files})
    objects = sum(len(run.loaded.manifests) for run in runs)
    seconds = time.perf_counter() - started
    return _report(args, findings, files, objects, seconds, helm_sources=summary(runs))


def _terraform_in_scope(repo_root: Path, changed_since: str | None) -> bool:
    if changed_since is None:
        return True
    from gitops_tools.changes import changed_files

    infra = repo_root / TERRAFORM_DIR
    return any(infra in p.parents for p in changed_files(repo_root, changed_since))


def cmd_validate(args: argparse.Namespace) -> int:
    from gitops_tools.validate_files import validate_paths

    started = time.perf_counter()
    findings, files, objects = validate_paths(
        args.paths,
        args.kubernetes_version,
        args.crds,
        Severity.parse(args.missing_schema),
        tree_options=args,
    )
    return _report(args, findings, files, objects, time.perf_counter() - started)


def _report(
    args: argparse.Namespace,
    findings: list[Finding],
    files: int,
    objects: int,
    seconds: float,
    helm_sources: dict[str, int] | None = None,
) -> int:
    active = [f for f in findings if not f.suppression]
    counts = count_by_severity(active)
    summary = Summary(
        files,
        objects,
        counts[Severity.ERROR],
        counts[Severity.WARNING],
        seconds,
        suppressed=len(findings) - len(active),
        helm_sources=helm_sources,
    )
    report = formatters()[args.format](findings, summary)
    if args.output:
        write_atomically(args.output, report)
    else:
        sys.stdout.write(report)
    if any(REGISTRY[f.rule_id].input_error for f in active if f.rule_id in REGISTRY):
        return EXIT_ERROR
    threshold = Severity.parse(args.fail_on)
    return EXIT_FINDINGS if any(f.severity >= threshold for f in active) else EXIT_OK


def write_atomically(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(text, encoding="utf-8")
        temp.replace(path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise FatalError(f"{path}: cannot write the report: {exc.strerror}") from None


def run(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> int:
    """Parse, run the command's handler, and turn a FatalError into one line and exit 2."""
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except FatalError as exc:
        print(f"gitops: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    return run(_parser(), argv)
