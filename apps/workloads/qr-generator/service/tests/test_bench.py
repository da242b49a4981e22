"""scripts/bench.py runs end to end on a tiny budget (numbers are not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def test_bench_measures_both_paths_for_every_variant(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPTS / "bench.py"),
            "--requests",
            "6",
            "--seconds",
            "10",
            "--concurrency",
            "2",
            "--skip-render",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(out.read_text())
    assert {(r["variant"], r["path"]) for r in rows} == {
        (variant, path)
        for variant in ("seed-naive", "naive-shared", "ours")
        for path in ("generate", "cache-hit", "cache-hit-c1")
    }
    assert all(r["requests"] == 6 and r["errors"] == 0 for r in rows)
    assert "ours / seed-naive   generate" in result.stdout


def test_render_bench_reports_every_stage() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "render_bench.py"), "--count", "3"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "segno: PNG total" in result.stdout
    assert "ours: PNG total" in result.stdout
