from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from gitops_tools.cli import main
from gitops_tools.errors import FatalError
from gitops_tools.findings import Finding, Severity
from gitops_tools.policy.config import Exemption, load_policy_config
from gitops_tools.policy.engine import exemption_findings, suppress

from .conftest import REPO_ROOT

EXEMPTION = """\
- rule: GO101
  target:
    env: prod
    kind: Deployment
    name: web
  reason: vendor image cannot run as non-root until 2.0
  owner: platform-team
  expires: "{expires}"
"""


def write(root: Path, name: str, text: str) -> None:
    path = root / "policies" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_repository_profiles() -> None:
    config = load_policy_config(REPO_ROOT)
    assert set(config.profiles) == {"dev", "staging", "prod"}
    assert config.profile("prod").setting("requireDigest") is True
    assert config.profile("dev").setting("requireDigest") is False
    assert "{registry}" in config.profile("dev").setting("allowedRegistries")
    with pytest.raises(FatalError, match="policy profile 'qa' is not defined"):
        config.profile("qa")


def test_defaults_without_config(tmp_path: Path) -> None:
    config = load_policy_config(tmp_path)
    assert {"default", "dev", "staging", "prod"} <= set(config.profiles)
    assert config.exemptions == ()


def test_rule_levels_and_off(tmp_path: Path) -> None:
    write(
        tmp_path,
        "config.yaml",
        "profiles:\n  dev:\n    rules:\n      GO101: off\n      GO102: warning\n",
    )
    profile = load_policy_config(tmp_path).profile("dev")
    assert profile.severity("GO101", Severity.ERROR) is None
    assert profile.severity("GO102", Severity.ERROR) is Severity.WARNING
    assert profile.severity("GO103", Severity.ERROR) is Severity.ERROR


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "profiles:\n  prod:\n    settings:\n      requireDigests: true\n",
            "policies/config.yaml:3: profiles.prod.settings: Additional properties are not "
            "allowed ('requireDigests' was unexpected)",
        ),
        (
            "profiles:\n  prod:\n    rules:\n      GO101: loud\n",
            'policies/config.yaml:4: profiles.prod.rules.GO101: "loud" is not one of',
        ),
    ],
)
def test_config_errors_have_breadcrumbs(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "config.yaml", text)
    with pytest.raises(FatalError) as err:
        load_policy_config(tmp_path)
    assert str(err.value).startswith(message)


def test_exemption_date_breadcrumb(tmp_path: Path) -> None:
    good = EXEMPTION.format(expires="2030-01-01")
    write(tmp_path, "exemptions.yaml", good * 3 + EXEMPTION.format(expires="soon"))
    with pytest.raises(FatalError) as err:
        load_policy_config(tmp_path)
    assert str(err.value).startswith(
        "policies/exemptions.yaml:32: [3].expires: expected a date (YYYY-MM-DD), got 'soon'"
    )


def test_exemption_impossible_date_is_reported_at_its_line(tmp_path: Path) -> None:
    good = EXEMPTION.format(expires="2030-01-01")
    write(tmp_path, "exemptions.yaml", good * 2 + EXEMPTION.format(expires="2030-02-30"))
    with pytest.raises(FatalError) as err:
        load_policy_config(tmp_path)
    assert str(err.value).startswith(
        "policies/exemptions.yaml:24: [2].expires: '2030-02-30' is not a real date"
    )


def test_exemption_needs_reason_and_owner(tmp_path: Path) -> None:
    text = EXEMPTION.format(expires="2030-01-01").replace("  owner: platform-team\n", "")
    write(tmp_path, "exemptions.yaml", text)
    with pytest.raises(FatalError, match=r"\[0\]: \"owner\" is a required property"):
        load_policy_config(tmp_path)


def finding(env: str = "prod", name: str = "web") -> Finding:
    return Finding("a.yaml", 3, 1, "GO101", "runs as root", env=env, kind="Deployment", name=name)


def exemption(expires: dt.date) -> Exemption:
    return Exemption(
        "GO101",
        {"env": "prod", "kind": "Deployment", "name": "web"},
        "vendor image",
        "team",
        expires,
        1,
    )


def test_suppression_expiry_and_unused() -> None:
    today = dt.date(2026, 11, 23)
    live = exemption(dt.date(2027, 1, 1))
    used: set[int] = set()
    out = suppress([finding(), finding(env="dev"), finding(name="api")], [live], today, used)
    assert [bool(f.suppression) for f in out] == [True, False, False]
    assert out[0].suppression == "vendor image (owner team, until 2027-01-01)"
    assert exemption_findings([live], today, used, report_unused=True) == []

    expired = exemption(dt.date(2026, 11, 1))
    used = set()
    out = suppress([finding()], [expired], today, used)
    assert not out[0].suppression
    (meta,) = exemption_findings([expired], today, used, report_unused=True)
    assert (meta.rule_id, meta.severity, meta.path, meta.line) == (
        "GO901",
        Severity.ERROR,
        "policies/exemptions.yaml",
        1,
    )
    assert meta.message == (
        "exemption for GO101 (env=prod, kind=Deployment, name=web) expired on 2026-11-01"
    )

    unused = exemption(dt.date(2027, 1, 1))
    (meta,) = exemption_findings([unused], today, set(), report_unused=True)
    assert (meta.rule_id, meta.severity) == ("GO902", Severity.WARNING)
    assert exemption_findings([unused], today, set(), report_unused=False) == []


@pytest.mark.integration
def test_exempted_finding_is_reported_as_suppressed(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deploy = repo_copy / "apps/workloads/qr-generator/base/backend-deployment.yaml"
    deploy.write_text(deploy.read_text().replace("runAsNonRoot: true", "runAsNonRoot: false"))
    args = ["check", "--repo", str(repo_copy), "--env", "prod", "--format", "json"]
    assert main(args) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert {f["rule_id"] for f in findings} - {"GO009"} == {"GO101"}  # GO009: charts offline
    write(
        repo_copy,
        "exemptions.yaml",
        "- rule: GO101\n  target: {env: prod, kind: Deployment, name: qr-backend}\n"
        "  reason: base image needs root until the distroless switch\n"
        "  owner: qr-team\n  expires: '2099-01-01'\n",
    )
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    checked = [f for f in data["findings"] if f["rule_id"] != "GO009"]  # charts offline
    assert data["summary"]["suppressed"] == len(checked) >= 1
    assert all(f["suppressed"].startswith("base image needs root") for f in checked)
    assert main([*args[:-2], "--format", "sarif"]) == 0
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    results = [r for r in results if r["ruleId"] != "GO009"]
    assert results and all(r["suppressions"][0]["kind"] == "external" for r in results)
