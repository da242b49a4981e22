"""The ECR path (boto3: BatchGetImage, layer uploads, PutImage) against a moto server, with
images coming from a real docker-registry. moto does not implement GetDownloadUrlForLayer,
so ECR-to-ECR copies are tested with the layers already in the target repository."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gitops_tools.errors import FatalError
from gitops_tools.promote.names import Repository
from gitops_tools.promote.oci_manifest import Manifest
from gitops_tools.promote.store import Registries as Stores
from gitops_tools.promote.transfer import copy_image

from .apps import build_and_pin
from .conftest import Registries, git, make_repo
from .oci import digest_of, push_image

moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed")
boto3 = pytest.importorskip("boto3")

ACCOUNT = "123456789012"
ECR_HOST = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com"
_NAMES = itertools.count(1)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def ecr(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    for key, value in {
        "AWS_ENDPOINT_URL_ECR": moto_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return boto3.client("ecr", region_name="us-east-1", endpoint_url=moto_endpoint)


def ecr_digest(ecr: Any, repo: str, tag: str) -> str | None:
    images = ecr.batch_get_image(repositoryName=repo, imageIds=[{"imageTag": tag}])["images"]
    return digest_of(images[0]["imageManifest"].encode()) if images else None


def test_copy_from_a_registry_into_ecr(registries: Registries, ecr: Any) -> None:
    space = f"e{next(_NAMES)}-{os.getpid()}"
    pushed = push_image(registries.a.url, f"{space}/api", "2.0.0")
    ecr.create_repository(repositoryName=f"{space}/api")
    source, target = (
        Repository(registries.a.host, f"{space}/api"),
        Repository(ECR_HOST, f"{space}/api"),
    )

    with Stores() as stores:
        report = copy_image(stores, source, target, pushed.digest, "2.0.0")
        again = copy_image(stores, source, target, pushed.digest, "2.0.0")

    assert (report.manifests, report.copied, report.present) == (3, 6, 0)
    assert (again.manifests, again.copied) == (0, 0)  # ImageAlreadyExists, same digest: success
    assert ecr_digest(ecr, f"{space}/api", "2.0.0") == pushed.digest
    layers = ecr.batch_check_layer_availability(
        repositoryName=f"{space}/api", layerDigests=list(pushed.blobs)
    )["layers"]
    assert {layer["layerAvailability"] for layer in layers} == {"AVAILABLE"}


def test_ecr_to_ecr_puts_the_manifests(registries: Registries, ecr: Any) -> None:
    space = f"e{next(_NAMES)}-{os.getpid()}"
    pushed = push_image(registries.a.url, f"{space}/api", "2.0.0", arches=("amd64",))
    for repo in (f"{space}/dev/api", f"{space}/prod/api"):
        ecr.create_repository(repositoryName=repo)
    with Stores() as stores:
        copy_image(
            stores,
            Repository(registries.a.host, f"{space}/api"),
            Repository(ECR_HOST, f"{space}/dev/api"),
            pushed.digest,
            "2.0.0",
        )
        copy_image(
            stores,
            Repository(registries.a.host, f"{space}/api"),
            Repository(ECR_HOST, f"{space}/prod/api"),
            pushed.digest,
            None,
        )
        ecr.batch_delete_image(
            repositoryName=f"{space}/prod/api", imageIds=[{"imageDigest": pushed.digest}]
        )

        report = copy_image(
            stores,
            Repository(ECR_HOST, f"{space}/dev/api"),
            Repository(ECR_HOST, f"{space}/prod/api"),
            pushed.digest,
            "2.0.0",
        )

    assert (report.manifests, report.copied, report.present) == (1, 0, 3)
    assert ecr_digest(ecr, f"{space}/prod/api", "2.0.0") == pushed.digest


def test_immutable_tag_on_another_image_is_refused(registries: Registries, ecr: Any) -> None:
    space = f"e{next(_NAMES)}-{os.getpid()}"
    first = push_image(registries.a.url, f"{space}/api", "2.0.0", arches=("amd64",))
    second = push_image(registries.a.url, f"{space}/api", "2.0.1", arches=("amd64",))
    ecr.create_repository(repositoryName=f"{space}/api", imageTagMutability="IMMUTABLE")
    source, target = (
        Repository(registries.a.host, f"{space}/api"),
        Repository(ECR_HOST, f"{space}/api"),
    )
    with Stores() as stores:
        copy_image(stores, source, target, first.digest, "2.0.0")
        manifest = stores.of(source).manifest(source.path, second.digest)
        assert isinstance(manifest, Manifest)

        with pytest.raises(FatalError) as refused:
            stores.of(target).put_manifest(target.path, "2.0.0", manifest)

    assert "already holds" in refused.value.message and "immutable" in refused.value.message
    assert ecr_digest(ecr, f"{space}/api", "2.0.0") == first.digest


def test_promote_into_ecr(tmp_path: Path, registries: Registries, ecr: Any) -> None:
    space = f"e{next(_NAMES)}-{os.getpid()}"
    repo = make_repo(
        tmp_path / "repo",
        dev=f"{registries.a.host}/{space}",
        staging=f"{ECR_HOST}/{space}",
        prod=f"{ECR_HOST}/{space}/prod",
    )
    for name in ("qr-generator/backend", "qr-generator/frontend"):
        ecr.create_repository(repositoryName=f"{space}/{name}")
    pushed = build_and_pin(repo, "1.5.0")

    result = repo.run("promote", "qr-generator", "--to", "staging", "--yes")
    again = repo.run("promote", "qr-generator", "--to", "staging", "--yes")

    assert result.code == 0, result.err
    assert ecr_digest(ecr, f"{space}/qr-generator/backend", "1.5.0") == pushed["qr-backend"].digest
    assert f"Image: {ECR_HOST}/{space}/qr-generator/backend:1.5.0" in git(
        repo.root, "log", "-1", "--format=%B"
    )
    assert again.code == 0 and "Nothing to do" in again.out


def test_missing_ecr_repository_is_one_clear_error(registries: Registries, ecr: Any) -> None:
    space = f"e{next(_NAMES)}-{os.getpid()}"
    pushed = push_image(registries.a.url, f"{space}/api", "2.0.0", arches=("amd64",))
    with Stores() as stores, pytest.raises(FatalError) as refused:
        copy_image(
            stores,
            Repository(registries.a.host, f"{space}/api"),
            Repository(ECR_HOST, f"{space}/nowhere"),
            pushed.digest,
            "2.0.0",
        )
    assert "RepositoryNotFoundException" in refused.value.message
    assert refused.value.hint and "create the repository" in refused.value.hint
