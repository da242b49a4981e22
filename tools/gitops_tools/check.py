"""`gitops check`: discover every environment's entry points, render them, load every object."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gitops_tools.cluster import Cluster, load_clusters
from gitops_tools.discover import EntryPoint, discover, manifest_files
from gitops_tools.errors import FatalError
from gitops_tools.manifests import Loaded, load_file, load_rendered
from gitops_tools.render import Rendered, find_renderer, render_all


@dataclass
class EnvironmentRun:
    """What one environment deploys, rendered and loaded."""

    cluster: Cluster
    entry_points: list[EntryPoint]
    loaded: Loaded = field(default_factory=Loaded)
    errors: list[str] = field(default_factory=list)
    rendered: int = 0
    cached: int = 0
    seconds: float = 0.0


def select_clusters(repo_root: Path, envs: Sequence[str]) -> list[Cluster]:
    clusters = load_clusters(repo_root)
    unknown = [e for e in envs if e not in clusters]
    if unknown:
        raise FatalError(
            f"no cluster for environment {', '.join(map(repr, unknown))}",
            f"known environments: {', '.join(clusters)}",
        )
    return [c for env, c in clusters.items() if not envs or env in envs]


def run_environments(
    repo_root: Path, clusters: Sequence[Cluster], cache_dir: Path, jobs: int | None = None
) -> list[EnvironmentRun]:
    """Discover, render (once per directory across environments) and load."""
    runs = [EnvironmentRun(c, discover(c, repo_root)) for c in clusters]
    kustomizations = {p.path for run in runs for p in run.entry_points if p.is_kustomization}
    renderer = find_renderer(cache_dir) if kustomizations else None
    results: dict[Path, Rendered] = (
        render_all(kustomizations, renderer, cache_dir, jobs) if renderer else {}
    )
    for run in runs:
        started = time.perf_counter()
        for point in run.entry_points:
            _load_entry_point(run, point, results, cache_dir, repo_root)
        run.seconds += time.perf_counter() - started
    return runs


def _load_entry_point(
    run: EnvironmentRun,
    point: EntryPoint,
    results: dict[Path, Rendered],
    cache_dir: Path,
    repo_root: Path,
) -> None:
    declared = _rel(point.declared_in, repo_root)
    where = f"{declared}: Application {point.app!r} source path {_rel(point.path, repo_root)}"
    if not point.path.is_dir():
        run.errors.append(f"{where}: no such directory in the repository")
        return
    rendered = results.get(point.path)
    if rendered is None:  # a plain directory of manifests (Argo CD "directory" source)
        for file in manifest_files(point.path, recurse=point.directory_recurse):
            run.loaded.extend(load_file(file, run.cluster.environment))
        return
    run.seconds += rendered.seconds
    if rendered.error is not None:
        run.errors.append(f"{where}: kustomize build failed: {rendered.error}")
        return
    run.cached += rendered.cached
    run.rendered += not rendered.cached
    run.loaded.extend(load_rendered(rendered, cache_dir, run.cluster.environment))


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
