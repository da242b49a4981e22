"""Registry authentication: the bearer token flow and Docker config credentials."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from gitops_tools.promote.auth import docker_credentials, parse_challenge
from gitops_tools.promote.oci_client import OciRegistry
from gitops_tools.promote.oci_manifest import OCI_MANIFEST

from .fake_registry import TOKEN, fake_registry
from .oci import digest_of

BODY = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": {}, "layers": []})


def test_bearer_challenge_is_answered_with_a_token() -> None:
    digest = digest_of(BODY.encode())
    manifests = {f"/v2/team/api/manifests/{digest}": (BODY.encode(), OCI_MANIFEST)}
    with fake_registry("token", manifests) as server:
        registry = OciRegistry(server.host)
        try:
            found = registry.manifest("team/api", digest)
            registry.manifest("team/api", digest)
        finally:
            registry.close()
    assert found is not None and found.digest == digest
    token_requests = [path for _, path, _ in server.seen if path.startswith("/token")]
    assert token_requests == [
        "/token?service=fake&scope=repository%3Ateam%2Fapi%3Apull"
    ]  # asked once, then reused
    assert server.seen[-1][2] == f"Bearer {TOKEN}"


def test_parse_challenge() -> None:
    scheme, params = parse_challenge(
        'Bearer realm="https://auth.example.com/token",service="registry.example.com",'
        'scope="repository:team/api:pull,push"'
    )
    assert scheme == "bearer"
    assert params == {
        "realm": "https://auth.example.com/token",
        "service": "registry.example.com",
        "scope": "repository:team/api:pull,push",
    }


def test_docker_config_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    auth = base64.b64encode(b"robot:s3cret").decode()
    (tmp_path / "config.json").write_text(
        json.dumps(
            {
                "auths": {
                    "https://registry.example.com": {"auth": auth},
                    "other.example.com": {"username": "u", "password": "p"},
                }
            }
        )
    )
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    assert docker_credentials("registry.example.com") == ("robot", "s3cret")
    assert docker_credentials("other.example.com") == ("u", "p")
    assert docker_credentials("unknown.example.com") is None
