"""Shared fixtures: a real moto S3 server on a free loopback port, buckets, settings, clients."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer

from qr_service.app import create_app
from qr_service.settings import Settings
from qr_service.storage import ObjectStore

ClientFactory = Callable[..., Any]
SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.append(str(SCRIPTS))  # the helpers in scripts/ (frontend_nginx) are tested too


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session", autouse=True)
def fake_aws_credentials() -> Iterator[None]:
    """Dummy credentials only moto accepts; never the developer's real ones."""
    saved = dict(os.environ)
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE"):
        os.environ.pop(name, None)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def s3_endpoint(fake_aws_credentials: None) -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def s3(s3_endpoint: str) -> Any:
    return boto3.client("s3", region_name="us-east-1", endpoint_url=s3_endpoint)


@pytest.fixture
def bucket(s3: Any) -> str:
    name = f"qr-test-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


@pytest.fixture
def settings(bucket: str, s3_endpoint: str) -> Settings:
    return Settings(
        bucket=bucket,
        region="us-east-1",
        endpoint_url=s3_endpoint,
        s3_timeout=2.0,
        s3_max_attempts=1,
    )


@pytest.fixture
def down_settings(settings: Settings) -> Settings:
    """Settings pointing at a loopback port where nothing listens: S3 is down."""
    return replace(settings, endpoint_url=f"http://127.0.0.1:{free_port()}")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@asynccontextmanager
async def api_client(
    settings: Settings, store: ObjectStore | None = None, **transport: Any
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, store=store)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, **transport), base_url="http://testserver"
    ) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client


def stored_versions(s3: Any, bucket: str) -> list[tuple[str, str]]:
    """(key, version id) of every object version in `bucket`."""
    listing = s3.list_object_versions(Bucket=bucket)
    return [(v["Key"], v["VersionId"]) for v in listing.get("Versions", [])]


def service_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment `python -m qr_service` reads, for `settings`' bucket and S3."""
    env = {
        **os.environ,
        "S3_BUCKET_NAME": settings.bucket,
        "AWS_REGION": settings.region,
        "S3_ENDPOINT_URL": settings.endpoint_url or "",
        "S3_MAX_ATTEMPTS": "1",
        "S3_TIMEOUT_SECONDS": "2",
    }
    env.update(extra)
    return env


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    """`python -m qr_service` on a free loopback port until the block ends; its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "qr_service", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base_url}/health", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()[0]
                time.sleep(0.1)
        yield base_url
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
        # uvicorn re-raises SIGTERM after its graceful shutdown
        assert process.returncode in (0, -signal.SIGTERM), output
        assert "Application shutdown complete." in output
        assert "Traceback" not in output


@contextmanager
def serving_new_bucket(s3: Any, s3_endpoint: str, **extra: str) -> Iterator[str]:
    """`python -m qr_service` on a bucket of its own (for module-scoped servers)."""
    bucket = f"qr-test-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    settings = Settings(bucket=bucket, region="us-east-1", endpoint_url=s3_endpoint)
    with serving(service_env(settings, **extra)) as base_url:
        yield base_url
