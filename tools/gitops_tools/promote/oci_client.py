"""A client of the OCI distribution API (what Docker Hub, GHCR, Harbor, ECR and Debian's
docker-registry serve) for the few calls promotion makes: manifests by tag or digest, blob
existence, cross-repository mounts, streamed blob uploads and manifest PUTs."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import threading
import time
from collections.abc import Iterable, Iterator
from typing import NoReturn

import httpx

from gitops_tools.errors import FatalError
from gitops_tools.promote.auth import RegistryAuth, docker_credentials
from gitops_tools.promote.oci_manifest import DIGEST, MANIFEST_TYPES, Manifest

ACCEPT = ", ".join(MANIFEST_TYPES)
CHUNK = 1 << 20
MIN_BYTES_PER_SECOND = 16 * 1024  # a blob slower than this past the timeout is given up on
_RETRIED_STATUS = frozenset({429, 500, 502, 503, 504})


def plain_http(host: str) -> bool:
    """Loopback registries (and those in GITOPS_INSECURE_REGISTRIES) speak plain HTTP."""
    name = host[1:].split("]")[0] if host.startswith("[") else host.rsplit(":", 1)[0]
    listed = {h.strip() for h in os.environ.get("GITOPS_INSECURE_REGISTRIES", "").split(",")}
    if host in listed or name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class OciRegistry:
    """One registry host; `repo` arguments are repository paths on it."""

    def __init__(self, host: str, api_host: str | None = None) -> None:
        self.host = host
        self.timeout = float(os.environ.get("GITOPS_REGISTRY_TIMEOUT", "30"))
        self.retries = int(os.environ.get("GITOPS_REGISTRY_RETRIES", "2"))
        api = api_host or host
        self.client = httpx.Client(
            base_url=f"{'http' if plain_http(api) else 'https'}://{api}",
            timeout=httpx.Timeout(self.timeout),
            auth=RegistryAuth(host, docker_credentials(host)),
            follow_redirects=True,
            headers={"User-Agent": "gitops-promote"},
        )

    def close(self) -> None:
        self.client.close()

    def manifest(self, repo: str, ref: str) -> Manifest | None:
        """The manifest (or index) a tag or digest names, None when the registry has none."""
        what = f"{self.host}/{repo}{'@' if DIGEST.fullmatch(ref) else ':'}{ref}"
        response = self._send("GET", f"/v2/{repo}/manifests/{ref}", headers={"Accept": ACCEPT})
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            self._fail(response, f"reading {what}")
        found = Manifest.parse(response.content, response.headers.get("content-type"), what)
        if DIGEST.fullmatch(ref) and found.digest != ref:
            raise FatalError(f"{what}: the registry served content whose digest is {found.digest}")
        return found

    def manifest_digest(self, repo: str, ref: str) -> str | None:
        """The digest a tag points at (HEAD, falling back to GET), None when it does not exist."""
        response = self._send("HEAD", f"/v2/{repo}/manifests/{ref}", headers={"Accept": ACCEPT})
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            self._fail(response, f"looking up {self.host}/{repo}:{ref}")
        digest = str(response.headers.get("docker-content-digest", ""))
        if DIGEST.fullmatch(digest):
            return digest
        found = self.manifest(repo, ref)
        return found.digest if found else None

    def has_blob(self, repo: str, digest: str) -> bool:
        response = self._send("HEAD", f"/v2/{repo}/blobs/{digest}")
        if response.status_code in (200, 404):
            return response.status_code == 200
        self._fail(response, f"looking up blob {digest} in {self.host}/{repo}")

    def mount_blob(self, repo: str, digest: str, from_repo: str) -> bool:
        """Link a blob from another repository of this registry; False when it would not."""
        response = self._send(
            "POST",
            f"/v2/{repo}/blobs/uploads/",
            params={"mount": digest, "from": from_repo},
            retry=False,
        )
        if response.status_code == 201:
            return True
        if response.status_code == 202:  # not mounted: an upload session was opened instead
            with contextlib.suppress(httpx.HTTPError):
                self.client.delete(response.headers.get("location", ""))
            return False
        self._fail(response, f"mounting {digest} into {self.host}/{repo}")

    @contextlib.contextmanager
    def open_blob(self, repo: str, digest: str) -> Iterator[Iterator[bytes]]:
        response = self._send("GET", f"/v2/{repo}/blobs/{digest}", stream=True)
        try:
            if response.status_code != 200:
                response.read()
                self._fail(response, f"reading blob {digest} from {self.host}/{repo}")
            yield self._paced(response.iter_bytes(), f"reading blob {digest}")
        except httpx.HTTPError as exc:
            raise FatalError(f"{self.host}: reading blob {digest} failed: {exc}") from None
        finally:
            response.close()

    def upload_blob(self, repo: str, digest: str, size: int, chunks: Iterable[bytes]) -> None:
        """Start an upload session, then PUT the whole blob in one streamed request."""
        started = self._send("POST", f"/v2/{repo}/blobs/uploads/", retry=False)
        if started.status_code != 202 or "location" not in started.headers:
            self._fail(started, f"starting an upload to {self.host}/{repo}")
        # merged by hand: httpx would replace the session's own query (`_state=...`)
        location = httpx.URL(started.headers["location"]).copy_merge_params({"digest": digest})
        try:
            done = self.client.put(
                location,
                content=chunks,
                headers={"Content-Type": "application/octet-stream", "Content-Length": str(size)},
            )
        except httpx.TimeoutException:
            self._timed_out("PUT", str(location))
        except httpx.TransportError as exc:
            raise FatalError(f"{self.host}: uploading {digest} failed: {exc}") from None
        if done.status_code != 201:
            self._fail(done, f"uploading blob {digest} to {self.host}/{repo}")

    def put_manifest(self, repo: str, ref: str, manifest: Manifest) -> None:
        """PUT the manifest's original bytes under a tag or its digest."""
        response = self._send(
            "PUT",
            f"/v2/{repo}/manifests/{ref}",
            content=manifest.body,
            headers={"Content-Type": manifest.media_type},
        )
        if response.status_code not in (200, 201):
            self._fail(response, f"writing {self.host}/{repo}:{ref}")
        stored = response.headers.get("docker-content-digest")
        if stored and stored != manifest.digest:
            raise FatalError(
                f"{self.host}/{repo}:{ref}: the registry stored digest {stored}, "
                f"not {manifest.digest}"
            )

    def _send(
        self,
        method: str,
        path: str,
        *,
        retry: bool = True,
        stream: bool = False,
        **kwargs: object,
    ) -> httpx.Response:
        attempts = 1 + (self.retries if retry else 0)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                request = self.client.build_request(method, path, **kwargs)  # type: ignore[arg-type]
                response = self._send_within_deadline(request, stream)
            except httpx.TimeoutException:
                if last:
                    self._timed_out(method, path)
            except httpx.TransportError as exc:
                if last:
                    raise FatalError(
                        f"{self.host}: cannot reach the registry ({exc})",
                        "check the registry address in clusters/*/cluster.yaml and the network",
                    ) from None
            else:
                if response.status_code not in _RETRIED_STATUS or last:
                    return response
                response.close()
            time.sleep(0.25 * 2**attempt)
        raise AssertionError("unreachable")

    def _send_within_deadline(self, request: httpx.Request, stream: bool) -> httpx.Response:
        """Send, and read the body unless streaming, within the timeout in all: httpx's timeout
        is per read, so a registry trickling a byte at a time would otherwise hold us forever."""
        outcome: list[httpx.Response | BaseException] = []

        def send() -> None:
            try:
                response = self.client.send(request, stream=True)
                if not stream:
                    response.read()
                outcome.append(response)
            except BaseException as exc:  # handed to the caller's thread
                outcome.append(exc)

        worker = threading.Thread(target=send, daemon=True, name=f"registry {self.host}")
        worker.start()
        worker.join(self.timeout)
        if not outcome:
            raise httpx.TimeoutException(f"no complete answer within {self.timeout:g}s")
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    def _paced(self, chunks: Iterator[bytes], what: str) -> Iterator[bytes]:
        """A streamed body, given up on once it falls below MIN_BYTES_PER_SECOND past the
        timeout."""
        started, received = time.monotonic(), 0
        for chunk in chunks:
            received += len(chunk)
            elapsed = time.monotonic() - started
            if elapsed > self.timeout and received < MIN_BYTES_PER_SECOND * elapsed:
                raise FatalError(
                    f"{self.host}: {what}: {received} bytes in {elapsed:.0f}s, too slow; "
                    "nothing was changed",
                    "the registry is slow or down; try again later "
                    "(GITOPS_REGISTRY_TIMEOUT sets the limit)",
                )
            yield chunk

    def _timed_out(self, method: str, path: str) -> NoReturn:
        raise FatalError(
            f"{self.host}: no answer within {self.timeout:g}s to {method} {path}",
            "the registry is slow or down; nothing was changed, try again later "
            "(GITOPS_REGISTRY_TIMEOUT sets the limit)",
        )

    def _fail(self, response: httpx.Response, what: str) -> NoReturn:
        if not response.is_closed:
            response.read()
        detail = ""
        with contextlib.suppress(ValueError, AttributeError, IndexError, TypeError):
            errors = response.json()["errors"]
            detail = f": {errors[0]['code']} {errors[0].get('message', '')}".rstrip()
        status = f"HTTP {response.status_code} {response.reason_phrase}".strip()
        if response.status_code in (401, 403):
            raise FatalError(
                f"{self.host}: {what}: not authorized ({status}{detail})",
                f"log in with `docker login {self.host}` (credentials are read from the Docker "
                "config file) or use an account that may push there",
            )
        hint = "the registry failed; nothing was changed, try again later"
        if response.status_code < 500:
            hint = "see the registry's message; nothing was changed"
        raise FatalError(f"{self.host}: {what} failed: {status}{detail}", hint)
