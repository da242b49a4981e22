"""Loader/locator parity on real manifests: the upstream corpus and everything this repository
renders. For every document the loaded value equals the reference decoding (libyaml's events
with go-yaml's rules), and for every node (each key, each item) the located line/column equals
libyaml's mark."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from gitops_tools.locations import SourceIndex
from gitops_tools.manifests import load_file
from tests.test_yamlio import assert_parity

REPO = Path(__file__).resolve().parents[1]
UPSTREAM = REPO.parent / "shared" / "corpus" / "upstream"


def _upstream() -> list[Path]:
    return sorted(UPSTREAM.glob("*.yaml")) if UPSTREAM.is_dir() else []


@pytest.mark.skipif(not _upstream(), reason="LOUD SKIP: ../shared/corpus/upstream is missing")
@pytest.mark.parametrize("path", _upstream(), ids=lambda p: p.name)
def test_upstream_corpus_parity(path: Path) -> None:
    assert assert_parity(path.read_text(encoding="utf-8")) > 500


def _kustomizations() -> list[Path]:
    found = []
    for top in ("apps", "clusters"):
        for file in sorted((REPO / top).rglob("kustomization.yaml")):
            found.append(file.parent)
    return found


@pytest.mark.integration
def test_every_rendered_object_of_this_repository(tmp_path: Path) -> None:
    kubectl = shutil.which("kubectl") or str(REPO / ".venv" / "bin" / "kubectl")
    nodes = 0
    rendered = 0
    for directory in _kustomizations():
        done = subprocess.run(
            [kubectl, "kustomize", str(directory)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            continue  # components and partial bases do not build alone
        rendered += 1
        nodes += assert_parity(done.stdout)
    assert rendered >= 10
    assert nodes > 1000


def test_every_source_manifest_of_this_repository() -> None:
    nodes = 0
    for top in ("apps", "clusters", "policies"):
        for file in sorted((REPO / top).rglob("*.yaml")):
            nodes += assert_parity(file.read_text(encoding="utf-8"))
    assert nodes > 1000


def test_locate_object_finds_a_field_of_a_named_object(tmp_path: Path) -> None:
    patch = tmp_path / "patch.yaml"
    patch.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\n"
        "spec:\n  template:\n    spec:\n      containers:\n        - name: app\n"
        "          image: nginx\n"
    )
    index = SourceIndex()
    field = ["spec", "template", "spec", "containers", 0, "image"]
    assert index.locate_object(patch, "Deployment", "prod", "web", field) == (16, 11)
    assert index.locate_object(patch, "Deployment", "", "web", ["spec"]) == (11, 1)
    assert index.locate_object(patch, "Deployment", "dev", "web", ["spec"]) == (0, 0)
    assert index.locate(patch, 1, field) == (16, 11)


def test_loaded_streams_are_reused(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n")
    loaded = load_file(path)
    index = SourceIndex()
    index.add_loaded(loaded)
    path.write_text("changed: on disk\n")  # the index answers from the load, not the disk
    assert index.position(loaded.manifests[0], ["data", "k"]) == (path, 6, 3)
