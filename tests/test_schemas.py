from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from gitops_tools.errors import FatalError
from gitops_tools.manifests import load_file
from gitops_tools.schemas import (
    DEFINITIONS_URI,
    QUANTITY_PATTERN,
    SchemaStore,
    _builtin_schema,
    _definitions,
    builtin_versions,
    crd_to_json_schema,
    resolve_version,
)

FIXTURES = Path(__file__).parent / "fixtures" / "validate"


def test_version_resolution() -> None:
    assert resolve_version("1.33") == "1.33"
    assert resolve_version("v1.33.4") == "1.33"
    major, minor = builtin_versions()[-1]
    assert resolve_version(f"{major}.{minor + 1}") == f"{major}.{minor}"  # one ahead: a note
    with pytest.raises(FatalError, match="no schemas for Kubernetes 1.99: the newest bundled"):
        resolve_version("1.99")  # silently validating against the newest was a bug (issue 18)
    with pytest.raises(FatalError, match="not like 1.33"):
        resolve_version("latest")


@pytest.mark.parametrize("value", ["500m", "2", "1.5Gi", "128974848", "1e3", "+1", ".5", "1Ki"])
def test_quantity_pattern_accepts(value: str) -> None:
    assert re.match(QUANTITY_PATTERN, value)


@pytest.mark.parametrize("value", ["half", "500 m", "1GB", "", "m", "1.5.5"])
def test_quantity_pattern_refuses(value: str) -> None:
    assert not re.match(QUANTITY_PATTERN, value)


def test_lookup_checks_group_not_only_file_name() -> None:
    store = SchemaStore("1.33")
    assert store.validator("apps/v1", "Deployment") is not None
    assert store.validator("networking.k8s.io/v1", "Ingress") is not None
    # same file-name shape, another group: must not borrow the built-in schema
    assert store.validator("networking.istio.io/v1", "Ingress") is None
    assert store.validator("apps/v1beta1", "Deployment") is None  # removed long ago


def reference_verdict(version: str, obj: dict[str, Any]) -> bool:
    """The pure-Python jsonschema reference, on the same (tightened) schemas."""
    schema = _builtin_schema(version, obj["apiVersion"], obj["kind"])
    assert schema is not None
    registry: Registry[Any] = Registry().with_resource(
        DEFINITIONS_URI, Resource.from_contents(_definitions(version))
    )
    return jsonschema.Draft202012Validator(schema, registry=registry).is_valid(obj)


def test_jsonschema_rs_agrees_with_reference_on_fixtures() -> None:
    store = SchemaStore("1.33")
    checked = 0
    for file in sorted(FIXTURES.glob("*.yaml")):
        for m in load_file(file).manifests:
            validator = store.validator(m.api_version, m.kind)
            if validator is None:
                continue
            assert validator.is_valid(m.obj) == reference_verdict("1.33", m.obj), file.name
            checked += 1
    assert checked >= 7


def test_crd_conversion_is_strict_where_the_api_server_prunes() -> None:
    schema = crd_to_json_schema(
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {
                        "port": {"x-kubernetes-int-or-string": True},
                        "note": {"type": "string", "nullable": True},
                        "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                        "items": {
                            "type": "array",
                            "items": {"type": "object", "properties": {"a": {"type": "string"}}},
                        },
                    },
                }
            },
        }
    )
    validator = jsonschema.Draft202012Validator(schema)

    def ok(spec: dict[str, Any]) -> bool:
        return bool(validator.is_valid({"apiVersion": "x/v1", "kind": "X", "spec": spec}))

    assert ok({"port": 80}) and ok({"port": "http"}) and not ok({"port": 1.5})
    assert ok({"note": None}) and not ok({"note": 3})
    assert ok({"free": {"anything": [1]}})
    assert not ok({"unknown": 1})
    assert not ok({"items": [{"a": "x", "b": "y"}]})
    assert schema["properties"]["metadata"] == {
        "$ref": f"{DEFINITIONS_URI}#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    }
