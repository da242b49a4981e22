"""Locust's LoadTestShape, driven by a profile file (profiles/*.yaml): the shape is data.

Environment:
  LOADTEST_PROFILE      profile name (profiles/<name>.yaml) or path; default: smoke
  LOADTEST_PROFILE_DIR  where profile names are looked up; default: profiles/ beside this file
  LOADTEST_MAX_SECONDS  hard bound on the run, whatever the profile says; default: none
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from locust import LoadTestShape

from load_profile import Profile, load_profile


def profile_from_env() -> Profile:
    return load_profile(os.environ.get("LOADTEST_PROFILE") or "smoke")


def max_seconds_from_env() -> float | None:
    raw = os.environ.get("LOADTEST_MAX_SECONDS", "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise ValueError(f"LOADTEST_MAX_SECONDS must be a positive number, got {raw!r}")
    return value


class ProfileShape(LoadTestShape):
    """Holds each stage's users for its duration, then stops the test (tick() returns None)."""

    def __init__(
        self,
        profile: Profile | None = None,
        max_seconds: float | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        super().__init__()
        self.clock = clock
        self.reset_time()
        # Locust instantiates the shape without arguments: then the environment decides.
        self.profile = profile or profile_from_env()
        self.max_seconds = max_seconds if profile is not None else max_seconds_from_env()

    def reset_time(self) -> None:
        self.start_time = self.clock()

    def get_run_time(self) -> float:
        return self.clock() - self.start_time

    def tick(self) -> tuple[int, float] | None:
        t = self.get_run_time()
        if self.max_seconds is not None and t >= self.max_seconds:
            return None
        return self.profile.target_at(t)
