"""`clusters/<env>/cluster.yaml`: the typed facts about each environment, loaded in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitops_tools.configfile import load_checked
from gitops_tools.errors import FatalError
from gitops_tools.fileio import display

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


def load_cluster(path: Path, repo_root: Path) -> Cluster:
    """Read and check one cluster.yaml; every problem is a FatalError naming file and line."""
    shown = display(path, repo_root)
    data, _ = load_checked(path, shown, "cluster.schema.json")
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
