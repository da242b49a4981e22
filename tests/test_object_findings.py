"""The one finding builder: located, the object named, secret values masked."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gitops_tools.manifests import Manifest
from gitops_tools.object_findings import MASK, mask, object_finding, secret_values


class AtLine:
    def position(self, manifest: Manifest, field: Sequence[str | int]) -> tuple[Path, int, int]:
        return manifest.path, 7, 3


def manifest(obj: dict[str, object]) -> Manifest:
    return Manifest(obj, Path("/repo/x.yaml"), Path("/repo/x.yaml"), 0, "dev")


def test_values_under_secret_data_and_string_data_are_masked() -> None:
    m = manifest(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "db", "namespace": "shop"},
            "stringData": {"password": 98127361287361, "ratio": 2.0},
            "data": {"nested": {"deep": "hunter2!"}},
        }
    )
    f = object_finding(
        m,
        ["stringData", "password"],
        "GO003",
        "stringData.password: 98127361287361 is not of type 'string'; also hunter2! and 2",
        AtLine(),
        hint='{"deep":"hunter2!"}',
    )
    assert (f.path, f.line, f.column, f.env) == ("/repo/x.yaml", 7, 3, "dev")
    assert (f.kind, f.namespace, f.name) == ("Secret", "shop", "db")
    assert "98127361287361" not in f.message and "hunter2!" not in f.message
    assert f.message.endswith(f"{MASK} and {MASK}")  # 2.0 is also printed as 2
    assert "hunter2!" not in f.hint


def test_a_field_a_rule_marks_sensitive_is_masked_elsewhere_too() -> None:
    m = manifest({"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"token": "abc123xyz"}})
    shown = object_finding(m, ["data", "token"], "GO110", "token abc123xyz", AtLine())
    hidden = object_finding(
        m, ["data", "token"], "GO110", "token abc123xyz", AtLine(), sensitive=True
    )
    assert shown.message == "token abc123xyz"  # not a Secret, not marked: shown
    assert hidden.message == f"token {MASK}"


def test_short_values_are_masked_only_where_they_stand_alone() -> None:
    values = list(secret_values({"kind": "Secret", "stringData": {"pin": 1}}))
    assert mask("containers[1] stringData.pin: 1 is not", values) == (
        f"containers[1] stringData.pin: {MASK} is not"
    )
