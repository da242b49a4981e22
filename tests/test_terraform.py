from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from gitops_tools import catalog
from gitops_tools.errors import FatalError
from gitops_tools.findings import Finding, Severity
from gitops_tools.terraform import (
    FMT_MISSING,
    find_checkov,
    scan_rendered_manifests,
    scan_terraform,
    terraform_fmt,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests/fixtures/terraform"
MODULE = FIXTURES / "module"
MAIN_TF = "tests/fixtures/terraform/module/main.tf"
BOOTSTRAP = REPO_ROOT / "tools/bootstrap/ensure-checkov.sh"


@pytest.fixture(scope="session")
def checkov() -> str:
    """The real checkov; skips (with the way to install it) only when none is installed."""
    binary = find_checkov(REPO_ROOT)
    if binary is None:
        pytest.skip(
            "checkov is not installed: run `tools/bootstrap/ensure-checkov.sh` "
            "(or set GITOPS_CHECKOV) to run the checkov integration tests"
        )
    return binary


@pytest.fixture(scope="session")
def module_findings(checkov: str) -> list[Finding]:
    return scan_terraform(MODULE, REPO_ROOT, checkov)


@pytest.fixture
def terraform() -> str:
    binary = shutil.which("terraform")
    if binary is None:
        pytest.skip("terraform is not on PATH: the terraform fmt tests need it")
    return binary


def fake_checkov(tmp_path: Path, body: str) -> str:
    script = tmp_path / "checkov"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return str(script)


def checks(findings: list[Finding], rule_id: str) -> set[tuple[str, int, str]]:
    """(path, line, checkov check ID) of each finding of one rule."""
    return {
        (f.path, f.line, f.message.split(":")[0].strip("`"))
        for f in findings
        if f.rule_id == rule_id
    }


# --- real checkov on the fixture module -----------------------------------------------------


@pytest.mark.integration
def test_unencrypted_unversioned_buckets_fail_their_checks(module_findings: list[Finding]) -> None:
    assert (
        Finding(
            MAIN_TF,
            3,
            0,
            "GO501",
            "CKV_AWS_21: Ensure all data stored in the S3 bucket have versioning enabled "
            "(aws_s3_bucket.data)",
            Severity.ERROR,
            kind="aws_s3_bucket",
            name="aws_s3_bucket.data",
            hint="fix the resource, or add `#checkov:skip=CKV_AWS_21:<reason>` inside it",
        )
        in module_findings
    )
    failed = checks(module_findings, "GO501")
    for line in (3, 9):  # aws_s3_bucket.data, aws_s3_bucket.logs
        assert (MAIN_TF, line, "CKV_AWS_21") in failed  # versioning
        assert (MAIN_TF, line, "CKV_AWS_145") in failed  # KMS encryption
        assert (MAIN_TF, line, "CKV2_AWS_6") in failed  # public access block
    assert (MAIN_TF, 3, "CKV_AWS_18") in failed  # access logging, not skipped on `data`
    assert (MAIN_TF, 9, "CKV_AWS_20") in failed  # the public-read ACL attached to `logs`
    assert (MAIN_TF, 9, "CKV_AWS_144") in failed  # replication, skipped only on `data`


@pytest.mark.integration
def test_skip_with_a_reason_is_honoured(module_findings: list[Finding]) -> None:
    assert (MAIN_TF, 9, "CKV_AWS_18") not in checks(module_findings, "GO501")
    assert not any("CKV_AWS_18" in f.message for f in module_findings if f.line == 9)


@pytest.mark.integration
def test_skip_without_a_reason_is_go502_at_the_comment(module_findings: list[Finding]) -> None:
    assert (MAIN_TF, 3, "CKV_AWS_144") not in checks(module_findings, "GO501")
    assert [f for f in module_findings if f.rule_id == "GO502"] == [
        Finding(
            MAIN_TF,
            4,
            0,
            "GO502",
            "`checkov:skip=CKV_AWS_144` gives no reason (aws_s3_bucket.data)",
            Severity.ERROR,
            kind="aws_s3_bucket",
            name="aws_s3_bucket.data",
            hint="write the reason after a colon: `#checkov:skip=CKV_AWS_144:<why it does not "
            "apply>`",
        )
    ]


@pytest.mark.integration
def test_unparseable_tf_file_is_reported(checkov: str, tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "x" {\n  bucket =\n')
    assert scan_terraform(tmp_path, tmp_path, checkov) == [
        Finding(
            "main.tf",
            0,
            0,
            "GO501",
            "checkov cannot parse this file: none of its resources were checked",
            hint="run `terraform validate` (or `terraform fmt`) to see the syntax error",
        )
    ]


@pytest.mark.integration
def test_rendered_objects_get_go504_at_the_callers_place(checkov: str, tmp_path: Path) -> None:
    deployment, service = yaml.safe_load_all((FIXTURES / "rendered/web.yaml").read_text())
    objects = {
        "apps/web/base/deployment.yaml": [(deployment, 4)],
        "apps/web/svc.yaml": [(service, 0)],
    }
    findings = scan_rendered_manifests(objects, checkov, tmp_path / "work")
    assert {f.rule_id for f in findings} == {"GO504"}
    assert {f.severity for f in findings} == {Severity.WARNING}
    assert (
        Finding(
            "apps/web/base/deployment.yaml",
            4,
            0,
            "GO504",
            "CKV_K8S_8: Liveness Probe Should be Configured",
            Severity.WARNING,
            api_version="apps/v1",
            kind="Deployment",
            namespace="shop",
            name="web.v1",
            hint="fix the object, or annotate it `checkov.io/skip1: CKV_K8S_8=<reason>`",
        )
        in findings
    )
    by_object = {(f.object_ref, f.message.split(":")[0]) for f in findings}
    assert ("Deployment shop/web.v1", "CKV_K8S_43") in by_object  # image digest
    assert ("Deployment shop/web.v1", "CKV2_K8S_6") in by_object  # its Pod: no NetworkPolicy
    assert ("Service web", "CKV_K8S_21") in by_object  # default namespace
    assert list((tmp_path / "work").iterdir()) == []  # the scratch files are gone


# --- checkov's output, from a fake checkov ---------------------------------------------------


def test_no_tf_files_runs_nothing(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("no terraform here\n")
    assert scan_terraform(tmp_path, tmp_path, str(tmp_path / "no-such-checkov")) == []


def test_missing_checkov_is_a_clear_fatal_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "bin/checkov")
    with pytest.raises(FatalError) as exc:
        scan_terraform(MODULE, REPO_ROOT, missing)
    assert exc.value.message == f"cannot run checkov ({missing}): No such file or directory"
    assert "ensure-checkov.sh" in str(exc.value)


def test_crashing_checkov_is_a_clear_fatal_error(tmp_path: Path) -> None:
    broken = fake_checkov(
        tmp_path,
        "echo 'Traceback (most recent call last):' >&2\n"
        "echo 'ModuleNotFoundError: No module named checkov' >&2\nexit 2",
    )
    with pytest.raises(FatalError) as exc:
        scan_terraform(MODULE, REPO_ROOT, broken)
    assert exc.value.message == (
        f"checkov ({broken}) failed on {MODULE} with exit code 2: "
        "ModuleNotFoundError: No module named checkov"
    )


def test_non_json_output_is_a_clear_fatal_error(tmp_path: Path) -> None:
    chatty = fake_checkov(tmp_path, "echo 'Passed checks: 3, Failed checks: 1'\nexit 1")
    with pytest.raises(FatalError) as exc:
        scan_terraform(MODULE, REPO_ROOT, chatty)
    assert exc.value.message == (
        f"checkov ({chatty}) gave no JSON report on {MODULE}: Passed checks: 3, Failed checks: 1"
    )


def test_list_of_reports_guidelines_and_empty_reasons(tmp_path: Path) -> None:
    (tmp_path / "infra").mkdir()
    tf = tmp_path / "infra/main.tf"
    tf.write_text(
        'resource "aws_sqs_queue" "jobs" {\n  #checkov:skip=CKV_AWS_27:\n  name = "jobs"\n}\n'
    )

    def check(check_id: str, reason: str | None = None) -> dict[str, object]:
        result: dict[str, object] = {
            "result": "SKIPPED" if reason is not None else "FAILED",
            "entity": {"aws_sqs_queue": {}},
        }
        if reason is not None:
            result["suppress_comment"] = reason
        return {
            "check_id": check_id,
            "check_name": "Queue check",
            "file_path": "/main.tf",
            "file_abs_path": str(tf),
            "file_line_range": [1, 4],
            "resource": "module.queues.aws_sqs_queue.jobs",
            "check_result": result,
            "guideline": "https://docs.example/CKV_AWS_26",
        }

    reports = [
        {
            "check_type": "terraform",
            "results": {
                "failed_checks": [check("CKV_AWS_26")],
                "skipped_checks": [check("CKV_AWS_27", ""), check("CKV_AWS_28", "queue is public")],
                "parsing_errors": [],
            },
        },
        {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "resource_count": 0},
    ]
    (tmp_path / "report.json").write_text(json.dumps(reports))
    env_file = tmp_path / "env.txt"
    fake = fake_checkov(tmp_path, f"env > {env_file}\ncat {tmp_path / 'report.json'}\nexit 1")
    findings = scan_terraform(tmp_path / "infra", tmp_path, fake)
    address = "module.queues.aws_sqs_queue.jobs"
    assert findings == [
        Finding(
            "infra/main.tf",
            1,
            0,
            "GO501",
            f"CKV_AWS_26: Queue check ({address})",
            kind="aws_sqs_queue",
            name=address,
            hint="https://docs.example/CKV_AWS_26",
        ),
        Finding(
            "infra/main.tf",
            2,
            0,
            "GO502",
            f"`checkov:skip=CKV_AWS_27` gives no reason ({address})",
            kind="aws_sqs_queue",
            name=address,
            hint="write the reason after a colon: `#checkov:skip=CKV_AWS_27:<why it does "
            "not apply>`",
        ),
    ]
    env = env_file.read_text().splitlines()
    assert "BC_SKIP_MAPPING=TRUE" in env
    assert "CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE" in env


def test_checkov_gets_no_api_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "main.tf").write_text('variable "a" {}\n')
    monkeypatch.setenv("BC_API_KEY", "secret-key")
    env_file = tmp_path / "env.txt"
    fake = fake_checkov(tmp_path, f"env > {env_file}\necho '{{\"passed\": 0}}'")
    assert scan_terraform(tmp_path, tmp_path, fake) == []
    assert "BC_API_KEY" not in env_file.read_text()


def test_find_checkov_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_path = tmp_path / "bin"
    on_path.mkdir()
    fake_checkov(on_path, "exit 0")
    monkeypatch.setenv("PATH", str(on_path))
    monkeypatch.delenv("GITOPS_CHECKOV", raising=False)
    assert find_checkov(tmp_path) == str(on_path / "checkov")
    local = tmp_path / ".venv-checkov/bin"
    local.mkdir(parents=True)
    fake_checkov(local, "exit 0")
    assert find_checkov(tmp_path) == str(local / "checkov")
    monkeypatch.setenv("GITOPS_CHECKOV", "/opt/checkov/bin/checkov")
    assert find_checkov(tmp_path) == "/opt/checkov/bin/checkov"
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("GITOPS_CHECKOV")
    shutil.rmtree(tmp_path / ".venv-checkov")
    assert find_checkov(tmp_path) is None


# --- terraform fmt -----------------------------------------------------------------------------


@pytest.mark.integration
def test_unformatted_file_is_go503(terraform: str) -> None:
    findings, notice = terraform_fmt(FIXTURES / "unformatted", REPO_ROOT)
    assert notice is None
    assert findings == [
        Finding(
            "tests/fixtures/terraform/unformatted/main.tf",
            0,
            0,
            "GO503",
            "file is not in canonical Terraform format",
            Severity.WARNING,
            hint="run `terraform fmt` in tests/fixtures/terraform/unformatted",
        )
    ]


@pytest.mark.integration
def test_formatted_module_passes_fmt(terraform: str) -> None:
    assert terraform_fmt(MODULE, REPO_ROOT) == ([], None)


@pytest.mark.integration
def test_fmt_syntax_error_is_a_notice(terraform: str, tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "x" "y" {\n  a =\n')
    findings, notice = terraform_fmt(tmp_path, tmp_path)
    assert findings == []
    assert notice is not None
    assert notice.startswith("terraform fmt -check failed in .: Error: Invalid expression on ")
    assert "CLI configuration" not in notice


def test_absent_terraform_gives_a_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert terraform_fmt(FIXTURES / "unformatted", REPO_ROOT) == (
        [],
        "terraform not installed: skipped terraform fmt -check",
    )
    assert FMT_MISSING == "terraform not installed: skipped terraform fmt -check"


def test_fmt_leaves_directories_without_tf_alone(tmp_path: Path) -> None:
    assert terraform_fmt(tmp_path, tmp_path) == ([], None)


def test_terraform_rules_are_registered() -> None:
    for rule_id, name, severity in (
        ("GO501", "terraform-checkov", Severity.ERROR),
        ("GO502", "checkov-skip-without-reason", Severity.ERROR),
        ("GO503", "terraform-fmt", Severity.WARNING),
        ("GO504", "checkov-kubernetes", Severity.WARNING),
    ):
        info = catalog.TERRAFORM[rule_id]
        assert (info.name, info.severity) == (name, severity)
        assert "Fix" in info.doc, f"{rule_id}'s doc says how to fix it"


def test_bootstrap_skips_a_working_checkov(tmp_path: Path) -> None:
    (tmp_path / "venv/bin").mkdir(parents=True)
    fake_checkov(tmp_path / "venv/bin", "echo 3.2.0")
    proc = subprocess.run(
        [str(BOOTSTRAP), str(tmp_path / "venv")], capture_output=True, text=True, check=False
    )
    assert (proc.returncode, proc.stderr) == (0, "")


def test_bootstrap_failure_is_exit_2_with_a_hint(tmp_path: Path) -> None:
    proc = subprocess.run(
        [str(BOOTSTRAP), str(tmp_path / "venv")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHON": "false"},  # `venv` creation fails before any download
    )
    assert proc.returncode == 2
    assert f"error: could not install checkov into {tmp_path / 'venv'}." in proc.stderr
    assert "GITOPS_CHECKOV" in proc.stderr
