"""The in-cluster manifests: the scripts ConfigMap carries every module the locustfile needs,
and the observer's Role can only read HPAs and Deployments in the target namespace."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

LOADTESTS = Path(__file__).resolve().parent.parent


def local_imports(module: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {n for n in names if (LOADTESTS / f"{n}.py").is_file()}


def test_scripts_configmap_has_every_module_and_profile():
    kustomization = yaml.safe_load((LOADTESTS / "kustomization.yaml").read_text())
    (generator,) = kustomization["configMapGenerator"]
    files = set(generator["files"])
    needed, todo = set(), ["locustfile"]
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo += local_imports(LOADTESTS / f"{name}.py")
    assert {f"{n}.py" for n in needed} <= files
    assert {f"profiles/{p.name}" for p in (LOADTESTS / "profiles").glob("*.yaml")} <= files


def test_role_only_reads_hpas_and_deployments_in_qr_generator():
    role, binding = yaml.safe_load_all((LOADTESTS / "k8s/rbac-hpa-reader.yaml").read_text())
    assert role["kind"] == "Role" and role["metadata"]["namespace"] == "qr-generator"
    assert role["rules"] == [
        {
            "apiGroups": ["autoscaling"],
            "resources": ["horizontalpodautoscalers"],
            "verbs": ["get", "list", "watch"],
        },
        {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get", "list", "watch"]},
    ]
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": "locust-master", "namespace": "qr-loadtest"}
    ]


def test_jobs_are_suspended():
    for name in ("master-job.yaml", "worker-job.yaml"):
        job = yaml.safe_load((LOADTESTS / "k8s" / name).read_text())
        assert job["spec"]["suspend"] is True, name
