"""GO505: workflow jobs that assume an AWS role through GitHub OIDC vs the roles' trust."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gitops_tools import catalog
from gitops_tools.errors import FatalError
from gitops_tools.findings import Finding, Severity
from gitops_tools.workflow_oidc import TRUST_FILE, check_workflow_oidc

from .conftest import REPO_ROOT

FIXTURES = REPO_ROOT / "tests/fixtures/terraform/oidc"
IMAGES = ".github/workflows/images.yaml"
TRUST = (
    "roles.gitops-ecr-push.subjects in infra-tf/global/github-oidc.yaml, then apply infra-tf/global"
)


def go505(path: str, line: int, message: str, hint: str) -> Finding:
    return Finding(path, line, 0, "GO505", message, Severity.ERROR, hint=hint)


def test_the_repositorys_workflows_get_tokens_their_roles_admit() -> None:
    assert check_workflow_oidc(REPO_ROOT) == []


def test_pass_fixture_is_clean() -> None:
    assert check_workflow_oidc(FIXTURES / "pass") == []


def test_fail_fixture_findings() -> None:
    assert check_workflow_oidc(FIXTURES / "fail") == [
        go505(
            IMAGES,
            21,
            "job `push-image`: assumes `gitops-ecr-push` with the token subject "
            "`ref:refs/heads/main`, which its trust policy does not admit (environment:{env}): "
            "AWS refuses it",
            "run the job in a GitHub environment (`environment: <env>`): gitops-ecr-push admits "
            f"environment:{{env}}; or add `ref:refs/heads/main` to {TRUST}",
        ),
        go505(
            IMAGES,
            30,
            "job `qa`: assumes `gitops-ecr-push` with the token subject `environment:qa`, which "
            "its trust policy does not admit (environment:{env}): AWS refuses it",
            f"admit `environment:qa`: add it to {TRUST}",
        ),
        go505(
            IMAGES,
            39,
            "job `anywhere`: runs in environment `${{ inputs.target }}`, which cannot be "
            "resolved to names, so its token subject cannot be checked",
            "name the environment, or take it from a `choice` input or a literal matrix",
        ),
        go505(
            IMAGES,
            47,
            "job `unknown-role`: assumes `${{ vars.DEPLOY_ROLE_ARN }}`, which "
            "infra-tf/global/github-oidc.yaml does not list, so its trust policy cannot be "
            "checked",
            "name the role in the ARN (`arn:aws:iam::<account>:role/<name>`) or map the variable "
            "under `variables:` in infra-tf/global/github-oidc.yaml, and list the role under "
            "`roles:`",
        ),
        go505(
            IMAGES,
            58,
            "job `plan`: assumes an AWS role through OIDC without `permissions: id-token: write`",
            "add `permissions: {id-token: write, contents: read}` to the job",
        ),
    ]


def test_a_branch_only_trust_refuses_environment_jobs(tmp_path: Path) -> None:
    """Issue 19's defect: the image role trusted only main, promote runs in an environment."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "pass", repo)
    trust = repo / TRUST_FILE
    trust.write_text(trust.read_text().replace('["environment:{env}"]', '["ref:refs/heads/main"]'))
    found = [(f.path, f.line, f.message.split(" with ")[-1]) for f in check_workflow_oidc(repo)]
    assert found == [
        (
            ".github/workflows/plan.yaml",
            28,
            "the token subject `environment:prod`, which its trust policy does not admit "
            "(ref:refs/heads/main): AWS refuses it",
        ),
        (
            ".github/workflows/promote.yaml",
            19,
            "the token subject `environment:prod`, which its trust policy does not admit "
            "(ref:refs/heads/main): AWS refuses it",
        ),
        (
            ".github/workflows/promote.yaml",
            19,
            "the token subject `environment:staging`, which its trust policy does not admit "
            "(ref:refs/heads/main): AWS refuses it",
        ),
    ]


def test_without_trust_file_nothing_is_checked(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "fail", tmp_path / "repo")
    (tmp_path / "repo" / TRUST_FILE).unlink()
    assert check_workflow_oidc(tmp_path / "repo") == []


def test_malformed_trust_file_is_one_clear_error(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "pass", tmp_path / "repo")
    (tmp_path / "repo" / TRUST_FILE).write_text("roles:\n  gitops-ecr-push: [environment:dev]\n")
    with pytest.raises(FatalError) as exc:
        check_workflow_oidc(tmp_path / "repo")
    assert exc.value.message == (
        "infra-tf/global/github-oidc.yaml: expected `roles:` mapping each role name to "
        "`subjects: [...]`"
    )


def test_rule_is_registered_and_documented() -> None:
    info = catalog.BUILTIN["GO505"]
    assert (info.name, info.severity) == ("workflow-oidc-subject", Severity.ERROR)
    assert "Fix" in info.doc
