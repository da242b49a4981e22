from __future__ import annotations

import pytest

from qr_service.readiness import Readiness
from qr_service.storage import ObjectStore, StorageUnavailableError

pytestmark = pytest.mark.anyio


class CountingStore(ObjectStore):
    def __init__(self) -> None:
        self.checks = 0
        self.failing = False

    def check_bucket(self) -> None:
        self.checks += 1
        if self.failing:
            raise StorageUnavailableError("S3 is unreachable (test)")


async def test_result_is_reused_within_the_interval() -> None:
    now = [0.0]
    store = CountingStore()
    readiness = Readiness(store, interval=5, clock=lambda: now[0])
    assert await readiness.problem() is None
    store.failing = True
    now[0] = 4.9
    assert await readiness.problem() is None
    assert store.checks == 1
    now[0] = 5.0
    problem = await readiness.problem()
    assert problem is not None
    assert problem.message == "S3 is unreachable (test)"
    assert store.checks == 2
