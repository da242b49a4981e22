"""Schema validation of loaded objects: every error of every object, as findings at file:line."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import jsonschema_rs

from gitops_tools import rules
from gitops_tools.findings import Finding, Severity
from gitops_tools.locations import SourceIndex
from gitops_tools.manifests import LoadProblem, Manifest
from gitops_tools.schemas import SchemaStore

Display = Callable[[Path], str]
_QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
_INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"


def dotted(path: Sequence[str | int]) -> str:
    """`spec.containers[0].image` from ["spec", "containers", 0, "image"]."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def schema_errors(
    validator: jsonschema_rs.Validator, obj: dict[str, Any]
) -> Iterator[tuple[list[str | int], str]]:
    """(field path, message) for every schema error of one object, unknown fields one by one."""
    if validator.is_valid(obj):
        return
    for error in validator.iter_errors(obj):
        path: list[str | int] = list(error.instance_path)
        kind = type(error.kind).__name__
        location = str(getattr(error, "absolute_keyword_location", "") or "")
        if kind == "AdditionalProperties":
            for field in error.kind.unexpected:  # type: ignore[attr-defined]
                yield [*path, field], "unknown field"
        elif kind == "Enum":
            options = error.kind.options  # type: ignore[attr-defined]
            options = ", ".join(repr(o) for o in options if o is not None)
            yield path, f"{error.instance!r} is not one of {options}"
        elif kind == "Required":
            missing = error.message.split('"')[1] if '"' in error.message else error.message
            yield path, f"missing required field {missing!r}"
        elif _QUANTITY in location:
            yield path, f"{error.instance!r} is not a quantity (like 500m, 2, 1.5Gi or 128Mi)"
        elif _INT_OR_STRING in location:
            yield path, f"{error.instance!r} is neither an integer nor a string"
        else:
            yield path, _without_null(error.message)


def _without_null(message: str) -> str:
    """The bundled schemas allow null everywhere; saying so in every message is noise."""
    message = message.replace('"null", ', "").replace(', "null"', "")
    return re.sub(r'is not of types ("[^"]+")$', r"is not of type \1", message)


def object_problem(obj: dict[str, Any]) -> str | None:
    """Why a mapping is not a Kubernetes object, or None."""
    for field in ("apiVersion", "kind"):
        if not isinstance(obj.get(field), str) or not obj[field]:
            return f"document has no {field}"
    metadata = obj.get("metadata")
    if not isinstance(metadata, dict) or not (metadata.get("name") or metadata.get("generateName")):
        return f"{obj['kind']} has no metadata.name"
    return None


def validate_manifests(
    manifests: Iterable[Manifest],
    store: SchemaStore,
    display: Display,
    sources: SourceIndex,
    missing_schema: Severity = Severity.ERROR,
) -> list[Finding]:
    findings: list[Finding] = []
    for m in manifests:
        problem = object_problem(m.obj)
        if problem is not None:
            findings.append(_finding(m, [], rules.OBJECT_INVALID.id, problem, display, sources))
            continue
        validator = store.validator(m.api_version, m.kind)
        if validator is None:
            findings.append(
                _finding(
                    m,
                    ["kind"],
                    rules.SCHEMA_MISSING.id,
                    f"no schema for {m.kind} {m.api_version}",
                    display,
                    sources,
                    severity=missing_schema,
                    hint=f"not a built-in kind of Kubernetes {store.version}: check apiVersion "
                    "and kind; for a custom resource, add its CRD (or a JSON schema with "
                    "x-kubernetes-group-version-kind) to policies/schemas/",
                )
            )
            continue
        for path, message in schema_errors(validator, m.obj):
            text = f"{dotted(path)}: {message}" if path else message
            explain = path[:-1] if message == "unknown field" else path
            findings.append(
                _finding(
                    m,
                    path,
                    rules.SCHEMA_VIOLATION.id,
                    text,
                    display,
                    sources,
                    hint=f"see `kubectl explain {m.kind.lower()}.{_explain_path(explain)}` "
                    f"(Kubernetes {store.version})",
                )
            )
    return findings


def _explain_path(path: Sequence[str | int]) -> str:
    return ".".join(str(p) for p in path if isinstance(p, str)) or "spec"


def _finding(
    m: Manifest,
    path: Sequence[str | int],
    rule_id: str,
    message: str,
    display: Display,
    sources: SourceIndex,
    severity: Severity = Severity.ERROR,
    hint: str = "",
) -> Finding:
    file, line, column = sources.position(m, path)
    return Finding(
        path=display(file),
        line=line,
        column=column,
        rule_id=rule_id,
        message=message,
        severity=severity,
        env=m.env or "",
        api_version=m.api_version,
        kind=m.kind,
        namespace=m.namespace,
        name=m.name,
        hint=hint,
    )


def problem_findings(
    problems: Iterable[LoadProblem], display: Display, env: str = ""
) -> list[Finding]:
    """Files and documents that yielded no object: unreadable, malformed, empty."""
    return [
        Finding(
            path=display(p.path),
            line=p.line,
            column=p.column,
            rule_id=p.rule_id,
            message=p.message,
            severity=rules.REGISTRY[p.rule_id].severity,
            env=env,
        )
        for p in problems
    ]
