from __future__ import annotations

import pytest

from conftest import api_client
from qr_service.settings import Settings

pytestmark = pytest.mark.anyio


async def test_requests_are_counted_by_route_template_and_status(settings: Settings) -> None:
    async with api_client(settings) as client:
        await client.get("/health")
        await client.get(f"/api/qr/{'a' * 64}.png")
        await client.post("/api/qr", json={"data": ""})
        response = await client.get("/metrics")
    text = response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert 'http_requests_total{method="GET",route="/health",status="200"} 1.0' in text
    assert 'http_requests_total{method="GET",route="/api/qr/{key}",status="404"} 1.0' in text
    assert 'http_requests_total{method="POST",route="/api/qr",status="422"} 1.0' in text
    assert 'http_request_duration_seconds_count{method="GET",route="/health"} 1.0' in text


async def test_server_timing_header(settings: Settings) -> None:
    async with api_client(settings) as client:
        response = await client.get("/health")
    name, duration = response.headers["server-timing"].split(";dur=")
    assert name == "app"
    assert float(duration) >= 0
