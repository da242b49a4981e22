"""Watch an HPA while load runs: sample it every few seconds, note scaling events, judge the run.

Inside Locust the observer is started and stopped by `locust_session.py` (test_start,
test_stop, quitting). On its own, beside a Locust run started at the same moment:

    python hpa_observer.py --profile hpa-scale-out --hpa qr-generator/qr-backend

It reads the HPA for the profile's duration, then prints the verdict of the HPA expectations
(error rate and p95 are Locust's to judge) and writes the CSV and PNG. Exit 0 pass, 1 fail,
2 cannot observe (unreachable API, missing HPA, bad profile).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kube_hpa import HpaReading, HpaSource, KubeError, connect

# t -> (users, requests/s[, CPU % of one core of a local service]); any may be None
LoadProbe = Callable[[float], tuple[float | None, ...]]


@dataclass(frozen=True)
class Sample:
    t: float  # seconds since the observer started
    users: float | None
    rps: float | None
    reading: HpaReading | None
    error: str | None = None
    service_cpu: float | None = None  # local runs: the service's CPU, % of one core


@dataclass(frozen=True)
class ScalingEvent:
    t: float
    what: str  # "desired", "current" or "ready"
    before: int | None
    after: int | None

    def __str__(self) -> str:
        return f"t={self.t:.0f}s {self.what} replicas {self.before} -> {self.after}"


@dataclass
class HpaObserver:
    """Samples `source` every `interval` seconds; time comes from `clock`, waits from `sleep`."""

    source: HpaSource | None  # None: no HPA to watch (a local run), load is still sampled
    interval: float = 5.0
    load_probe: LoadProbe | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    samples: list[Sample] = field(default_factory=list)
    events: list[ScalingEvent] = field(default_factory=list)
    started: float | None = None
    _stopped: bool = False

    def start(self) -> HpaReading | None:
        """Set t=0 and take the first sample: a KubeError here means the HPA cannot be read."""
        self.started = self.clock()
        self._stopped = False
        return self.poll().reading

    def poll(self) -> Sample:
        if self.started is None:
            self.started = self.clock()
        t = self.clock() - self.started
        load = tuple(self.load_probe(t)) if self.load_probe else ()
        users, rps, service_cpu = (*load, None, None, None)[:3]
        reading, error = None, None
        if self.source is not None:
            try:
                reading = self.source.read()
            except KubeError as exc:
                if not self.samples:
                    raise
                error = exc.message
        sample = Sample(t, users, rps, reading, error, service_cpu)
        self._note_events(sample)
        self.samples.append(sample)
        return sample

    def run(self, duration: float | None = None) -> None:
        """Poll until stop() or `duration` seconds after start(); errors become gaps."""
        if self.started is None:
            self.start()
        assert self.started is not None
        while not self._stopped:
            next_at = self.clock() + self.interval
            if duration is not None and next_at - self.started > duration + 1e-9:
                break
            self.sleep(max(0.0, next_at - self.clock()))
            if not self._stopped:
                self.poll()

    def stop(self) -> None:
        self._stopped = True

    @property
    def last_reading(self) -> HpaReading | None:
        return next((s.reading for s in reversed(self.samples) if s.reading), None)

    def _note_events(self, sample: Sample) -> None:
        previous = next((s.reading for s in reversed(self.samples) if s.reading), None)
        if sample.reading is None or previous is None:
            return
        for what in ("desired", "current", "ready"):
            before = getattr(previous, f"{what}_replicas")
            after = getattr(sample.reading, f"{what}_replicas")
            if before != after:
                self.events.append(ScalingEvent(sample.t, what, before, after))


def parse_target(text: str) -> tuple[str, str]:
    namespace, sep, name = text.partition("/")
    if not sep or not namespace or not name or "/" in name:
        raise ValueError(f"expected namespace/name, got {text!r}")
    return namespace, name


def main(
    argv: Sequence[str] | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    from hpa_report import write_reports
    from hpa_verdict import evaluate
    from load_profile import ProfileError, load_profile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", default="smoke", help="profile name or path (default smoke)")
    parser.add_argument("--hpa", required=True, help="namespace/name of the HPA to watch")
    parser.add_argument("--kubeconfig", help="kubeconfig file (default: KUBECONFIG or in-cluster)")
    parser.add_argument("--context", help="kubeconfig context")
    parser.add_argument("--interval", type=float, help="seconds between reads (default: profile)")
    parser.add_argument("--duration", type=float, help="seconds to watch (default: profile)")
    parser.add_argument("--out", default="results/observer", help="directory for CSV, PNG, verdict")
    args = parser.parse_args(argv)
    try:
        namespace, name = parse_target(args.hpa)
        profile = load_profile(args.profile)
        source = HpaSource(connect(args.kubeconfig, args.context), namespace, name)
        observer = HpaObserver(
            source,
            interval=args.interval or profile.interval,
            load_probe=lambda t: (float((profile.target_at(t) or (0, 0))[0]), None),
            clock=clock,
            sleep=sleep,
        )
        observer.start()
    except (KubeError, ProfileError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"watching HPA {namespace}/{name} at {source.server} for "
        f"{args.duration or profile.duration:.0f} s (profile {profile.name})",
        flush=True,
    )
    try:
        observer.run(args.duration or profile.duration)
    except KeyboardInterrupt:
        print("interrupted: judging what was observed", file=sys.stderr)
    verdict = evaluate(profile, observer, load=None, target=f"{namespace}/{name}")
    paths = write_reports(Path(args.out), observer, verdict, profile)
    print(verdict.text())
    print("reports: " + ", ".join(str(p) for p in paths))
    return verdict.exit_code


if __name__ == "__main__":
    sys.exit(main())
