"""scripts/run_local.py (`make qr-local`): moto + API + the page on 127.0.0.1:$PORT, served by
nginx with the frontend's config where nginx is installed, else by the API itself."""

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

from conftest import SCRIPTS, free_port
from frontend_nginx import nginx_binary

pytestmark = pytest.mark.integration
SCRIPT = SCRIPTS / "run_local.py"


@contextmanager
def run_local(**env: str) -> Iterator[tuple[str, list[str]]]:
    """run_local.py on a free port until the block ends (Ctrl-C); its base URL and output."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT)],
        env={**os.environ, "PORT": str(port), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # Ctrl-C reaches its whole group, nginx too, as in a terminal
    )
    base_url = f"http://127.0.0.1:{port}"
    output: list[str] = []
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base_url}/", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()[0]
                time.sleep(0.1)
        yield base_url, output
    finally:
        os.killpg(process.pid, signal.SIGINT)
        output.append(process.communicate(timeout=30)[0])
    assert process.returncode == 0, output[0]
    assert f"QR service on {base_url}/" in output[0]
    assert "Traceback" not in output[0]


def use_page_and_api(base_url: str) -> httpx.Response:
    """Loads the page and its script, creates a code through /api/ and fetches the image."""
    page = httpx.get(f"{base_url}/")
    assert page.status_code == 200
    assert '<form id="qr-form"' in page.text
    assert 'fetch("/api/qr"' in httpx.get(f"{base_url}/app.js").text
    answer = httpx.post(f"{base_url}/api/qr", json={"data": "https://example.com"}).json()
    assert answer["url"].startswith("http://127.0.0.1:")  # S3 is the local moto server
    assert httpx.get(answer["url"]).content.startswith(b"\x89PNG")
    return page


@pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (ensure-nginx.sh)")
def test_serves_the_page_through_nginx_until_interrupted() -> None:
    with run_local() as (base_url, output):
        page = use_page_and_api(base_url)
        assert httpx.get(f"{base_url}/health").status_code == 404  # only /api/ is proxied
    assert page.headers["server"] == "nginx"
    assert "img-src 'self'" in page.headers["content-security-policy"]
    assert "nginx with the frontend's config" in output[0]


def test_without_nginx_the_api_serves_the_page_and_says_so() -> None:
    with run_local(NGINX="/nonexistent/nginx") as (base_url, output):
        page = use_page_and_api(base_url)
        assert httpx.get(f"{base_url}/health").json() == {"status": "ok"}
    assert page.headers["server"] == "uvicorn"
    assert "run_local: nginx is not installed, so the API serves the page itself" in output[0]
