"""`python -m qr_service` as a real process: start-up errors, and serving over HTTP."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from conftest import free_port, service_env, serving
from qr_service.settings import Settings

pytestmark = pytest.mark.integration


def _run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qr_service", "--host", "127.0.0.1", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_invalid_settings_exit_2_with_every_problem(settings: Settings) -> None:
    env = service_env(settings, PRESIGNED_URL_EXPIRES_SECONDS="0")
    del env["S3_BUCKET_NAME"]
    result = _run(env)
    assert result.returncode == 2
    assert result.stderr == (
        "qr_service: invalid configuration:\n"
        "S3_BUCKET_NAME: is not set. Hint: set it to the QR-code bucket name\n"
        "PRESIGNED_URL_EXPIRES_SECONDS: 0 is out of range; set a value from 1 to 604800\n"
    )


def test_missing_bucket_exits_2_with_a_clear_message(settings: Settings) -> None:
    result = _run(service_env(settings, S3_BUCKET_NAME="qr-test-never-created"))
    assert result.returncode == 2
    assert result.stderr == (
        "qr_service: S3 bucket 'qr-test-never-created' does not exist; "
        "create it or fix S3_BUCKET_NAME\n"
    )


def test_serves_the_api_over_http(settings: Settings) -> None:
    with serving(service_env(settings)) as base_url:
        assert httpx.get(f"{base_url}/ready").json()["status"] == "ready"
        answer = httpx.post(f"{base_url}/api/qr", json={"data": "https://example.com"}).json()
        redirect = httpx.get(f"{base_url}/api/qr/{answer['key']}")
    assert redirect.status_code == 307
    assert httpx.get(answer["url"]).content.startswith(b"\x89PNG")


def test_starts_not_ready_when_s3_is_down(down_settings: Settings) -> None:
    with serving(service_env(down_settings)) as base_url:
        health = httpx.get(f"{base_url}/health")
        ready = httpx.get(f"{base_url}/ready")
    assert health.status_code == 200
    assert ready.status_code == 503
    assert ready.headers["retry-after"] == "2"
