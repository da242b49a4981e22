"""Discovery on a repository nobody here wrote: environments from `.gitops.yaml` (no
clusters/<env>/cluster.yaml), Applications and ApplicationSets in its own Argo CD directories,
Helm sources among them; malformed Argo CD objects do not crash discovery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitops_tools.cli import main
from gitops_tools.discover import discover
from gitops_tools.errors import FatalError
from gitops_tools.pipeline import select_clusters

from .helm_charts import write_chart

REPO = "https://git.example.com/acme/deploy.git"
CONFIG = f"""\
repoURL: {REPO}
environments:
  dev:
    argocd: argocd/dev
    kubernetesVersion: "1.32"
    profile: dev
  prod:
    argocd: argocd/prod
    kubernetesVersion: "1.33"
    promotedFrom: dev
"""
APPSET = f"""\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {{name: services, namespace: argocd}}
spec:
  generators:
    - git:
        repoURL: {REPO}
        revision: main
        directories:
          - path: services/*/deploy/ENV
  template:
    metadata: {{name: "{{{{path[1]}}}}"}}
    spec:
      project: default
      source: {{repoURL: {REPO}, targetRevision: main, path: "{{{{path}}}}"}}
      destination: {{server: https://kubernetes.default.svc, namespace: "{{{{path[1]}}}}"}}
"""
CHART_APP = f"""\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: api, namespace: argocd}}
spec:
  project: default
  source: {{repoURL: {REPO}, targetRevision: main, path: charts/api}}
  destination: {{server: https://kubernetes.default.svc, namespace: api}}
"""


@pytest.fixture
def foreign_repo(tmp_path: Path) -> Path:
    root = tmp_path / "deploy"
    (root / ".gitops.yaml").parent.mkdir(parents=True)
    (root / ".gitops.yaml").write_text(CONFIG)
    for env in ("dev", "prod"):
        (root / "argocd" / env).mkdir(parents=True)
        (root / "argocd" / env / "services.yaml").write_text(APPSET.replace("ENV", env))
        (root / "argocd" / env / "api.yaml").write_text(CHART_APP)
        deploy = root / "services" / "shop" / "deploy" / env
        deploy.mkdir(parents=True)
        (deploy / "kustomization.yaml").write_text("resources: [cm.yaml]\n")
        (deploy / "cm.yaml").write_text(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shop}\ndata: {a: '1'}\n"
        )
    write_chart(root / "charts" / "api")
    return root


def test_environments_come_from_gitops_yaml(foreign_repo: Path) -> None:
    clusters = select_clusters(foreign_repo, [])
    assert [c.environment for c in clusters] == ["dev", "prod"]
    prod = clusters[1]
    assert (prod.kubernetes_version, prod.policy_profile, prod.promoted_from) == (
        "1.33",
        "prod",
        "dev",
    )
    points = discover(prod, foreign_repo)
    assert [(p.app, p.helm is not None) for p in points] == [("api", True), ("shop", False)]
    assert points[1].path == foreign_repo / "services/shop/deploy/prod"


def test_check_runs_on_the_foreign_repository(
    foreign_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check", "--repo", str(foreign_repo), "--format", "json", "--missing-schema", "warning"]
    code = main(argv)  # no Argo CD CRDs in that repository: GO004 is a warning
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["helm_sources"] == {"rendered": 2, "not_cached": 0}
    core = [f for f in report["findings"] if f["rule_id"] < "GO100" and f["rule_id"] != "GO004"]
    assert core == [], core
    assert code in (0, 1)


def test_gitops_yaml_is_checked(foreign_repo: Path) -> None:
    (foreign_repo / ".gitops.yaml").write_text(
        CONFIG.replace('kubernetesVersion: "1.32"', "kubernetesVersion: latest")
    )
    with pytest.raises(
        FatalError, match=r"\.gitops\.yaml:\d+: environments\.dev\.kubernetesVersion"
    ):
        select_clusters(foreign_repo, [])
    (foreign_repo / ".gitops.yaml").write_text(CONFIG.replace("argocd/dev", "../elsewhere"))
    with pytest.raises(FatalError, match="is not a directory of this repository"):
        select_clusters(foreign_repo, [])


@pytest.mark.parametrize(
    "doc",
    [
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: oops\nspec: a string\n",
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: [1]\nspec: [1, 2]\n",
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: x}\n"
        "spec: {sources: [1, 'a', {path: 5}], destination: oops}\n",
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: x}\n"
        "spec: {generators: 'no', template: []}\n",
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: x}\n"
        "spec: {source: {repoURL: r, chart: c, helm: {valueFiles: 5, parameters: [1]}}}\n",
    ],
)
def test_malformed_argo_objects_do_not_crash_discovery(foreign_repo: Path, doc: str) -> None:
    (foreign_repo / "argocd" / "dev" / "odd.yaml").write_text(doc)
    dev = select_clusters(foreign_repo, ["dev"])[0]
    assert discover(dev, foreign_repo)
