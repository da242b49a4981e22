"""Find what each cluster deploys: the Argo CD Applications and ApplicationSets under
`clusters/<env>/`, turned into entry points (directories in this repository) to render."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_tools.cluster import CLUSTER_FILE, Cluster
from gitops_tools.errors import FatalError
from gitops_tools.fileio import KUSTOMIZATION_FILES, kustomization_file, manifest_files
from gitops_tools.helm import HelmSource, ValueFile
from gitops_tools.yamlio import YamlError, decode_text, load_documents


@dataclass(frozen=True)
class EntryPoint:
    """A directory that an Argo CD Application of one environment deploys."""

    env: str
    app: str
    path: Path  # absolute
    declared_in: Path  # the manifest holding the Application
    directory_recurse: bool = False
    helm: HelmSource | None = None  # a Helm source: chart repository or chart in git
    outside: bool = False  # the path leaves the repository: refused, never read

    @property
    def is_kustomization(self) -> bool:
        if self.helm is not None or self.outside:
            return False
        return kustomization_file(self.path) is not None


def same_repo(url: str, other: str) -> bool:
    def norm(u: str) -> str:
        u = u.strip().rstrip("/").lower()
        return u.removesuffix(".git")

    return norm(url) == norm(other)


def discover(cluster: Cluster, repo_root: Path) -> list[EntryPoint]:
    """Entry points of one cluster, sorted by path, from its Argo CD manifests."""
    points: dict[tuple[Path, str, HelmSource | None], EntryPoint] = {}
    for file in manifest_files(cluster.directory):
        if file.name == CLUSTER_FILE or file.name in KUSTOMIZATION_FILES:
            continue
        for index, doc in _documents(file, repo_root):
            for point in _entry_points(doc, file, index, cluster, repo_root):
                points.setdefault((point.path, point.app, point.helm), point)
    return sorted(points.values(), key=lambda p: (p.path, p.app, repr(p.helm)))


def _documents(file: Path, repo_root: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        docs = load_documents(decode_text(file.read_bytes()))
    except YamlError as exc:
        raise FatalError(f"{file.relative_to(repo_root)}:{exc.line}: {exc.message}") from None
    yield from ((i, d) for i, d in enumerate(docs) if isinstance(d, dict))


def _mapping(value: Any) -> dict[str, Any]:
    """A field that should be a mapping; anything else (a string, a list) counts as empty."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    """A field that should be a list; anything else counts as empty."""
    return value if isinstance(value, list) else []


def _entry_points(
    doc: dict[str, Any], file: Path, index: int, cluster: Cluster, repo_root: Path
) -> Iterator[EntryPoint]:
    from gitops_tools.appsets import expand

    kind = doc.get("kind")
    if kind in ("Application", "ApplicationSet") and not (
        isinstance(doc.get("spec"), dict) and isinstance(doc.get("metadata"), dict)
    ):  # deploys nothing we can follow; loaded as it is, so its schema finding names it
        yield EntryPoint(cluster.environment, "", file.resolve(), file.resolve())
        return
    spec = _mapping(doc.get("spec"))
    where = _Where(file, index, ("spec",))
    if kind == "Application":
        name = str(_mapping(doc.get("metadata")).get("name", file.stem))
        yield from _from_app_spec(name, spec, where, cluster, repo_root)
    elif kind == "ApplicationSet":
        template_where = _Where(file, index, ("spec", "template", "spec"))
        for app in expand(spec, file, repo_root):
            name = str(_mapping(app.get("metadata")).get("name", file.stem))
            spec_of_app = _mapping(app.get("spec"))
            yield from _from_app_spec(name, spec_of_app, template_where, cluster, repo_root)


@dataclass(frozen=True)
class _Where:
    file: Path
    doc_index: int
    spec_field: tuple[str | int, ...]


def _from_app_spec(
    name: str, spec: dict[str, Any], where: _Where, cluster: Cluster, repo_root: Path
) -> Iterator[EntryPoint]:
    many = spec.get("sources")
    if isinstance(many, list) and many:
        sources = [(s, (*where.spec_field, "sources", i)) for i, s in enumerate(many)]
    else:
        sources = [(spec.get("source"), (*where.spec_field, "source"))]
    refs = {
        str(s["ref"]): s
        for s, _ in sources
        if isinstance(s, dict) and isinstance(s.get("ref"), str)
    }
    destination = _mapping(spec.get("destination"))
    for source, field in sources:
        if not isinstance(source, dict):
            continue
        ours = same_repo(str(source.get("repoURL", "")), cluster.repo_url)
        if isinstance(source.get("chart"), str) and source["chart"]:
            yield _helm_point(name, source, field, where, refs, destination, cluster, repo_root)
            continue
        if "path" not in source or not ours:
            continue  # a `ref` source (values only) or another repository
        path = (repo_root / str(source["path"])).resolve()
        outside = not path.is_relative_to(repo_root.resolve())
        if not outside and _is_helm_path(source, path):
            yield _helm_point(
                name, source, field, where, refs, destination, cluster, repo_root, path
            )
            continue
        directory = _mapping(source.get("directory"))
        yield EntryPoint(
            env=cluster.environment,
            app=name,
            path=path,
            declared_in=where.file,
            directory_recurse=bool(directory.get("recurse", False)),
            outside=outside,
        )


def _is_helm_path(source: dict[str, Any], path: Path) -> bool:
    """Argo CD's choice: an explicit `helm` block, else a Chart.yaml and no kustomization."""
    if "kustomize" in source or "directory" in source:
        return False
    if "helm" in source:
        return True
    return (path / "Chart.yaml").is_file() and kustomization_file(path) is None


def _helm_point(
    name: str,
    source: dict[str, Any],
    field: tuple[str | int, ...],
    where: _Where,
    refs: dict[str, dict[str, Any]],
    destination: dict[str, Any],
    cluster: Cluster,
    repo_root: Path,
    chart_dir: Path | None = None,
) -> EntryPoint:
    helm = _mapping(source.get("helm"))
    base = chart_dir if chart_dir is not None else None
    value_files = []
    for index, ref in enumerate(_list(helm.get("valueFiles"))):
        path = _value_file(str(ref), base, refs, cluster, repo_root)
        outside = path is not None and not path.is_relative_to(repo_root.resolve())
        value_files.append(ValueFile(str(ref), None if outside else path, index, outside))
    values_object = helm.get("valuesObject")
    values_yaml, values_field = "", ""
    if isinstance(values_object, dict) and values_object:
        values_yaml, values_field = json.dumps(values_object), "valuesObject"
    elif isinstance(helm.get("values"), str) and helm["values"].strip():
        values_yaml, values_field = helm["values"], "values"
    parameters = tuple(
        (str(p.get("name", "")), str(p.get("value", "")), bool(p.get("forceString", False)))
        for p in _list(helm.get("parameters"))
        if isinstance(p, dict) and p.get("name")
    )
    file_parameters = tuple(
        (str(p.get("name", "")), str((base or repo_root) / str(p.get("path", ""))))
        for p in _list(helm.get("fileParameters"))
        if isinstance(p, dict) and p.get("name")
    )
    source_helm = HelmSource(
        app=name,
        declared_in=where.file,
        doc_index=where.doc_index,
        field=field,
        repo_url="" if chart_dir is not None else str(source.get("repoURL", "")),
        chart="" if chart_dir is not None else str(source.get("chart", "")),
        version="" if chart_dir is not None else str(source.get("targetRevision", "")),
        chart_dir=chart_dir,
        release_name=str(helm.get("releaseName") or name),
        namespace=str(destination.get("namespace") or ""),
        value_files=tuple(value_files),
        ignore_missing_value_files=bool(helm.get("ignoreMissingValueFiles", False)),
        values_yaml=values_yaml,
        values_field=values_field,
        parameters=parameters,
        file_parameters=file_parameters,
        skip_crds=bool(helm.get("skipCrds", False)),
        skip_schema_validation=bool(helm.get("skipSchemaValidation", False)),
    )
    return EntryPoint(
        env=cluster.environment,
        app=name,
        path=chart_dir if chart_dir is not None else where.file,
        declared_in=where.file,
        helm=source_helm,
    )


def _value_file(
    ref: str, chart_dir: Path | None, refs: dict[str, dict[str, Any]], cluster: Cluster, root: Path
) -> Path | None:
    """The file a valueFiles entry names, when it is in this repository (else None)."""
    if "://" in ref:
        return None  # a URL: helm would fetch it
    if ref.startswith("$"):
        name, _, rest = ref[1:].partition("/")
        other = refs.get(name)
        if other is None or not same_repo(str(other.get("repoURL", "")), cluster.repo_url):
            return None
        path = (root / rest).resolve()
    elif chart_dir is not None:
        path = (chart_dir / ref).resolve()
    else:
        return None  # a file inside a repository chart
    return path
