"""The registry of rule metadata: stable IDs (never reused), titles, default severities, docs.

The core rules below come from rendering, loading and schema validation; policy rules register
here too, so every format (SARIF's rule table, `gitops explain`) reads one source.
"""

from __future__ import annotations

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


REGISTRY: dict[str, RuleInfo] = {}


def register(info: RuleInfo) -> RuleInfo:
    if info.id in REGISTRY:
        raise ValueError(f"rule ID {info.id} registered twice")
    REGISTRY[info.id] = info
    return info


RENDER_FAILED = register(
    RuleInfo(
        "GO001",
        "render-failed",
        "Kustomization does not build",
        Severity.ERROR,
        "`kustomize build` (or `kubectl kustomize`) failed for an entry point, so nothing in it "
        "could be checked. Argo CD would fail the same way and stop syncing the Application. "
        "Fix: run `kubectl kustomize DIR` and fix what it names.",
        input_error=True,
    )
)
YAML_INVALID = register(
    RuleInfo(
        "GO002",
        "yaml-invalid",
        "File is not valid YAML or JSON",
        Severity.ERROR,
        "The file cannot be read as Kubernetes manifests: malformed YAML, a duplicate key (the "
        "API server's strict decoding rejects it), an alias bomb, binary or non-UTF-8 content, "
        "or a file over the size limit. Fix the file at the line named.",
        input_error=True,
    )
)
SCHEMA_VIOLATION = register(
    RuleInfo(
        "GO003",
        "schema-violation",
        "Object does not match its schema",
        Severity.ERROR,
        "The object breaks the schema of its kind for the cluster's Kubernetes version (or "
        "its CRD): an unknown field, a wrong type, a missing required field, a value outside "
        "an enum, a malformed quantity. The API server would reject it and the sync fail. "
        "Fix the field named; `kubectl explain KIND.FIELD` shows what it takes.",
    )
)
SCHEMA_MISSING = register(
    RuleInfo(
        "GO004",
        "schema-missing",
        "No schema for this kind",
        Severity.ERROR,
        "No built-in schema for the apiVersion and kind at this Kubernetes version, no CRD in "
        "the input and none under policies/schemas/. A typo in apiVersion or kind lands here, "
        "as does an apiVersion removed in this Kubernetes version. Fix the apiVersion/kind, or "
        "add the CRD (or a JSON schema with x-kubernetes-group-version-kind) to policies/schemas/.",
    )
)
OBJECT_INVALID = register(
    RuleInfo(
        "GO005",
        "object-invalid",
        "Document is not a Kubernetes object",
        Severity.ERROR,
        "A YAML document that is not a mapping with string `apiVersion`, `kind` and "
        "`metadata.name` (or `generateName`). Fix or remove the document.",
    )
)
APPLICATION_PATH_MISSING = register(
    RuleInfo(
        "GO006",
        "application-path-missing",
        "Argo CD source path does not exist",
        Severity.ERROR,
        "An Application or ApplicationSet points at a path in this repository that does not "
        "exist; Argo CD would report ComparisonError and deploy nothing. Fix the `path`.",
        input_error=True,
    )
)
RULE_CRASHED = register(
    RuleInfo(
        "GO008",
        "rule-crashed",
        "A rule could not check this object",
        Severity.ERROR,
        "A policy rule raised an error on this object (a bug in the rule or an input shape it "
        "did not expect). The object was not checked by that rule. Report it with the object.",
    )
)
EMPTY_FILE = register(
    RuleInfo(
        "GO007",
        "empty-file",
        "Manifest file holds no objects",
        Severity.WARNING,
        "A .yaml/.yml/.json file given to the checker holds no document. Delete it or fill it.",
    )
)
EXEMPTION_EXPIRED = register(
    RuleInfo(
        "GO901",
        "exemption-expired",
        "Exemption has expired",
        Severity.ERROR,
        "An entry of policies/exemptions.yaml is past its `expires` date. It no longer "
        "suppresses anything. Fix the finding it covered, or renew it with a new date and reason.",
    )
)
EXEMPTION_UNUSED = register(
    RuleInfo(
        "GO902",
        "exemption-unused",
        "Exemption matches nothing",
        Severity.WARNING,
        "An entry of policies/exemptions.yaml suppressed no finding in a full check: the problem "
        "was fixed or the target is misspelled. Remove it or correct the target.",
    )
)
TERRAFORM_CHECKOV = register(
    RuleInfo(
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
)
CHECKOV_SKIP_WITHOUT_REASON = register(
    RuleInfo(
        "GO502",
        "checkov-skip-without-reason",
        "checkov skip comment gives no reason",
        Severity.ERROR,
        "A `#checkov:skip=CKV_ID` comment in a Terraform resource turns a check off without "
        "saying why, so reviewers cannot tell an accepted risk from a silenced one. Fix: add "
        "the reason after a colon: `#checkov:skip=CKV_AWS_144:single-region by design (ADR-12)`, "
        "or remove the skip and fix the resource.",
    )
)
TERRAFORM_FMT = register(
    RuleInfo(
        "GO503",
        "terraform-fmt",
        "Terraform file is not formatted",
        Severity.WARNING,
        "`terraform fmt -check` would rewrite this file: indentation, alignment of `=` or "
        "spacing differ from Terraform's canonical style, which makes diffs noisy. Fix: run "
        "`terraform fmt -recursive` in the Terraform directory and commit the result. Skipped "
        "with a notice when terraform is not installed.",
    )
)
CHECKOV_KUBERNETES = register(
    RuleInfo(
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
)

# Helm sources (tools/gitops_tools/helm_check.py)
HELM_NOT_RENDERED = register(
    RuleInfo(
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
)
HELM_RENDER_FAILED = register(
    RuleInfo(
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
)
HELM_VALUES_INVALID = register(
    RuleInfo(
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
)
