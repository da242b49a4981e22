"""`python -m qr_service` as a real process: start-up errors, and serving over HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from conftest import free_port
from qr_service.settings import Settings

pytestmark = pytest.mark.integration


def _env(settings: Settings, **extra: str) -> dict[str, str]:
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


def _run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qr_service", "--host", "127.0.0.1", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
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


def test_invalid_settings_exit_2_with_every_problem(settings: Settings) -> None:
    env = _env(settings, PRESIGNED_URL_EXPIRES_SECONDS="0")
    del env["S3_BUCKET_NAME"]
    result = _run(env)
    assert result.returncode == 2
    assert result.stderr == (
        "qr_service: invalid configuration:\n"
        "S3_BUCKET_NAME: is not set. Hint: set it to the QR-code bucket name\n"
        "PRESIGNED_URL_EXPIRES_SECONDS: 0 is out of range; set a value from 1 to 604800\n"
    )


def test_missing_bucket_exits_2_with_a_clear_message(settings: Settings) -> None:
    result = _run(_env(settings, S3_BUCKET_NAME="qr-test-never-created"))
    assert result.returncode == 2
    assert result.stderr == (
        "qr_service: S3 bucket 'qr-test-never-created' does not exist; "
        "create it or fix S3_BUCKET_NAME\n"
    )


def test_serves_the_api_over_http(settings: Settings) -> None:
    with serving(_env(settings)) as base_url:
        assert httpx.get(f"{base_url}/ready").json()["status"] == "ready"
        answer = httpx.post(f"{base_url}/api/qr", json={"data": "https://example.com"}).json()
        redirect = httpx.get(f"{base_url}/api/qr/{answer['key']}")
    assert redirect.status_code == 307
    assert httpx.get(answer["url"]).content.startswith(b"\x89PNG")


def test_starts_not_ready_when_s3_is_down(down_settings: Settings) -> None:
    with serving(_env(down_settings)) as base_url:
        health = httpx.get(f"{base_url}/health")
        ready = httpx.get(f"{base_url}/ready")
    assert health.status_code == 200
    assert ready.status_code == 503
    assert ready.headers["retry-after"] == "2"
