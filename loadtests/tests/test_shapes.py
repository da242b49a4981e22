"""The shape's tick() sequence for each profile, on a test clock."""

from __future__ import annotations

import pytest

from fake_kube import FakeClock
from load_profile import load_profile
from shapes import ProfileShape, max_seconds_from_env


def ticks(profile_name: str, at: list[float], max_seconds: float | None = None) -> list:
    clock = FakeClock()
    shape = ProfileShape(load_profile(profile_name), max_seconds=max_seconds, clock=clock)
    shape.reset_time()  # what Locust does when the shape starts
    result = []
    for t in at:
        clock.now = shape.start_time + t
        result.append(shape.tick())
    return result


def test_smoke_ticks():
    assert ticks("smoke", [0, 9.9, 10, 34.9, 35, 39.9, 40, 500]) == [
        (2, 2.0),
        (2, 2.0),
        (5, 5.0),
        (5, 5.0),
        (0, 5.0),
        (0, 5.0),
        None,
        None,
    ]


def test_hpa_scale_out_ticks():
    assert ticks("hpa-scale-out", [0, 59, 60, 419, 420, 1919, 1920]) == [
        (4, 2.0),
        (4, 2.0),
        (240, 10.0),
        (240, 10.0),
        (0, 20.0),
        (0, 20.0),
        None,
    ]


def test_soak_ticks():
    assert ticks("soak", [0, 119, 120, 1919, 1920, 2819, 2820]) == [
        (100, 1.0),
        (100, 1.0),
        (100, 1.0),
        (100, 1.0),
        (0, 10.0),
        (0, 10.0),
        None,
    ]


def test_max_seconds_stops_any_profile():
    assert ticks("soak", [0, 29.9, 30, 31], max_seconds=30) == [(100, 1.0), (100, 1.0), None, None]


def test_shape_reads_profile_and_bound_from_environment(monkeypatch):
    monkeypatch.setenv("LOADTEST_PROFILE", "hpa-scale-out")
    monkeypatch.setenv("LOADTEST_MAX_SECONDS", "90")
    shape = ProfileShape()
    assert shape.profile.name == "hpa-scale-out" and shape.max_seconds == 90


@pytest.mark.parametrize("raw", ["0", "-3", "soon"])
def test_bad_bound_is_refused(monkeypatch, raw):
    monkeypatch.setenv("LOADTEST_MAX_SECONDS", raw)
    with pytest.raises(ValueError, match="LOADTEST_MAX_SECONDS must be a positive number"):
        max_seconds_from_env()
