"""The platform add-ons' Helm sources, end to end, offline: the upstream charts cannot be pulled
here, so each is a not-cached warning; with a stand-in chart in the chart cache, the Velero
Application of prod renders from this repository's values and is policed with the prod profile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gitops_tools.charts import ChartRef, store
from gitops_tools.cli import main
from gitops_tools.yamlio import decode_text, load_documents

from .helm_charts import package, write_chart

pytestmark = pytest.mark.integration
STAND_IN = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
spec:
  selector:
    matchLabels: {app: velero}
  template:
    metadata:
      labels: {app: velero}
    spec:
      serviceAccountName: {{ .Values.serviceAccount.server.name }}
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      initContainers:
        {{- toYaml .Values.initContainers | nindent 8 }}
      containers:
        - name: velero
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          securityContext:
            {{- toYaml .Values.containerSecurityContext | nindent 12 }}
      volumes:
        - name: plugins
          emptyDir: {}
"""


def velero_ref(repo: Path, env: str) -> ChartRef:
    app = load_documents(decode_text((repo / f"clusters/{env}/apps/velero.yaml").read_bytes()))[0]
    chart = app["spec"]["sources"][0]
    return ChartRef(chart["repoURL"], chart["chart"], chart["targetRevision"])


def check_prod(repo: Path, capsys: pytest.CaptureFixture[str]) -> Any:
    main(["check", "--repo", str(repo), "--env", "prod", "--offline", "--format", "json"])
    return json.loads(capsys.readouterr().out)


def test_every_chart_source_is_rendered_or_reported_not_cached(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = check_prod(repo_copy, capsys)
    warned = {f["object"]["name"] for f in report["findings"] if f["rule_id"] == "GO009"}
    assert warned == {
        "aws-load-balancer-controller",
        "external-dns",
        "external-secrets",
        "fluent-bit",
        "karpenter",
        "kube-prometheus-stack",
        "metrics-server",
        "velero",
    }
    assert report["summary"]["helm_sources"] == {"rendered": 0, "not_cached": 8}
    assert not [f for f in report["findings"] if f["severity"] == "error"]


def test_velero_renders_from_the_repository_values_and_is_policed(
    repo_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = velero_ref(repo_copy, "prod")
    chart = write_chart(
        tmp_path / "src" / ref.chart,
        name=ref.chart,
        version=ref.version,
        values="image:\n  repository: velero/velero\n  tag: v1.17.0\n",
        templates={"deployment.yaml": STAND_IN},
    )
    store(repo_copy / ".cache", ref, package(chart, tmp_path / "pkg"))
    report = check_prod(repo_copy, capsys)
    assert report["summary"]["helm_sources"] == {"rendered": 1, "not_cached": 7}
    velero = [f for f in report["findings"] if f["object"]["name"] == "velero"]
    rendered_at = {f["path"] for f in velero if f["object"]["kind"] == "Deployment"}
    assert all(p.endswith("/velero/templates/deployment.yaml") for p in rendered_at), rendered_at
    assert not [f for f in velero if f["rule_id"] == "GO301"]  # registries: the values' own
    # Docker Hub, as the values had it before: caught with the prod profile, at the template
    values = repo_copy / "apps/platform/velero/values/prod.yaml"
    values.write_text(
        values.read_text().replace(
            "333333333333.dkr.ecr.us-east-1.amazonaws.com/velero/velero-plugin-for-aws",
            "velero/velero-plugin-for-aws",
        )
    )
    report = check_prod(repo_copy, capsys)
    (docker_hub,) = [f for f in report["findings"] if f["rule_id"] == "GO301"]
    assert "velero/velero-plugin-for-aws:v1.13.0" in docker_hub["message"]
    assert docker_hub["path"].endswith("/velero/templates/deployment.yaml")
    assert docker_hub["object"]["kind"] == "Deployment"
