"""The in-cluster manifests: the scripts ConfigMap carries every module the locustfile needs,
and the observer's Role can only read HPAs and Deployments in the target namespace."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import yaml

import preflight

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


def test_preflight_refuses_the_shipped_placeholder_digest(capsys):
    assert preflight.main([]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: {LOADTESTS}/k8s/kustomization.yaml: images[qr-locust].digest is the all-zero "
        "placeholder: build and push the image, then set its digest (loadtests/README.md, "
        "'In staging', step 1)\n"
    )


def test_preflight_passes_a_pushed_digest_and_checks_the_workers(tmp_path, capsys):
    k8s = tmp_path / "k8s"
    shutil.copytree(LOADTESTS / "k8s", k8s)
    kustomization = k8s / "kustomization.yaml"
    text = kustomization.read_text().replace(preflight.PLACEHOLDER, "sha256:" + "ab" * 32)
    kustomization.write_text(text)
    assert preflight.main(["--k8s", str(k8s)]) == 0
    kustomization.write_text(text.replace("LOADTEST_WORKERS=4", "LOADTEST_WORKERS=3"))
    assert preflight.main(["--k8s", str(k8s)]) == 2
    assert "LOADTEST_WORKERS=3 but" in capsys.readouterr().err
    kustomization.write_text(text.replace("digest: sha256:" + "ab" * 32, "digest: latest"))
    assert preflight.main(["--k8s", str(k8s)]) == 2
    assert "pin the pushed image by digest" in capsys.readouterr().err


def test_the_image_goes_to_the_loadtests_repository_of_the_staging_registry():
    kustomization = yaml.safe_load((LOADTESTS / "k8s/kustomization.yaml").read_text())
    (image,) = kustomization["images"]
    assert image["newName"] == "222222222222.dkr.ecr.us-east-1.amazonaws.com/loadtests/locust"
