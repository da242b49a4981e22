"""Generate-or-reuse: the request flow between the API, the renderer and S3."""

from __future__ import annotations

import time
from typing import NamedTuple

from starlette.concurrency import run_in_threadpool

from qr_service import images
from qr_service.encoding import encode
from qr_service.known_keys import KnownKeys
from qr_service.metrics import Metrics
from qr_service.request import QRRequest
from qr_service.single_flight import SingleFlight
from qr_service.storage import ObjectStore


class QRResult(NamedTuple):
    url: str
    key: str
    cached: bool
    expires_in: int


def render(request: QRRequest) -> images.Image:
    """The image bytes for `request` (CPU-bound: call from a worker thread)."""
    matrix = encode(request.data, request.error_correction)
    draw = images.png if request.format == "png" else images.svg
    return draw(matrix, request.size)


class QRService:
    """Answers a request from the in-process LRU (trusted for QR_CACHE_TTL_SECONDS after S3
    was last asked), else from S3, else by generating once.

    Concurrent identical requests in this process share one generation (SingleFlight); across
    processes the conditional PUT stores the object once."""

    def __init__(
        self, store: ObjectStore, known: KnownKeys, metrics: Metrics, expires_in: int
    ) -> None:
        self._store = store
        self._known = known
        self._metrics = metrics
        self._expires_in = expires_in
        self._flights: SingleFlight[bool] = SingleFlight()

    async def create(self, request: QRRequest) -> QRResult:
        key = request.key()
        if key in self._known:
            self._metrics.cache_hits.labels("memory").inc()
            cached = True
        else:
            cached = await self._flights.run(key, lambda: self._store_once(key, request))
        return QRResult(self._store.presign(key), key, cached, self._expires_in)

    async def locate(self, key: str) -> str | None:
        """A fresh presigned URL for `key`, or None if S3 does not have it.

        Always asks S3 (the stable link is where a client whose image URL failed comes back),
        and tells the LRU what it learnt, so POST stops answering cached for a lost object."""
        if not await run_in_threadpool(self._store.exists, key):
            self._known.discard(key)
            return None
        self._known.add(key)
        return self._store.presign(key)

    async def _store_once(self, key: str, request: QRRequest) -> bool:
        cached = await run_in_threadpool(self._ensure_stored, key, request)
        self._known.add(key)
        return cached

    def _ensure_stored(self, key: str, request: QRRequest) -> bool:
        """HEAD, then render and conditional PUT if missing; True if it was already stored."""
        if self._store.exists(key):
            self._metrics.cache_hits.labels("s3").inc()
            return True
        started = time.perf_counter()
        image = render(request)
        self._metrics.generation.labels(request.format).observe(time.perf_counter() - started)
        stored = self._store.put_if_absent(key, image.body, image.content_type)
        self._metrics.uploads.labels("stored" if stored else "existed").inc()
        return not stored
