from __future__ import annotations

from qr_service.known_keys import KnownKeys


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_least_recently_used_key_is_evicted_first() -> None:
    known = KnownKeys(capacity=2, ttl=60, clock=Clock())
    known.add("a")
    known.add("b")
    assert "a" in known  # touches a: b is now the oldest
    known.add("c")
    assert "b" not in known
    assert "a" in known
    assert "c" in known
    assert len(known) == 2


def test_entries_expire_after_ttl() -> None:
    clock = Clock()
    known = KnownKeys(capacity=10, ttl=60, clock=clock)
    known.add("a")
    clock.now = 60
    assert "a" in known
    clock.now = 60.5
    assert "a" not in known
    assert len(known) == 0


def test_zero_capacity_disables_the_cache() -> None:
    known = KnownKeys(capacity=0, ttl=60)
    known.add("a")
    assert "a" not in known


def test_a_hit_does_not_extend_the_trust() -> None:
    clock = Clock()
    known = KnownKeys(capacity=10, ttl=10, clock=clock)
    known.add("a")
    clock.now = 9
    assert "a" in known
    clock.now = 10.5
    assert "a" not in known  # 10 s after S3 was asked, not after the last hit


def test_discard_forgets_a_key() -> None:
    known = KnownKeys(capacity=10, ttl=60, clock=Clock())
    known.add("a")
    known.discard("a")
    known.discard("never-added")
    assert "a" not in known
