"""The HPA algorithm against the Kubernetes documentation's worked examples, and the simulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_tools.cli import main
from gitops_tools.hpa.algorithm import Autoscaler, HpaSpec, metric_proposal
from gitops_tools.hpa.simulate import Stage, Workload, simulate


# "Horizontal Pod Autoscaling", section "Algorithm details":
# desiredReplicas = ceil[currentReplicas * ( currentMetricValue / desiredMetricValue )]
def test_doubles_when_the_metric_is_twice_the_target() -> None:
    assert metric_proposal(3, 200, 100) == 6  # 200m current, 100m desired: doubled


def test_halves_when_the_metric_is_half_the_target() -> None:
    assert metric_proposal(4, 50, 100) == 2  # 50m current: halved


def test_tolerance_of_ten_percent() -> None:
    assert metric_proposal(10, 105, 100) == 10
    assert metric_proposal(10, 91, 100) == 10
    assert metric_proposal(10, 111, 100) == 12


def spec(**overrides: Any) -> HpaSpec:
    return HpaSpec.from_object(
        {
            "spec": {
                "minReplicas": 1,
                "maxReplicas": 100,
                "metrics": [
                    {
                        "type": "Resource",
                        "resource": {
                            "name": "cpu",
                            "target": {"type": "Utilization", "averageUtilization": 50},
                        },
                    }
                ],
                **overrides,
            }
        }
    )


def test_default_scale_up_is_four_pods_or_double_per_15_seconds() -> None:
    hpa = Autoscaler(spec())
    assert hpa.decide(0, 1, {"cpu": 1000}) == 5  # max(1 + 4, 1 * 200 %)
    assert hpa.decide(15, 5, {"cpu": 1000}) == 10  # max(5 + 4, 5 * 200 %)


# "Configurable scaling behavior", example policies: 4 Pods or 10 % per 60 s, the larger
# change wins (selectPolicy Max): with 80 replicas, 10 % (8 pods) is allowed.
def test_scale_down_policies_example() -> None:
    behavior = {
        "scaleDown": {
            "stabilizationWindowSeconds": 0,
            "policies": [
                {"type": "Pods", "value": 4, "periodSeconds": 60},
                {"type": "Percent", "value": 10, "periodSeconds": 60},
            ],
        }
    }
    hpa = Autoscaler(spec(behavior=behavior))
    assert hpa.decide(0, 80, {"cpu": 1}) == 72
    assert hpa.decide(15, 72, {"cpu": 1}) == 72  # the period started at 80: nothing more yet
    assert hpa.decide(61, 72, {"cpu": 1}) == 64  # a new period: 10 % of 72, truncated


def test_select_policy_disabled_never_scales_down() -> None:
    hpa = Autoscaler(spec(behavior={"scaleDown": {"selectPolicy": "Disabled"}}))
    assert hpa.decide(0, 10, {"cpu": 1}) == 10


# "Stabilization window": scaling down follows the highest recommendation of the window.
def test_scale_down_stabilization_window() -> None:
    hpa = Autoscaler(spec())  # default scale-down window 300 s
    assert hpa.decide(0, 10, {"cpu": 50}) == 10
    assert hpa.decide(60, 10, {"cpu": 10}) == 10  # wants 2, but 10 was recommended at t=0
    assert hpa.decide(301, 10, {"cpu": 10}) == 2  # the t=0 recommendation left the window


def test_bounds_are_respected() -> None:
    hpa = Autoscaler(spec(maxReplicas=3))
    assert hpa.decide(0, 2, {"cpu": 10_000}) == 3
    assert Autoscaler(spec(minReplicas=2)).decide(0, 2, {"cpu": 0}) == 2


def test_simulated_step_load_scales_out_within_max_and_back() -> None:
    hpa = spec(minReplicas=2, maxReplicas=12)
    workload = Workload(cpu_request_cores=0.25, cpu_limit_cores=0.5, startup_seconds=20)
    stages = [Stage(60, 5), Stage(300, 100), Stage(700, 5)]
    timeline = simulate(hpa, workload, stages, rps_per_user=2, cpu_ms_per_request=20)
    replicas = [s.replicas for s in timeline.samples]
    assert max(replicas) == 12 and min(replicas) == 2
    assert all(2 <= r <= 12 for r in replicas)
    settle = timeline.time_to_settle()
    assert settle[1][2] == 12 and settle[1][3] is not None and settle[1][3] < 120
    assert settle[2][2] == 2  # back to min after the 300 s scale-down window


PROFILE = "stages:\n  - {duration: 30, users: 2}\n  - {duration: 200, users: 80}\nrps_per_user: 2\n"


@pytest.mark.integration
def test_cli_on_the_rendered_staging_hpa(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "step.yaml"
    profile.write_text(PROFILE)
    png = tmp_path / "plot.png"
    args = [
        "hpa",
        "simulate",
        "--env",
        "staging",
        "--app",
        "qr-generator",
        "--profile",
        str(profile),
        "--cpu-ms-per-request",
        "20",
        "--plot",
        str(png),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("HPA qr-backend: 2-12 replicas, targets cpu 70%, memory 70%\n")
    assert "peak: 12 replicas at" in out and "(the HPA maximum)" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--app", "nope"], "no objects of workload 'nope' in environment 'staging'"),
        (["--cpu-ms-per-request", "0"], "--cpu-ms-per-request must be positive"),
        (["--hpa", "missing"], "no HorizontalPodAutoscaler 'missing'"),
    ],
)
def test_cli_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    profile = tmp_path / "step.yaml"
    profile.write_text(PROFILE)
    base = {
        "--env": "staging",
        "--app": "qr-generator",
        "--profile": str(profile),
        "--cpu-ms-per-request": "20",
    }
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = ["hpa", "simulate", *[x for kv in base.items() for x in kv]]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_bad_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "bad.yaml"
    profile.write_text("stages:\n  - {users: 3}\n")
    argv = [
        "hpa",
        "simulate",
        "--env",
        "staging",
        "--app",
        "qr-generator",
        "--profile",
        str(profile),
        "--cpu-ms-per-request",
        "20",
    ]
    assert main(argv) == 2
    assert "stages[0] needs a number `duration` (seconds) and `users`" in capsys.readouterr().err
