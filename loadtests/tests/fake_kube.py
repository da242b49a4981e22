"""A Kubernetes API server for tests: the two GETs the observer makes, nothing else.

It serves a scripted HPA whose state is a function of a clock the test controls, so a run of
many minutes takes well under a second and never depends on wall-clock time.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "fake-token-for-tests"
HPA_PATH = re.compile(r"^/apis/autoscaling/v2/namespaces/([^/]+)/horizontalpodautoscalers/([^/?]+)")
DEPLOYMENT_PATH = re.compile(r"^/apis/apps/v1/namespaces/([^/]+)/deployments/([^/?]+)")


@dataclass(frozen=True)
class HpaState:
    current: int
    desired: int
    ready: int
    cpu: float | None  # percent of requests; None: metrics unavailable
    memory: float | None = 40.0
    conditions: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Scenario:
    """HPA qr-generator/qr-backend: `steps` are (from_t, state), in time order."""

    steps: tuple[tuple[float, HpaState], ...]
    namespace: str = "qr-generator"
    name: str = "qr-backend"
    min_replicas: int = 2
    max_replicas: int = 12
    scale_down_window: int = 300
    failing: tuple[tuple[float, float], ...] = ()  # [from, to) answered with 500
    forbidden: bool = False  # answer 403, as for a ServiceAccount without the Role

    def state_at(self, t: float) -> HpaState:
        current = self.steps[0][1]
        for start, state in self.steps:
            if t >= start:
                current = state
        return current


def scripted(
    *steps: tuple[float, int, int, int, float | None],
) -> tuple[tuple[float, HpaState], ...]:
    """(from_t, current, desired, ready, cpu%) rows as steps."""
    return tuple((t, HpaState(c, d, r, cpu)) for t, c, d, r, cpu in steps)


class FakeClock:
    """Time that moves only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class FakeKube:
    url: str
    scenario: Scenario | None = None
    clock: Callable[[], float] = field(default_factory=FakeClock)
    started: float = 0.0
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, auth

    def reset(self, scenario: Scenario, clock: Callable[[], float]) -> None:
        self.scenario, self.clock, self.started = scenario, clock, clock()
        self.requests.clear()

    def answer(self, method: str, path: str, auth: str) -> tuple[int, dict[str, Any]]:
        self.requests.append((method, path, auth))
        scenario = self.scenario
        if scenario is None:
            return 503, _status(503, "no scenario")
        if auth != f"Bearer {TOKEN}":
            return 401, _status(401, "Unauthorized")
        t = self.clock() - self.started
        if any(a <= t < b for a, b in scenario.failing):
            return 500, _status(500, "etcdserver: request timed out")
        for pattern, body in ((HPA_PATH, _hpa), (DEPLOYMENT_PATH, _deployment)):
            match = pattern.match(path)
            if match and method == "GET":
                namespace, name = match.groups()
                expected = scenario.name if pattern is HPA_PATH else "qr-backend"
                if namespace != scenario.namespace or name != expected:
                    return 404, _status(404, f'"{name}" not found', "NotFound")
                if scenario.forbidden:
                    return 403, _status(403, "forbidden", "Forbidden")
                return 200, body(scenario, scenario.state_at(t))
        return 404, _status(404, "the server could not find the requested resource", "NotFound")


def _status(code: int, message: str, reason: str = "InternalError") -> dict[str, Any]:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }


def _hpa(s: Scenario, state: HpaState) -> dict[str, Any]:
    def metric(name: str, key: str, value: float | None) -> dict[str, Any]:
        return {"type": "Resource", "resource": {"name": name, key: {"averageUtilization": value}}}

    current = [metric("cpu", "current", state.cpu)] if state.cpu is not None else []
    current += [metric("memory", "current", state.memory)] if state.memory is not None else []
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": s.name, "namespace": s.namespace},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "qr-backend"},
            "minReplicas": s.min_replicas,
            "maxReplicas": s.max_replicas,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": 70},
                    },
                },
                {
                    "type": "Resource",
                    "resource": {
                        "name": "memory",
                        "target": {"type": "Utilization", "averageUtilization": 70},
                    },
                },
            ],
            "behavior": {"scaleDown": {"stabilizationWindowSeconds": s.scale_down_window}},
        },
        "status": {
            "currentReplicas": state.current,
            "desiredReplicas": state.desired,
            "currentMetrics": current,
            "conditions": [
                {"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale"},
                *state.conditions,
            ],
        },
    }


def _deployment(s: Scenario, state: HpaState) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "qr-backend", "namespace": s.namespace},
        "spec": {"replicas": state.current},
        "status": {
            "replicas": state.current,
            "readyReplicas": state.ready,
            "availableReplicas": state.ready,
        },
    }


def serve(fake: FakeKube) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            code, body = fake.answer("GET", self.path, self.headers.get("Authorization", ""))
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def kubeconfig(server_url: str) -> str:
    return f"""apiVersion: v1
kind: Config
clusters:
  - name: fake
    cluster:
      server: {server_url}
users:
  - name: tester
    user:
      token: {TOKEN}
contexts:
  - name: fake
    context: {{cluster: fake, user: tester, namespace: qr-generator}}
current-context: fake
"""
