"""In-process LRU of keys recently seen in S3, so hot keys skip the HEAD request."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class KnownKeys:
    """Keys seen in S3 recently. An entry is trusted for `ttl` seconds after the HEAD or PUT
    that saw the object, not after its last use: objects go (the bucket's lifecycle rule, a
    deletion) without telling this process, so `ttl` bounds how long an answer can point at a
    missing object; the next request after it asks S3 again. The least recently used go first
    when full. Used from the event loop only, so no lock."""

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

    def discard(self, key: str) -> None:
        """Forget `key` (S3 said it is missing)."""
        self._seen.pop(key, None)

    def add(self, key: str) -> None:
        if self._capacity <= 0:
            return
        self._seen[key] = self._clock()
        self._seen.move_to_end(key)
        while len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
