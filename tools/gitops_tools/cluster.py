"""`clusters/<env>/cluster.yaml`: the typed facts about each environment, loaded in one place."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs

from gitops_tools.errors import FatalError
from gitops_tools.yamlio import YamlError, decode_text, load_documents, locate

CLUSTERS_DIR = "clusters"
CLUSTER_FILE = "cluster.yaml"


@dataclass(frozen=True)
class Cluster:
    """One environment's cluster, as declared in its cluster.yaml."""

    environment: str
    directory: Path
    kubernetes_version: str
    region: str
    account_id: str
    registry: str
    promoted_from: str | None
    soak_hours: float
    policy_profile: str
    repo_url: str
    target_revision: str


@cache
def _schema() -> dict[str, Any]:
    text = resources.files("gitops_tools").joinpath("schemas/cluster.schema.json").read_text()
    return json.loads(text)  # type: ignore[no-any-return]


def breadcrumb(path: Any) -> str:
    """`aws.accountId` / `[3].expires` style path of a jsonschema error."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(top level)"


def load_cluster(path: Path, repo_root: Path) -> Cluster:
    """Read and check one cluster.yaml; every problem is a FatalError naming file and line."""
    shown = _shown(path, repo_root)
    try:
        text = decode_text(path.read_bytes())
        docs = load_documents(text)
    except OSError as exc:
        raise FatalError(f"{shown}: cannot read: {exc.strerror}") from None
    except YamlError as exc:
        raise FatalError(f"{shown}:{exc.line}:{exc.column}: {exc.message}") from None
    if len(docs) != 1 or not isinstance(docs[0], dict):
        raise FatalError(f"{shown}: expected one YAML mapping", "see clusters/dev/cluster.yaml")
    data = docs[0]
    errors = sorted(
        jsonschema_rs.validator_for(_schema()).iter_errors(data),
        key=lambda e: [str(p) for p in e.instance_path],
    )
    if errors:
        first = errors[0]
        line, _ = locate(text, 0, list(first.instance_path))
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise FatalError(
            f"{shown}:{line}: {breadcrumb(first.instance_path)}: {first.message}{more}",
            "the fields are described in tools/gitops_tools/schemas/cluster.schema.json",
        )
    if data["environment"] != path.parent.name:
        raise FatalError(
            f"{shown}: environment is {data['environment']!r} but the directory is "
            f"{path.parent.name!r}",
            "name the directory after the environment",
        )
    return Cluster(
        environment=data["environment"],
        directory=path.parent,
        kubernetes_version=data["kubernetesVersion"],
        region=data["aws"]["region"],
        account_id=data["aws"]["accountId"],
        registry=data["registry"],
        promoted_from=data["promotion"]["from"],
        soak_hours=float(data["promotion"].get("soakHours", 0)),
        policy_profile=data["policyProfile"],
        repo_url=data["argocd"]["repoURL"],
        target_revision=data["argocd"]["targetRevision"],
    )


def load_clusters(repo_root: Path) -> dict[str, Cluster]:
    """All clusters of the repository by environment name, in promotion order."""
    files = sorted((repo_root / CLUSTERS_DIR).glob(f"*/{CLUSTER_FILE}"))
    if not files:
        raise FatalError(
            f"no {CLUSTERS_DIR}/*/{CLUSTER_FILE} under {repo_root}",
            "run from the repository root, or pass --repo",
        )
    clusters = {c.environment: c for c in (load_cluster(f, repo_root) for f in files)}
    return {env: clusters[env] for env in promotion_order(clusters)}


def promotion_order(clusters: dict[str, Cluster]) -> list[str]:
    """Environments from first to last, following each cluster's `promotion.from`."""
    for cluster in clusters.values():
        if cluster.promoted_from is not None and cluster.promoted_from not in clusters:
            raise FatalError(
                f"{CLUSTERS_DIR}/{cluster.environment}/{CLUSTER_FILE}: promotion.from names "
                f"{cluster.promoted_from!r}, which has no cluster",
                f"use one of: {', '.join(sorted(clusters))}",
            )
    followers: dict[str | None, list[str]] = {}
    for cluster in clusters.values():
        followers.setdefault(cluster.promoted_from, []).append(cluster.environment)
    order: list[str] = []
    queue = sorted(followers.get(None, []))
    while queue:
        env = queue.pop(0)
        order.append(env)
        queue.extend(sorted(followers.get(env, [])))
    if len(order) != len(clusters):
        stuck = sorted(set(clusters) - set(order))
        raise FatalError(
            f"promotion order has a cycle through {', '.join(stuck)}",
            "exactly the first environment has `promotion.from: null`",
        )
    return order


def _shown(path: Path, repo_root: Path) -> str:
    try:
        return str(path.relative_to(repo_root))
    except ValueError:
        return str(path)
