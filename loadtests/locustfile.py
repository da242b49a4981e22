"""Users of the QR API, for Locust. The load over time comes from a profile (shapes.py).

A user mixes four things, by weight:
  new     POST /api/qr with a payload nobody asked for before: the generate + upload path
  repeat  POST /api/qr with one of a fixed pool of payloads: the cache path after first use
  fetch   GET /api/qr/{key} of a key this user got: the redirect to the presigned URL
          (not followed: that load would land on S3, not on the service)
  health  GET /health and, every fifth time, GET /ready (which checks S3)
Repeats are reported as "[repeat, cached]" or "[repeat, generated]" from the answer's
`cached` field, so Locust's report shows both paths' latency apart.

Environment (all optional):
  LOADTEST_PROFILE       smoke | hpa-scale-out | soak | path.yaml (default smoke)
  LOADTEST_WEIGHTS       new=3,repeat=6,fetch=2,health=1
  LOADTEST_REPEAT_POOL   distinct repeated payloads (default 50)
  LOADTEST_WAIT          seconds between a user's requests, "min,max" (default 0.5,2)
  LOADTEST_FORMATS       png,svg     LOADTEST_SIZES  8,10 (pixels per module, 1-20)
  LOADTEST_ALLOW_REMOTE  1 to allow a host other than 127.0.0.1/localhost (set in k8s/ only)
  and those of shapes.py (profile, LOADTEST_MAX_SECONDS) and locust_session.py (the HPA).
Reports: add Locust's own `--csv PREFIX --html FILE`; the observer writes hpa.csv/hpa.png.
"""

from __future__ import annotations

import ipaddress
import itertools
import logging
import os
import random
import sys
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from locust import HttpUser, between, events
from locust.runners import WorkerRunner

import locust_session
from load_profile import ProfileError
from shapes import ProfileShape, profile_from_env

DEFAULT_WEIGHTS = "new=3,repeat=6,fetch=2,health=1"
LEVELS = ("L", "M", "Q", "H")


@dataclass(frozen=True)
class Mix:
    weights: dict[str, int]
    pool: int
    wait: tuple[float, float]
    formats: tuple[str, ...]
    sizes: tuple[int, ...]

    @classmethod
    def from_env(cls, env: os._Environ[str] | dict[str, str]) -> Mix:
        try:
            weights = {
                k.strip(): int(v)
                for k, v in (
                    item.split("=", 1)
                    for item in (env.get("LOADTEST_WEIGHTS") or DEFAULT_WEIGHTS).split(",")
                )
            }
            unknown = set(weights) - {"new", "repeat", "fetch", "health"}
            if unknown or not any(weights.values()) or min(weights.values()) < 0:
                raise ValueError(f"LOADTEST_WEIGHTS: unknown or no positive weight: {weights}")
            low, high = (float(x) for x in (env.get("LOADTEST_WAIT") or "0.5,2").split(","))
            formats = tuple((env.get("LOADTEST_FORMATS") or "png,svg").split(","))
            sizes = tuple(int(x) for x in (env.get("LOADTEST_SIZES") or "8,10").split(","))
            pool = int(env.get("LOADTEST_REPEAT_POOL") or 50)
        except ValueError as exc:
            raise ValueError(f"bad load-test setting: {exc}") from None
        if not set(formats) <= {"png", "svg"} or not all(1 <= s <= 20 for s in sizes) or pool < 1:
            raise ValueError("bad load-test setting: formats png/svg, sizes 1-20, pool >= 1")
        return cls(weights, pool, (low, high), formats, sizes)

    def new_payload(self) -> dict[str, Any]:
        return {
            "data": f"https://example.com/loadtest/new/{uuid.uuid4().hex}",
            "format": random.choice(self.formats),
            "size": random.choice(self.sizes),
            "error_correction": random.choice(LEVELS),
        }

    def repeat_payload(self, index: int) -> dict[str, Any]:
        return {
            "data": f"https://example.com/loadtest/repeat/{index}",
            "format": self.formats[index % len(self.formats)],
            "size": self.sizes[index % len(self.sizes)],
            "error_correction": "M",
        }


try:
    MIX = Mix.from_env(os.environ)
    PROFILE = profile_from_env()
except (ValueError, ProfileError) as exc:
    print(f"error: {exc}", file=sys.stderr)  # Locust's logging is not set up yet
    sys.exit(2)

locust_session.register(events, PROFILE)
__all__ = ["ProfileShape", "QrApiUser"]  # Locust finds the shape class in this module


@events.init.add_listener
def _only_local_targets(environment: Any, **_: Any) -> None:
    """Refuse to load a remote host by accident: only loopback unless explicitly allowed."""
    host = urlsplit(environment.host or "").hostname or ""
    allowed = os.environ.get("LOADTEST_ALLOW_REMOTE") == "1" or host == "localhost"
    if allowed or isinstance(environment.runner, WorkerRunner):  # the master decides
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    logging.error(
        "refusing to load %r: use 127.0.0.1 or localhost, or set "
        "LOADTEST_ALLOW_REMOTE=1 where that host is yours (staging)",
        environment.host,
    )
    sys.exit(2)


def generate_new(user: QrApiUser) -> None:
    user.generate(MIX.new_payload(), "POST /api/qr [new]")


def generate_repeat(user: QrApiUser) -> None:
    user.generate(MIX.repeat_payload(random.randrange(MIX.pool)), "POST /api/qr [repeat]")


def fetch(user: QrApiUser) -> None:
    if not user.keys:
        return generate_repeat(user)
    key = random.choice(user.keys)
    with user.client.get(
        f"/api/qr/{key}", name="GET /api/qr/{key}", allow_redirects=False, catch_response=True
    ) as resp:
        if resp.status_code in (302, 303, 307) and resp.headers.get("location"):
            resp.success()
        else:
            resp.failure(f"expected a redirect with a Location, got {resp.status_code}")


def health(user: QrApiUser) -> None:
    path = "/ready" if next(user.health_count) % 5 == 4 else "/health"
    user.client.get(path, name=f"GET {path}")


class QrApiUser(HttpUser):
    wait_time = between(*MIX.wait)
    tasks = {  # noqa: RUF012 - Locust reads the task weights from the class
        fn: MIX.weights.get(name, 0)
        for name, fn in (
            ("new", generate_new),
            ("repeat", generate_repeat),
            ("fetch", fetch),
            ("health", health),
        )
        if MIX.weights.get(name, 0) > 0
    }

    def on_start(self) -> None:
        self.keys: list[str] = []
        self.health_count = itertools.count()

    def generate(self, payload: dict[str, Any], name: str) -> None:
        with self.client.post("/api/qr", json=payload, name=name, catch_response=True) as resp:
            try:
                body = resp.json()
                key, url, cached = body["key"], body["url"], body["cached"]
            except (ValueError, KeyError, TypeError):
                resp.failure(
                    f"{resp.status_code}: expected JSON with key, url, cached: {resp.text[:200]!r}"
                )
                return
            if resp.status_code not in (200, 201) or not url:
                resp.failure(f"{resp.status_code}: {resp.text[:200]!r}")
                return
            if name.endswith("[repeat]"):
                resp.request_meta["name"] = (
                    f"POST /api/qr [repeat, {'cached' if cached else 'generated'}]"
                )
            if len(self.keys) < 100:
                self.keys.append(key)
