"""Readiness: is the bucket reachable? Checked at most once per interval, shared by callers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool

from qr_service.storage import ObjectStore, StorageUnavailableError


class Readiness:
    def __init__(
        self, store: ObjectStore, interval: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._store = store
        self._interval = interval
        self._clock = clock
        self._checked_at: float | None = None
        self._problem: StorageUnavailableError | None = None
        self._lock = asyncio.Lock()

    async def problem(self) -> StorageUnavailableError | None:
        """None when ready, else why not (from a check at most `interval` seconds old)."""
        async with self._lock:
            now = self._clock()
            if self._checked_at is None or now - self._checked_at >= self._interval:
                try:
                    await run_in_threadpool(self._store.check_bucket)
                    self._problem = None
                except StorageUnavailableError as error:
                    self._problem = error
                self._checked_at = self._clock()
            return self._problem
