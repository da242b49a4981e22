"""Schema validation of loaded objects: every error of every object, as findings at file:line."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import jsonschema_rs

from gitops_tools import catalog
from gitops_tools.findings import Finding, Severity
from gitops_tools.manifests import LoadProblem, Manifest
from gitops_tools.object_findings import Locator, is_secret_field, object_finding
from gitops_tools.schemas import SchemaStore

_QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
_INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"


def dotted(path: Sequence[str | int]) -> str:
    """`spec.containers[0].image` from ["spec", "containers", 0, "image"]."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def schema_errors(
    validator: jsonschema_rs.Validator,
    obj: dict[str, Any],
    hidden: Callable[[Sequence[str | int]], bool] | None = None,
) -> Iterator[tuple[list[str | int], str]]:
    """(field path, message) for every schema error of one object, unknown fields one by one.
    Where `hidden(path)` holds (a Secret's values), the message never shows the value."""
    if validator.is_valid(obj):
        return
    for error in validator.iter_errors(obj):
        path: list[str | int] = list(error.instance_path)
        kind = type(error.kind).__name__
        location = str(getattr(error, "absolute_keyword_location", "") or "")
        if hidden is not None and hidden(path) and kind != "AdditionalProperties":
            yield path, _without_value(error, kind)
        elif kind == "AdditionalProperties":
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


def _without_value(error: Any, kind: str) -> str:
    """A schema error told without the offending value (it is a secret)."""
    value = f"a value of type {_json_type(error.instance)} (not shown)"
    if kind == "Type":
        types = [t for t in _types(error.kind) if t != "null"]
        expected = " or ".join(f'"{t}"' for t in types) or "an allowed type"
        return f"{value} is not of type {expected}"
    return f"{value} does not match the schema ({kind})"


def _types(kind: Any) -> list[str]:
    raw = getattr(kind, "types", None) or []
    if isinstance(raw, str):
        raw = [raw]
    return [str(getattr(t, "value", t)).lower().rsplit(".", 1)[-1] for t in raw]


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "null" if value is None else "string"


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
    sources: Locator,
    missing_schema: Severity = Severity.ERROR,
) -> list[Finding]:
    """GO005/GO004/GO003 findings of every object (paths as loaded; see `object_finding`)."""
    findings: list[Finding] = []
    for m in manifests:
        problem = object_problem(m.obj)
        if problem is not None:
            findings.append(object_finding(m, [], catalog.OBJECT_INVALID.id, problem, sources))
            continue
        validator = store.validator(m.api_version, m.kind)
        if validator is None:
            findings.append(
                object_finding(
                    m,
                    ["kind"],
                    catalog.SCHEMA_MISSING.id,
                    f"no schema for {m.kind} {m.api_version}",
                    sources,
                    severity=missing_schema,
                    hint=f"not a built-in kind of Kubernetes {store.version}: check apiVersion "
                    "and kind; for a custom resource, add its CRD (or a JSON schema with "
                    "x-kubernetes-group-version-kind) to policies/schemas/",
                )
            )
            continue
        hidden = (lambda p, kind=m.kind: is_secret_field(kind, p)) if m.kind else None
        for path, message in schema_errors(validator, m.obj, hidden):
            text = f"{dotted(path)}: {message}" if path else message
            explain = path[:-1] if message == "unknown field" else path
            findings.append(
                object_finding(
                    m,
                    path,
                    catalog.SCHEMA_VIOLATION.id,
                    text,
                    sources,
                    hint=f"see `kubectl explain {_explain_path(m.kind, explain)}` "
                    f"(Kubernetes {store.version})",
                )
            )
    return findings


def _explain_path(kind: str, path: Sequence[str | int]) -> str:
    """What `kubectl explain` takes for `path` of `kind`: list indexes dropped, the kind
    alone for a top-level field."""
    return ".".join([kind.lower(), *(p for p in path if isinstance(p, str))])


def problem_findings(problems: Iterable[LoadProblem], env: str = "") -> list[Finding]:
    """Files and documents that yielded no object: unreadable, malformed, empty."""
    return [
        Finding(
            path=str(p.path),
            line=p.line,
            column=p.column,
            rule_id=p.rule_id,
            message=p.message,
            severity=catalog.CORE[p.rule_id].severity,
            env=env,
        )
        for p in problems
    ]
