"""Watch an HPA while load runs: sample it (and the load) every few seconds, note scaling events.

Inside Locust the observer is started and stopped by `locust_session.py` (test_start,
test_stop, quitting); on its own, `observe_hpa.py` runs it. Judging (`hpa_verdict.py`) and
reporting (`hpa_report.py`) read what it recorded and are never imported from here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kube_hpa import HpaReading, HpaSource, KubeError


@dataclass(frozen=True)
class Load:
    """What the load generator saw in the interval that ends at a sample (None: not measured)."""

    users: float | None = None
    rps: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    error_rate: float | None = None  # failures / requests in the interval, 0.01 = 1 %
    service_cpu: float | None = None  # local runs: the service's CPU, % of one core


LoadProbe = Callable[[float], Load]  # seconds since start -> the load of the last interval


@dataclass(frozen=True)
class Sample:
    t: float  # seconds since the observer started
    load: Load
    reading: HpaReading | None
    error: str | None = None


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
        load = self.load_probe(t) if self.load_probe else Load()
        reading, error = None, None
        if self.source is not None:
            try:
                reading = self.source.read()
            except KubeError as exc:
                if not self.samples:
                    raise
                error = exc.message
        sample = Sample(t, load, reading, error)
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
