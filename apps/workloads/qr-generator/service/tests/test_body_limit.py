from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from conftest import api_client
from qr_service.settings import Settings

pytestmark = pytest.mark.anyio
TOO_LARGE = {
    "error": "body_too_large",
    "message": "the request body is over 8192 bytes; send only data, format, size and "
    "error_correction, with data short enough for a QR code",
}


async def test_declared_length_over_cap_is_413(settings: Settings) -> None:
    async with api_client(settings) as client:
        response = await client.post("/api/qr", json={"data": "x" * 9000})
    assert response.status_code == 413
    assert response.json() == TOO_LARGE


async def test_chunked_body_over_cap_is_413(settings: Settings) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"data": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    async with api_client(settings) as client:
        response = await client.post(
            "/api/qr", content=chunks(), headers={"content-type": "application/json"}
        )
    assert response.status_code == 413
    assert response.json() == TOO_LARGE


async def test_body_under_cap_reaches_the_app(settings: Settings) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"data": '
        yield b'"https://example.com"}'

    async with api_client(settings) as client:
        response = await client.post(
            "/api/qr", content=chunks(), headers={"content-type": "application/json"}
        )
    assert response.status_code == 200


async def test_malformed_content_length_is_400(settings: Settings) -> None:
    async with api_client(settings) as client:
        response = await client.post(
            "/api/qr",
            content=b"{}",
            headers={"content-length": "abc", "content-type": "application/json"},
        )
    assert response.status_code == 400
    assert response.json() == {
        "error": "bad_request",
        "message": "Content-Length is not a number; send the body's length in bytes",
    }
