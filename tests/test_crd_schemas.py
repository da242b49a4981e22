"""The upstream CRDs under policies/schemas/ are strict where the API server is: for each custom
resource kind the platform add-ons use, `gitops validate --crds policies/schemas` refuses an
unknown field and a wrong type, at the line of the offending field."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from gitops_tools.cli import main

from .conftest import REPO_ROOT

SCHEMAS = REPO_ROOT / "policies" / "schemas"


class Case(NamedTuple):
    manifest: str
    line: int
    message: str


SERVICE_MONITOR = """\
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: web
  namespace: monitoring
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  endpoints:
    - port: http
      {field}
"""

POD_MONITOR = """\
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: worker
  namespace: monitoring
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: worker
  podMetricsEndpoints:
    - port: http
      {field}
"""

PROMETHEUS_RULE = """\
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: web
  namespace: monitoring
spec:
  groups:
    - name: web
      rules:
        - alert: WebDown
          expr: up == 0
          {field}
"""

NODE_POOL = """\
apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: spot
spec:
  template:
    spec:
      nodeClassRef:
        group: karpenter.k8s.aws
        kind: EC2NodeClass
        name: default
      requirements:
        - key: karpenter.sh/capacity-type
          operator: In
          values: [spot]
  {field}
"""

EC2_NODE_CLASS = """\
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: default
spec:
  role: example-karpenter-node
  amiSelectorTerms:
    - alias: al2023@v20261023
  subnetSelectorTerms:
    - tags:
        karpenter.sh/discovery: example
  securityGroupSelectorTerms:
    - tags:
        karpenter.sh/discovery: example
  {field}
"""

SCHEDULE = """\
apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: daily
  namespace: velero
spec:
  schedule: "0 2 * * *"
  template:
    includedNamespaces: [shop]
    {field}
"""

IMAGE_UPDATER = """\
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata:
  name: shop
  namespace: argocd
spec:
  namespace: argocd
  applicationRefs:
    - namePattern: shop
      images:
        - alias: web
          imageName: 111111111111.dkr.ecr.us-east-1.amazonaws.com/shop/web
          {field}
"""

CASES = {
    "ServiceMonitor unknown field": Case(
        SERVICE_MONITOR.format(field="intervall: 30s"),
        12,
        "spec.endpoints[0].intervall: unknown field",
    ),
    "ServiceMonitor wrong type": Case(
        SERVICE_MONITOR.format(field="honorLabels: sometimes"),
        12,
        'spec.endpoints[0].honorLabels: "sometimes" is not of type "boolean"',
    ),
    "PodMonitor unknown field": Case(
        POD_MONITOR.format(field="targetPorts: http"),
        12,
        "spec.podMetricsEndpoints[0].targetPorts: unknown field",
    ),
    "PodMonitor wrong type": Case(
        POD_MONITOR.format(field="portNumber: http-metrics"),
        12,
        'spec.podMetricsEndpoints[0].portNumber: "http-metrics" is not of type "integer"',
    ),
    "PrometheusRule unknown field": Case(
        PROMETHEUS_RULE.format(field="severity: critical"),
        12,
        "spec.groups[0].rules[0].severity: unknown field",
    ),
    "PrometheusRule wrong type": Case(
        PROMETHEUS_RULE.format(field="labels: critical"),
        12,
        'spec.groups[0].rules[0].labels: "critical" is not of type "object"',
    ),
    "NodePool unknown field": Case(
        NODE_POOL.format(field="ttlSecondsAfterEmpty: 30"),
        16,
        "spec.ttlSecondsAfterEmpty: unknown field",
    ),
    "NodePool wrong type": Case(
        NODE_POOL.format(field="weight: high"),
        16,
        'spec.weight: "high" is not of type "integer"',
    ),
    "EC2NodeClass unknown field": Case(
        EC2_NODE_CLASS.format(field="instanceProfileName: example"),
        15,
        "spec.instanceProfileName: unknown field",
    ),
    "EC2NodeClass wrong type": Case(
        EC2_NODE_CLASS.format(field="detailedMonitoring: often"),
        15,
        'spec.detailedMonitoring: "often" is not of type "boolean"',
    ),
    "Schedule unknown field": Case(
        SCHEDULE.format(field="retention: 720h"),
        10,
        "spec.template.retention: unknown field",
    ),
    "Schedule wrong type": Case(
        SCHEDULE.format(field="snapshotVolumes: daily"),
        10,
        'spec.template.snapshotVolumes: "daily" is not of type "boolean"',
    ),
    "ImageUpdater unknown field": Case(
        IMAGE_UPDATER.format(field="strategy: semver"),
        13,
        "spec.applicationRefs[0].images[0].strategy: unknown field",
    ),
    "ImageUpdater wrong type": Case(
        IMAGE_UPDATER.format(field="manifestTargets: kustomize"),
        13,
        'spec.applicationRefs[0].images[0].manifestTargets: "kustomize" is not of type "object"',
    ),
}


def validate(
    tmp_path: Path, manifest: str, capsys: pytest.CaptureFixture[str]
) -> list[dict[str, Any]]:
    path = tmp_path / "object.yaml"
    path.write_text(manifest)
    code = main(["validate", "--format", "json", "--crds", str(SCHEMAS), str(path)])
    findings: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["findings"]
    assert code == (1 if findings else 0)
    return findings


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_schema_refuses(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    findings = validate(tmp_path, case.manifest, capsys)
    assert [(f["rule_id"], f["line"], f["message"]) for f in findings] == [
        ("GO003", case.line, case.message)
    ]


UNKNOWN_FIELD = {name: c for name, c in CASES.items() if name.endswith("unknown field")}


@pytest.mark.parametrize("case", UNKNOWN_FIELD.values(), ids=UNKNOWN_FIELD.keys())
def test_schema_accepts_the_object_without_the_bad_field(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    valid = case.manifest.splitlines()[: case.line - 1]  # the bad field is the last line
    assert validate(tmp_path, "\n".join(valid) + "\n", capsys) == []


def test_every_schema_file_names_its_upstream() -> None:
    """Kind, upstream repository and commit or tag, and path: the three header lines."""
    for file in sorted(SCHEMAS.glob("*.yaml")):
        head = file.read_text().splitlines()[:3]
        assert re.match(r"# Kind: \w+ \(", head[0]), file.name
        assert re.match(r"# Upstream: [\w.-]+/[\w.-]+.*(commit [0-9a-f]{40}|tag v?\d)", head[1]), (
            file.name
        )
        assert re.match(r"# Path: \S+\.yaml", head[2]), file.name
