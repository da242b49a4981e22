"""The repository's own desired state: what issue #3 promises about clusters/ and apps/."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_tools.cluster import load_clusters
from gitops_tools.discover import discover
from gitops_tools.pipeline import EnvironmentRun, run_environments, select_clusters, validate_runs

from .conftest import REPO_ROOT

pytestmark = pytest.mark.integration
ENVS = ["dev", "staging", "prod"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, EnvironmentRun]:
    cache = tmp_path_factory.mktemp("cache")
    result = run_environments(REPO_ROOT, select_clusters(REPO_ROOT, []), cache)
    for stage in validate_runs(result, REPO_ROOT):
        assert stage.findings == [], stage.env
    return {run.cluster.environment: run for run in result}


def test_every_environment_has_a_cluster() -> None:
    assert list(load_clusters(REPO_ROOT)) == ENVS


def test_every_entry_point_renders_and_validates(runs: dict[str, EnvironmentRun]) -> None:
    for env, run in runs.items():
        # the add-ons' upstream charts are not cached offline: one GO009 warning each
        assert [f for f in run.findings if f.rule_id != "GO009"] == [], env
        assert run.loaded.problems == [], env
        assert run.loaded.manifests, env


def test_every_application_path_exists_and_is_a_kustomization() -> None:
    for cluster in load_clusters(REPO_ROOT).values():
        points = discover(cluster, REPO_ROOT)
        assert {p.app for p in points} >= {
            "root",
            "qr-generator",
            "movie-catalog",
            "innovate",
            "backend-services",
        }
        for point in points:
            if point.helm is not None:  # an add-on's upstream chart (tests/test_helm_addons.py)
                assert point.helm.chart and point.helm.version, point
                continue
            assert point.path.is_dir(), point
            assert point.is_kustomization, point


def test_workloads_are_deployed_from_their_own_env_overlay() -> None:
    for env, cluster in load_clusters(REPO_ROOT).items():
        for point in discover(cluster, REPO_ROOT):
            if "workloads" in point.path.parts:
                assert point.path.parent.name == "overlays"
                assert point.path.name == env


def test_every_workload_has_all_three_overlays() -> None:
    workloads = sorted(p for p in (REPO_ROOT / "apps" / "workloads").iterdir() if p.is_dir())
    assert [w.name for w in workloads] == [
        "backend-services",
        "innovate",
        "movie-catalog",
        "qr-generator",
    ]
    for workload in workloads:
        for env in ENVS:
            assert (workload / "overlays" / env / "kustomization.yaml").is_file()


def test_no_hpa_target_sets_replicas(runs: dict[str, EnvironmentRun]) -> None:
    for env, run in runs.items():
        objects = [m.obj for m in run.loaded.manifests]
        hpas = [o for o in objects if o["kind"] == "HorizontalPodAutoscaler"]
        assert hpas, env
        for hpa in hpas:
            ref = hpa["spec"]["scaleTargetRef"]
            namespace = hpa["metadata"]["namespace"]
            targets = [
                o
                for o in objects
                if o["kind"] == ref["kind"]
                and o["metadata"]["name"] == ref["name"]
                and o["metadata"]["namespace"] == namespace
            ]
            assert len(targets) == 1, (env, ref)
            assert "replicas" not in targets[0]["spec"], (env, ref)


def test_qr_backend_hpa_matches_seed(runs: dict[str, EnvironmentRun]) -> None:
    for env in ("staging", "prod"):
        hpa = next(
            m.obj
            for m in runs[env].loaded.manifests
            if m.kind == "HorizontalPodAutoscaler" and m.name == "qr-backend"
        )
        assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 12)
        targets = {
            m["resource"]["name"]: m["resource"]["target"]["averageUtilization"]
            for m in hpa["spec"]["metrics"]
        }
        assert targets == {"cpu": 70, "memory": 70}
        assert "behavior" in hpa["spec"]


def test_prod_images_are_pinned_by_digest_from_prod_registry(
    runs: dict[str, EnvironmentRun],
) -> None:
    registry = load_clusters(REPO_ROOT)["prod"].registry
    for m in runs["prod"].loaded.manifests:
        if m.kind not in ("Deployment", "StatefulSet"):
            continue
        for container in m.obj["spec"]["template"]["spec"]["containers"]:
            assert "@sha256:" in container["image"], (m.name, container["image"])
            if not container["image"].startswith("public.ecr.aws/"):
                assert container["image"].startswith(registry + "/"), container["image"]


def test_rendered_objects_point_back_at_their_source_files(
    runs: dict[str, EnvironmentRun],
) -> None:
    for run in runs.values():
        for m in run.loaded.manifests:
            assert m.path.is_file(), m.path
            assert Path(REPO_ROOT) in m.path.parents, m.path
            assert ".cache" not in m.path.parts, (m.kind, m.name)
