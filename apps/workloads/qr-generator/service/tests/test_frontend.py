"""The frontend's nginx config, run by a real nginx (skipped where nginx is not installed)."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import free_port

pytestmark = pytest.mark.integration
FRONTEND = Path(__file__).resolve().parent.parent / "frontend"


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """nginx with the image's config, serving public/ and proxying /api/ to a stub backend."""
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed")
    backend_port, port = free_port(), free_port()
    server = (FRONTEND / "nginx" / "default.conf.template").read_text()
    server = server.replace("${BACKEND_URL}", f"http://127.0.0.1:{backend_port}")
    server = server.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    server = server.replace("/usr/share/nginx/html", str(FRONTEND / "public"))
    main = (FRONTEND / "nginx" / "nginx.conf").read_text().replace("/tmp", str(tmp_path))
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "conf.d" / "default.conf").write_text(server)
    (tmp_path / "nginx.conf").write_text(main.replace("/dev/stdout", str(tmp_path / "access.log")))
    process = subprocess.Popen(
        ["nginx", "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()[1]
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", f"127.0.0.1:{backend_port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serves_the_page_with_security_headers(nginx: tuple[str, str]) -> None:
    base_url, _ = nginx
    page = httpx.get(f"{base_url}/")
    assert page.status_code == 200
    assert '<form id="qr-form"' in page.text
    assert "img-src 'self' https://*.amazonaws.com" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"


def test_proxies_the_api_to_backend_url(nginx: tuple[str, str]) -> None:
    base_url, _ = nginx
    response = httpx.post(f"{base_url}/api/qr", json={"data": "x"})
    assert response.status_code == 502  # nothing listens at BACKEND_URL: proxied, not served


def test_oversized_body_is_json_413(nginx: tuple[str, str]) -> None:
    base_url, _ = nginx
    response = httpx.post(f"{base_url}/api/qr", json={"data": "x" * 20_000})
    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"
