"""The stages of `gitops check`, as functions that take and return values:

    discover -> render -> load -> validate -> policy (-> exemptions)

`run_environments` discovers, renders and loads (one `EnvironmentRun` per environment, never
changed afterwards); `validate_runs` and `police_runs` return findings; `apply_exemptions`
marks the exempted ones; `check` runs them all (with the Terraform scan) for one request and
returns a `CheckResult` the command reports. Stages call downwards only: nothing here knows
about the command line or output formats.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_tools import catalog
from gitops_tools.changes import changed_files
from gitops_tools.cluster import CLUSTER_FILE, CLUSTERS_DIR, Cluster, load_clusters
from gitops_tools.discover import EntryPoint, discover
from gitops_tools.errors import FatalError
from gitops_tools.fileio import display, kustomization_file, manifest_files
from gitops_tools.findings import Finding, Severity
from gitops_tools.helm_check import HelmLoad, HelmStats, helm_affected, render_helm_points
from gitops_tools.locations import SourceIndex
from gitops_tools.manifests import Loaded, load_file, load_rendered
from gitops_tools.progress import SILENT, Progress, stage
from gitops_tools.render import (
    Rendered,
    find_renderer,
    kustomization_inputs,
    kustomization_scan,
    render_all,
)
from gitops_tools.schemas import SchemaStore, custom_schemas, schema_dir_schemas
from gitops_tools.validate import problem_findings, validate_manifests

if TYPE_CHECKING:
    from gitops_tools.policy.config import PolicyConfig

SCHEMA_DIR = Path("policies/schemas")


@dataclass(frozen=True)
class EnvironmentRun:
    """What one environment deploys, rendered and loaded: the load stage's result.
    `findings` are the entry points that could not be loaded (GO001 render failed, GO006
    source path missing)."""

    cluster: Cluster
    entry_points: list[EntryPoint]
    loaded: Loaded = field(default_factory=Loaded)
    findings: list[Finding] = field(default_factory=list)
    files: frozenset[Path] = frozenset()
    rendered: int = 0
    cached: int = 0
    seconds: float = 0.0
    helm: HelmStats = field(default_factory=HelmStats)  # Helm sources: counts, outputs


@dataclass(frozen=True)
class StageFindings:
    """One stage's findings for one environment, and the time it took."""

    env: str
    findings: list[Finding]
    seconds: float = 0.0


def select_clusters(repo_root: Path, envs: Sequence[str]) -> list[Cluster]:
    from gitops_tools.repoconfig import repo_clusters

    clusters = repo_clusters(repo_root) or load_clusters(repo_root)
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


# --- discover ---------------------------------------------------------------------------


def given_entry_points(cluster: Cluster, paths: Sequence[Path]) -> list[EntryPoint]:
    """PATHS from the command line as entry points of `cluster`: kustomizations, charts, files
    (a directory tree split into them)."""
    from gitops_tools.trees import tree_entry_points

    points = []
    for path in paths:
        if not path.exists():
            raise FatalError(f"{path}: no such file or directory")
        points += tree_entry_points(cluster, path)  # kustomizations, charts, plain files
    return points


def affected(point: EntryPoint, changed: set[Path], root: Path | None = None) -> bool:
    if point.declared_in in changed:
        return True
    if point.helm is not None or point.outside:
        return helm_affected(point, changed)
    if point.is_kustomization:
        return not changed.isdisjoint(kustomization_inputs(point.path, root))
    return any(f.resolve() in changed for f in manifest_files(point.path, point.directory_recurse))


def only_affected(
    points: Sequence[EntryPoint], changed: set[Path], repo_root: Path
) -> list[EntryPoint]:
    """The entry points the changed files feed; all of them when a cluster.yaml or anything
    under policies/ changed (versions, schemas, profiles and exemptions apply everywhere)."""
    policies = repo_root / SCHEMA_DIR.parent
    if any(p.name == CLUSTER_FILE or policies in p.parents for p in changed):
        return list(points)
    return [p for p in points if affected(p, changed, repo_root)]


# --- render -----------------------------------------------------------------------------


def render_entry_points(
    points: Sequence[EntryPoint],
    cache_dir: Path,
    jobs: int | None = None,
    repo_root: Path | None = None,
    allow_remote: bool = False,
    progress: Progress = SILENT,
) -> dict[Path, Rendered]:
    """Every kustomization among `points` rendered once (in parallel, cached); nothing
    outside `repo_root` is read, no remote resource fetched unless `allow_remote`."""
    kustomizations = {p.path for p in points if p.is_kustomization and p.helm is None}
    if not kustomizations:
        return {}
    renderer = find_renderer(cache_dir)
    with stage(progress, "render", "rendering", len(kustomizations), "entry points") as done:
        return render_all(kustomizations, renderer, cache_dir, jobs, repo_root, allow_remote, done)


# --- load -------------------------------------------------------------------------------


def load_environment(
    cluster: Cluster,
    points: Sequence[EntryPoint],
    results: dict[Path, Rendered],
    cache_dir: Path,
    repo_root: Path,
    helm: HelmLoad | None = None,
) -> EnvironmentRun:
    """The objects of one environment's entry points (rendered or plain manifests), plus the
    Argo CD manifests no entry point renders (the root app, applied by hand)."""
    started = time.perf_counter()
    env = cluster.environment
    loaded, findings, files = Loaded(), [], set()
    rendered = cached = unavailable = 0
    seconds = 0.0
    for point in points:
        if point.helm is not None:  # loaded by the Helm stage (`helm`)
            continue
        if point.outside or not point.path.exists():
            findings.append(_missing_path(point, repo_root))
            continue
        result = results.get(point.path)
        if result is None:  # plain manifests (Argo CD "directory" source or a PATH)
            for file in manifest_files(point.path, recurse=point.directory_recurse):
                files.add(file)
                loaded.extend(load_file(file, env))
            continue
        seconds += result.seconds
        if result.unavailable:  # helmCharts to pull, offline: a warning like a Helm source's
            findings.append(_helm_charts_unavailable(point, result.unavailable, repo_root))
            unavailable += 1
            continue
        if result.error is not None:
            findings.append(_render_failed(point, result.error, repo_root))
            continue
        cached += result.cached
        rendered += not result.cached
        files.update(kustomization_inputs(point.path, repo_root))
        loaded.extend(load_rendered(result, cache_dir, env))
    stats = HelmStats()
    if helm is not None:  # what the Helm stage rendered and loaded for this environment
        loaded.extend(helm.loaded)
        findings += helm.findings
        files |= helm.files
        rendered, cached = rendered + helm.rendered, cached + helm.cached
        seconds += helm.seconds
        stats = helm.helm
    stats.not_cached += unavailable
    sources = {m.path for m in loaded.manifests}
    for declared in sorted({p.declared_in for p in points if p.app} - sources):
        files.add(declared)
        loaded.extend(load_file(declared, env))
    seconds += time.perf_counter() - started
    return EnvironmentRun(
        cluster, list(points), loaded, findings, frozenset(files), rendered, cached, seconds, stats
    )


def _missing_path(point: EntryPoint, repo_root: Path) -> Finding:
    what = "is outside the repository: refused" if point.outside else "does not exist"
    return Finding(
        path=display(point.declared_in, repo_root),
        line=0,
        column=0,
        rule_id=catalog.APPLICATION_PATH_MISSING.id,
        message=f"source path {display(point.path, repo_root)} {what}",
        env=point.env,
        kind="Application",
        namespace="argocd",
        name=point.app,
        hint="fix spec.source.path, or add the overlay",
    )


def _helm_charts_unavailable(point: EntryPoint, charts: str, repo_root: Path) -> Finding:
    kfile = kustomization_file(point.path) or point.path
    return Finding(
        path=display(kfile, repo_root),
        line=0,
        column=0,
        rule_id=catalog.HELM_NOT_RENDERED.id,
        message=f"{charts} not vendored under the kustomization and remote fetches are off: "
        "nothing it renders is checked",
        severity=catalog.HELM_NOT_RENDERED.severity,
        env=point.env,
        hint="vendor each chart (`helm pull --repo REPO NAME --version V --untar "
        "--untardir charts/NAME-V`), or pass --allow-remote to let kustomize pull it",
    )


def _render_failed(point: EntryPoint, error: str, repo_root: Path) -> Finding:
    kfile = kustomization_file(point.path) or point.path
    origin = f" (deployed by {display(point.declared_in, repo_root)})" if point.app else ""
    return Finding(
        path=display(kfile, repo_root),
        line=0,
        column=0,
        rule_id=catalog.RENDER_FAILED.id,
        message=f"kustomize build failed{origin}: {error}",
        env=point.env,
        hint=f"run `kubectl kustomize {display(point.path, repo_root)}` to reproduce",
    )


def run_environments(
    repo_root: Path,
    clusters: Sequence[Cluster],
    cache_dir: Path,
    jobs: int | None = None,
    paths: Sequence[Path] = (),
    changed_since: str | None = None,
    changed: set[Path] | None = None,
    fetch: bool = True,
    allow_remote: bool = False,
    progress: Progress = SILENT,
) -> list[EnvironmentRun]:
    """Discover (or take PATHS), render once per directory across environments, and load.
    With `changed_since` (a git ref) or `changed` (absolute paths), only the entry points
    those files feed. `fetch`: pull charts missing from the chart cache; `allow_remote`: let
    kustomize fetch remote resources. Each stage is told to `progress`."""
    kustomization_scan.cache_clear()
    with stage(progress, "discover", "discovering entry points"):
        points = {
            c.environment: given_entry_points(c, paths) if paths else discover(c, repo_root)
            for c in clusters
        }
    if changed_since is not None:
        changed = changed_files(repo_root, changed_since)
    if changed is not None:
        points = {env: only_affected(p, changed, repo_root) for env, p in points.items()}
    every = [p for ps in points.values() for p in ps]
    results = render_entry_points(every, cache_dir, jobs, repo_root, allow_remote, progress)
    sources = sum(p.helm is not None for p in every)
    with stage(progress if sources else SILENT, "helm", "helm", sources, "sources") as done:
        helm = render_helm_points(
            [(c, points[c.environment]) for c in clusters], repo_root, cache_dir, fetch, done
        )
    runs = []
    for c in clusters:
        with stage(progress, "load", f"loading {c.environment}"):
            runs.append(
                load_environment(
                    c, points[c.environment], results, cache_dir, repo_root, helm[c.environment]
                )
            )
    return runs


# --- validate ---------------------------------------------------------------------------


def validate_runs(
    runs: Sequence[EnvironmentRun],
    repo_root: Path,
    missing_schema: Severity = Severity.ERROR,
    cache_dir: Path | None = None,
) -> list[StageFindings]:
    """Schema findings of every run's objects (and of the files that held none); CRDs in an
    environment's output count for it."""
    policy_schemas = schema_dir_schemas(repo_root / SCHEMA_DIR, cache_dir)
    sources = SourceIndex()
    out = []
    for run in runs:
        started = time.perf_counter()
        custom = policy_schemas | custom_schemas(m.obj for m in run.loaded.manifests)
        store = SchemaStore(run.cluster.kubernetes_version, custom)
        sources.add_loaded(run.loaded)
        findings = problem_findings(run.loaded.problems, run.cluster.environment)
        findings += validate_manifests(run.loaded.manifests, store, sources, missing_schema)
        out.append(StageFindings(run.cluster.environment, findings, time.perf_counter() - started))
    return out


# --- policy -----------------------------------------------------------------------------


def police_runs(
    runs: Sequence[EnvironmentRun],
    repo_root: Path,
    config: PolicyConfig | None = None,
    profile_override: str | None = None,
    complete: bool = True,
) -> list[StageFindings]:
    """Findings of each environment profile's rules (exemptions not applied yet)."""
    from gitops_tools.policy.config import load_policy_config
    from gitops_tools.policy.engine import run_rules
    from gitops_tools.policy.index import ResourceIndex
    from gitops_tools.policy.model import Context
    from gitops_tools.policy.registry import RULES

    config = config or load_policy_config(repo_root)
    sources = SourceIndex()
    out = []
    for run in runs:
        started = time.perf_counter()
        profile = config.profile(profile_override or run.cluster.policy_profile)
        index = ResourceIndex(run.loaded.manifests)
        context = Context(run.cluster.environment, profile, index, run.cluster, repo_root, complete)
        sources.add_loaded(run.loaded)
        findings = run_rules(run.loaded.manifests, context, RULES, sources)
        out.append(StageFindings(run.cluster.environment, findings, time.perf_counter() - started))
    return out


def apply_exemptions(
    findings: Sequence[Finding],
    config: PolicyConfig,
    today: dt.date | None = None,
    report_unused: bool = False,
) -> list[Finding]:
    """`findings` with those an unexpired exemption covers marked suppressed, plus findings
    about the exemptions themselves (expired; unused, after a full check)."""
    from gitops_tools.policy.engine import exemption_findings, suppress

    today = today or dt.date.today()
    used: set[int] = set()
    marked = suppress(findings, config.exemptions, today, used)
    return marked + exemption_findings(config.exemptions, today, used, report_unused)


# --- the whole check --------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRequest:
    """What `gitops check` was asked to do (the command line, as values)."""

    repo_root: Path
    cache_dir: Path
    paths: Sequence[Path] = ()
    envs: Sequence[str] = ()
    changed_since: str | None = None
    changed_files: frozenset[Path] | None = None  # absolute; e.g. what pre-commit passes
    jobs: int | None = None
    profile: str | None = None
    kubernetes_version: str | None = None
    missing_schema: Severity = Severity.ERROR
    checkov_k8s: bool = False
    fetch: bool = True  # pull charts missing from the chart cache
    allow_remote: bool = False  # let kustomize fetch remote resources
    today: dt.date | None = None
    progress: Progress = field(default=SILENT, compare=False)  # told each stage as it runs


@dataclass(frozen=True)
class CheckResult:
    """Every environment as loaded, every finding (paths as users read them), and the time
    each environment took through all stages."""

    runs: list[EnvironmentRun]
    findings: list[Finding]
    seconds: dict[str, float]

    @property
    def files(self) -> int:
        return len({f for run in self.runs for f in run.files})

    @property
    def objects(self) -> int:
        return sum(len(run.loaded.manifests) for run in self.runs)

    @property
    def helm_sources(self) -> dict[str, int]:
        from gitops_tools.helm_check import summary

        return summary([run.helm for run in self.runs])


def has_clusters(repo_root: Path) -> bool:
    """Whether the repository says what its environments are (clusters/ or .gitops.yaml)."""
    from gitops_tools.repoconfig import CONFIG_FILE

    return (
        any((repo_root / CLUSTERS_DIR).glob(f"*/{CLUSTER_FILE}"))
        or (repo_root / CONFIG_FILE).is_file()
    )


def request_clusters(request: CheckRequest) -> tuple[list[Cluster], bool]:
    """The clusters to check, and whether they are a stand-in (PATHS outside a repository
    with clusters/)."""
    if request.paths and not has_clusters(request.repo_root):
        from gitops_tools.schemas import builtin_versions

        newest = ".".join(map(str, builtin_versions()[-1]))
        env = request.envs[0] if request.envs else "default"
        version = request.kubernetes_version or newest
        profile = request.profile or env
        return [standalone_cluster(env, profile, version, request.repo_root)], True
    return select_clusters(request.repo_root, request.envs), False


def check(request: CheckRequest) -> CheckResult:
    """discover -> render -> load -> validate -> (Terraform) -> policy -> exemptions."""
    from gitops_tools.policy.config import load_policy_config

    repo_root = request.repo_root
    clusters, standalone = request_clusters(request)
    changed = changed_scope(request)
    # checkov runs as its own process for seconds: scan while rendering, not after it
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="terraform") as background:
        terraform = background.submit(terraform_findings, request, changed)
        runs = run_environments(
            repo_root,
            clusters,
            request.cache_dir,
            request.jobs,
            request.paths,
            changed=changed,
            fetch=request.fetch,
            allow_remote=request.allow_remote,
            progress=request.progress,
        )
        with stage(request.progress, "validate", "validating"):
            validated = validate_runs(runs, repo_root, request.missing_schema, request.cache_dir)
        infra = terraform.result() + infra_findings(request, runs)
    partial = changed is not None or (bool(request.paths) and not standalone)
    full = not request.paths and not request.envs and not partial
    config = load_policy_config(repo_root)
    with stage(request.progress, "policy", "policies"):
        policed = police_runs(runs, repo_root, config, request.profile, complete=not partial)
    found = [f for run in runs for f in run.findings]
    found += [f for one in (*validated, *policed) for f in one.findings]
    from gitops_tools.helm_check import relocate  # findings in Helm output -> chart templates

    found = relocate(found, [run.helm for run in runs], repo_root)
    findings = apply_exemptions([*found, *infra], config, request.today, report_unused=full)
    seconds = {run.cluster.environment: run.seconds for run in runs}
    for one in (*validated, *policed):
        seconds[one.env] += one.seconds
    return CheckResult(runs, relative_findings(findings, repo_root), seconds)


def changed_scope(request: CheckRequest) -> set[Path] | None:
    """The files whose consequences are checked (None: everything): those given, or those
    changed since `--changed-since`."""
    if request.changed_files is not None:
        return set(request.changed_files)
    if request.changed_since is not None:
        return changed_files(request.repo_root, request.changed_since)
    return None


def terraform_findings(request: CheckRequest, changed: set[Path] | None) -> list[Finding]:
    """The Terraform scan (checkov, terraform fmt, workflow OIDC subjects) when in scope."""
    if request.paths or not terraform_in_scope(request.repo_root, changed):
        return []
    from gitops_tools.infra import check_terraform

    with stage(request.progress, "terraform", "terraform scan (checkov)", beside=True):
        return check_terraform(request.repo_root, request.cache_dir)


def infra_findings(request: CheckRequest, runs: Sequence[EnvironmentRun]) -> list[Finding]:
    """Opt-in: checkov's Kubernetes checks on the rendered objects."""
    found: list[Finding] = []
    if request.checkov_k8s:
        from gitops_tools.infra import check_rendered_with_checkov

        loaded = [run.loaded for run in runs]
        with stage(request.progress, "checkov-k8s", "checkov on the rendered objects"):
            found += check_rendered_with_checkov(loaded, request.repo_root, request.cache_dir)
    return found


def terraform_in_scope(repo_root: Path, changed: set[Path] | None) -> bool:
    from gitops_tools.infra import TERRAFORM_DIR

    if changed is None:
        return True
    scanned = (repo_root / TERRAFORM_DIR, repo_root / ".github" / "workflows")  # GO505 reads both
    return any(d in p.parents for p in changed for d in scanned)


def relative_findings(findings: Sequence[Finding], root: Path) -> list[Finding]:
    """Findings located in files (absolute paths, see `findings.object_finding`) with the
    path shown as users read it: relative to the repository, else to the working directory."""
    shown: dict[str, str] = {}
    out = []
    for f in findings:
        if Path(f.path).is_absolute():
            if f.path not in shown:
                shown[f.path] = display(Path(f.path), root)
            f = replace(f, path=shown[f.path])
        out.append(f)
    return out
