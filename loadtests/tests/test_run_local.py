"""run_local end to end: a stand-in QR API on 127.0.0.1, Locust headless with a short profile,
the verdict and the reports; once more with the observer reading the fake Kubernetes API."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
import yaml

import run_local
from fake_kube import HpaState, Scenario

pytestmark = pytest.mark.integration
FAKE_API = Path(__file__).with_name("fake_qr_api.py")
SERVICE = f"{sys.executable} {FAKE_API} --host {{host}} --port {{port}}"


@pytest.fixture
def short_profile(tmp_path: Path) -> Path:
    """5 s of load on a few users, 1 s without; a scale-out to 4 ready pods is expected."""
    path = tmp_path / "short.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "name": "short",
                "stages": [
                    {"name": "load", "duration": 5, "users": 3, "spawn_rate": 3},
                    {"name": "drain", "duration": 1, "users": 0, "spawn_rate": 3},
                ],
                "observer": {"interval": 0.5},
                "expectations": {
                    "scale_out": {"stage": "load", "replicas": 4, "within": 3},
                    "max_error_rate": 0.01,
                    "p95_ms": 2000,
                },
            }
        )
    )
    return path


def test_local_run_passes_and_writes_every_report(short_profile, tmp_path, capfd, monkeypatch):
    monkeypatch.delenv("LOADTEST_HPA", raising=False)
    monkeypatch.setenv("LOADTEST_WAIT", "0.05,0.1")  # enough requests that every task runs
    code = run_local.main(
        [
            "--service-cmd",
            SERVICE,
            "--profile",
            str(short_profile),
            "--results",
            str(tmp_path / "out"),
            "--max-seconds",
            "30",
        ]
    )
    out = capfd.readouterr().out
    assert code == 0, out
    results = tmp_path / "out"
    verdict = json.loads((results / "verdict.json").read_text())
    assert verdict["passed"] is True and verdict["target"] is None
    statuses = {c["name"]: c["status"] for c in verdict["checks"]}
    assert statuses == {
        "error rate": "PASS",
        "p95 latency": "PASS",
        "scale-out": "SKIP",
        "never above max": "SKIP",
    }
    assert "VERDICT: PASS (profile short, no HPA observed)" in out
    assert f"reports:\n  {results}/requests.png\n  {results}/hpa.csv\n" in out
    assert "ms per request (this mix, this machine)" in out
    assert "MiB resident at most" in out
    names = {row["Name"] for row in csv.DictReader((results / "locust_stats.csv").open())}
    assert {"POST /api/qr [new]", "GET /health", "Aggregated"} <= names
    assert names & {"POST /api/qr [repeat, cached]", "POST /api/qr [repeat, generated]"}
    rows = list(csv.DictReader((results / "hpa.csv").open()))
    assert rows[0]["t_seconds"] == "0" and rows[0]["current_replicas"] == ""
    assert any(float(r["users"]) == 3 for r in rows)
    assert (results / "requests.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (results / "hpa.png").exists()  # no HPA here: no empty scaling figure
    assert (results / "locust.html").stat().st_size > 0


def test_observed_run_fails_when_the_hpa_never_scales(
    short_profile, tmp_path, capfd, monkeypatch, fake_kube, kubeconfig_file
):
    fake_kube.reset(Scenario(((0, HpaState(2, 2, 2, 20.0)),)), clock=lambda: 0.0)
    monkeypatch.setenv("LOADTEST_HPA", "qr-generator/qr-backend")
    monkeypatch.setenv("LOADTEST_KUBECONFIG", str(kubeconfig_file))
    code = run_local.main(
        [
            "--service-cmd",
            SERVICE,
            "--profile",
            str(short_profile),
            "--results",
            str(tmp_path / "out"),
            "--max-seconds",
            "30",
        ]
    )
    out = capfd.readouterr().out
    assert code == 1, out
    verdict = json.loads((tmp_path / "out" / "verdict.json").read_text())
    checks = {c["name"]: c for c in verdict["checks"]}
    assert checks["HPA observer"]["status"] == "PASS"
    assert checks["scale-out"]["detail"].startswith(
        "expected 4 ready replicas within 3 s of stage 'load'; peak 2; the HPA never scaled"
    )
    rows = list(csv.DictReader((tmp_path / "out" / "hpa.csv").open()))
    assert {r["current_replicas"] for r in rows} == {"2"}


def test_service_that_dies_is_reported_with_its_log(tmp_path, capfd):
    code = run_local.main(
        [
            "--service-cmd",
            f"{sys.executable} -c 'raise SystemExit(\"boom\")'",
            "--results",
            str(tmp_path),
        ]
    )
    err = capfd.readouterr().err
    assert code == 2
    assert err.startswith("error: the QR service exited with code 1 before it was ready; its log")
    assert "boom" in err and "Traceback" not in err
