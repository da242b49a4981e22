"""The user mix from the environment, and the guard that keeps load on this machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from locustfile import Mix

LOCUSTFILE = Path(__file__).resolve().parent.parent / "locustfile.py"


def test_default_mix():
    mix = Mix.from_env({})
    assert mix.weights == {"new": 3, "repeat": 6, "fetch": 2, "health": 1}
    assert (mix.pool, mix.wait, mix.formats, mix.sizes) == (50, (0.5, 2.0), ("png", "svg"), (8, 10))
    assert mix.repeat_payload(3) == {
        "data": "https://example.com/loadtest/repeat/3",
        "format": "svg",
        "size": 10,
        "error_correction": "M",
    }
    first, second = mix.new_payload(), mix.new_payload()
    assert first["data"] != second["data"] and first["data"].startswith("https://example.com/")
    assert first["format"] in ("png", "svg") and first["error_correction"] in "LMQH"


@pytest.mark.parametrize(
    "env",
    [
        {"LOADTEST_WEIGHTS": "new=1,upload=2"},
        {"LOADTEST_WEIGHTS": "new=0"},
        {"LOADTEST_WEIGHTS": "new"},
        {"LOADTEST_SIZES": "0,40"},
        {"LOADTEST_FORMATS": "gif"},
        {"LOADTEST_WAIT": "fast"},
    ],
)
def test_bad_settings_are_refused(env):
    with pytest.raises(ValueError, match="bad load-test setting"):
        Mix.from_env(env)


@pytest.mark.integration
def test_remote_host_is_refused_before_any_request():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOADTEST_", "LOCUST_"))}
    proc = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host",
         "http://staging.example.invalid:8000"],
        env={**env, "LOADTEST_PROFILE": "smoke", "LOADTEST_MAX_SECONDS": "5"},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "refusing to load 'http://staging.example.invalid:8000'" in proc.stderr
    assert "Traceback" not in proc.stderr
