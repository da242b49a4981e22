"""Reading Argo CD Applications and AppProjects for the argocd rules (helpers, not a rule)."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from gitops_tools import k8s
from gitops_tools.discover import same_repo
from gitops_tools.k8s import FieldPath
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context
from gitops_tools.yamlio import YamlError, decode_text, load_documents

SYNC_WAVE = "argocd.argoproj.io/sync-wave"
IN_CLUSTER = "https://kubernetes.default.svc"


def is_argo(m: Manifest) -> bool:
    return m.api_version.startswith("argoproj.io/")


def of_kind(ctx: Context, kind: str) -> list[Manifest]:
    """The environment's Argo CD objects of one kind (Application, AppProject)."""
    return [m for m in ctx.index.of_kind(kind) if is_argo(m)]


def spec_of(m: Manifest) -> dict[str, Any]:
    return k8s.spec_of(m.obj)


def sources(m: Manifest) -> Iterator[tuple[dict[str, Any], FieldPath]]:
    """The sources Argo CD uses, with their paths: `spec.sources` when set, else `spec.source`."""
    spec = spec_of(m)
    many = spec.get("sources")
    if isinstance(many, list) and many:
        for index, source in enumerate(many):
            if isinstance(source, dict):
                yield source, ("spec", "sources", index)
        return
    source = spec.get("source")
    if isinstance(source, dict):
        yield source, ("spec", "source")


def repo_path(value: Any) -> str | None:
    """A source path as a normalized repository-relative path (`./a/b/` -> `a/b`)."""
    if not isinstance(value, str) or not value.strip():
        return None
    return posixpath.normpath(value.strip().lstrip("/")) or "."


def source_paths(m: Manifest) -> list[str]:
    return [p for s, _ in sources(m) if (p := repo_path(s.get("path"))) is not None]


def cluster_dir(ctx: Context) -> str:
    """The cluster directory relative to the repository, "" when unknown (standalone mode)."""
    if ctx.cluster is None or not isinstance(ctx.repo_root, Path):
        return ""
    try:
        rel = ctx.cluster.directory.resolve().relative_to(ctx.repo_root.resolve())
    except (ValueError, OSError):
        return ""
    return rel.as_posix() if rel.parts else ""


def deploys_cluster_dir(m: Manifest, ctx: Context) -> bool | None:
    """Whether an Application is the app-of-apps (it deploys the cluster directory); None
    when the cluster directory is unknown."""
    directory = cluster_dir(ctx)
    if not directory:
        return None
    return any(p == directory or p.startswith(f"{directory}/") for p in source_paths(m))


def whole_environment(ctx: Context, apps: Sequence[Manifest]) -> bool:
    """Whether the index holds the environment's whole Argo CD configuration, so a missing
    Application or AppProject is really missing (not after `--changed-since` or PATHS runs
    in a repository; a standalone PATHS run is its own whole environment)."""
    return ctx.complete


def in_this_repo(source: dict[str, Any], ctx: Context) -> bool:
    """Whether a source is this repository; True when the repository URL is unknown."""
    url = ctx.cluster.repo_url if ctx.cluster is not None else ""
    return not url or same_repo(str(source.get("repoURL") or ""), url)


def glob_allows(pattern: Any, value: str) -> bool:
    """An AppProject pattern against a value: a glob, `!glob` matching what the glob does not."""
    text = pattern.strip() if isinstance(pattern, str) else ""
    if text.startswith("!"):
        return not fnmatchcase(value, text[1:])
    return fnmatchcase(value, text)


def destination_allowed(items: Any, server: str | None, name: str, namespace: str) -> bool:
    """Argo CD's matching: some entry allows server (or name) and namespace, and no `!` entry
    denies them. `server` None: a cluster name only Argo CD can resolve, so any server passes."""
    allowed = False
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        i_server, i_name, i_ns = (
            str(item.get(k) or "").strip() for k in ("server", "name", "namespace")
        )
        name_ok = bool(name) and glob_allows(i_name, name)
        server_ok = (
            bool(i_server) if server is None else bool(server) and glob_allows(i_server, server)
        )
        ns_ok = glob_allows(i_ns, namespace)
        if (name_ok or server_ok) and ns_ok:
            allowed = True
        elif (
            (not name_ok and i_name.startswith("!"))
            or (server is not None and not server_ok and i_server.startswith("!"))
            or (not ns_ok and i_ns.startswith("!"))
        ):
            return False
    return allowed


def repo_allowed(patterns: Any, repo: str) -> bool:
    """Argo CD's `sourceRepos` matching: a glob allows, a `!glob` that matches denies."""

    def norm(url: str) -> str:
        return url.strip().rstrip("/").lower().removesuffix(".git")

    allowed = False
    for pattern in patterns if isinstance(patterns, list) else []:
        if not isinstance(pattern, str):
            continue
        deny = pattern.strip().startswith("!")
        if glob_allows(("!" if deny else "") + norm(pattern.strip().lstrip("!")), norm(repo)):
            allowed = True
        elif deny:
            return False
    return allowed


def sync_wave(m: Manifest) -> int | None:
    """An object's `argocd.argoproj.io/sync-wave` (0 when unset), None when not an integer."""
    metadata = m.obj.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    raw = annotations.get(SYNC_WAVE) if isinstance(annotations, dict) else None
    try:
        return 0 if raw is None else int(str(raw).strip())
    except ValueError:
        return None


def is_root_app(m: Manifest, ctx: Context) -> bool:
    """The app-of-apps: it deploys the cluster directory, or (cluster directory unknown) only
    paths outside `apps/`."""
    root = deploys_cluster_dir(m, ctx)
    if root is not None:
        return root
    paths = source_paths(m)
    return bool(paths) and all("apps/" not in f"{p}/" for p in paths)


def repo_yaml(ctx: Context, relative: str) -> list[Any]:
    """The YAML documents of a repository file that Argo CD reads (a `$values/...` values
    file, an Argo CD configuration); [] when it is missing or broken (GO006 and the loader
    report those)."""
    if not isinstance(ctx.repo_root, Path):
        return []
    try:
        return load_documents(decode_text((ctx.repo_root / relative).read_bytes()))
    except (OSError, YamlError):
        return []
