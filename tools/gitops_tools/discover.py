"""Find what each cluster deploys: the Argo CD Applications and ApplicationSets under
`clusters/<env>/`, turned into entry points (directories in this repository) to render."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_tools.cluster import CLUSTER_FILE, Cluster
from gitops_tools.errors import FatalError
from gitops_tools.fileio import KUSTOMIZATION_FILES, kustomization_file, manifest_files
from gitops_tools.yamlio import YamlError, decode_text, load_documents

_TEMPLATE_VAR = re.compile(r"{{\s*(.*?)\s*}}")


@dataclass(frozen=True)
class EntryPoint:
    """A directory that an Argo CD Application of one environment deploys."""

    env: str
    app: str
    path: Path  # absolute
    declared_in: Path  # the manifest holding the Application
    directory_recurse: bool = False

    @property
    def is_kustomization(self) -> bool:
        return kustomization_file(self.path) is not None


def same_repo(url: str, other: str) -> bool:
    def norm(u: str) -> str:
        u = u.strip().rstrip("/").lower()
        return u.removesuffix(".git")

    return norm(url) == norm(other)


def discover(cluster: Cluster, repo_root: Path) -> list[EntryPoint]:
    """Entry points of one cluster, sorted by path, from its Argo CD manifests."""
    points: dict[tuple[Path, str], EntryPoint] = {}
    for file in manifest_files(cluster.directory):
        if file.name == CLUSTER_FILE or file.name in KUSTOMIZATION_FILES:
            continue
        for doc in _documents(file, repo_root):
            for point in _entry_points(doc, file, cluster, repo_root):
                points.setdefault((point.path, point.app), point)
    return sorted(points.values(), key=lambda p: (p.path, p.app))


def _documents(file: Path, repo_root: Path) -> Iterator[dict[str, Any]]:
    try:
        docs = load_documents(decode_text(file.read_bytes()))
    except YamlError as exc:
        raise FatalError(f"{file.relative_to(repo_root)}:{exc.line}: {exc.message}") from None
    yield from (d for d in docs if isinstance(d, dict))


def _entry_points(
    doc: dict[str, Any], file: Path, cluster: Cluster, repo_root: Path
) -> Iterator[EntryPoint]:
    kind = doc.get("kind")
    spec = doc.get("spec") or {}
    if kind == "Application":
        name = str((doc.get("metadata") or {}).get("name", file.stem))
        yield from _from_app_spec(name, spec, file, cluster, repo_root)
    elif kind == "ApplicationSet":
        template = spec.get("template") or {}
        for params in _generator_params(spec.get("generators") or [], repo_root):
            try:
                app = _substitute(template, params)
            except (KeyError, IndexError, TypeError, ValueError) as exc:
                raise FatalError(
                    f"{file.relative_to(repo_root)}: ApplicationSet template uses a parameter "
                    f"its generators do not give ({exc!r})",
                    "only list and git-directory generators are expanded offline",
                ) from None
            name = str((app.get("metadata") or {}).get("name", file.stem))
            yield from _from_app_spec(name, app.get("spec") or {}, file, cluster, repo_root)


def _from_app_spec(
    name: str, spec: dict[str, Any], file: Path, cluster: Cluster, repo_root: Path
) -> Iterator[EntryPoint]:
    sources = spec.get("sources") or ([spec["source"]] if spec.get("source") else [])
    for source in sources:
        if not isinstance(source, dict) or "path" not in source:
            continue  # a Helm chart from a chart repository: nothing in git to render
        if not same_repo(str(source.get("repoURL", "")), cluster.repo_url):
            continue
        directory = source.get("directory") or {}
        yield EntryPoint(
            env=cluster.environment,
            app=name,
            path=(repo_root / str(source["path"])).resolve(),
            declared_in=file,
            directory_recurse=bool(directory.get("recurse", False)),
        )


def _generator_params(
    generators: Iterable[dict[str, Any]], repo_root: Path
) -> Iterator[dict[str, Any]]:
    """Parameter sets of the list and git-directory generators (the offline-computable ones)."""
    for generator in generators:
        for element in (generator.get("list") or {}).get("elements") or []:
            if isinstance(element, dict):
                yield element
        git = generator.get("git") or {}
        included: set[Path] = set()
        excluded: set[Path] = set()
        for item in git.get("directories") or []:
            matches = {p for p in repo_root.glob(str(item.get("path", ""))) if p.is_dir()}
            (excluded if item.get("exclude") else included).update(matches)
        for directory in sorted(included - excluded):
            rel = directory.relative_to(repo_root)
            yield {
                "path": {
                    "path": str(rel),
                    "basename": rel.name,
                    "basenameNormalized": re.sub(r"[^a-z0-9-]", "-", rel.name.lower()),
                    "segments": list(rel.parts),
                }
            }


def _substitute(value: Any, params: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {k: _substitute(v, params) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, params) for v in value]
    if isinstance(value, str):
        return _TEMPLATE_VAR.sub(lambda m: str(_lookup(m.group(1), params)), value)
    return value


def _lookup(expression: str, params: dict[str, Any]) -> Any:
    """`path.basename`, `.path.path`, `path[1]` and `index .path.segments 2`."""
    words = expression.split()
    if len(words) == 3 and words[0] == "index":
        return _lookup(words[1], params)[int(words[2])]
    value: Any = params
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", expression.lstrip(".")):
        value = value["segments"][int(part[1:-1])] if part.startswith("[") else value[part]
    return value
