"""`gitops charts pull`: fill the chart cache (.cache/charts) with every chart a Helm source of
the repository names, so `gitops check` renders them offline afterwards."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gitops_tools.errors import EXIT_ERROR, EXIT_OK, FatalError


def add_command(sub: Any) -> None:
    charts = sub.add_parser("charts", help="the Helm chart cache (.cache/charts)")
    actions = charts.add_subparsers(dest="charts_command", required=True, metavar="ACTION")
    pull = actions.add_parser("pull", help="pull every chart the Helm sources name")
    pull.add_argument("--repo", type=Path, default=Path(), help="repository root (default: .)")
    pull.add_argument("--env", action="append", default=[], metavar="ENV")
    pull.add_argument("--cache-dir", type=Path, default=None, help="default: REPO/.cache")
    pull.add_argument("--timeout", type=float, default=60.0, help="seconds per chart (default: 60)")
    pull.set_defaults(handler=cmd_pull)


def cmd_pull(args: argparse.Namespace) -> int:
    from gitops_tools.charts import ChartRef, cached_chart, pull
    from gitops_tools.discover import discover
    from gitops_tools.fileio import display
    from gitops_tools.helm import find_helm
    from gitops_tools.pipeline import select_clusters

    repo_root = args.repo.resolve()
    cache_dir = (args.cache_dir or repo_root / ".cache").resolve()
    helm = find_helm(cache_dir)
    if helm is None:
        raise FatalError("helm is not installed", "run `make setup` (it installs helm)")
    refs = set()
    for cluster in select_clusters(repo_root, args.env):
        for point in discover(cluster, repo_root):
            source = point.helm
            if source is not None and source.chart_dir is None:
                refs.add(ChartRef(source.repo_url, source.chart, source.version))
    failed = 0
    for ref in sorted(refs, key=str):
        if cached_chart(cache_dir, ref) is not None:
            print(f"cached  {ref}")
            continue
        try:
            chart = pull(helm, ref, cache_dir, timeout=args.timeout)
        except (OSError, RuntimeError) as exc:
            failed += 1
            print(f"failed  {ref}: {exc}", file=sys.stderr)
            continue
        print(f"pulled  {ref} -> {display(chart, repo_root)}")
    print(f"{len(refs) - failed} of {len(refs)} chart(s) in {display(cache_dir, repo_root)}/charts")
    return EXIT_ERROR if failed else EXIT_OK
