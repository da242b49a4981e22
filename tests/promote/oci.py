"""Test helpers that speak the OCI distribution API directly (not through the code under
test): start Debian's docker-registry, push images with random layers and multi-arch indexes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

REGISTRY_BINARY = Path("/usr/bin/docker-registry")
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass
class Registry:
    """A docker-registry process on 127.0.0.1:port."""

    port: int
    process: subprocess.Popen[bytes]

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_registry(root: Path) -> Registry:
    port = free_port()
    root.mkdir(parents=True, exist_ok=True)
    config = root / "config.yml"
    config.write_text(
        "version: 0.1\n"
        "log:\n  level: error\n  accesslog:\n    disabled: true\n"
        f"storage:\n  filesystem:\n    rootdirectory: {root / 'data'}\n"
        "  delete:\n    enabled: true\n"
        "  maintenance:\n    uploadpurging:\n      enabled: false\n"
        f"http:\n  addr: 127.0.0.1:{port}\n  secret: promote-tests\n"
    )
    log = (root / "registry.log").open("wb")
    process = subprocess.Popen(
        [str(REGISTRY_BINARY), "serve", str(config)], stdout=log, stderr=subprocess.STDOUT
    )
    registry = Registry(port, process)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"docker-registry exited: {(root / 'registry.log').read_text()}")
        try:
            if httpx.get(f"{registry.url}/v2/", timeout=1).status_code == 200:
                return registry
        except httpx.HTTPError:
            time.sleep(0.1)
    registry.stop()
    raise RuntimeError("docker-registry did not answer on /v2/ within 20s")


def ensure_registry_binary(repo_root: Path) -> str | None:
    """None when /usr/bin/docker-registry is there (installing it if we can), else why not."""
    if REGISTRY_BINARY.exists():
        return None
    script = repo_root / "tools" / "bootstrap" / "ensure-registry.sh"
    proc = subprocess.run(["bash", str(script)], capture_output=True, text=True, check=False)
    if REGISTRY_BINARY.exists():
        return None
    return f"{script} could not install docker-registry: {proc.stderr.strip()[-500:]}"


@dataclass(frozen=True)
class Pushed:
    digest: str  # what the tag points at: the index for multi-arch images
    children: tuple[str, ...]
    blobs: tuple[str, ...]


def push_blob(client: httpx.Client, repo: str, data: bytes) -> dict[str, object]:
    digest = digest_of(data)
    started = client.post(f"/v2/{repo}/blobs/uploads/")
    assert started.status_code == 202, started.text
    location = httpx.URL(started.headers["location"]).copy_merge_params({"digest": digest})
    done = client.put(location, content=data)
    assert done.status_code == 201, done.text
    return {"mediaType": OCI_LAYER, "digest": digest, "size": len(data)}


def push_manifest(client: httpx.Client, repo: str, ref: str, body: bytes, media_type: str) -> str:
    put = client.put(
        f"/v2/{repo}/manifests/{ref}", content=body, headers={"Content-Type": media_type}
    )
    assert put.status_code == 201, put.text
    return digest_of(body)


def image_manifest(client: httpx.Client, repo: str, arch: str, layers: int = 2) -> bytes:
    config_data = json.dumps(
        {
            "architecture": arch,
            "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": []},
            "nonce": os.urandom(8).hex(),
        }
    ).encode()
    config = push_blob(client, repo, config_data) | {"mediaType": OCI_CONFIG}
    blobs = [push_blob(client, repo, os.urandom(48 * 1024)) for _ in range(layers)]
    return json.dumps(
        {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": config, "layers": blobs}
    ).encode()


def push_image(
    url: str, repo: str, tag: str, arches: tuple[str, ...] = ("amd64", "arm64")
) -> Pushed:
    """Push a random image; with several architectures, an OCI index over one per arch."""
    with httpx.Client(base_url=url, timeout=30) as client:
        manifests = [image_manifest(client, repo, arch) for arch in arches]
        blobs = tuple(
            d["digest"]
            for m in manifests
            for d in [json.loads(m)["config"], *json.loads(m)["layers"]]
        )
        if len(arches) == 1:
            return Pushed(push_manifest(client, repo, tag, manifests[0], OCI_MANIFEST), (), blobs)
        children = tuple(
            push_manifest(client, repo, digest_of(m), m, OCI_MANIFEST) for m in manifests
        )
        index = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": OCI_INDEX,
                "manifests": [
                    {
                        "mediaType": OCI_MANIFEST,
                        "digest": d,
                        "size": len(m),
                        "platform": {"os": "linux", "architecture": a},
                    }
                    for d, m, a in zip(children, manifests, arches, strict=True)
                ],
            }
        ).encode()
        return Pushed(push_manifest(client, repo, tag, index, OCI_INDEX), children, blobs)


def tag_digest(url: str, repo: str, tag: str) -> str | None:
    accept = ", ".join(
        [
            OCI_INDEX,
            OCI_MANIFEST,
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
        ]
    )
    answer = httpx.head(f"{url}/v2/{repo}/manifests/{tag}", headers={"Accept": accept})
    return answer.headers.get("docker-content-digest") if answer.status_code == 200 else None


def has_blob(url: str, repo: str, digest: str) -> bool:
    return httpx.head(f"{url}/v2/{repo}/blobs/{digest}").status_code == 200


def which_registry() -> str | None:
    return shutil.which("docker-registry")
