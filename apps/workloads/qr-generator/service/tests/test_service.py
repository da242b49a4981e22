"""Generate-or-reuse through the API: LRU hits, HEAD hits, one object per key under concurrency."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from conftest import api_client, stored_versions
from qr_service.settings import Settings
from qr_service.storage import ObjectStore

pytestmark = [pytest.mark.anyio, pytest.mark.integration]
URL = "https://example.com/menu?table=12"


async def test_second_request_is_a_cache_hit_without_s3_write(
    settings: Settings, s3: Any, bucket: str
) -> None:
    async with api_client(settings) as client:
        first = (await client.post("/api/qr", json={"data": URL})).json()
        second = (await client.post("/api/qr", json={"data": URL})).json()
        metrics = (await client.get("/metrics")).text
    assert first["cached"] is False
    assert second["cached"] is True
    assert second["key"] == first["key"]
    assert len(stored_versions(s3, bucket)) == 1
    assert 'qr_cache_hits_total{layer="memory"} 1.0' in metrics
    assert 'qr_uploads_total{result="stored"} 1.0' in metrics


async def test_equivalent_requests_share_a_key(settings: Settings) -> None:
    async with api_client(settings) as client:
        first = (await client.post("/api/qr", json={"data": "HTTPS://EXAMPLE.com/A"})).json()
        second = (
            await client.post(
                "/api/qr",
                json={"data": "  https://example.com/A ", "format": "PNG", "error_correction": "m"},
            )
        ).json()
        other_path = (await client.post("/api/qr", json={"data": "https://example.com/a"})).json()
    assert second["key"] == first["key"]
    assert second["cached"] is True
    assert other_path["key"] != first["key"]


async def test_object_stored_by_another_instance_is_found_by_head(
    settings: Settings, s3: Any, bucket: str
) -> None:
    async with api_client(settings) as first_pod:
        await first_pod.post("/api/qr", json={"data": URL})
    async with api_client(settings) as second_pod:  # empty LRU: must ask S3
        answer = (await second_pod.post("/api/qr", json={"data": URL})).json()
        metrics = (await second_pod.get("/metrics")).text
    assert answer["cached"] is True
    assert 'qr_cache_hits_total{layer="s3"} 1.0' in metrics
    assert len(stored_versions(s3, bucket)) == 1


async def test_concurrent_identical_requests_store_one_object(
    settings: Settings, s3: Any, bucket: str
) -> None:
    async with api_client(settings) as client:
        responses = await asyncio.gather(
            *(client.post("/api/qr", json={"data": URL}) for _ in range(20))
        )
        metrics = (await client.get("/metrics")).text
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["key"] for r in responses}) == 1
    assert len(stored_versions(s3, bucket)) == 1  # versioned bucket: a second PUT would show
    assert 'qr_uploads_total{result="stored"} 1.0' in metrics
    assert 'qr_generation_seconds_count{format="png"} 1.0' in metrics


class RacingStore(ObjectStore):
    """HEAD always misses, as when another pod uploads between our HEAD and our PUT."""

    def exists(self, key: str) -> bool:
        return False


async def test_concurrent_pods_store_one_object_via_conditional_put(
    settings: Settings, s3: Any, bucket: str
) -> None:
    async with (
        api_client(settings, store=RacingStore(settings)) as pod_a,
        api_client(settings, store=RacingStore(settings)) as pod_b,
    ):
        first = await pod_a.post("/api/qr", json={"data": URL})
        second = await pod_b.post("/api/qr", json={"data": URL})
        metrics_b = (await pod_b.get("/metrics")).text
    assert first.json()["cached"] is False
    assert second.status_code == 200
    assert second.json()["cached"] is True  # PUT answered 412: the object was already there
    assert 'qr_uploads_total{result="existed"} 1.0' in metrics_b
    assert len(stored_versions(s3, bucket)) == 1
