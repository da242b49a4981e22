"""In-process LRU of keys known to be stored, so hot keys skip the HEAD request."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class KnownKeys:
    """Keys seen in S3 recently. Entries expire after `ttl` seconds because the bucket's
    lifecycle rule deletes old objects, and the least recently used go first when full.
    Used from the event loop only, so no lock."""

    def __init__(
        self, capacity: int, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._capacity = capacity
        self._ttl = ttl
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        seen = self._seen.get(key)  # type: ignore[call-overload]
        if seen is None:
            return False
        if self._clock() - seen > self._ttl:
            del self._seen[key]  # type: ignore[arg-type]
            return False
        self._seen.move_to_end(key)  # type: ignore[arg-type]
        return True

    def __len__(self) -> int:
        return len(self._seen)

    def add(self, key: str) -> None:
        if self._capacity <= 0:
            return
        self._seen[key] = self._clock()
        self._seen.move_to_end(key)
        while len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
