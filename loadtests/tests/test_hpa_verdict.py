"""Expectation evaluation on hand-made timelines: each failure says what and when."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hpa_observer import HpaObserver, Load, Sample
from hpa_verdict import FAIL, PASS, SKIP, LoadSummary, evaluate
from kube_hpa import HpaReading
from load_profile import load_profile, parse_profile

BASE = HpaReading(
    min_replicas=2,
    max_replicas=12,
    current_replicas=2,
    desired_replicas=2,
    ready_replicas=2,
    cpu_utilization=30.0,
    memory_utilization=40.0,
    cpu_target=70.0,
    memory_target=70.0,
    scale_down_window=300.0,
    deployment="qr-backend",
    conditions="",
)
# The verdict's rules on a fixed profile (not the shipped one, whose numbers get tuned):
# step at 60 s (within 180), load stops at 420 s, scale-in within 300 s + 240 s.
PROFILE = parse_profile(
    {
        "name": "hpa-scale-out",
        "stages": [
            {"name": "baseline", "duration": 60, "users": 4, "spawn_rate": 2},
            {"name": "step", "duration": 360, "users": 120, "spawn_rate": 10},
            {"name": "drain", "duration": 600, "users": 0, "spawn_rate": 20},
        ],
        "expectations": {
            "scale_out": {"stage": "step", "replicas": 6, "within": 180},
            "scale_in": {"window": "hpa", "slack": 240, "to": "min"},
            "max_error_rate": 0.01,
            "p95_ms": 800,
        },
    },
    Path("hpa-scale-out.yaml"),
)
TARGET = "qr-generator/qr-backend"


def timeline(*rows: tuple[float, int], end: float = 1020) -> HpaObserver:
    """(from_t, replicas) rows, sampled every 10 s until `end`."""
    observer = HpaObserver(None)
    t = 0.0
    while t <= end:
        replicas = [r for start, r in rows if start <= t][-1]
        observer.samples.append(
            Sample(
                t,
                Load(),
                replace(
                    BASE,
                    current_replicas=replicas,
                    desired_replicas=replicas,
                    ready_replicas=replicas,
                ),
            )
        )
        t += 10
    return observer


def check(verdict, name):
    return next(c for c in verdict.checks if c.name == name)


def test_everything_on_time_passes():
    verdict = evaluate(
        PROFILE, timeline((0, 2), (100, 6), (800, 2)), LoadSummary(10, 0, 100), TARGET
    )
    assert [(c.name, c.status) for c in verdict.checks] == [
        ("error rate", PASS),
        ("p95 latency", PASS),
        ("HPA observer", PASS),
        ("scale-out", PASS),
        ("never above max", PASS),
        ("scale-in", PASS),
    ]


def test_late_scale_out_fails_with_how_late():
    verdict = evaluate(PROFILE, timeline((0, 2), (300, 6), (800, 2)), None, TARGET)
    assert check(verdict, "scale-out").detail == (
        "expected 6 ready replicas within 180 s of stage 'step'; reached 6 only 240 s after the "
        "step (at t=300s)"
    )


def test_above_max_fails_with_when():
    verdict = evaluate(PROFILE, timeline((0, 2), (100, 13), (800, 2)), None, TARGET)
    c = check(verdict, "never above max")
    assert c.status == FAIL
    assert c.detail == (
        "current replicas 13 > HPA max 12 at t=100s; above max in 70 of 103 samples"
    )


def test_slow_scale_in_fails_with_how_slow():
    verdict = evaluate(PROFILE, timeline((0, 2), (100, 6), (1000, 2), end=1100), None, TARGET)
    assert check(verdict, "scale-in").detail == (
        "back to 2 replicas only 580 s after load stopped "
        "(limit window 300 s + slack 240 s = 540 s)"
    )


def test_scale_in_never_happening_fails():
    verdict = evaluate(PROFILE, timeline((0, 2), (100, 6), end=1100), None, TARGET)
    assert check(verdict, "scale-in").detail == (
        "still at 6 replicas 680 s after load stopped; expected 2 within window 300 s + slack 240 s"
    )


def test_observation_ending_before_the_deadline_says_so():
    verdict = evaluate(PROFILE, timeline((0, 2), (100, 6), end=700), None, TARGET)
    assert check(verdict, "scale-in").detail == (
        "still at 6 replicas when the observation ended (t=700s, 280 s after load stopped) before "
        "the deadline t=960s: lengthen the profile's last 0-user stage"
    )


def test_error_rate_and_p95_bounds():
    verdict = evaluate(
        PROFILE, timeline((0, 2), (100, 6), (800, 2)), LoadSummary(1000, 25, 950.0), TARGET
    )
    assert check(verdict, "error rate").detail == (
        "2.50% of 1000 requests failed (25; limit 1.00%)"
    )
    assert check(verdict, "p95 latency").detail == ("p95 950 ms over all requests (limit 800 ms)")
    assert {check(verdict, n).status for n in ("error rate", "p95 latency")} == {FAIL}
    assert not verdict.passed and verdict.exit_code == 1


def test_no_requests_fails():
    verdict = evaluate(load_profile("smoke"), HpaObserver(None), LoadSummary(0, 0, None), None)
    assert check(verdict, "error rate").detail == "no request was made: is the host right?"


def test_local_run_skips_hpa_checks():
    verdict = evaluate(PROFILE, HpaObserver(None), LoadSummary(100, 0, 80.0), None)
    skipped = [c.name for c in verdict.checks if c.status == SKIP]
    assert skipped == ["scale-out", "never above max", "scale-in"]
    assert verdict.passed
    assert (
        verdict.text().splitlines()[0] == "VERDICT: PASS (profile hpa-scale-out, no HPA observed)"
    )


def test_observer_that_could_not_start_fails():
    error = "cannot observe HPA qr-generator/qr-backend: cannot reach the Kubernetes API"
    verdict = evaluate(PROFILE, HpaObserver(None), LoadSummary(100, 0, 80.0), TARGET, error)
    assert check(verdict, "HPA observer").status == FAIL
    assert check(verdict, "HPA observer").detail == error
    assert check(verdict, "scale-out").status == SKIP


def test_verdict_as_json():
    verdict = evaluate(PROFILE, timeline((0, 2), (100, 6), (800, 2)), None, TARGET)
    data = verdict.as_dict()
    assert data["passed"] is True and data["target"] == TARGET
    assert data["checks"][0] == {
        "name": "error rate",
        "status": "SKIP",
        "detail": "not measured here: see Locust's report",
    }
    assert data["profile"] == "hpa-scale-out" and len(data["checks"]) == 6
