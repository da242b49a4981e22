"""The observer inside Locust: started on test_start, stopped on test_stop, judged on quitting.

Runs on the master (or the only process), never on workers. `register(events)` is called by
the locustfile. On quitting it writes the reports into LOADTEST_RESULTS_DIR and sets
`environment.process_exit_code`: 0 pass, 1 an expectation failed, 2 the HPA could not be read.

Environment:
  LOADTEST_HPA           namespace/name of the HPA to watch; unset: no HPA (a local run)
  LOADTEST_KUBECONFIG    kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)
  LOADTEST_KUBE_CONTEXT  kubeconfig context
  LOADTEST_INTERVAL      seconds between HPA reads (default: the profile's observer.interval)
  LOADTEST_RESULTS_DIR   where hpa.csv, hpa.png and verdict.* go (default: results/<profile>)
  LOADTEST_SERVICE_PGID  set by run_local.py: sample that local process group's CPU too
  LOADTEST_ENV, LOADTEST_APP  named in the reports' titles (default: local, qr-generator)
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, NamedTuple

import gevent
from locust.env import Environment
from locust.event import Events
from locust.runners import WorkerRunner
from locust.stats import calculate_response_time_percentile, diff_response_time_dicts

from hpa_observer import HpaObserver, Load, parse_target
from hpa_report import write_reports
from hpa_verdict import LoadSummary, Verdict, evaluate
from kube_hpa import HpaSource, KubeError, connect
from load_profile import Profile
from local_usage import group_cpu_seconds

log = logging.getLogger("loadtest")


class _Totals(NamedTuple):
    """Locust's running totals at one sample: the next sample's interval starts here."""

    t: float
    requests: int
    failures: int
    response_times: dict[int, int]  # rounded milliseconds -> count, as Locust keeps them
    cpu: float  # CPU seconds of the local service's process group


class LoadTestSession:
    def __init__(self, environment: Environment, profile: Profile) -> None:
        self.environment, self.profile = environment, profile
        self.target = os.environ.get("LOADTEST_HPA") or None
        self.error: str | None = None
        self.greenlet: gevent.Greenlet | None = None
        self._last: _Totals | None = None
        # run_local.py sets this: the process group of the service it started on this machine
        self.service_pgid = int(os.environ.get("LOADTEST_SERVICE_PGID") or 0)
        interval = float(os.environ.get("LOADTEST_INTERVAL") or profile.interval)
        self.observer = HpaObserver(None, interval=interval, load_probe=self._load)

    def _load(self, t: float) -> Load:
        """Users now; requests/s, p50/p95 and the error rate of the requests made since the
        previous sample (Locust's own current values are rolling windows that freeze once
        requests stop); in a local run the service's CPU."""
        runner = self.environment.runner
        if runner is None:
            return Load()
        total = runner.stats.total  # failures are counted in num_requests too
        now = _Totals(
            t,
            total.num_requests,
            total.num_failures,
            dict(total.response_times),
            group_cpu_seconds(self.service_pgid) if self.service_pgid else 0.0,
        )
        last, self._last = self._last, now
        users = float(runner.user_count)
        if last is None or t <= last.t:
            return Load(users=users)
        elapsed, done = t - last.t, now.requests - last.requests
        # a process leaving the group takes its CPU seconds along: never below 0
        service_cpu = max(0.0, 100 * (now.cpu - last.cpu) / elapsed) if self.service_pgid else None
        if done <= 0:
            return Load(users=users, rps=0.0, service_cpu=service_cpu)
        times = diff_response_time_dicts(now.response_times, last.response_times)
        return Load(
            users=users,
            rps=done / elapsed,
            p50_ms=float(calculate_response_time_percentile(times, done, 0.5)),
            p95_ms=float(calculate_response_time_percentile(times, done, 0.95)),
            error_rate=(now.failures - last.failures) / done,
            service_cpu=service_cpu,
        )

    def on_test_start(self, **_: Any) -> None:
        try:
            if self.target:
                namespace, name = parse_target(self.target)
                api = connect(
                    os.environ.get("LOADTEST_KUBECONFIG") or None,
                    os.environ.get("LOADTEST_KUBE_CONTEXT") or None,
                )
                self.observer.source = HpaSource(api, namespace, name)
            self.observer.start()
        except (KubeError, ValueError) as exc:
            self.error = f"cannot observe HPA {self.target}: {exc}"
            log.error("%s; stopping the test", self.error)
            gevent.spawn_later(0, self.environment.runner.quit)
            return
        self.greenlet = gevent.spawn(self.observer.run)
        log.info(
            "observing %s every %.0f s", self.target or "load only (no HPA)", self.observer.interval
        )

    def on_test_stop(self, **_: Any) -> None:
        self.observer.stop()
        if self.greenlet is not None:
            self.greenlet.join(timeout=self.observer.interval + 15)
            self.greenlet.kill(block=False)

    def on_quitting(self, environment: Environment, **_: Any) -> None:
        self.on_test_stop()
        total = environment.stats.total
        load = LoadSummary(
            requests=total.num_requests,
            failures=total.num_failures,
            p95_ms=total.get_response_time_percentile(0.95) if total.num_requests else None,
        )
        verdict: Verdict = evaluate(
            self.profile,
            self.observer,
            load,
            self.target,
            self.error,
            env=os.environ.get("LOADTEST_ENV") or "local",
            app=os.environ.get("LOADTEST_APP") or "qr-generator",
        )
        out = Path(os.environ.get("LOADTEST_RESULTS_DIR") or f"results/{self.profile.name}")
        try:
            paths = write_reports(out, self.observer, verdict, self.profile)
        except OSError as exc:
            log.error("cannot write the reports to %s: %s", out, exc)
            paths = []
        print(verdict.text())
        if paths:
            print("reports: " + ", ".join(str(p) for p in paths))
        environment.process_exit_code = 2 if self.error else verdict.exit_code


def register(events: Events, profile: Profile) -> None:
    """Wire a session into Locust's events on every process but workers."""

    @events.init.add_listener
    def _init(environment: Environment, **_: Any) -> None:
        if isinstance(environment.runner, WorkerRunner):
            return
        session = LoadTestSession(environment, profile)
        events.test_start.add_listener(session.on_test_start)
        events.test_stop.add_listener(session.on_test_stop)
        events.quitting.add_listener(session.on_quitting)
