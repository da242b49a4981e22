"""The API end to end through ASGI, against the moto S3 server."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from conftest import api_client, stored_versions
from qr_service.settings import Settings

pytestmark = [pytest.mark.anyio, pytest.mark.integration]
URL = "https://example.com/menu?table=12"


async def test_generate_stores_png_and_answers_presigned_url(
    settings: Settings, s3: Any, bucket: str
) -> None:
    async with api_client(settings) as client:
        response = await client.post("/api/qr", json={"data": URL})
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"url", "key", "cached", "expires_in"}
    assert answer["cached"] is False
    assert answer["expires_in"] == 900
    assert [key for key, _ in stored_versions(s3, bucket)] == [f"qrcodes/{answer['key']}"]
    image = httpx.get(answer["url"])
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG\r\n\x1a\n")


async def test_svg_format(settings: Settings) -> None:
    async with api_client(settings) as client:
        answer = (await client.post("/api/qr", json={"data": URL, "format": "svg"})).json()
    assert answer["key"].endswith(".svg")
    image = httpx.get(answer["url"])
    assert image.headers["content-type"] == "image/svg+xml"
    assert image.content.startswith(b"<svg ")


def _signed_window(url: str) -> tuple[dt.datetime, int]:
    query = parse_qs(urlsplit(url).query)
    signed = dt.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")
    return signed.replace(tzinfo=dt.UTC), int(query["X-Amz-Expires"][0])


async def test_expired_presigned_url_is_renewed_by_get(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # moto does not enforce presign expiry, so expiry is read from the signed parameters.
    now = dt.datetime.now(dt.UTC)
    past = now - dt.timedelta(hours=2)
    async with api_client(replace(settings, presign_expires=60)) as client:
        monkeypatch.setattr("botocore.auth.get_current_datetime", lambda: past)
        stale = (await client.post("/api/qr", json={"data": URL})).json()
        monkeypatch.undo()
        signed, expires = _signed_window(stale["url"])
        assert signed + dt.timedelta(seconds=expires) < now  # the link the user holds is dead
        response = await client.get(f"/api/qr/{stale['key']}")
    assert response.status_code == 307
    assert response.headers["cache-control"] == "no-store"
    fresh_url = response.headers["location"]
    signed, expires = _signed_window(fresh_url)
    assert expires == 60
    assert signed + dt.timedelta(seconds=expires) > now
    assert httpx.get(fresh_url).content.startswith(b"\x89PNG")


async def test_get_unknown_key_is_404(settings: Settings) -> None:
    async with api_client(settings) as client:
        response = await client.get(f"/api/qr/{'0' * 64}.png")
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "message": f"no QR code {'0' * 64}.png; create it with POST /api/qr",
    }


async def test_missing_bucket_is_503_with_clear_message(settings: Settings) -> None:
    async with api_client(replace(settings, bucket="qr-test-no-such-bucket")) as client:
        response = await client.post("/api/qr", json={"data": URL})
        ready = await client.get("/ready")
    message = (
        "S3 bucket 'qr-test-no-such-bucket' does not exist; create it or fix S3_BUCKET_NAME; "
        "retry in 30 s"
    )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "30"
    assert response.json() == {"error": "storage_unavailable", "message": message}
    assert ready.status_code == 503
    assert ready.json()["message"] == message


async def test_s3_down_is_503_with_retry_hint_and_no_traceback(down_settings: Settings) -> None:
    async with api_client(down_settings) as client:
        response = await client.post("/api/qr", json={"data": URL})
        located = await client.get(f"/api/qr/{'0' * 64}.png")
        ready = await client.get("/ready")
        health = await client.get("/health")
    expected = {
        "error": "storage_unavailable",
        "message": "S3 is unreachable (EndpointConnectionError); retry in 2 s",
    }
    for answer in (response, located, ready):
        assert answer.status_code == 503
        assert answer.headers["retry-after"] == "2"
        assert answer.json() == expected
        assert "Traceback" not in answer.text
    assert health.status_code == 200  # liveness does no I/O: S3 trouble must not restart pods


async def test_health_ready_and_openapi(settings: Settings, bucket: str) -> None:
    async with api_client(settings) as client:
        health = await client.get("/health")
        ready = await client.get("/ready")
        docs = await client.get("/docs")
        schema = (await client.get("/openapi.json")).json()
    assert health.json() == {"status": "ok"}
    assert ready.json() == {"status": "ready", "bucket": bucket}
    assert docs.status_code == 200
    body_schema = schema["paths"]["/api/qr"]["post"]["requestBody"]["content"]["application/json"]
    assert set(body_schema["schema"]["properties"]) == {
        "data",
        "format",
        "size",
        "error_correction",
    }


async def test_unknown_path_and_method_are_json(settings: Settings) -> None:
    async with api_client(settings) as client:
        missing = await client.get("/nope")
        wrong_method = await client.delete("/api/qr")
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found"
    assert wrong_method.status_code == 405
    assert wrong_method.json()["message"].startswith("method not allowed on this path")


async def test_unexpected_error_is_json_500_without_traceback(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr("qr_service.service.render", broken)
    async with api_client(settings, raise_app_exceptions=False) as client:
        response = await client.post("/api/qr", json={"data": URL})
    assert response.status_code == 500
    assert response.json() == {
        "error": "internal_error",
        "message": "internal error; retry the request",
    }
