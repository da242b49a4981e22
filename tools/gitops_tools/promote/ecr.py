"""Amazon ECR through its own API (boto3): BatchGetImage and PutImage for manifests, the
layer-upload calls for blobs. PutImage answering ImageAlreadyExistsException for the same
digest is success; an immutable tag holding another digest is refused, never forced.

AWS credentials and region come from the usual places (environment, profile, role); the
account and region of a registry are read from its host name. `AWS_ENDPOINT_URL_ECR` points
the client elsewhere (tests use a moto server)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from typing import Any, NoReturn

import httpx

from gitops_tools.errors import FatalError
from gitops_tools.promote.oci_manifest import DIGEST, MANIFEST_TYPES, Manifest

ECR_HOST = re.compile(
    r"^(?P<account>[0-9]{12})\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$"
)
CHUNK = 1 << 20


def is_ecr(host: str) -> bool:
    return ECR_HOST.match(host) is not None


class EcrRegistry:
    """One ECR registry (an account in a region); `repo` arguments are repository names."""

    def __init__(self, host: str) -> None:
        match = ECR_HOST.match(host)
        if match is None:
            raise FatalError(f"{host} is not an ECR registry host")
        try:
            import boto3  # type: ignore[import-untyped]
            from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]
        except ImportError:
            raise FatalError(
                f"{host} is an ECR registry and boto3 is not installed",
                "install it into the tool's environment: pip install boto3",
            ) from None
        self.host = host
        self.account = match["account"]
        self.client: Any = boto3.client("ecr", region_name=match["region"])
        self.errors: tuple[type[Exception], ...] = (ClientError, BotoCoreError)

    def close(self) -> None:
        self.client.close()

    def manifest(self, repo: str, ref: str) -> Manifest | None:
        image_id = {"imageDigest": ref} if DIGEST.fullmatch(ref) else {"imageTag": ref}
        what = f"{self.host}/{repo}{'@' if 'imageDigest' in image_id else ':'}{ref}"
        try:
            answer = self.client.batch_get_image(
                registryId=self.account,
                repositoryName=repo,
                imageIds=[image_id],
                acceptedMediaTypes=list(MANIFEST_TYPES),
            )
        except self.errors as exc:
            if _code(exc) == "RepositoryNotFoundException":
                return None
            self._fail(exc, f"reading {what}")
        images = answer.get("images") or []
        if not images:
            return None
        image = images[0]
        body = str(image["imageManifest"]).encode("utf-8")
        found = Manifest.parse(body, image.get("imageManifestMediaType"), what)
        if DIGEST.fullmatch(ref) and found.digest != ref:
            raise FatalError(f"{what}: ECR served a manifest whose digest is {found.digest}")
        return found

    def manifest_digest(self, repo: str, ref: str) -> str | None:
        found = self.manifest(repo, ref)
        return found.digest if found else None

    def has_blob(self, repo: str, digest: str) -> bool:
        try:
            answer = self.client.batch_check_layer_availability(
                registryId=self.account, repositoryName=repo, layerDigests=[digest]
            )
        except self.errors as exc:
            self._fail(exc, f"looking up layer {digest} in {self.host}/{repo}")
        return any(
            layer.get("layerAvailability") == "AVAILABLE" for layer in answer.get("layers") or []
        )

    def mount_blob(self, repo: str, digest: str, from_repo: str) -> bool:
        return False  # the ECR API has no cross-repository mount

    @contextlib.contextmanager
    def open_blob(self, repo: str, digest: str) -> Iterator[Iterator[bytes]]:
        try:
            url = self.client.get_download_url_for_layer(
                registryId=self.account, repositoryName=repo, layerDigest=digest
            )["downloadUrl"]
        except self.errors as exc:
            self._fail(exc, f"locating layer {digest} of {self.host}/{repo}")
        try:
            with httpx.stream("GET", url, timeout=60, follow_redirects=True) as response:
                if response.status_code != 200:
                    raise FatalError(
                        f"{self.host}/{repo}: downloading layer {digest} failed: "
                        f"HTTP {response.status_code}"
                    )
                yield response.iter_bytes(CHUNK)
        except httpx.HTTPError as exc:
            raise FatalError(
                f"{self.host}/{repo}: downloading layer {digest} failed: {exc}"
            ) from None

    def upload_blob(self, repo: str, digest: str, size: int, chunks: Iterable[bytes]) -> None:
        try:
            started = self.client.initiate_layer_upload(
                registryId=self.account, repositoryName=repo
            )
            upload_id, part_size = started["uploadId"], int(started.get("partSize") or CHUNK)
            sent = 0
            for part in _parts(chunks, part_size):
                self.client.upload_layer_part(
                    registryId=self.account,
                    repositoryName=repo,
                    uploadId=upload_id,
                    partFirstByte=sent,
                    partLastByte=sent + len(part) - 1,
                    layerPartBlob=part,
                )
                sent += len(part)
            self.client.complete_layer_upload(
                registryId=self.account,
                repositoryName=repo,
                uploadId=upload_id,
                layerDigests=[digest],
            )
        except self.errors as exc:
            if _code(exc) == "LayerAlreadyExistsException":
                return
            self._fail(exc, f"uploading layer {digest} to {self.host}/{repo}")

    def put_manifest(self, repo: str, ref: str, manifest: Manifest) -> None:
        tagged = not DIGEST.fullmatch(ref)
        request: dict[str, Any] = {
            "registryId": self.account,
            "repositoryName": repo,
            "imageManifest": manifest.body.decode("utf-8"),
            "imageManifestMediaType": manifest.media_type,
            "imageDigest": manifest.digest,
        }
        if tagged:
            request["imageTag"] = ref
        try:
            self.client.put_image(**request)
        except self.errors as exc:
            code = _code(exc)
            if code == "ImageAlreadyExistsException":
                current = self.manifest_digest(repo, ref) if tagged else manifest.digest
                if current == manifest.digest:
                    return  # already there with the same digest: nothing to do
                raise FatalError(
                    f"{self.host}/{repo}:{ref} already holds {current} and the repository's "
                    "tags are immutable; nothing was overwritten",
                    "promote a new tag, or remove the wrong image in ECR deliberately",
                ) from None
            if code == "ImageTagAlreadyExistsException":
                raise FatalError(
                    f"{self.host}/{repo}:{ref} is an immutable tag on another image; nothing "
                    "was overwritten",
                    "promote a new tag, or remove the wrong image in ECR deliberately",
                ) from None
            self._fail(exc, f"writing {self.host}/{repo}:{ref}")

    def _fail(self, exc: Exception, what: str) -> NoReturn:
        code = _code(exc)
        hints = {
            "RepositoryNotFoundException": f"create the repository in {self.host} (infra-tf)",
            "AccessDeniedException": "use AWS credentials allowed to read and push this repository",
            "LayersNotFoundException": "the image's layers are missing from the repository",
        }
        hint = hints.get(code or "", "check AWS credentials (AWS_PROFILE, role) and the region")
        raise FatalError(f"{self.host}: {what} failed: {exc}", hint) from None


def _code(exc: Exception) -> str | None:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", "")) or None
    return None


def _parts(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    buffer = bytearray()
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    if buffer:
        yield bytes(buffer)
