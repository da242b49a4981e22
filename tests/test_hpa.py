"""The HPA algorithm against the Kubernetes documentation's worked examples, and the simulator.

Then `gitops hpa simulate` on the rendered staging HPA: its verdict on the repository's profiles,
its refusals of hostile input, and its agreement with the load test's own profile reader and
verdict (loadtests/), which the Locust image carries without this package."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from gitops_tools.cli import main
from gitops_tools.errors import FatalError
from gitops_tools.hpa.algorithm import Autoscaler, HpaSpec, metric_proposal
from gitops_tools.hpa.command import _rendered
from gitops_tools.hpa.expectations import judge, passed
from gitops_tools.hpa.profile import Profile, Stage, parse_profile, read_profile
from gitops_tools.hpa.simulate import Timeline, Workload, simulate
from gitops_tools.hpa.workload import workload_model

from .conftest import REPO_ROOT


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
    stages = [Stage("low", 60, 5), Stage("step", 300, 100), Stage("after", 700, 5)]
    timeline = simulate(hpa, workload, stages, rps_per_user=2, cpu_ms_per_request=20)
    replicas = [s.replicas for s in timeline.samples]
    assert max(replicas) == 12 and min(replicas) == 2
    assert all(2 <= r <= 12 for r in replicas)
    low, step, after = timeline.summaries(stages)
    assert (low.replicas, low.settled_after) == (2, None)  # nothing changed
    assert step.replicas == step.ready == 12 and step.settled_after is not None
    assert step.settled_after < 120
    assert after.replicas == 2  # back to min after the 300 s scale-down window


@pytest.mark.parametrize("startup", [10, 60])
def test_settling_waits_for_the_new_pods_to_be_ready(startup: int) -> None:
    hpa = spec(minReplicas=2, maxReplicas=12)
    workload = Workload(cpu_request_cores=0.25, cpu_limit_cores=0.5, startup_seconds=startup)
    stages = [Stage("low", 60, 2), Stage("step", 300, 20)]
    timeline = simulate(hpa, workload, stages, rps_per_user=1, cpu_ms_per_request=25)
    step = timeline.summaries(stages)[1]
    assert (step.replicas, step.ready) == (4, 4)  # 2 -> 4
    first_sync = 15  # the window's CPU crosses the target at the sync after the step
    assert step.settled_after == first_sync + startup


def test_users_ramp_at_the_spawn_rate() -> None:
    hpa = spec(minReplicas=1, maxReplicas=1)
    workload = Workload(cpu_request_cores=1, cpu_limit_cores=None, startup_seconds=0)
    stages = [Stage("ramp", 20, 10, spawn_rate=1), Stage("down", 10, 0, spawn_rate=5)]
    users = [s.users for s in simulate(hpa, workload, stages, 1, 1).samples]
    assert users[:3] == [0, 1, 2] and users[10:20] == [10] * 10
    assert users[20:23] == [10, 5, 0]


PROFILES = REPO_ROOT / "loadtests/profiles"
# What `make loadtest-local` measured for the QR service (README, "Load tests"): the profiles
# must pass across the range, the cheapest and the dearest CPU cost seen.
MEASURED_CPU_MS = (6.5, 10.0)
MEASURED_MEMORY_MIB = 94
PROFILE = "stages:\n  - {duration: 30, users: 2}\n  - {duration: 200, users: 80}\nrps_per_user: 2\n"


def simulate_argv(profile: Path | str, *extra: str, cpu: str = "20") -> list[str]:
    return [
        "hpa",
        "simulate",
        "--env",
        "staging",
        "--app",
        "qr-generator",
        "--profile",
        str(profile),
        "--cpu-ms-per-request",
        cpu,
        *extra,
    ]


@pytest.fixture(scope="module")
def staging_objects() -> list[dict[str, Any]]:
    return _rendered(REPO_ROOT, "staging", "qr-generator")


def run_model(objects: list[dict[str, Any]], profile: Profile, cpu_ms: float) -> Timeline:
    hpa, workload = workload_model(objects, None, 10, MEASURED_MEMORY_MIB)
    return simulate(HpaSpec.from_object(hpa), workload, profile.stages, 0.8, cpu_ms)


@pytest.mark.integration
@pytest.mark.parametrize("cpu_ms", MEASURED_CPU_MS)
@pytest.mark.parametrize("name", ["smoke", "hpa-scale-out", "soak"])
def test_profiles_pass_at_the_measured_cost(
    staging_objects: list[dict[str, Any]], name: str, cpu_ms: float
) -> None:
    profile = read_profile(PROFILES / f"{name}.yaml")
    hpa, _ = workload_model(staging_objects, None, 10, MEASURED_MEMORY_MIB)
    checks = judge(profile, HpaSpec.from_object(hpa), run_model(staging_objects, profile, cpu_ms))
    assert passed(checks), [c.line() for c in checks]
    assert {c.status for c in checks if c.name in ("scale-out", "scale-in")} <= {"PASS"}


@pytest.mark.integration
def test_cli_on_the_rendered_staging_hpa(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "step.yaml"
    profile.write_text(PROFILE)
    png = tmp_path / "plot.png"
    assert main(simulate_argv(profile, "--plot", str(png))) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "HPA qr-backend: 2-12 replicas, targets cpu 70%, memory 70%, scale-down window 300 s\n"
        "model: 2 requests/s per user, 20 ms CPU per request, memory 30% of request (assumed), "
        "250m CPU request and 500m limit per pod, ready 15 s after scheduling\n"
    )
    assert "peak: 12 replicas at" in out and "(the HPA maximum)" in out
    assert "PASS  never above max  peak 12 replicas <= HPA max 12; the metrics asked for" in out
    assert out.endswith(f"expectations: pass\nplot: {png}\n")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.integration
def test_failed_expectation_exits_1_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "step.yaml"
    profile.write_text(
        PROFILE + "expectations: {scale_out: {stage: 'stages[1]', replicas: 12, within: 20}}\n"
    )
    assert main(simulate_argv(profile)) == 1
    out = capsys.readouterr().out
    assert (
        "FAIL  scale-out        expected 12 ready replicas within 20 s of stage 'stages[1]'" in out
    )
    assert out.endswith("expectations: fail\n")


@pytest.mark.integration
def test_plot_into_a_directory_names_the_file_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(simulate_argv("smoke", "--plot", str(tmp_path))) == 0
    png = tmp_path / "hpa-simulate-staging-qr-generator-smoke.png"
    assert capsys.readouterr().out.endswith(f"plot: {png}\n")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == [png.name]  # no temporary file left


@pytest.mark.integration
def test_plot_through_a_symlink_writes_its_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "real.png"
    target.write_bytes(b"old")
    link = tmp_path / "link.png"
    link.symlink_to(target)
    assert main(simulate_argv("smoke", "--plot", str(link))) == 0
    assert link.is_symlink() and target.read_bytes()[:4] == b"\x89PNG"
    assert capsys.readouterr().out.endswith(f"plot: {target}\n")


def _profile_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    return path


HOSTILE = [  # (what, profile text or None for PROFILE, extra flags, cpu, message)
    ("cpu inf", None, [], "inf", "--cpu-ms-per-request inf: expected a number > 0"),
    ("cpu nan", None, [], "nan", "--cpu-ms-per-request nan: expected a number > 0"),
    ("cpu 0", None, [], "0", "--cpu-ms-per-request 0: expected a number > 0"),
    ("cpu huge", None, [], "1e400", "--cpu-ms-per-request inf: expected a number > 0"),
    ("rps negative", None, ["--rps-per-user", "-1"], "20", "--rps-per-user -1: expected"),
    ("rps nan", None, ["--rps-per-user", "nan"], "20", "--rps-per-user nan: expected"),
    ("startup negative", None, ["--pod-startup-seconds", "-5"], "20", "--pod-startup-seconds -5"),
    ("startup inf", None, ["--pod-startup-seconds", "inf"], "20", "--pod-startup-seconds inf"),
    ("memory nan", None, ["--memory-mib-per-pod", "nan"], "20", "--memory-mib-per-pod nan"),
    ("plot missing dir", None, ["--plot", "{tmp}/absent/x.png"], "20", "does not exist"),
    ("plot on a device", None, ["--plot", "/dev/null"], "20", "--plot /dev/null: not a regular"),
    (
        "duration -10",
        "stages:\n  - {duration: -10, users: 3}\n",
        [],
        "20",
        "stages[0].duration: expected a number 1 to 86400, got -10",
    ),
    (
        "duration 1e12",  # a number as the API server reads YAML (go-yaml v2 floats)
        "stages:\n  - {duration: 1e12, users: 3}\n",
        [],
        "20",
        "stages[0].duration: expected a number 1 to 86400, got 1000000000000",
    ),
    (
        "duration 1.0e+12",
        "stages:\n  - {duration: 1.0e+12, users: 3}\n",
        [],
        "20",
        "stages[0].duration: expected a number 1 to 86400, got 1000000000000",
    ),
    (
        "a day and more in total",
        "stages:\n" + "  - {duration: 86400, users: 3}\n" * 2,
        [],
        "20",
        "stages: 172800 s in total, over the 86400 s (one day) limit",
    ),
    (
        "duration .inf",
        "stages:\n  - {duration: .inf, users: 3}\n",
        [],
        "20",
        "cannot read the load profile: inf cannot be written as JSON",  # as the API server
    ),
    (
        "users fractional",
        "stages:\n  - {duration: 10, users: 2.5}\n",
        [],
        "20",
        "stages[0].users: expected a whole number, got 2.5",
    ),
    (
        "users a billion",
        "stages:\n  - {duration: 10, users: 1000000000}\n",
        [],
        "20",
        "stages[0].users: expected an integer 0 to 100000",
    ),
    ("no duration", "stages:\n  - {users: 3}\n", [], "20", "stages[0].duration: expected"),
    ("stages a string", "stages: many\n", [], "20", "stages: expected a list of 1 to 1000"),
    (
        "too many stages",
        "stages:\n" + "  - {duration: 1, users: 1}\n" * 1001,
        [],
        "20",
        "stages: expected a list of 1 to 1000 stages",
    ),
    (
        "profile rps nan",
        "stages:\n  - {duration: 10, users: 3}\nrps_per_user: .nan\n",
        [],
        "20",
        "cannot read the load profile: nan cannot be written as JSON",
    ),
    (
        "unknown scale-out stage",
        "stages:\n  - {duration: 10, users: 3}\nexpectations: {scale_out: "
        "{stage: step, replicas: 3, within: 60}}\n",
        [],
        "20",
        "expectations.scale_out.stage: 'step' is not a stage",
    ),
    ("not a mapping", "- 1\n- 2\n", [], "20", "profile: expected a mapping, got [1, 2]"),
]


@pytest.mark.parametrize(
    ("what", "text", "extra", "cpu", "message"), HOSTILE, ids=[h[0] for h in HOSTILE]
)
def test_hostile_input_is_one_clear_message(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    what: str,
    text: str | None,
    extra: list[str],
    cpu: str,
    message: str,
) -> None:
    profile = _profile_file(tmp_path, PROFILE if text is None else text)
    argv = simulate_argv(profile, *(x.format(tmp=tmp_path) for x in extra), cpu=cpu)
    before = sorted(tmp_path.iterdir())
    started = time.monotonic()
    assert main(argv) == 2, what
    assert time.monotonic() - started < 10, "bounded time"  # refused before any rendering
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("gitops: error: ") and message in captured.err.splitlines()[0]
    assert len(captured.err.splitlines()) <= 2  # the message and, maybe, a hint
    assert "Traceback" not in captured.err
    assert sorted(tmp_path.iterdir()) == before  # nothing written


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--app", "nope"], "no objects of workload 'nope' in environment 'staging'"),
        (["--hpa", "missing"], "no HorizontalPodAutoscaler 'missing'"),
        (["--profile", "nope"], "no load profile 'nope'"),
    ],
)
def test_cli_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    profile = _profile_file(tmp_path, PROFILE)
    argv = simulate_argv(profile)
    for flag, value in zip(args[::2], args[1::2], strict=True):
        if flag in argv:
            argv[argv.index(flag) + 1] = value
        else:
            argv += [flag, value]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


# The load test's reader and verdict (loadtests/, run inside the Locust image) and this
# package's must agree: on the repository's profiles, on what they refuse, on the verdict.


@pytest.fixture
def loadtests(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, ModuleType]]:
    monkeypatch.syspath_prepend(str(REPO_ROOT / "loadtests"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    import hpa_observer
    import hpa_verdict
    import kube_hpa
    import load_profile

    yield {
        "hpa_observer": hpa_observer,
        "hpa_verdict": hpa_verdict,
        "kube_hpa": kube_hpa,
        "load_profile": load_profile,
    }


@pytest.mark.parametrize("name", ["smoke", "hpa-scale-out", "soak"])
def test_both_readers_agree_on_the_profiles(loadtests: dict[str, ModuleType], name: str) -> None:
    ours = read_profile(PROFILES / f"{name}.yaml")
    theirs = loadtests["load_profile"].load_profile(name)
    assert [(s.name, s.duration, s.users, s.spawn_rate) for s in ours.stages] == [
        (s.name, s.duration, s.users, s.spawn_rate) for s in theirs.stages
    ]
    assert ours.expectations.__dict__.keys() == theirs.expectations.__dict__.keys()
    for key, value in ours.expectations.__dict__.items():
        other = getattr(theirs.expectations, key)
        assert (value.__dict__ if hasattr(value, "__dict__") else value) == (
            other.__dict__ if hasattr(other, "__dict__") else other
        ), key
    assert (ours.load_stop, ours.starts()) == (
        theirs.load_stop,
        [theirs.stage_start(s.name) for s in theirs.stages],
    )


@pytest.mark.parametrize(
    "text", [h[1] for h in HOSTILE if h[1] is not None], ids=[h[0] for h in HOSTILE if h[1]]
)
def test_both_readers_refuse_the_same_profiles(
    loadtests: dict[str, ModuleType], text: str, tmp_path: Path
) -> None:
    import yaml

    data = yaml.safe_load(text)
    if isinstance(data, dict):  # the load test's reader also needs names and spawn rates
        for i, stage in enumerate(data["stages"] if isinstance(data["stages"], list) else []):
            if isinstance(stage, dict):
                stage.setdefault("name", f"stages[{i}]")
                stage.setdefault("spawn_rate", 1000)
    with pytest.raises(FatalError):
        parse_profile(data, tmp_path / "p.yaml")
    with pytest.raises(loadtests["load_profile"].ProfileError):
        loadtests["load_profile"].parse_profile(data, tmp_path / "p.yaml")


@pytest.mark.integration
@pytest.mark.parametrize("cpu_ms", [3.0, *MEASURED_CPU_MS])
def test_the_verdicts_agree_on_a_simulated_run(
    loadtests: dict[str, ModuleType], staging_objects: list[dict[str, Any]], cpu_ms: float
) -> None:
    """The observer's verdict over the model's timeline, sampled every second, is the model's."""
    profile = read_profile(PROFILES / "hpa-scale-out.yaml")
    hpa, _ = workload_model(staging_objects, None, 10, MEASURED_MEMORY_MIB)
    spec = HpaSpec.from_object(hpa)
    timeline = run_model(staging_objects, profile, cpu_ms)
    ours = {c.name: (c.status, c.detail) for c in judge(profile, spec, timeline)}
    observer = loadtests["hpa_observer"].HpaObserver(None)
    for s in timeline.samples:
        reading = loadtests["kube_hpa"].HpaReading(
            min_replicas=spec.min_replicas,
            max_replicas=spec.max_replicas,
            current_replicas=s.replicas,
            desired_replicas=s.replicas,
            ready_replicas=s.ready,
            cpu_utilization=s.cpu_utilization,
            memory_utilization=None,
            cpu_target=spec.targets["cpu"],
            memory_target=None,
            scale_down_window=300.0,
            deployment="qr-backend",
            conditions="",
        )
        load = loadtests["hpa_observer"].Load()
        observer.samples.append(loadtests["hpa_observer"].Sample(s.time, load, reading))
    theirs = loadtests["hpa_verdict"].evaluate(
        loadtests["load_profile"].load_profile("hpa-scale-out"), observer, None, "x/y"
    )
    for check in theirs.checks:
        if check.name in ("scale-out", "scale-in"):
            assert ours[check.name][0] == check.status, check
            if check.status == "PASS":
                assert ours[check.name][1] == check.detail
