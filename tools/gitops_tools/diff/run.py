"""Render the affected entry points of every environment at base and head, and compare."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gitops_tools.cluster import Cluster, load_clusters
from gitops_tools.diff.compare import EnvironmentDiff, compare
from gitops_tools.diff.gitrefs import worktree
from gitops_tools.errors import FatalError
from gitops_tools.fileio import display
from gitops_tools.gitrun import changed_paths, resolve_commit
from gitops_tools.pipeline import EnvironmentRun, run_environments


@dataclass
class DiffResult:
    base: str
    head: str  # a SHA, or "working tree"
    environments: list[EnvironmentDiff]

    @property
    def changed(self) -> bool:
        return any(e.changed for e in self.environments)

    @property
    def errors(self) -> list[str]:
        return [f"{e.env}: {msg}" for e in self.environments for msg in e.errors]


def _clusters(root: Path, envs: Sequence[str]) -> dict[str, Cluster]:
    try:
        clusters = load_clusters(root)
    except FatalError:
        return {}  # no clusters at this ref (a repository that just gained them)
    return {env: c for env, c in clusters.items() if not envs or env in envs}


def _render(
    root: Path, clusters: dict[str, Cluster], changed: set[str], cache: Path
) -> dict[str, EnvironmentRun]:
    absolute = {(root / p).resolve() for p in changed}
    runs = run_environments(root, list(clusters.values()), cache, changed=absolute)
    return {run.cluster.environment: run for run in runs}


def run_diff(
    repo_root: Path, base_ref: str, head_ref: str | None, envs: Sequence[str], cache_dir: Path
) -> DiffResult:
    base = resolve_commit(repo_root, base_ref, "--base")
    head = resolve_commit(repo_root, head_ref, "--head") if head_ref else None
    changed = changed_paths(repo_root, base, head)
    base_root = worktree(repo_root, base, cache_dir)
    head_root = worktree(repo_root, head, cache_dir) if head else repo_root
    base_clusters, head_clusters = _clusters(base_root, envs), _clusters(head_root, envs)
    if envs and not (set(envs) & (set(base_clusters) | set(head_clusters))):
        raise FatalError(f"no cluster for environment {', '.join(map(repr, envs))}")
    if not base_clusters and not head_clusters:
        raise FatalError(f"no clusters/*/cluster.yaml at {base_ref} or at the head")
    base_runs = _render(base_root, base_clusters, changed, cache_dir)
    head_runs = _render(head_root, head_clusters, changed, cache_dir)
    environments = []
    for env in [*head_clusters, *(e for e in base_clusters if e not in head_clusters)]:
        old, new = base_runs.get(env), head_runs.get(env)
        result = compare(
            env, old.loaded.manifests if old else [], new.loaded.manifests if new else []
        )
        for label, run, root in (("base", old, base_root), ("head", new, head_root)):
            for f in run.findings if run else []:  # render failures, missing paths
                if f.rule_id == "GO009":  # a Helm chart not cached: nothing to diff, no error
                    continue
                result.errors.append(f"{label}: {display(Path(root, f.path), root)}: {f.message}")
            for p in run.loaded.problems if run else []:
                result.errors.append(f"{label}: {display(p.path, root)}: {p.message}")
        environments.append(result)
    return DiffResult(base, head or "working tree", environments)
