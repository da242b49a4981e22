"""The observer against a fake Kubernetes API whose HPA follows a script on a test clock."""

from __future__ import annotations

import csv
import itertools
import os
import shutil
import socket
from pathlib import Path

import pytest

import observe_hpa
from fake_kube import FakeClock, FakeKube, HpaState, Scenario, kubeconfig, scripted
from hpa_observer import HpaObserver, Load
from hpa_report import write_reports
from hpa_verdict import FAIL, PASS, LoadSummary, evaluate
from kube_hpa import HpaSource, KubeError, connect
from load_profile import load_profile

# hpa-scale-out: step at t=60, load stops at t=420, scale-down window 300 s + slack 1080 s.
SCALES_UP_AND_DOWN = Scenario(
    scripted(
        (0, 2, 2, 2, 30.0),
        (75, 4, 4, 2, 140.0),  # the HPA sees the load (metrics lag) and doubles
        (90, 8, 8, 4, 110.0),
        (105, 8, 8, 8, 85.0),  # 8 ready, 45 s after the step
        (120, 10, 10, 8, 75.0),
        (135, 10, 10, 10, 68.0),
        (430, 10, 10, 10, 5.0),  # load gone; the stabilization window holds the replicas
        (730, 6, 6, 6, 9.0),  # the memory metric holds each step down for a window
        (1030, 4, 4, 4, 12.0),
        (1330, 3, 3, 3, 16.0),
        (1630, 2, 2, 2, 20.0),  # min, 1210 s after load stopped
    )
)
DOCS = Path(__file__).resolve().parent.parent / "docs"
NEVER_SCALES = Scenario(scripted((0, 2, 2, 2, 35.0), (80, 2, 2, 2, 45.0)))


def observe(
    fake: FakeKube, kubeconfig_file: Path, scenario: Scenario, profile: str = "hpa-scale-out"
):
    clock = FakeClock()
    fake.reset(scenario, clock)
    loaded = load_profile(profile)
    source = HpaSource(connect(str(kubeconfig_file)), scenario.namespace, scenario.name)
    observer = HpaObserver(
        source,
        interval=loaded.interval,
        clock=clock,
        sleep=clock.sleep,
        load_probe=lambda t: Load(users=float((loaded.target_at(t) or (0, 0))[0])),
    )
    observer.start()
    observer.run(loaded.duration)
    return observer, loaded


def test_samples_the_whole_profile_at_the_interval(fake_kube, kubeconfig_file):
    observer, profile = observe(fake_kube, kubeconfig_file, SCALES_UP_AND_DOWN)
    times = [s.t for s in observer.samples]
    assert times[0] == 0 and times[-1] == profile.duration
    assert len(times) == profile.duration / profile.interval + 1
    assert all(b - a == pytest.approx(profile.interval) for a, b in itertools.pairwise(times))
    paths = {path for _, path, _ in fake_kube.requests}
    assert paths == {
        "/apis/autoscaling/v2/namespaces/qr-generator/horizontalpodautoscalers/qr-backend",
        "/apis/apps/v1/namespaces/qr-generator/deployments/qr-backend",
    }
    assert {method for method, _, _ in fake_kube.requests} == {"GET"}


def test_records_replicas_utilization_and_events(fake_kube, kubeconfig_file):
    observer, _ = observe(fake_kube, kubeconfig_file, SCALES_UP_AND_DOWN)
    at_100 = next(s for s in observer.samples if s.t == 100)
    r = at_100.reading
    assert (r.current_replicas, r.desired_replicas, r.ready_replicas) == (8, 8, 4)
    assert (r.cpu_utilization, r.memory_utilization, r.cpu_target) == (110.0, 40.0, 70.0)
    assert (r.min_replicas, r.max_replicas, r.scale_down_window) == (2, 12, 300.0)
    desired = [str(e) for e in observer.events if e.what == "desired"]
    assert desired == [
        "t=75s desired replicas 2 -> 4",
        "t=90s desired replicas 4 -> 8",
        "t=120s desired replicas 8 -> 10",
        "t=730s desired replicas 10 -> 6",
        "t=1030s desired replicas 6 -> 4",
        "t=1330s desired replicas 4 -> 3",
        "t=1630s desired replicas 3 -> 2",
    ]


def test_scale_up_then_down_passes(fake_kube, kubeconfig_file):
    observer, profile = observe(fake_kube, kubeconfig_file, SCALES_UP_AND_DOWN)
    verdict = evaluate(profile, observer, LoadSummary(5000, 3, 420.0), "qr-generator/qr-backend")
    assert verdict.passed, verdict.text()
    checks = {c.name: c for c in verdict.checks}
    assert checks["scale-out"].detail == (
        "8 ready replicas at t=105s, 45 s after 'step' began (limit 180 s)"
    )
    assert checks["scale-in"].detail == (
        "back to 2 replicas at t=1630s, 1210 s after load stopped "
        "(limit window 300 s + slack 1080 s)"
    )
    assert checks["never above max"].detail == "peak 10 replicas <= HPA max 12"
    assert verdict.exit_code == 0


def test_hpa_that_never_scales_fails_with_the_reason(fake_kube, kubeconfig_file):
    observer, profile = observe(fake_kube, kubeconfig_file, NEVER_SCALES)
    verdict = evaluate(profile, observer, LoadSummary(5000, 0, 300.0), "qr-generator/qr-backend")
    assert not verdict.passed and verdict.exit_code == 1
    check = next(c for c in verdict.checks if c.name == "scale-out")
    assert check.status == FAIL
    assert check.detail == (
        "expected 6 ready replicas within 180 s of stage 'step'; peak 2; the HPA never scaled: "
        "desired stayed at 2; CPU peaked at 45% of requests (target 70%)"
    )
    checks = {c.name: c for c in verdict.checks}
    assert checks["never above max"].status == PASS
    assert checks["scale-in"].detail == "nothing to scale back: it stayed at 2 replicas"
    assert "VERDICT: FAIL" in verdict.text()


def test_missing_metrics_are_named_in_the_reason(fake_kube, kubeconfig_file):
    condition = {
        "type": "ScalingActive",
        "status": "False",
        "reason": "FailedGetResourceMetric",
        "message": "unable to get metrics for resource cpu",
    }
    scenario = Scenario(((0, HpaState(2, 2, 2, None, None, (condition,))),))
    observer, profile = observe(fake_kube, kubeconfig_file, scenario)
    check = next(
        c for c in evaluate(profile, observer, None, "x/y").checks if c.name == "scale-out"
    )
    assert "the HPA reported no CPU utilization (is metrics-server running?)" in check.detail
    assert (
        "HPA conditions: ScalingActive=False (FailedGetResourceMetric): unable to get "
        "metrics for resource cpu"
    ) in check.detail


def test_api_errors_mid_run_are_gaps_not_crashes(fake_kube, kubeconfig_file):
    scenario = Scenario(SCALES_UP_AND_DOWN.steps, failing=((200, 230),))
    observer, profile = observe(fake_kube, kubeconfig_file, scenario)
    gaps = [s for s in observer.samples if s.error]
    assert [s.t for s in gaps] == [200, 205, 210, 215, 220, 225]
    assert gaps[0].error == (
        "the Kubernetes API answered 500 Internal Server Error for "
        "HorizontalPodAutoscaler qr-generator/qr-backend"
    )
    verdict = evaluate(profile, observer, None, "qr-generator/qr-backend")
    health = next(c for c in verdict.checks if c.name == "HPA observer")
    assert health.status == PASS and health.detail.startswith("379 of 385 reads succeeded")


def test_unreachable_api_is_one_clear_error(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = tmp_path / "config"
    config.write_text(kubeconfig(f"http://127.0.0.1:{port}"))
    source = HpaSource(connect(str(config)), "qr-generator", "qr-backend")
    with pytest.raises(KubeError) as error:
        HpaObserver(source, clock=FakeClock(), sleep=lambda s: None).start()
    assert error.value.message == (
        f"cannot reach the Kubernetes API at http://127.0.0.1:{port}: connection refused"
    )


def test_command_reports_unreachable_api_without_traceback(tmp_path, capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = tmp_path / "config"
    config.write_text(kubeconfig(f"http://127.0.0.1:{port}"))
    code = observe_hpa.main(
        [
            "--hpa",
            "qr-generator/qr-backend",
            "--kubeconfig",
            str(config),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(
        f"error: cannot reach the Kubernetes API at http://127.0.0.1:{port}: connection refused\n"
        "  hint: is the cluster up"
    )
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_missing_hpa_and_missing_permission_say_what_to_do(fake_kube, kubeconfig_file):
    fake_kube.reset(Scenario(NEVER_SCALES.steps, name="qr-backend"), FakeClock())
    api = connect(str(kubeconfig_file))
    with pytest.raises(KubeError) as missing:
        HpaSource(api, "qr-generator", "nope").read()
    assert str(missing.value) == (
        "HorizontalPodAutoscaler qr-generator/nope not found\n"
        "  hint: check the namespace and name (LOADTEST_HPA=namespace/name or --namespace/--hpa)"
    )
    fake_kube.reset(Scenario(NEVER_SCALES.steps, forbidden=True), FakeClock())
    with pytest.raises(KubeError) as forbidden:
        HpaSource(api, "qr-generator", "qr-backend").read()
    assert forbidden.value.message == (
        "the Kubernetes API refused to read HorizontalPodAutoscaler qr-generator/qr-backend "
        "(403 Forbidden)"
    )
    assert "apply the Role and RoleBinding in loadtests/k8s/" in forbidden.value.hint


def test_bad_kubeconfig_is_one_clear_error(tmp_path):
    with pytest.raises(KubeError) as error:
        connect(str(tmp_path / "absent"))
    assert error.value.message.startswith(f"cannot load Kubernetes credentials from {tmp_path}")


def test_command_observes_and_writes_reports(fake_kube, kubeconfig_file, tmp_path, capsys):
    clock = FakeClock()
    fake_kube.reset(SCALES_UP_AND_DOWN, clock)
    code = observe_hpa.main(
        [
            "--hpa",
            "qr-generator/qr-backend",
            "--kubeconfig",
            str(kubeconfig_file),
            "--profile",
            "hpa-scale-out",
            "--out",
            str(tmp_path),
        ],
        clock=clock,
        sleep=clock.sleep,
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "VERDICT: PASS (profile hpa-scale-out, HPA qr-generator/qr-backend)" in out
    assert "SKIP  error rate       not measured here: see Locust's report" in out
    rows = list(csv.DictReader((tmp_path / "hpa.csv").open()))
    assert len(rows) == 385
    assert rows[21]["t_seconds"] == "105" and rows[21]["ready_replicas"] == "8"
    assert (tmp_path / "hpa.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_reports_of_an_observed_run(fake_kube, kubeconfig_file, tmp_path):
    observer, profile = observe(fake_kube, kubeconfig_file, NEVER_SCALES)
    verdict = evaluate(profile, observer, LoadSummary(100, 0, 50.0), "qr-generator/qr-backend")
    paths = write_reports(tmp_path, observer, verdict, profile)
    assert [p.name for p in paths] == ["hpa.csv", "hpa.png", "verdict.txt", "verdict.json"]
    assert (tmp_path / "verdict.txt").read_text().startswith("VERDICT: FAIL")


def test_scaling_figure_of_the_scripted_run(fake_kube, kubeconfig_file, tmp_path):
    """The figure README shows; LOADTEST_WRITE_DOCS=1 writes it to docs/ as well."""
    observer, profile = observe(fake_kube, kubeconfig_file, SCALES_UP_AND_DOWN)
    verdict = evaluate(
        profile, observer, LoadSummary(5000, 3, 420.0), "qr-generator/qr-backend", env="staging"
    )
    paths = write_reports(tmp_path, observer, verdict, profile)
    assert [p.name for p in paths] == ["hpa.csv", "hpa.png", "verdict.txt", "verdict.json"]
    if os.environ.get("LOADTEST_WRITE_DOCS") == "1":
        shutil.copyfile(tmp_path / "hpa.png", DOCS / "hpa-scale-out-scripted.png")
