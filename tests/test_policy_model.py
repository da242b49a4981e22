"""The shared workload helpers never raise on schema-invalid objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_tools.k8s import containers, pod_spec, pod_template, selector_matches
from gitops_tools.manifests import Manifest
from gitops_tools.policy.index import ResourceIndex


def manifest(obj: dict[str, Any]) -> Manifest:
    return Manifest(obj, Path("x.yaml"), Path("x.yaml"), 0)


@pytest.mark.parametrize(
    "obj",
    [
        {"kind": "Deployment", "spec": {"template": {"spec": {"containers": "web"}}}},
        {"kind": "Deployment", "spec": {"template": {"metadata": "x", "spec": []}}},
        {"kind": "CronJob", "spec": {"jobTemplate": "nope"}},
        {"kind": "CronJob", "spec": {"jobTemplate": {"spec": 3}}},
        {"kind": "Pod", "spec": None},
        {"kind": "StatefulSet", "spec": {"template": None}},
    ],
)
def test_helpers_tolerate_invalid_shapes(obj: dict[str, Any]) -> None:
    m = manifest(obj)
    pod_template(m)
    pod_spec(m)
    assert list(containers(m)) == []
    assert ResourceIndex([m]).pod_labels(m) == {}


def test_selector_semantics() -> None:
    labels = {"app": "web", "tier": "front"}
    assert selector_matches({}, labels)  # empty selects everything
    assert not selector_matches(None, labels)  # missing selects nothing
    assert selector_matches({"matchLabels": {"app": "web"}}, labels)
    assert not selector_matches({"matchLabels": {"app": "api"}}, labels)
    expr = {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["front"]}]}
    assert selector_matches(expr, labels)
    expr = {"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}
    assert not selector_matches(expr, labels)
    assert not selector_matches({"matchLabels": ["app"]}, labels)
    assert not selector_matches({"matchExpressions": ["x"]}, labels)
    assert not selector_matches({"matchExpressions": "x"}, labels)
