"""Where an image lives: the registry host and repository path of an overlay's `newName`."""

from __future__ import annotations

from dataclasses import dataclass

from gitops_tools.errors import FatalError
from gitops_tools.k8s import parse_image, registry_prefix, under_prefix
from gitops_tools.promote.oci_manifest import DIGEST

DOCKER_HUB_API = "registry-1.docker.io"


@dataclass(frozen=True)
class Repository:
    """`host/path` of one image repository, e.g. `127.0.0.1:5000/qr-generator/backend`."""

    host: str
    path: str

    def __str__(self) -> str:
        return f"{self.host}/{self.path}"

    def reference(self, tag: str | None, digest: str | None = None) -> str:
        """`host/path:tag@digest`, as a pod spec would name it."""
        return f"{self}{f':{tag}' if tag else ''}{f'@{digest}' if digest else ''}"

    @property
    def api_host(self) -> str:
        """The host that serves the distribution API (Docker Hub's differs from its name)."""
        return DOCKER_HUB_API if self.host == "docker.io" else self.host


def repository_of(name: str, where: str) -> Repository:
    """The repository an `images:` entry points at (its newName, else its name)."""
    reference = parse_image(name)
    if reference is None or reference.tag or reference.digest:
        raise FatalError(
            f"{where}: {name!r} is not an image repository name",
            "newName holds registry/repository only; the tag goes in newTag, the digest in digest",
        )
    return Repository(reference.registry, reference.repository)


def in_registry(name: str, registry: str) -> bool:
    """Whether an image name lies under a cluster's `registry` (host with optional path)."""
    reference = parse_image(name)
    return (
        bool(registry)
        and reference is not None
        and under_prefix(reference, registry_prefix(registry))
    )


def checked_digest(digest: str, what: str) -> str:
    if not DIGEST.fullmatch(digest):
        raise FatalError(
            f"{what}: {digest!r} is not a sha256 digest",
            "write sha256: followed by 64 lowercase hex digits",
        )
    return digest
