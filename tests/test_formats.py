from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from gitops_tools.findings import Finding, Severity
from gitops_tools.formats import Summary
from gitops_tools.policy.registry import catalog
from gitops_tools.report import formatters

BASE = Finding(
    path="apps/x/base/deploy.yaml",
    line=7,
    column=3,
    rule_id="GO003",
    message="spec.replica: unknown field",
    env="dev",
    api_version="apps/v1",
    kind="Deployment",
    namespace="shop",
    name="web",
    hint="see `kubectl explain deployment.spec`",
)
FINDINGS = [
    BASE,
    Finding(**{**BASE.__dict__, "env": "prod"}),
    Finding(
        path="a,b:c.yaml",
        line=0,
        column=0,
        rule_id="GO007",
        message="file holds no Kubernetes objects\nsecond line 100%",
        severity=Severity.WARNING,
    ),
]
SUMMARY = Summary(files=2, objects=3, errors=2, warnings=1, seconds=0.25)


def render(name: str) -> str:
    return formatters(catalog())[name](FINDINGS, SUMMARY)


def test_text_merges_environments_and_shows_hint() -> None:
    lines = render("text").splitlines()
    assert (
        lines[0]
        == ("a,b:c.yaml: GO007 file holds no Kubernetes objects\nsecond line 100%".splitlines()[0])
    )
    assert (
        "apps/x/base/deploy.yaml:7:3: GO003 Deployment shop/web: spec.replica: unknown field "
        "[dev,prod]"
    ) in lines
    assert "    hint: see `kubectl explain deployment.spec`" in lines
    assert lines[-1] == "2 error(s), 1 warning(s) in 3 objects from 2 files (0.25s)"


def test_json_keeps_one_finding_per_environment() -> None:
    data = json.loads(render("json"))
    assert data["summary"] == {
        "files": 2,
        "objects": 3,
        "errors": 2,
        "warnings": 1,
        "seconds": 0.25,
        "suppressed": 0,
    }
    first = data["findings"][1]
    assert set(first) == {
        "rule_id",
        "severity",
        "env",
        "path",
        "line",
        "column",
        "object",
        "message",
        "hint",
        "suppressed",
    }
    assert first["object"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "namespace": "shop",
        "name": "web",
    }
    assert sorted(f["env"] for f in data["findings"] if f["rule_id"] == "GO003") == ["dev", "prod"]


def test_sarif_has_rule_table_levels_and_regions() -> None:
    log = json.loads(render("sarif"))
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(catalog())
    results = run["results"]
    assert len(results) == 2  # environments merged
    schema = next(r for r in results if r["ruleId"] == "GO003")
    assert schema["level"] == "error"
    assert rules[schema["ruleIndex"]]["id"] == "GO003"
    location = schema["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "apps/x/base/deploy.yaml"},
        "region": {"startLine": 7, "startColumn": 3},
    }
    assert "(environments: dev,prod)" in schema["message"]["text"]
    empty = next(r for r in results if r["ruleId"] == "GO007")
    assert empty["level"] == "warning"
    assert "region" not in empty["locations"][0]["physicalLocation"]


def test_junit_is_valid_xml_with_a_failing_case_per_file() -> None:
    root = ET.fromstring(render("junit"))
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "2"
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    failure = cases["apps/x/base/deploy.yaml"].find("failure")
    assert failure is not None and failure.get("type") == "GO003"
    assert "spec.replica: unknown field [dev,prod]" in (failure.text or "")


def test_junit_without_findings_has_one_passing_case() -> None:
    root = ET.fromstring(formatters()["junit"]([], SUMMARY))
    cases = list(root.iter("testcase"))
    assert len(cases) == 1
    assert cases[0].find("failure") is None


def test_github_annotations_escape_properties_and_data() -> None:
    lines = render("github").splitlines()
    assert lines[0] == (
        "::warning file=a%2Cb%3Ac.yaml,title=GO007::file holds no Kubernetes objects%0Asecond "
        "line 100%25"
    )
    assert lines[1].startswith(
        "::error file=apps/x/base/deploy.yaml,line=7,col=3,title=GO003 Deployment shop/web::"
        "spec.replica: unknown field [dev,prod]%0AHint: "
    )
