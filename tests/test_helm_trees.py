"""`gitops validate DIR` / `gitops check DIR` on a tree nobody here wrote: kustomizations are
rendered, charts rendered with their default values, Chart.yaml, values files, templates and
patches are not manifests; kubeconform's --skip and --ignore-filename-pattern."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gitops_tools.cli import main

from .conftest import REPO_ROOT
from .helm_charts import write_chart

pytestmark = pytest.mark.integration
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: '1'\n"


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    root = tmp_path / "foreign"
    chart = write_chart(root / "charts/api", name="api")
    (chart / "values-prod.yaml").write_text("replicas: 3\n")
    (chart / "templates/_helpers.tpl").write_text('{{- define "api.name" -}}api{{- end -}}\n')
    (chart / "templates/NOTES.txt").write_text("Installed {{ .Release.Name }}.\n")
    base = root / "kustomize/base"
    base.mkdir(parents=True)
    (base / "kustomization.yaml").write_text("resources: [configmap.yaml]\n")
    (base / "configmap.yaml").write_text(CONFIGMAP)
    overlay = root / "kustomize/overlays/prod"
    overlay.mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text(
        "resources: [../../base]\ncomponents: [../../components/label]\n"
        "patches: [{path: patch.yaml}]\n"
    )
    (overlay / "patch.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  b: '2'\n"
    )
    component = root / "kustomize/components/label"
    component.mkdir(parents=True)
    (component / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
        "labels: [{pairs: {team: a}}]\n"
    )
    (root / "manifests").mkdir()
    (root / "manifests/namespace.yaml").write_text(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
    )
    (root / "values").mkdir()
    (root / "values/prod.yaml").write_text("replicas: 2\nimage: a:1\nkind: DaemonSet\n")
    return root


def validate(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main(["validate", "--format", "json", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_foreign_tree_validates_with_no_false_errors(
    foreign: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(foreign.parent)
    code, report = validate(capsys, "foreign")
    assert report["findings"] == []
    assert code == 0
    # chart Deployment + base and overlay ConfigMaps + the Namespace
    assert report["summary"]["objects"] == 4


def test_foreign_tree_with_a_defect_points_at_its_file(
    foreign: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(foreign.parent)
    (foreign / "manifests/namespace.yaml").write_text(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\nspec:\n  finalizerz: []\n"
    )
    (foreign / "charts/api/templates/service.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  portz: []\n"
    )
    code, report = validate(capsys, "foreign")
    assert code == 1
    where = sorted((f["path"], f["line"], f["message"]) for f in report["findings"])
    assert where == [
        ("foreign/charts/api/templates/service.yaml", 6, "spec.portz: unknown field"),
        ("foreign/manifests/namespace.yaml", 6, "spec.finalizerz: unknown field"),
    ]


def test_skip_kinds_and_ignore_filename_pattern(
    foreign: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(foreign.parent)
    (foreign / "manifests/odd.yaml").write_text(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
    )
    _, report = validate(capsys, "foreign")
    assert [f["rule_id"] for f in report["findings"]] == ["GO004"]
    _, report = validate(capsys, "foreign", "--skip", "Widget,Namespace")
    assert report["findings"] == [] and report["summary"]["objects"] == 3
    _, report = validate(capsys, "foreign", "--skip", "example.com/v1/Widget")
    assert report["findings"] == []
    _code, report = validate(capsys, "foreign", "--ignore-filename-pattern", r"odd\.yaml$")
    assert report["findings"] == []
    assert main(["validate", "foreign", "--ignore-filename-pattern", "("]) == 2


def test_check_dir_on_a_foreign_tree(
    foreign: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(foreign)
    code = main(
        ["check", "--format", "json", "--profile", "dev", "--missing-schema", "warning", "."]
    )
    report = json.loads(capsys.readouterr().out)
    core = [f for f in report["findings"] if f["rule_id"] < "GO100"]
    assert core == []
    assert report["summary"]["helm_sources"] == {"rendered": 1, "not_cached": 0}
    assert code in (0, 1)


def test_upstream_corpus_still_validates_clean(capsys: pytest.CaptureFixture[str]) -> None:
    corpus = REPO_ROOT.parent / "shared" / "corpus" / "upstream"
    if not corpus.is_dir():
        pytest.skip("no ../shared/corpus/upstream beside the repository")
    code, report = validate(capsys, str(corpus))
    assert [f for f in report["findings"] if f["severity"] == "error"] == []
    assert code == 0
