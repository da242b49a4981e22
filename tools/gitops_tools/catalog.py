"""The rule catalog: stable IDs (never reused), names, titles, default severities, docs.

One type, `RuleInfo`, for every rule: the core rules below (rendering, loading, schema
validation, exemptions: GO0xx, GO9xx), the Terraform rules (GO5xx), and the policy rules
(`policy.model.Rule` extends it with the check). A `Catalog` is built from explicit lists, never
by import side effects: `BUILTIN` here, the full one by `policy.registry.catalog()`. Docs,
SARIF's rule table and the exit code read the catalog they are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from gitops_tools.findings import Severity


@dataclass(frozen=True)
class RuleInfo:
    id: str
    name: str
    title: str
    severity: Severity
    doc: str
    input_error: bool = False  # the input could not be checked at all: exit code 2


class Catalog(Mapping[str, RuleInfo]):
    """Rules by ID, iterated in ID order; an ID given twice is a programming error."""

    def __init__(self, rules: Iterable[RuleInfo]) -> None:
        by_id: dict[str, RuleInfo] = {}
        for rule in rules:
            if rule.id in by_id:
                raise ValueError(f"rule ID {rule.id} given twice")
            by_id[rule.id] = rule
        self._by_id = dict(sorted(by_id.items()))

    def __getitem__(self, rule_id: str) -> RuleInfo:
        return self._by_id[rule_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def __add__(self, other: Catalog) -> Catalog:
        return Catalog([*self.values(), *other.values()])

    def is_input_error(self, rule_id: str) -> bool:
        rule = self._by_id.get(rule_id)
        return rule is not None and rule.input_error


RENDER_FAILED = RuleInfo(
    "GO001",
    "render-failed",
    "Kustomization does not build",
    Severity.ERROR,
    "`kustomize build` (or `kubectl kustomize`) failed for an entry point, so nothing in it "
    "could be checked. Argo CD would fail the same way and stop syncing the Application. "
    "Fix: run `kubectl kustomize DIR` and fix what it names.",
    input_error=True,
)
YAML_INVALID = RuleInfo(
    "GO002",
    "yaml-invalid",
    "File is not valid YAML or JSON",
    Severity.ERROR,
    "The file cannot be read as Kubernetes manifests: malformed YAML, a duplicate key (the "
    "API server's strict decoding rejects it), an alias bomb, binary or non-UTF-8 content, "
    "or a file over the size limit. Fix the file at the line named.",
    input_error=True,
)
SCHEMA_VIOLATION = RuleInfo(
    "GO003",
    "schema-violation",
    "Object does not match its schema",
    Severity.ERROR,
    "The object breaks the schema of its kind for the cluster's Kubernetes version (or "
    "its CRD): an unknown field, a wrong type, a missing required field, a value outside "
    "an enum, a malformed quantity. The API server would reject it and the sync fail. "
    "Fix the field named; `kubectl explain KIND.FIELD` shows what it takes.",
)
SCHEMA_MISSING = RuleInfo(
    "GO004",
    "schema-missing",
    "No schema for this kind",
    Severity.ERROR,
    "No built-in schema for the apiVersion and kind at this Kubernetes version, no CRD in "
    "the input and none under policies/schemas/. A typo in apiVersion or kind lands here, "
    "as does an apiVersion removed in this Kubernetes version. Fix the apiVersion/kind, or "
    "add the CRD (or a JSON schema with x-kubernetes-group-version-kind) to policies/schemas/.",
)
OBJECT_INVALID = RuleInfo(
    "GO005",
    "object-invalid",
    "Document is not a Kubernetes object",
    Severity.ERROR,
    "A YAML document that is not a mapping with string `apiVersion`, `kind` and "
    "`metadata.name` (or `generateName`). Fix or remove the document.",
)
APPLICATION_PATH_MISSING = RuleInfo(
    "GO006",
    "application-path-missing",
    "Argo CD source path does not exist",
    Severity.ERROR,
    "An Application or ApplicationSet points at a path in this repository that does not "
    "exist; Argo CD would report ComparisonError and deploy nothing. Fix the `path`.",
    input_error=True,
)
RULE_CRASHED = RuleInfo(
    "GO008",
    "rule-crashed",
    "A rule could not check this object",
    Severity.ERROR,
    "A policy rule raised an error on this object (a bug in the rule or an input shape it "
    "did not expect). The object was not checked by that rule. Report it with the object.",
)
EMPTY_FILE = RuleInfo(
    "GO007",
    "empty-file",
    "Manifest file holds no objects",
    Severity.WARNING,
    "A .yaml/.yml/.json file given to the checker holds no document. Delete it or fill it.",
)
EXEMPTION_EXPIRED = RuleInfo(
    "GO901",
    "exemption-expired",
    "Exemption has expired",
    Severity.ERROR,
    "An entry of policies/exemptions.yaml is past its `expires` date. It no longer "
    "suppresses anything. Fix the finding it covered, or renew it with a new date and reason.",
)
EXEMPTION_UNUSED = RuleInfo(
    "GO902",
    "exemption-unused",
    "Exemption matches nothing",
    Severity.WARNING,
    "An entry of policies/exemptions.yaml suppressed no finding in a full check: the problem "
    "was fixed or the target is misspelled. Remove it or correct the target.",
)
TERRAFORM_CHECKOV = RuleInfo(
    "GO501",
    "terraform-checkov",
    "Terraform resource fails a checkov check",
    Severity.ERROR,
    "checkov (run offline, `--framework terraform`) found a misconfiguration in a Terraform "
    "resource: for example an S3 bucket without versioning, KMS encryption or a public "
    "access block. The message names checkov's check ID and the resource address. Also "
    "reported under this ID: a .tf file checkov could not parse, so none of its resources "
    "were checked. Fix the resource as the check asks (checkov's guideline, when shown, "
    "says how); if the check does not apply, skip it inside the resource with a reason: "
    "`#checkov:skip=CKV_AWS_21:logs are write-once, versioning adds nothing`.",
)
CHECKOV_SKIP_WITHOUT_REASON = RuleInfo(
    "GO502",
    "checkov-skip-without-reason",
    "checkov skip comment gives no reason",
    Severity.ERROR,
    "A `#checkov:skip=CKV_ID` comment in a Terraform resource turns a check off without "
    "saying why, so reviewers cannot tell an accepted risk from a silenced one. Fix: add "
    "the reason after a colon: `#checkov:skip=CKV_AWS_144:single-region by design (ADR-12)`, "
    "or remove the skip and fix the resource.",
)
TERRAFORM_FMT = RuleInfo(
    "GO503",
    "terraform-fmt",
    "Terraform file is not formatted",
    Severity.WARNING,
    "`terraform fmt -check` would rewrite this file: indentation, alignment of `=` or "
    "spacing differ from Terraform's canonical style, which makes diffs noisy. Fix: run "
    "`terraform fmt -recursive` in the Terraform directory and commit the result. Skipped "
    "with a notice when terraform is not installed.",
)
CHECKOV_KUBERNETES = RuleInfo(
    "GO504",
    "checkov-kubernetes",
    "Rendered object fails a checkov Kubernetes check",
    Severity.WARNING,
    "With `--checkov-k8s`, the rendered manifests are also scanned by checkov's Kubernetes "
    "checks (for example CKV_K8S_8 liveness probe, CKV_K8S_43 image digest). They overlap "
    "the built-in policy rules and are advisory. Fix the object in its source file, or "
    "skip the check on the object with an annotation "
    "`checkov.io/skip1: CKV_K8S_43=pinned by tag on purpose`.",
)


# Helm sources (tools/gitops_tools/helm_check.py)
HELM_NOT_RENDERED = RuleInfo(
    "GO009",
    "helm-source-not-rendered",
    "Helm source not rendered: chart not cached or helm missing",
    Severity.WARNING,
    "An Argo CD Helm source (or a kustomize `helmCharts` entry) could not be rendered "
    "offline: its chart is not in the chart cache (`.cache/charts`) and could not be pulled, "
    "or helm is not installed. Nothing the chart would deploy was validated or "
    "policy-checked. Fix: run `gitops charts pull` where the network reaches the chart "
    "repository (CI keeps `.cache/charts` between runs), or `make setup` for helm.",
)
HELM_RENDER_FAILED = RuleInfo(
    "GO010",
    "helm-render-failed",
    "Helm chart does not render",
    Severity.ERROR,
    "`helm template` failed for an Argo CD Helm source with its values, release name, "
    "namespace and the cluster's Kubernetes version: a template error, a `required` value "
    "left out, a schema error in a subchart. Argo CD would fail the same way. Fix what "
    "helm names (the message carries its words).",
    input_error=True,
)
HELM_VALUES_INVALID = RuleInfo(
    "GO011",
    "helm-values-invalid",
    "Helm values do not match the chart's values.schema.json",
    Severity.ERROR,
    "The values an Application gives a chart (values files, `values`, `valuesObject`, "
    "`parameters`, merged over the chart's defaults) break the chart's values.schema.json: "
    "a misspelled key, a wrong type, a value outside an enum. helm refuses to render "
    "them, so Argo CD would not sync. Reported at the line that set the value. Fix the "
    "value as the chart's schema says.",
)


CORE = Catalog(
    [
        RENDER_FAILED,
        YAML_INVALID,
        SCHEMA_VIOLATION,
        SCHEMA_MISSING,
        OBJECT_INVALID,
        APPLICATION_PATH_MISSING,
        EMPTY_FILE,
        RULE_CRASHED,
        HELM_NOT_RENDERED,
        HELM_RENDER_FAILED,
        HELM_VALUES_INVALID,
        EXEMPTION_EXPIRED,
        EXEMPTION_UNUSED,
    ]
)
WORKFLOW_OIDC_SUBJECT = RuleInfo(
    "GO505",
    "workflow-oidc-subject",
    "Workflow job assumes an AWS role whose trust policy refuses its token",
    Severity.ERROR,
    "A job of .github/workflows/ assumes an AWS role through GitHub OIDC "
    "(aws-actions/configure-aws-credentials with role-to-assume), but the token subject it "
    "presents is not one that role's trust policy admits, so AWS refuses the "
    "AssumeRoleWithWebIdentity call and the job fails. The trust policies come from "
    "infra-tf/global/github-oidc.yaml (roles, their subjects, the variables holding their "
    "ARNs). A job with `environment: X` presents `environment:X`, whatever its branch; other "
    "jobs present `pull_request` or `ref:refs/heads/<branch>`. Also reported: a role the file "
    "does not list (or a `vars.NAME` it does not map), an environment expression that "
    "cannot be resolved, and a job without `permissions: id-token: write`. Fix: add the "
    "subject to the role in infra-tf/global/github-oidc.yaml and apply infra-tf/global, or "
    "run the job in the environment the role admits.",
)
TERRAFORM = Catalog(
    [
        TERRAFORM_CHECKOV,
        CHECKOV_SKIP_WITHOUT_REASON,
        TERRAFORM_FMT,
        CHECKOV_KUBERNETES,
        WORKFLOW_OIDC_SUBJECT,
    ]
)
BUILTIN = CORE + TERRAFORM  # what `gitops validate` and the Terraform scan can report
