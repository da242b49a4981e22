"""The one interface a copy needs from a registry, and the registries of one command run."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Protocol

from gitops_tools.promote.ecr import EcrRegistry, is_ecr
from gitops_tools.promote.names import Repository
from gitops_tools.promote.oci_client import OciRegistry
from gitops_tools.promote.oci_manifest import Manifest


class ImageStore(Protocol):
    """A registry: the OCI distribution API, or ECR's own API."""

    host: str

    def manifest(self, repo: str, ref: str) -> Manifest | None: ...
    def manifest_digest(self, repo: str, ref: str) -> str | None: ...
    def has_blob(self, repo: str, digest: str) -> bool: ...
    def mount_blob(self, repo: str, digest: str, from_repo: str) -> bool: ...
    def open_blob(self, repo: str, digest: str) -> AbstractContextManager[Iterator[bytes]]: ...
    def upload_blob(self, repo: str, digest: str, size: int, chunks: Iterable[bytes]) -> None: ...
    def put_manifest(self, repo: str, ref: str, manifest: Manifest) -> None: ...
    def close(self) -> None: ...


class Registries:
    """One client per registry host, opened on first use and closed together."""

    def __init__(self) -> None:
        self._stores: dict[str, ImageStore] = {}

    def of(self, repository: Repository) -> ImageStore:
        host = repository.host
        if host not in self._stores:
            self._stores[host] = (
                EcrRegistry(host) if is_ecr(host) else OciRegistry(host, repository.api_host)
            )
        return self._stores[host]

    def __enter__(self) -> Registries:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for store in self._stores.values():
            store.close()
        self._stores.clear()
