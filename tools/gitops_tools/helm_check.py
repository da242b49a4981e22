"""Helm sources in `gitops check`: charts found (cache, else pulled where the network allows),
rendered, loaded like kustomize output; findings on rendered objects moved to the chart
template they came from, everything else about a source at its entry in the Application."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_tools import catalog
from gitops_tools.charts import PULL_COMMAND, ChartRef, cached_chart, pull
from gitops_tools.findings import Finding
from gitops_tools.helm import Helm, HelmRendered, HelmSource, find_helm, render_source
from gitops_tools.helm_findings import source_finding
from gitops_tools.manifests import Loaded, load_text

if TYPE_CHECKING:
    from gitops_tools.cluster import Cluster
    from gitops_tools.discover import EntryPoint

# Kinds without a namespace; everything else a chart renders lands in the destination namespace
CLUSTER_SCOPED = frozenset(
    "Namespace Node PersistentVolume ClusterRole ClusterRoleBinding CustomResourceDefinition "
    "StorageClass CSIDriver CSINode VolumeAttachment PriorityClass RuntimeClass IngressClass "
    "MutatingWebhookConfiguration ValidatingWebhookConfiguration ValidatingAdmissionPolicy "
    "ValidatingAdmissionPolicyBinding APIService CertificateSigningRequest FlowSchema "
    "PriorityLevelConfiguration ClusterIssuer NodePool EC2NodeClass ClusterSecretStore "
    "ClusterExternalSecret".split()
)


@dataclass
class HelmOutput:
    """Where one rendered Helm source's objects came from, to move findings to templates."""

    source: HelmSource
    chart: Path  # the chart directory rendered
    starts: list[int]  # first line of each document in the rendered text
    templates: tuple[str, ...]


@dataclass
class HelmStats:
    rendered: int = 0
    not_cached: int = 0
    outputs: dict[Path, HelmOutput] = field(default_factory=dict)


@dataclass
class HelmLoad:
    """What one environment's Helm sources add to it: objects, findings, files read."""

    cluster: Cluster
    loaded: Loaded = field(default_factory=Loaded)
    findings: list[Finding] = field(default_factory=list)
    files: set[Path] = field(default_factory=set)
    rendered: int = 0
    cached: int = 0
    seconds: float = 0.0
    helm: HelmStats = field(default_factory=HelmStats)


@dataclass(frozen=True)
class _Job:
    source: HelmSource
    kube_version: str


def helm_affected(point: EntryPoint, changed: set[Path]) -> bool:
    source = point.helm
    if source is None:
        return False
    inputs = {source.declared_in} | {v.path for v in source.value_files if v.path}
    if source.chart_dir is not None and any(source.chart_dir in p.parents for p in changed):
        return True
    return not changed.isdisjoint(inputs)


def render_helm_points(
    environments: Sequence[tuple[Cluster, Sequence[EntryPoint]]],
    repo_root: Path,
    cache_dir: Path,
    fetch: bool = True,
    done: Callable[[], None] = lambda: None,
) -> dict[str, HelmLoad]:
    """Render every Helm entry point of every environment; what each environment gains.
    `done` is called (from a worker thread) as each one's `helm template` is over."""
    loads = {cluster.environment: HelmLoad(cluster) for cluster, _ in environments}
    points = [
        (loads[cluster.environment], p)
        for cluster, ps in environments
        for p in ps
        if p.helm is not None
    ]
    if not points:
        return loads
    fetch = fetch and not os.environ.get("GITOPS_OFFLINE")
    helm = find_helm(cache_dir)
    charts = _charts(helm, [p.helm for _, p in points if p.helm], cache_dir, fetch)
    if helm is not None:
        _prerender(helm, points, charts, repo_root, cache_dir, done)
    for run, point in points:
        assert point.helm is not None
        _load_source(run, point.helm, helm, charts, repo_root, cache_dir)
    return loads


def _prerender(
    helm: Helm,
    points: Sequence[tuple[HelmLoad, EntryPoint]],
    charts: dict[ChartRef, Path | str],
    repo_root: Path,
    cache_dir: Path,
    done: Callable[[], None],
) -> None:
    """Run the `helm template`s in parallel into the render cache (loading reads them there)."""
    from gitops_tools.helm_values import api_versions, check_values

    def one(item: tuple[HelmLoad, EntryPoint]) -> None:
        template(item)
        done()

    def template(item: tuple[HelmLoad, EntryPoint]) -> None:
        run, point = item
        source = point.helm
        assert source is not None
        chart = source.chart_dir or charts.get(
            ChartRef(source.repo_url, source.chart, source.version)
        )
        if not isinstance(chart, Path) or any(
            v.outside or (v.path is not None and not v.path.is_file()) for v in source.value_files
        ):
            return
        version = run.cluster.kubernetes_version
        invalid = bool(check_values(source, chart, repo_root, run.cluster.environment))
        render_source(
            helm, source, chart, version, api_versions(version, repo_root), cache_dir, invalid
        )

    with ThreadPoolExecutor(max_workers=max(1, min(len(points), os.cpu_count() or 1))) as pool:
        list(pool.map(one, points))


def _charts(
    helm: Helm | None, sources: Iterable[HelmSource], cache_dir: Path, fetch: bool
) -> dict[ChartRef, Path | str]:
    """Each repository chart's directory in the cache, or why it is not there."""
    refs = {ChartRef(s.repo_url, s.chart, s.version) for s in sources if s.chart_dir is None}
    found: dict[ChartRef, Path | str] = {}
    missing = []
    for ref in sorted(refs, key=str):
        chart = cached_chart(cache_dir, ref)
        if chart is not None:
            found[ref] = chart
        else:
            missing.append(ref)
            found[ref] = "not in the chart cache (offline)"
    if helm is None or not fetch or not missing:
        return found

    def attempt(ref: ChartRef) -> tuple[ChartRef, Path | str]:
        try:
            return ref, pull(helm, ref, cache_dir)
        except (OSError, RuntimeError) as exc:
            return ref, f"not in the chart cache, and pulling it failed: {exc}"

    with ThreadPoolExecutor(max_workers=min(8, len(missing))) as pool:
        found.update(pool.map(attempt, missing))
    return found


def _load_source(
    run: HelmLoad,
    source: HelmSource,
    helm: Helm | None,
    charts: dict[ChartRef, Path | str],
    repo_root: Path,
    cache_dir: Path,
) -> None:
    from gitops_tools.fileio import display
    from gitops_tools.helm_values import api_versions, check_values

    env = run.cluster.environment
    run.files.add(source.declared_in)
    missing = [v for v in source.value_files if v.path is not None and not v.path.is_file()]
    for value_file in (v for v in source.value_files if v.outside):
        run.findings.append(
            source_finding(
                source,
                repo_root,
                env,
                catalog.APPLICATION_PATH_MISSING,
                f"values file {value_file.ref} is outside the repository: refused",
                "name a values file inside this repository",
                ("helm", "valueFiles", value_file.index),
            )
        )
    if any(v.outside for v in source.value_files):
        return
    for value_file in missing if not source.ignore_missing_value_files else []:
        assert value_file.path is not None
        run.findings.append(
            source_finding(
                source,
                repo_root,
                env,
                catalog.APPLICATION_PATH_MISSING,
                f"values file {display(value_file.path, repo_root)} does not exist",
                "fix spec.source(s).helm.valueFiles, or add the values file",
                ("helm", "valueFiles", value_file.index),
            )
        )
    run.files.update(v.path for v in source.value_files if v.path and v.path.is_file())
    if missing and not source.ignore_missing_value_files:
        return  # Argo CD fails the render the same way
    chart = source.chart_dir or charts.get(ChartRef(source.repo_url, source.chart, source.version))
    if helm is None or not isinstance(chart, Path):
        why = chart if isinstance(chart, str) else "not rendered"
        hint = f"run `{PULL_COMMAND}` where the network reaches {source.repo_url}"
        if helm is None:
            why, hint = "helm is not installed", "run `make setup` (it installs helm into .venv)"
        run.helm.not_cached += 1
        run.findings.append(
            source_finding(
                source,
                repo_root,
                env,
                catalog.HELM_NOT_RENDERED,
                f"Helm {source.label} was not rendered: {why}; its objects are not checked",
                hint,
            )
        )
        return
    schema_findings = check_values(source, chart, repo_root, env)
    run.findings += schema_findings
    kube_version = run.cluster.kubernetes_version
    rendered = render_source(
        helm,
        source,
        chart,
        kube_version,
        api_versions(kube_version, repo_root),
        cache_dir,
        skip_schema_validation=bool(schema_findings),
    )
    run.seconds += rendered.seconds
    if rendered.error is not None:
        run.findings.append(
            source_finding(
                source,
                repo_root,
                env,
                catalog.HELM_RENDER_FAILED,
                f"helm template failed for {source.label}: {rendered.error}",
                "run `helm template` on the chart with these values to reproduce",
            )
        )
        return
    run.helm.rendered += 1
    run.cached += rendered.cached
    run.rendered += not rendered.cached
    if source.chart_dir is not None:
        run.files.update(p for p in source.chart_dir.rglob("*") if p.is_file())
    run.loaded.extend(_load(rendered, source, env))
    if rendered.output is not None:
        run.helm.outputs[rendered.output] = HelmOutput(
            source, chart, _starts(rendered.text), rendered.templates
        )


def _load(rendered: HelmRendered, source: HelmSource, env: str) -> Loaded:
    assert rendered.output is not None
    loaded = load_text(rendered.text, rendered.output, env)
    crd_cluster_kinds = {
        str(((m.obj.get("spec") or {}).get("names") or {}).get("kind"))
        for m in loaded.manifests
        if m.kind == "CustomResourceDefinition"
        and (m.obj.get("spec") or {}).get("scope") == "Cluster"
    }
    for m in loaded.manifests:
        metadata = m.obj.get("metadata")
        if not isinstance(metadata, dict) or metadata.get("namespace"):
            continue
        if m.kind not in CLUSTER_SCOPED and m.kind not in crd_cluster_kinds:
            metadata["namespace"] = source.namespace or "default"  # as Argo CD applies it
    return loaded


def _starts(text: str) -> list[int]:
    return [i + 1 for i, line in enumerate(text.splitlines()) if line.rstrip() == "---"]


def relocate(
    findings: Sequence[Finding], stats: Sequence[HelmStats], repo_root: Path
) -> list[Finding]:
    """Findings in rendered Helm output moved to the chart template that produced the object
    (the template's line when the rendered line is found there once), else to the source."""
    from gitops_tools.fileio import display

    outputs = {
        shown: output
        for helm in stats
        for path, output in helm.outputs.items()
        for shown in (str(path), display(path, repo_root))  # absolute before `relative_findings`
    }
    rendered_lines: dict[str, list[str]] = {}
    moved = []
    for f in findings:
        output = outputs.get(f.path)
        if output is None:
            moved.append(f)
            continue
        if f.path not in rendered_lines:
            rendered_lines[f.path] = _read_lines(repo_root / f.path)
        moved.append(_to_template(f, output, rendered_lines[f.path], repo_root))
    return moved


def _to_template(f: Finding, output: HelmOutput, lines: list[str], repo_root: Path) -> Finding:
    from gitops_tools.fileio import display

    doc = max((i for i, start in enumerate(output.starts) if start <= max(f.line, 1)), default=0)
    template = output.templates[doc] if doc < len(output.templates) else ""
    hint = f"rendered by Argo CD Application {output.source.app!r} from Helm {output.source.label}"
    hint = f"{f.hint}; {hint}" if f.hint else hint
    if not template:
        at = source_finding(output.source, repo_root, f.env, catalog.HELM_NOT_RENDERED, "", "")
        return replace(f, path=at.path, line=at.line, column=at.column, hint=hint)
    file = output.chart.parent / template
    line, column = 0, 0
    if 0 < f.line <= len(lines):
        start = output.starts[doc] if doc < len(output.starts) else 1
        end = output.starts[doc + 1] - 1 if doc + 1 < len(output.starts) else len(lines)
        document = lines[start - 1 : end]
        line, column = _line_in_template(document, f.line - start, file)
    return replace(f, path=display(file, repo_root), line=line, column=column, hint=hint)


def _line_in_template(document: list[str], index: int, template: Path) -> tuple[int, int]:
    """The template line that wrote line `index` of a rendered document: the line whose text
    (else key) occurs as often in the template as in the document, the same occurrence; (0, 0)
    when that is ambiguous (e.g. a `toYaml` block writes keys the template never names)."""
    text = document[index].strip().removeprefix("- ")
    key = text.split(":", 1)[0].strip() if ":" in text else ""
    template_lines = _read_lines(template)
    for wanted in (text, key):
        if not wanted:
            continue
        pattern = re.compile(rf"^(\s*(?:-\s+)?){re.escape(wanted)}(?=\s*(:|$))")
        rendered = [i for i, ln in enumerate(document) if pattern.match(ln)]
        hits = [(i, m) for i, ln in enumerate(template_lines) if (m := pattern.match(ln))]
        if hits and len(hits) == len(rendered) and index in rendered:
            number, match = hits[rendered.index(index)]
            return number + 1, len(match.group(1)) + 1
    return 0, 0


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def summary(stats: Sequence[HelmStats]) -> dict[str, int]:
    return {
        "rendered": sum(h.rendered for h in stats),
        "not_cached": sum(h.not_cached for h in stats),
    }
