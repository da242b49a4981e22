from __future__ import annotations

import json

import pytest

from gitops_tools.errors import FatalError
from gitops_tools.promote.oci_manifest import DOCKER_LIST, OCI_MANIFEST, Manifest

CHILD = "sha256:" + "d" * 64


def test_index_children_and_platforms() -> None:
    body = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": DOCKER_LIST,
            "manifests": [
                {
                    "digest": CHILD,
                    "size": 1,
                    "mediaType": OCI_MANIFEST,
                    "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"},
                },
            ],
        }
    ).encode()
    manifest = Manifest.parse(body, None, "x")
    assert manifest.is_index
    assert manifest.platforms() == ["linux/arm64/v8"]
    assert manifest.describe() == "multi-arch index (linux/arm64/v8)"


def test_media_type_header_wins_and_digest_is_of_the_bytes() -> None:
    body = b'{"schemaVersion":2,"config":{"digest":"' + CHILD.encode() + b'","size":2},"layers":[]}'
    manifest = Manifest.parse(body, OCI_MANIFEST + "; charset=utf-8", "x")
    assert manifest.media_type == OCI_MANIFEST
    assert [b.digest for b in manifest.blobs()] == [CHILD]


def test_schema1_is_refused() -> None:
    with pytest.raises(FatalError, match="Docker schema 1"):
        Manifest.parse(b'{"schemaVersion": 1}', "application/json", "x")
