"""The frontend image's nginx config, run by a real nginx in front of the real API.

nginx comes from the test set-up (tools/bootstrap/ensure-nginx.sh, run by `make test`); where
it is missing these tests skip. The config is the shipped one with only the listen port, the
upstream and the image's paths replaced (scripts/frontend_nginx.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import free_port, serving_new_bucket
from frontend_nginx import (
    FRONTEND,
    IMAGE_ROOT,
    NginxError,
    nginx_binary,
    render_config,
    running_nginx,
)

pytestmark = pytest.mark.integration
CSP = (
    "default-src 'self'; img-src 'self' https://*.amazonaws.com; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@pytest.fixture(scope="module")
def frontend(
    s3: Any, s3_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """nginx on a free port, /api/ proxied to `python -m qr_service` (moto S3 behind it)."""
    if nginx_binary() is None:
        pytest.skip("nginx is not installed; `make test` installs it (ensure-nginx.sh)")
    port = free_port()
    with (
        serving_new_bucket(s3, s3_endpoint) as api_url,
        running_nginx(tmp_path_factory.mktemp("nginx"), port, api_url),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client,
    ):
        yield client


def assert_security_headers(response: httpx.Response) -> None:
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_serves_the_page_with_security_and_caching_headers(frontend: httpx.Client) -> None:
    page = frontend.get("/")
    assert page.status_code == 200
    assert page.headers["server"] == "nginx"  # server_tokens off: no version
    assert page.headers["content-type"] == "text/html"
    assert '<form id="qr-form"' in page.text
    assert_security_headers(page)
    assert page.headers["cache-control"] == "max-age=300"
    revalidated = frontend.get("/", headers={"If-Modified-Since": page.headers["last-modified"]})
    assert revalidated.status_code == 304


@pytest.mark.parametrize(
    ("path", "content_type"),
    # nginx's mime.types says application/javascript up to 1.22 (Debian 12), text/javascript later
    [("/app.js", ("application/javascript", "text/javascript")), ("/style.css", ("text/css",))],
)
def test_assets_have_their_types_and_headers(
    frontend: httpx.Client, path: str, content_type: tuple[str, ...]
) -> None:
    asset = frontend.get(path)
    assert asset.status_code == 200
    assert asset.headers["content-type"] in content_type
    assert asset.content == (FRONTEND / "public" / path.lstrip("/")).read_bytes()
    assert_security_headers(asset)
    assert asset.headers["cache-control"] == "max-age=300"


def test_proxies_the_api_to_the_backend(frontend: httpx.Client) -> None:
    created = frontend.post("/api/qr", json={"data": "https://example.com/through-nginx"})
    assert created.status_code == 200
    assert "app;dur=" in created.headers["server-timing"]  # answered by the API, through nginx
    assert "cache-control" not in created.headers  # `expires off`: the API's answer is not cached
    assert_security_headers(created)
    answer = created.json()
    assert httpx.get(answer["url"]).content.startswith(b"\x89PNG")
    link = frontend.get(f"/api/qr/{answer['key']}")
    assert link.status_code == 307
    assert link.headers["cache-control"] == "no-store"
    assert link.headers["location"].startswith("http://127.0.0.1:")  # the presigned S3 URL


def test_api_errors_pass_through_as_json(frontend: httpx.Client) -> None:
    response = frontend.post("/api/qr", json={"data": "javascript:alert(1)"})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    missing = frontend.get("/api/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found"


@pytest.mark.parametrize(
    "path", ["/no-such-page", "/etc/passwd", "/nginx.conf", "/.git/config", "/index.html/x"]
)
def test_a_bad_path_is_404(frontend: httpx.Client, path: str) -> None:
    response = frontend.get(path)
    assert response.status_code == 404
    assert_security_headers(response)


def test_only_api_paths_reach_the_backend(frontend: httpx.Client) -> None:
    for path in ("/health", "/ready", "/docs", "/metrics"):
        assert frontend.get(path).status_code == 404, path


def test_oversized_body_is_json_413(frontend: httpx.Client) -> None:
    response = frontend.post("/api/qr", json={"data": "x" * 20_000})
    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"


def test_only_the_port_upstream_and_image_paths_are_replaced(tmp_path: Path) -> None:
    render_config(tmp_path, 1234, "http://127.0.0.1:9")
    shipped = (FRONTEND / "nginx" / "default.conf.template").read_text().splitlines()
    rendered = (tmp_path / "conf.d" / "default.conf").read_text().splitlines()
    changed = [
        (a.strip(), b.strip())
        for a, b in zip(shipped, rendered, strict=True)
        if a != b and not a.startswith("#")
    ]
    assert changed == [
        ("listen 8080;", "listen 127.0.0.1:1234;"),
        (f"root {IMAGE_ROOT};", f"root {FRONTEND / 'public'};"),
        ("proxy_pass ${BACKEND_URL};", "proxy_pass http://127.0.0.1:9;"),
    ]


def test_a_config_that_changed_shape_is_refused(tmp_path: Path) -> None:
    shutil.copytree(FRONTEND / "nginx", tmp_path / "nginx")
    template = tmp_path / "nginx" / "default.conf.template"
    template.write_text(template.read_text().replace("listen 8080;", "listen 8081;"))
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    with pytest.raises(NginxError, match="has no 'listen 8080;' to replace"):
        render_config(run_dir, 1234, "http://127.0.0.1:9", frontend=tmp_path)
