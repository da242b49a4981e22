"""`.gitops.yaml`: where the environments of a repository without `clusters/<env>/cluster.yaml`
are: each one's Argo CD directory, Kubernetes version, policy profile (and optionally registry
and promotion order). Format: tools/gitops_tools/schemas/gitops-config.schema.json.

    repoURL: https://github.com/acme/deploy.git   # this repository, as Argo CD sources name it
    environments:
      dev:
        argocd: argocd/dev          # the Applications and ApplicationSets of dev
        kubernetesVersion: "1.31"
        profile: dev                # a profile of policies/config.yaml (default: the env name)
      prod:
        argocd: argocd/prod
        kubernetesVersion: "1.31"
        promotedFrom: dev
"""

from __future__ import annotations

from pathlib import Path

from gitops_tools.cluster import Cluster, promotion_order
from gitops_tools.configfile import load_checked
from gitops_tools.errors import FatalError

CONFIG_FILE = ".gitops.yaml"


def repo_clusters(repo_root: Path) -> dict[str, Cluster]:
    """The environments `.gitops.yaml` declares, in promotion order; {} without the file."""
    path = repo_root / CONFIG_FILE
    if not path.is_file():
        return {}
    data, _ = load_checked(path, CONFIG_FILE, "gitops-config.schema.json")
    clusters = {}
    for env, item in data["environments"].items():
        directory = (repo_root / item["argocd"]).resolve()
        if not directory.is_relative_to(repo_root.resolve()) or not directory.is_dir():
            raise FatalError(
                f"{CONFIG_FILE}: environments.{env}.argocd: {item['argocd']} is not a directory "
                "of this repository",
                "name the directory (relative to the repository) that holds its Applications",
            )
        clusters[env] = Cluster(
            environment=env,
            directory=directory,
            kubernetes_version=item["kubernetesVersion"].lstrip("v"),
            region="",
            account_id="",
            registry=item.get("registry", ""),
            promoted_from=item.get("promotedFrom"),
            soak_hours=0.0,
            policy_profile=item.get("profile", env),
            repo_url=item.get("repoURL", data.get("repoURL", "")),
            target_revision=data.get("targetRevision", "HEAD"),
        )
    return {env: clusters[env] for env in promotion_order(clusters)}
