"""GO505: every GitHub Actions job that assumes an AWS role through GitHub OIDC presents a token
subject that role's trust policy admits.

The trust policies are written by infra-tf/global from infra-tf/global/github-oidc.yaml (roles and
the subjects each admits; repository variables that hold a role's ARN); the same file is read
here. A job's subject follows from what it runs in: `environment:<name>` for a job with an
`environment`, else the event: `pull_request`, or `ref:refs/heads/<branch>` for pushes, schedules
and dispatches (the default branch unless the push names its branches).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_tools import catalog
from gitops_tools.errors import FatalError
from gitops_tools.findings import Finding
from gitops_tools.yamlio import YamlError, decode_text, load_documents, locate

TRUST_FILE = Path("infra-tf/global/github-oidc.yaml")
WORKFLOWS_DIR = Path(".github/workflows")
CLUSTERS_DIR = Path("clusters")
DEFAULT_BRANCH = "main"
_ACTION = "aws-actions/configure-aws-credentials"
_ROLE_IN_ARN = re.compile(r":role/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)$")
_VARIABLE = re.compile(r"^\$\{\{\s*vars\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$")
_INPUT = re.compile(r"^\$\{\{\s*(?:github\.event\.)?inputs\.([A-Za-z_][\w-]*)\s*\}\}$")
_MATRIX = re.compile(r"^\$\{\{\s*matrix\.([A-Za-z_][\w-]*)\s*\}\}$")
_EVENT_IS = re.compile(r"github\.event_name\s*(==|!=)\s*'([a-z_]+)'")
_BRANCH_EVENTS = ("schedule", "workflow_dispatch", "workflow_run", "repository_dispatch")


@dataclass(frozen=True)
class Trust:
    roles: Mapping[str, tuple[str, ...]]  # role name -> admitted subjects ({env} unexpanded)
    variables: Mapping[str, str]  # vars.NAME -> role name
    environments: frozenset[str]  # what {env} stands for: clusters/<env>/

    def admits(self, role: str, subject: str) -> bool:
        return any(
            subject == s or subject in {s.replace("{env}", env) for env in self.environments}
            for s in self.roles[role]
        )


def check_workflow_oidc(repo_root: Path) -> list[Finding]:
    """GO505 findings of every workflow under .github/workflows/ (none without the trust file)."""
    trust_path = repo_root / TRUST_FILE
    workflows = sorted(
        p for p in (repo_root / WORKFLOWS_DIR).glob("*") if p.suffix in (".yaml", ".yml")
    )
    if not trust_path.is_file() or not workflows:
        return []
    trust = load_trust(trust_path, repo_root)
    findings: list[Finding] = []
    for path in workflows:
        findings.extend(_check_workflow(path, path.relative_to(repo_root).as_posix(), trust))
    return sorted(findings)


def load_trust(path: Path, repo_root: Path) -> Trust:
    shown = path.relative_to(repo_root).as_posix()
    data, _ = _load(path, shown)
    roles = data.get("roles") if isinstance(data, dict) else None
    if not isinstance(roles, dict) or not all(
        isinstance(r, dict) and isinstance(r.get("subjects"), list) for r in roles.values()
    ):
        raise FatalError(
            f"{shown}: expected `roles:` mapping each role name to `subjects: [...]`",
            "see the comment at the top of infra-tf/global/github-oidc.yaml",
        )
    variables = data.get("variables") or {}
    if not isinstance(variables, dict) or not all(v in roles for v in variables.values()):
        raise FatalError(
            f"{shown}: `variables:` must map variable names to roles listed under `roles:`"
        )
    environments = frozenset(
        p.parent.name for p in (repo_root / CLUSTERS_DIR).glob("*/cluster.yaml")
    )
    return Trust(
        {name: tuple(str(s) for s in role["subjects"]) for name, role in roles.items()},
        {str(k): str(v) for k, v in variables.items()},
        environments,
    )


def _load(path: Path, shown: str) -> tuple[Any, str]:
    try:
        text = decode_text(path.read_bytes())
        docs = load_documents(text)
    except OSError as exc:
        raise FatalError(f"{shown}: cannot read: {exc.strerror}") from None
    except YamlError as exc:
        raise FatalError(f"{shown}:{exc.line}:{exc.column}: {exc.message}") from None
    return (docs[0] if docs else None), text


def _check_workflow(path: Path, shown: str, trust: Trust) -> Iterator[Finding]:
    workflow, text = _load(path, shown)
    if not isinstance(workflow, dict) or not isinstance(workflow.get("jobs"), dict):
        return
    # `on` reads as the YAML 1.1 boolean: "true" as Kubernetes decodes keys, True for PyYAML
    triggers = _triggers(workflow.get("on", workflow.get("true", workflow.get(True))))
    for job_id, job in workflow["jobs"].items():
        if not isinstance(job, dict):
            continue
        for index, step in enumerate(job.get("steps") or []):
            role_ref = _assumed_role(step)
            if role_ref is not None:
                where = ["jobs", job_id, "steps", index, "with", "role-to-assume"]
                line, _ = locate(text, 0, where)
                for message, hint in _problems(job, workflow, triggers, role_ref, trust):
                    yield Finding(
                        shown,
                        line,
                        0,
                        catalog.WORKFLOW_OIDC_SUBJECT.id,
                        f"job `{job_id}`: {message}",
                        severity=catalog.WORKFLOW_OIDC_SUBJECT.severity,
                        hint=hint,
                    )


def _problems(
    job: dict[str, Any],
    workflow: dict[str, Any],
    triggers: dict[str, Any],
    role_ref: str,
    trust: Trust,
) -> Iterator[tuple[str, str]]:
    """(message, hint) of each reason the job cannot assume the role it names."""
    role = _role_name(role_ref, trust)
    if role is None or role not in trust.roles:
        what = f"role `{role}`" if role else f"`{role_ref}`"
        yield (
            f"assumes {what}, which {TRUST_FILE} does not list, so its trust policy cannot be "
            "checked",
            "name the role in the ARN (`arn:aws:iam::<account>:role/<name>`) or map the variable "
            f"under `variables:` in {TRUST_FILE}, and list the role under `roles:`",
        )
        return
    if not _grants_id_token(job, workflow):
        yield (
            "assumes an AWS role through OIDC without `permissions: id-token: write`",
            "add `permissions: {id-token: write, contents: read}` to the job",
        )
    subjects = _subjects(job, triggers)
    if subjects is None:
        yield (
            f"runs in environment `{_environment(job)}`, which cannot be resolved to names, so "
            "its token subject cannot be checked",
            "name the environment, or take it from a `choice` input or a literal matrix",
        )
        return
    for subject in subjects:
        if not trust.admits(role, subject):
            yield (
                f"assumes `{role}` with the token subject `{subject}`, which its trust policy "
                f"does not admit ({', '.join(trust.roles[role])}): AWS refuses it",
                _hint(role, subject, trust),
            )


def _assumed_role(step: Any) -> str | None:
    if not isinstance(step, dict) or not str(step.get("uses", "")).startswith(_ACTION + "@"):
        return None
    given = step.get("with") or {}
    if not isinstance(given, dict) or "aws-access-key-id" in given:
        return None  # static keys, not OIDC
    role = given.get("role-to-assume")
    return str(role).strip() if role else None


def _role_name(reference: str, trust: Trust) -> str | None:
    arn = _ROLE_IN_ARN.search(reference)
    if arn:
        return arn.group(1)
    variable = _VARIABLE.match(reference)
    return trust.variables.get(variable.group(1)) if variable else None


def _grants_id_token(job: dict[str, Any], workflow: dict[str, Any]) -> bool:
    permissions = job["permissions"] if "permissions" in job else workflow.get("permissions")
    if permissions == "write-all":
        return True
    return isinstance(permissions, dict) and permissions.get("id-token") == "write"


def _environment(job: dict[str, Any]) -> str | None:
    environment = job.get("environment")
    if isinstance(environment, dict):
        environment = environment.get("name")
    return None if environment is None else str(environment)


def _subjects(job: dict[str, Any], triggers: dict[str, Any]) -> list[str] | None:
    """The token subjects the job can present; None when its environment is an expression
    this check cannot resolve."""
    environment = _environment(job)
    if environment is not None:
        names = _expand(environment, job, triggers)
        return None if names is None else [f"environment:{name}" for name in names]
    subjects = []
    for event, config in _narrowed(triggers, str(job.get("if", ""))).items():
        if event in ("pull_request", "pull_request_target"):
            subjects.append("pull_request")
        elif event == "push":
            branches = (config or {}).get("branches") if isinstance(config, dict) else None
            tags = (config or {}).get("tags") if isinstance(config, dict) else None
            literal = [b for b in branches or [] if not any(c in str(b) for c in "*?[!")]
            subjects += [f"ref:refs/heads/{b}" for b in literal]
            subjects += [f"ref:refs/tags/{t}" for t in tags or [] if "*" not in str(t)]
            if not branches and not tags:
                subjects.append(f"ref:refs/heads/{DEFAULT_BRANCH}")
        elif event in _BRANCH_EVENTS:
            subjects.append(f"ref:refs/heads/{DEFAULT_BRANCH}")
    return sorted(set(subjects))


def _expand(value: str, job: dict[str, Any], triggers: dict[str, Any]) -> list[str] | None:
    if "${{" not in value:
        return [value]
    match = _INPUT.match(value)
    if match:
        dispatch = triggers.get("workflow_dispatch") or {}
        spec = ((dispatch.get("inputs") or {}) if isinstance(dispatch, dict) else {}).get(
            match.group(1)
        )
        options = spec.get("options") if isinstance(spec, dict) else None
        return [str(o) for o in options] if isinstance(options, list) and options else None
    match = _MATRIX.match(value)
    matrix = (job.get("strategy") or {}).get("matrix") if isinstance(job, dict) else None
    if match and isinstance(matrix, dict):
        key = match.group(1)
        listed = matrix.get(key)
        values: list[Any] = list(listed) if isinstance(listed, list) else []
        values += [i[key] for i in matrix.get("include") or [] if isinstance(i, dict) and key in i]
        if values and all(isinstance(v, str) and "${{" not in v for v in values):
            return sorted(set(values))
    return None


def _triggers(on: Any) -> dict[str, Any]:
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {str(event): None for event in on}
    return {str(k): v for k, v in on.items()} if isinstance(on, dict) else {}


def _narrowed(triggers: dict[str, Any], condition: str) -> dict[str, Any]:
    """The events a job runs for, given a plain `github.event_name ==/!= 'x'` condition."""
    for operator, event in _EVENT_IS.findall(condition):
        if operator == "==":
            triggers = {k: v for k, v in triggers.items() if k == event}
        else:
            triggers = {k: v for k, v in triggers.items() if k != event}
    return triggers


def _hint(role: str, subject: str, trust: Trust) -> str:
    where = f"roles.{role}.subjects in {TRUST_FILE}, then apply infra-tf/global"
    if subject.startswith("environment:") or not any(
        s.startswith("environment:") for s in trust.roles[role]
    ):
        return f"admit `{subject}`: add it to {where}"
    return (
        f"run the job in a GitHub environment (`environment: <env>`): {role} admits "
        f"{', '.join(trust.roles[role])}; or add `{subject}` to {where}"
    )
