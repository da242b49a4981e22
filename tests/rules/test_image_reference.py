"""The image reference parser behind GO301-GO303, and what fixtures cannot show: the
`{registry}` entry of allowedRegistries (fixtures run without a cluster registry)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_tools.cluster import Cluster
from gitops_tools.k8s import ImageReference, parse_image, registry_prefix, under_prefix
from gitops_tools.manifests import Manifest
from gitops_tools.policy.config import DEFAULT_SETTINGS, Profile
from gitops_tools.policy.index import ResourceIndex
from gitops_tools.policy.model import Context
from gitops_tools.policy.rules.images.allowed_registry import allowed_prefixes, allowed_registry
from gitops_tools.policy.rules.images.api_versions import (
    DEPRECATED_APIS,
    parse_version,
    replacement_for,
)

DIGEST = "sha256:" + "0123456789abcdef" * 4


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("nginx", ImageReference("docker.io", "library/nginx")),
        ("nginx:1.27", ImageReference("docker.io", "library/nginx", "1.27")),
        ("bitnami/redis:7.4", ImageReference("docker.io", "bitnami/redis", "7.4")),
        ("docker.io/nginx:1.27", ImageReference("docker.io", "library/nginx", "1.27")),
        ("index.docker.io/library/nginx", ImageReference("docker.io", "library/nginx")),
        ("localhost/app", ImageReference("localhost", "app")),
        ("localhost:5000/app", ImageReference("localhost:5000", "app")),
        ("localhost:5000/app:1.0", ImageReference("localhost:5000", "app", "1.0")),
        ("localhost:5000/team/app:latest", ImageReference("localhost:5000", "team/app", "latest")),
        ("registry:5000", ImageReference("docker.io", "library/registry", "5000")),
        ("Registry.Example.com/app:v1", ImageReference("registry.example.com", "app", "v1")),
        ("[::1]:5000/app:1", ImageReference("[::1]:5000", "app", "1")),
        (
            "333333333333.dkr.ecr.us-east-1.amazonaws.com/qr/backend:1.4.2",
            ImageReference("333333333333.dkr.ecr.us-east-1.amazonaws.com", "qr/backend", "1.4.2"),
        ),
        (
            f"public.ecr.aws/docker/library/postgres:16.10@{DIGEST}",
            ImageReference("public.ecr.aws", "docker/library/postgres", "16.10", DIGEST),
        ),
        (f"app@{DIGEST}", ImageReference("docker.io", "library/app", "", DIGEST)),
        ("app@sha256:abc", ImageReference("docker.io", "library/app", "", "sha256:abc")),
        ("team/x-y__z.v2:A_b.c-1", ImageReference("docker.io", "team/x-y__z.v2", "A_b.c-1")),
    ],
)
def test_parse_valid(image: str, expected: ImageReference) -> None:
    assert parse_image(image) == expected


@pytest.mark.parametrize(
    "image",
    [
        "",
        "app:",
        "app@",
        ":1.0",
        "Nginx:1.0",
        "registry.example.com/Team/app",
        "registry.example.com//app",
        "registry.example.com/app/",
        "app:-bad",
        "app:" + "x" * 129,
        "app name:1",
        "-registry.example.com/app",
        "my_app.v2/x",  # a first component with a dot is a host, and hosts have no "_"
    ],
)
def test_parse_invalid(image: str) -> None:
    assert parse_image(image) is None


def test_tag_is_after_the_last_colon_of_the_last_component() -> None:
    ref = parse_image("registry.example.com:8443/team/app")
    assert ref is not None and ref.tag == "" and ref.registry == "registry.example.com:8443"
    ref = parse_image("registry.example.com:8443/team/app:2.0")
    assert ref is not None and ref.tag == "2.0" and ref.repository == "team/app"


def test_pinned_needs_a_well_formed_sha256() -> None:
    assert parse_image(f"app:1@{DIGEST}").pinned  # type: ignore[union-attr]
    for digest in ("sha256:abc", DIGEST.upper().replace("SHA256", "sha256"), "md5:" + "0" * 32):
        assert not parse_image(f"app@{digest}").pinned  # type: ignore[union-attr]
    assert not parse_image("app:1").pinned  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("entry", "prefix"),
    [
        (
            "333333333333.dkr.ecr.us-east-1.amazonaws.com/",
            "333333333333.dkr.ecr.us-east-1.amazonaws.com",
        ),
        ("public.ecr.aws/docker/library/", "public.ecr.aws/docker/library"),
        ("docker.io", "docker.io"),
        ("index.docker.io/library/", "docker.io/library"),
        ("bitnami/", "docker.io/bitnami"),
        ("localhost:5000", "localhost:5000"),
    ],
)
def test_registry_prefix(entry: str, prefix: str) -> None:
    assert registry_prefix(entry) == prefix


@pytest.mark.parametrize(
    ("image", "prefix", "inside"),
    [
        ("nginx:1.27", "docker.io", True),
        ("nginx:1.27", "docker.io/library", True),
        ("bitnami/redis", "docker.io/library", False),
        ("public.ecr.aws/docker/library/postgres:16", "public.ecr.aws/docker/library", True),
        ("public.ecr.aws/docker/library-x/postgres:16", "public.ecr.aws/docker/library", False),
        ("registry.example.com.evil.io/app", "registry.example.com", False),
        ("registry.example.com:5000/app", "registry.example.com", False),
        ("registry.example.com/app", "registry.example.com/app", True),
    ],
)
def test_under_prefix_matches_whole_components(image: str, prefix: str, inside: bool) -> None:
    ref = parse_image(image)
    assert ref is not None
    assert under_prefix(ref, prefix) is inside


def _cluster(registry: str, version: str = "1.33") -> Cluster:
    return Cluster(
        environment="prod",
        directory=Path(),
        kubernetes_version=version,
        region="us-east-1",
        account_id="333333333333",
        registry=registry,
        promoted_from=None,
        soak_hours=0.0,
        policy_profile="prod",
        repo_url="",
        target_revision="main",
    )


def _context(allowed: list[str], registry: str) -> Context:
    profile = Profile("prod", {}, DEFAULT_SETTINGS | {"allowedRegistries": allowed})
    return Context("prod", profile, ResourceIndex([]), _cluster(registry))


def _pod(*images: str) -> Manifest:
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "shop"},
        "spec": {"containers": [{"name": f"c{i}", "image": im} for i, im in enumerate(images)]},
    }
    return Manifest(obj, Path("pod.yaml"), Path("pod.yaml"), 0)


ECR = "333333333333.dkr.ecr.us-east-1.amazonaws.com"


def test_registry_placeholder_is_the_cluster_registry() -> None:
    ctx = _context(["{registry}", "public.ecr.aws/docker/library/"], ECR)
    assert allowed_prefixes(ctx) == [ECR, "public.ecr.aws/docker/library"]
    found = list(allowed_registry.check_object(_pod(f"{ECR}/qr/backend:1.4.2", "nginx:1.27"), ctx))  # type: ignore[misc]
    assert [v.path for v in found] == [("spec", "containers", 1, "image")]


def test_registry_placeholder_is_skipped_without_a_cluster_registry() -> None:
    ctx = _context(["{registry}"], "")
    assert allowed_prefixes(ctx) == []
    assert list(allowed_registry.check_object(_pod("nginx:1.27"), ctx)) == []  # type: ignore[misc]


def test_empty_allowed_registries_enforces_nothing() -> None:
    ctx = _context([], ECR)
    assert list(allowed_registry.check_object(_pod("nginx"), ctx)) == []  # type: ignore[misc]


def test_api_version_table_is_consistent() -> None:
    for (api_version, kind), change in DEPRECATED_APIS.items():
        assert "/" in api_version or api_version == "v1", api_version
        assert parse_version(change.since) is not None, (api_version, kind)
        if change.removed is not None:
            assert parse_version(change.removed) > parse_version(change.since)  # type: ignore[operator]


def test_replacement_follows_deprecated_replacements() -> None:
    fc = "flowcontrol.apiserver.k8s.io"
    assert replacement_for(f"{fc}/v1beta1", "FlowSchema", (1, 25)) == f"{fc}/v1beta2"
    assert replacement_for(f"{fc}/v1beta1", "FlowSchema", (1, 27)) == f"{fc}/v1beta3"
    assert replacement_for(f"{fc}/v1beta1", "FlowSchema", (1, 33)) == f"{fc}/v1"
    assert replacement_for("v1", "Endpoints", (1, 33)) == "discovery.k8s.io/v1 EndpointSlice"
    assert replacement_for("extensions/v1beta1", "PodSecurityPolicy", (1, 33)).startswith(
        "Pod Security Admission"
    )
    assert parse_version("v1.33.2") == (1, 33)
    assert parse_version("latest") is None
