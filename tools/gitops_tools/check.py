"""`gitops check`: discover each environment's entry points, render, load and validate them."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gitops_tools import rules
from gitops_tools.changes import changed_files
from gitops_tools.cluster import CLUSTER_FILE, Cluster, load_clusters
from gitops_tools.discover import EntryPoint, discover, kustomization_file, manifest_files
from gitops_tools.errors import FatalError
from gitops_tools.findings import Finding, Severity
from gitops_tools.locations import SourceIndex
from gitops_tools.manifests import Loaded, load_file, load_rendered
from gitops_tools.render import Rendered, find_renderer, kustomization_inputs, render_all
from gitops_tools.schemas import SchemaStore, custom_schemas, schema_dir_schemas
from gitops_tools.validate import problem_findings, validate_manifests

SCHEMA_DIR = Path("policies/schemas")


@dataclass
class EnvironmentRun:
    """What one environment deploys, rendered, loaded and checked."""

    cluster: Cluster
    entry_points: list[EntryPoint]
    loaded: Loaded = field(default_factory=Loaded)
    findings: list[Finding] = field(default_factory=list)
    files: set[Path] = field(default_factory=set)
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


def standalone_cluster(env: str, profile: str, kubernetes_version: str, repo_root: Path) -> Cluster:
    """A stand-in cluster for checking PATHS outside a repository with clusters/."""
    return Cluster(
        environment=env,
        directory=repo_root,
        kubernetes_version=kubernetes_version,
        region="",
        account_id="",
        registry="",
        promoted_from=None,
        soak_hours=0.0,
        policy_profile=profile,
        repo_url="",
        target_revision="",
    )


def given_entry_points(cluster: Cluster, paths: Sequence[Path]) -> list[EntryPoint]:
    """PATHS from the command line as entry points of `cluster`: kustomizations or files."""
    points = []
    for path in paths:
        if not path.exists():
            raise FatalError(f"{path}: no such file or directory")
        points.append(EntryPoint(cluster.environment, "", path.resolve(), path.resolve(), True))
    return points


def affected(point: EntryPoint, changed: set[Path]) -> bool:
    if point.declared_in in changed:
        return True
    if point.is_kustomization:
        return not changed.isdisjoint(kustomization_inputs(point.path))
    return any(f.resolve() in changed for f in manifest_files(point.path, point.directory_recurse))


def run_environments(
    repo_root: Path,
    clusters: Sequence[Cluster],
    cache_dir: Path,
    jobs: int | None = None,
    paths: Sequence[Path] = (),
    changed_since: str | None = None,
    changed: set[Path] | None = None,
) -> list[EnvironmentRun]:
    """Discover (or take PATHS), render once per directory across environments, and load.
    With `changed_since` (a git ref) or `changed` (absolute paths), only the entry points
    those files feed."""
    kustomization_inputs.cache_clear()
    runs = [
        EnvironmentRun(c, given_entry_points(c, paths) if paths else discover(c, repo_root))
        for c in clusters
    ]
    if changed_since is not None:
        changed = changed_files(repo_root, changed_since)
    if changed is not None:
        schemas = repo_root / SCHEMA_DIR
        # cluster.yaml sets versions and schemas apply everywhere: then everything is affected
        if not any(p.name == CLUSTER_FILE or schemas in p.parents for p in changed):
            for run in runs:
                run.entry_points = [p for p in run.entry_points if affected(p, changed)]
    kustomizations = {p.path for run in runs for p in run.entry_points if p.is_kustomization}
    renderer = find_renderer(cache_dir) if kustomizations else None
    results: dict[Path, Rendered] = (
        render_all(kustomizations, renderer, cache_dir, jobs) if renderer else {}
    )
    for run in runs:
        started = time.perf_counter()
        for point in run.entry_points:
            _load_entry_point(run, point, results, cache_dir, repo_root)
        # Argo CD manifests no entry point renders (the root app, applied by hand)
        sources = {m.path for m in run.loaded.manifests}
        for declared in sorted({p.declared_in for p in run.entry_points if p.app} - sources):
            run.files.add(declared)
            run.loaded.extend(load_file(declared, run.cluster.environment))
        run.seconds += time.perf_counter() - started
    return runs


def _load_entry_point(
    run: EnvironmentRun,
    point: EntryPoint,
    results: dict[Path, Rendered],
    cache_dir: Path,
    repo_root: Path,
) -> None:
    env = run.cluster.environment
    if not point.path.exists():
        run.findings.append(
            Finding(
                path=display(point.declared_in, repo_root),
                line=0,
                column=0,
                rule_id=rules.APPLICATION_PATH_MISSING.id,
                message=f"source path {display(point.path, repo_root)} does not exist",
                env=env,
                kind="Application",
                namespace="argocd",
                name=point.app,
                hint="fix spec.source.path, or add the overlay",
            )
        )
        return
    rendered = results.get(point.path)
    if rendered is None:  # plain manifests (Argo CD "directory" source or a PATH)
        for file in manifest_files(point.path, recurse=point.directory_recurse):
            run.files.add(file)
            run.loaded.extend(load_file(file, env))
        return
    run.seconds += rendered.seconds
    kfile = kustomization_file(point.path) or point.path
    if rendered.error is not None:
        origin = f" (deployed by {display(point.declared_in, repo_root)})" if point.app else ""
        run.findings.append(
            Finding(
                path=display(kfile, repo_root),
                line=0,
                column=0,
                rule_id=rules.RENDER_FAILED.id,
                message=f"kustomize build failed{origin}: {rendered.error}",
                env=env,
                hint=f"run `kubectl kustomize {display(point.path, repo_root)}` to reproduce",
            )
        )
        return
    run.cached += rendered.cached
    run.rendered += not rendered.cached
    run.files.update(kustomization_inputs(point.path))
    run.loaded.extend(load_rendered(rendered, cache_dir, env))


def validate_runs(
    runs: Sequence[EnvironmentRun],
    repo_root: Path,
    missing_schema: Severity = Severity.ERROR,
    cache_dir: Path | None = None,
) -> None:
    """Schema-validate every run's objects; CRDs in an environment's output count for it."""
    policy_schemas = schema_dir_schemas(repo_root / SCHEMA_DIR, cache_dir)
    sources = SourceIndex()
    for run in runs:
        started = time.perf_counter()
        custom = policy_schemas | custom_schemas(m.obj for m in run.loaded.manifests)
        store = SchemaStore(run.cluster.kubernetes_version, custom)
        env = run.cluster.environment
        sources.add_loaded(run.loaded)
        run.findings += problem_findings(run.loaded.problems, lambda p: display(p, repo_root), env)
        run.findings += validate_manifests(
            run.loaded.manifests, store, lambda p: display(p, repo_root), sources, missing_schema
        )
        run.seconds += time.perf_counter() - started


def police_runs(
    runs: Sequence[EnvironmentRun],
    repo_root: Path,
    profile_override: str | None = None,
    report_unused_exemptions: bool = False,
    today: dt.date | None = None,
    complete: bool = True,
    extra: Sequence[Finding] = (),
) -> list[Finding]:
    """Run each environment profile's rules and apply exemptions (to `extra` findings too,
    e.g. Terraform's); returns `extra` as suppressed, plus findings about the exemptions
    themselves (expired, unused)."""
    from gitops_tools.policy.config import load_policy_config
    from gitops_tools.policy.engine import exemption_findings, run_rules, suppress
    from gitops_tools.policy.index import ResourceIndex
    from gitops_tools.policy.model import Context
    from gitops_tools.policy.registry import RULES

    config = load_policy_config(repo_root)
    today = today or dt.date.today()
    sources = SourceIndex()
    used: set[int] = set()
    for run in runs:
        started = time.perf_counter()
        profile = config.profile(profile_override or run.cluster.policy_profile)
        index = ResourceIndex(run.loaded.manifests)
        context = Context(run.cluster.environment, profile, index, run.cluster, repo_root, complete)
        sources.add_loaded(run.loaded)
        run.findings += run_rules(
            run.loaded.manifests, context, RULES, lambda p: display(p, repo_root), sources
        )
        run.findings = suppress(run.findings, config.exemptions, today, used)
        run.seconds += time.perf_counter() - started
    others = suppress(extra, config.exemptions, today, used)
    return others + exemption_findings(config.exemptions, today, used, report_unused_exemptions)


def display(path: Path, root: Path) -> str:
    """A path as users read it: relative to the repository, else to the working directory."""
    resolved = path.resolve()
    for base in (root, Path.cwd()):
        if resolved.is_relative_to(base):
            return str(resolved.relative_to(base))
    return str(path)
