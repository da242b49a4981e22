"""The platform add-ons of issue #6 as desired state: every add-on is deployed in every
environment (Image Updater in dev only) by a platform Application that syncs before the
workloads, from a pinned upstream chart with this repository's values, and its namespaces say
which Pod Security level they enforce."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from gitops_tools.yamlio import decode_text, load_documents

from .conftest import REPO_ROOT

ENVS = ("dev", "staging", "prod")
ADDONS = {
    "storage-classes": None,
    "external-secrets": "external-secrets",
    "kube-prometheus-stack": "kube-prometheus-stack",
    "aws-load-balancer-controller": "aws-load-balancer-controller",
    "external-dns": "external-dns",
    "metrics-server": "metrics-server",
    "karpenter": "karpenter",
    "velero": "velero",
    "fluent-bit": "fluent-bit",
}
DEV_ONLY = {"argocd-image-updater": "argocd-image-updater"}
WORKLOADS = ("qr-generator", "movie-catalog", "innovate", "backend-services")
# Host access (hostPath, host network/PID) that no Pod Security level but privileged admits.
PRIVILEGED_NAMESPACES = {"prometheus-node-exporter", "amazon-cloudwatch"}
VERSION = re.compile(r"^\d+\.\d+\.\d+$")


def load(path: Path) -> dict[str, Any]:
    docs = load_documents(decode_text(path.read_bytes()))
    assert len(docs) == 1, path
    doc: dict[str, Any] = docs[0]
    return doc


def application(env: str, name: str) -> dict[str, Any]:
    return load(REPO_ROOT / "clusters" / env / "apps" / f"{name}.yaml")


def wave(app: dict[str, Any]) -> int:
    return int(app["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"])


def test_each_addon_is_deployed_in_each_environment() -> None:
    for env in ENVS:
        expected = set(ADDONS) | (set(DEV_ONLY) if env == "dev" else set())
        listed = load(REPO_ROOT / "clusters" / env / "kustomization.yaml")["resources"]
        for name in expected:
            assert f"apps/{name}.yaml" in listed, (env, name)
            assert application(env, name)["spec"]["project"] == "platform", (env, name)
        if env != "dev":
            for name in DEV_ONLY:
                assert not (REPO_ROOT / "clusters" / env / "apps" / f"{name}.yaml").exists()
                assert not (REPO_ROOT / "apps/platform" / name / "overlays" / env).exists()


def test_platform_waves_precede_workload_waves() -> None:
    for env in ENVS:
        names = list(ADDONS) + (list(DEV_ONLY) if env == "dev" else [])
        platform = max(wave(application(env, n)) for n in names)
        workloads = min(wave(application(env, n)) for n in WORKLOADS)
        assert platform <= 0 < workloads, env


@pytest.mark.parametrize("env", ENVS)
def test_charts_are_pinned_and_take_their_values_from_this_repository(env: str) -> None:
    names = {**ADDONS, **(DEV_ONLY if env == "dev" else {})}
    for name, chart in names.items():
        spec = application(env, name)["spec"]
        if chart is None:
            assert spec["source"]["path"] == f"apps/platform/{name}/overlays/{env}"
            continue
        sources = spec["sources"]
        charts = [s for s in sources if "chart" in s]
        assert [s["chart"] for s in charts] == [chart], (env, name)
        assert VERSION.match(charts[0]["targetRevision"]), (env, name)
        refs = [s for s in sources if s.get("ref") == "values"]
        assert len(refs) == 1 and "path" not in refs[0], (env, name)
        values = charts[0]["helm"]["valueFiles"]
        assert values == [
            f"$values/apps/platform/{name}/values/common.yaml",
            f"$values/apps/platform/{name}/values/{env}.yaml",
        ]
        for file in values:
            assert (REPO_ROOT / file.removeprefix("$values/")).is_file(), file


def test_same_chart_version_in_every_environment() -> None:
    for name, chart in ADDONS.items():
        if chart is None:
            continue
        versions = {
            s["targetRevision"]
            for env in ENVS
            for s in application(env, name)["spec"]["sources"]
            if "chart" in s
        }
        assert len(versions) == 1, (name, versions)


def test_platform_namespaces_declare_their_pod_security_level() -> None:
    found = set()
    for file in (REPO_ROOT / "apps/platform").rglob("*.yaml"):
        docs = load_documents(decode_text(file.read_bytes()))
        for doc in docs:
            if not isinstance(doc, dict) or doc.get("kind") != "Namespace":
                continue
            name = doc["metadata"]["name"]
            labels = doc["metadata"]["labels"]
            found.add(name)
            level = "privileged" if name in PRIVILEGED_NAMESPACES else "restricted"
            assert labels["pod-security.kubernetes.io/enforce"] == level, name
            assert labels["pod-security.kubernetes.io/audit"] == "restricted", name
            assert labels["pod-security.kubernetes.io/warn"] == "restricted", name
    assert found >= PRIVILEGED_NAMESPACES
