"""What a Helm source feeds its chart: the cluster's API versions, and the merged values checked
against the chart's `values.schema.json`, each error at the line of the values file (or the
Application field) that set the value."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from gitops_tools import catalog
from gitops_tools.findings import Finding
from gitops_tools.helm import HelmSource
from gitops_tools.helm_findings import source_finding
from gitops_tools.validate import dotted, schema_errors
from gitops_tools.yamlio import YamlError, decode_text, load_documents, locate

_MISSING: list[Any] = []
_ALPHA = re.compile(r"v\d+alpha\d+$")
Layer = tuple[Any, Path | None, str, tuple[str | int, ...]]  # data, file, text, field in app


@cache
def api_versions(kubernetes_version: str, repo_root: Path) -> tuple[str, ...]:
    """`--api-versions` for a cluster: built-in group/versions and group/version/kinds of its
    Kubernetes version (no alpha APIs) and the custom resources of policies/schemas/."""
    from gitops_tools.schemas import builtin_kinds, schema_dir_schemas

    kinds = set(builtin_kinds(kubernetes_version))
    kinds |= set(schema_dir_schemas(repo_root / "policies" / "schemas"))
    found = set()
    for group, version, kind in kinds:
        if _ALPHA.match(version):
            continue
        group_version = f"{group}/{version}" if group else version
        found.update({group_version, f"{group_version}/{kind}"})
    return tuple(sorted(found))


def _load_yaml(path: Path) -> tuple[Any, str] | None:
    try:
        text = decode_text(path.read_bytes())
        docs = load_documents(text)
    except (OSError, YamlError):
        return None
    return (docs[0] if docs else None), text


def merge(base: Any, overlay: Any) -> Any:
    """Helm's coalescing of values: maps merge key by key, null removes, the rest replaces."""
    if not isinstance(base, dict) or not isinstance(overlay, dict):
        return overlay
    merged = dict(base)
    for key, value in overlay.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge(merged.get(key), value)
    return merged


def _set_path(name: str) -> list[str | int]:
    """`a.b[0].c` (Helm's --set syntax, escaped dots kept) as a path."""
    path: list[str | int] = []
    for part in re.split(r"(?<!\\)\.", name):
        match = re.fullmatch(r"(.*?)((?:\[\d+\])*)", part.replace("\\.", "."))
        key, indexes = (match.group(1), match.group(2)) if match else (part, "")
        if key:
            path.append(key)
        path.extend(int(i) for i in re.findall(r"\[(\d+)\]", indexes))
    return path


def _nested(path: list[str | int], value: Any) -> Any:
    for step in reversed(path):
        value = {step: value} if isinstance(step, str) else [value]
    return value


def _depth(data: Any, path: list[str | int]) -> int:
    """How many steps of `path` exist in `data`."""
    depth = 0
    for step in path:
        try:
            data = data[step] if isinstance(data, (dict, list)) else _MISSING[0]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            break
        depth += 1
    return depth


def _layers(source: HelmSource) -> list[Layer]:
    layers: list[Layer] = []
    for value_file in source.value_files:
        loaded = _load_yaml(value_file.path) if value_file.path else None
        if loaded is not None:
            layers.append((loaded[0], value_file.path, loaded[1], ()))
    if source.values_yaml:
        try:
            docs = load_documents(source.values_yaml)
        except YamlError:
            docs = []
        field = ("helm", source.values_field)
        layers.append((docs[0] if docs else None, None, "", field))
    for index, (name, value, _) in enumerate(source.parameters):
        layers.append((_nested(_set_path(name), value), None, "", ("helm", "parameters", index)))
    return layers


def check_values(source: HelmSource, chart: Path, repo_root: Path, env: str) -> list[Finding]:
    """Findings for every way the merged values break the chart's values.schema.json."""
    from gitops_tools.fileio import display

    schema_file = chart / "values.schema.json"
    if source.skip_schema_validation or not schema_file.is_file():
        return []
    try:
        validator = jsonschema_rs.validator_for(json.loads(schema_file.read_text()))
    except (OSError, ValueError, jsonschema_rs.ReferencingError):
        return []  # helm reports a broken schema itself when it renders
    defaults = _load_yaml(chart / "values.yaml")
    merged: Any = defaults[0] if defaults and isinstance(defaults[0], dict) else {}
    layers = _layers(source)
    for data, *_ in layers:
        merged = merge(merged, data if isinstance(data, dict) else {})
    findings = []
    name = f"{source.chart or chart.name}"
    for path, message in schema_errors(validator, merged):
        text = f"values do not match the values.schema.json of chart {name}: "
        text += f"{dotted(path)}: {message}" if path else message
        hint = f"see {display(schema_file, repo_root)} for what the chart takes"
        best = max(range(len(layers)), key=lambda i: (_depth(layers[i][0], path), i), default=None)
        if best is None or _depth(layers[best][0], path) == 0:
            findings.append(
                source_finding(source, repo_root, env, catalog.HELM_VALUES_INVALID, text, hint)
            )
            continue
        data, file, file_text, field = layers[best]
        depth = _depth(data, path)
        if file is None:
            below = (*field, *path[:depth]) if field[-1] == "valuesObject" else field
            findings.append(
                source_finding(
                    source, repo_root, env, catalog.HELM_VALUES_INVALID, text, hint, below
                )
            )
            continue
        line, column = locate(file_text, 0, path[:depth])
        findings.append(
            Finding(
                path=display(file, repo_root),
                line=line,
                column=column,
                rule_id=catalog.HELM_VALUES_INVALID.id,
                message=text,
                severity=catalog.HELM_VALUES_INVALID.severity,
                env=env,
                hint=hint,
            )
        )
    return findings
