"""A second-by-second model of one HPA under a staged load: users ramp at the profile's spawn
rate, pods start and become ready, use CPU in proportion to the requests they serve, and the
autoscaler syncs every 15 s on CPU averaged over metrics-server's 15 s resolution."""

from __future__ import annotations

import bisect
import itertools
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from gitops_tools.hpa.algorithm import Autoscaler, HpaSpec
from gitops_tools.hpa.profile import Stage

SYNC_SECONDS = 15  # kube-controller-manager --horizontal-pod-autoscaler-sync-period
METRICS_WINDOW_SECONDS = 15  # metrics-server --metric-resolution: CPU is a rate over it


@dataclass(frozen=True)
class Workload:
    cpu_request_cores: float
    cpu_limit_cores: float | None
    startup_seconds: float  # from scheduling to Ready
    memory_utilization: float = 30.0  # percent; constant (no memory model)


@dataclass(frozen=True)
class Sample:
    time: float
    users: float
    rps: float
    replicas: int  # what the HPA set: the Deployment's replicas (current = desired here)
    ready: int
    cpu_utilization: float  # average of the ready pods, percent of their request
    proposal: int  # what the metrics asked for at the last sync, before bounds and policies


@dataclass(frozen=True)
class StageSummary:
    stage: Stage
    start: float
    rps: float  # at the stage's end
    replicas: int  # at the stage's end
    ready: int
    settled_after: float | None  # seconds from the start to the last change; None: no change

    @property
    def settled(self) -> bool:
        return self.ready == self.replicas


@dataclass
class Timeline:
    samples: list[Sample] = field(default_factory=list)
    stage_starts: list[float] = field(default_factory=list)

    def summaries(self, stages: Sequence[Stage]) -> list[StageSummary]:
        """Per stage: where replicas and ready pods ended, and when they last changed."""
        out: list[StageSummary] = []
        ends = [*self.stage_starts[1:], math.inf]
        index, changed = 0, None
        for previous, sample in itertools.pairwise([None, *self.samples]):
            assert sample is not None
            while sample.time >= ends[index]:
                out.append(self._summary(stages, index, previous, changed))
                index, changed = index + 1, None
            if previous is not None and (sample.replicas, sample.ready) != (
                previous.replicas,
                previous.ready,
            ):
                changed = sample.time - self.stage_starts[index]
        if self.samples:
            out.append(self._summary(stages, index, self.samples[-1], changed))
        return out

    def _summary(
        self, stages: Sequence[Stage], index: int, last: Sample | None, changed: float | None
    ) -> StageSummary:
        start = self.stage_starts[index]
        if last is None or last.time < start:  # a stage shorter than a second: no sample
            return StageSummary(stages[index], start, 0.0, 0, 0, None)
        return StageSummary(stages[index], start, last.rps, last.replicas, last.ready, changed)


def cores_used(rps: float, cpu_ms: float, ready: int, workload: Workload) -> float:
    """CPU cores the ready pods spend serving `rps`, throttled at their limits."""
    demand = rps * cpu_ms / 1000.0
    if workload.cpu_limit_cores is None:
        return demand if ready else 0.0
    return min(demand, ready * workload.cpu_limit_cores)


def utilization(cores: float, ready: int, workload: Workload) -> float:
    """Average CPU utilization (percent of request) of `ready` pods spending `cores`."""
    return 100.0 * cores / (ready * workload.cpu_request_cores) if ready else 0.0


def users_at(stage: Stage, since_start: float, before: float) -> float:
    """Locust's users `since_start` seconds into a stage entered with `before` users."""
    if stage.spawn_rate is None:
        return float(stage.users)
    step = min(abs(stage.users - before), stage.spawn_rate * since_start)
    return before + step if stage.users >= before else before - step


def simulate(
    spec: HpaSpec,
    workload: Workload,
    stages: Sequence[Stage],
    rps_per_user: float,
    cpu_ms_per_request: float,
    sync_seconds: int = SYNC_SECONDS,
) -> Timeline:
    """One sample per second of the profile; stages start where the profile says."""
    autoscaler = Autoscaler(spec)
    ready_at = [0.0] * spec.min_replicas  # pods present at the start are ready; kept sorted
    used: deque[float] = deque(maxlen=METRICS_WINDOW_SECONDS)  # cores, one value a second
    ends = list(itertools.accumulate(float(s.duration) for s in stages))
    timeline = Timeline(stage_starts=[0.0, *ends[:-1]])
    index, before, users, proposal = 0, 0.0, 0.0, spec.min_replicas
    for second in range(math.ceil(ends[-1])):
        now = float(second)
        while now >= ends[index]:
            index, before = index + 1, users
        stage = stages[index]
        users = users_at(stage, now - timeline.stage_starts[index], before)
        ready = bisect.bisect_right(ready_at, now)
        rps = users * rps_per_user
        used.append(cores_used(rps, cpu_ms_per_request, ready, workload))
        cpu = utilization(used[-1], ready, workload)
        if second % sync_seconds == 0:
            # the window's CPU over the pods ready now: pods that have no metrics yet count
            # as idle, as the controller counts them when scaling up
            measured = utilization(sum(used) / len(used), ready, workload)
            metrics = {"cpu": measured, "memory": workload.memory_utilization}
            total = len(ready_at)
            if ready < total and autoscaler.desired(total, metrics) > total:
                # unready pods count as idle when scaling up; if that reverses the
                # direction, the controller does not scale on this metric
                conservative = {**metrics, "cpu": measured * ready / total}
                if autoscaler.desired(total, conservative) <= total:
                    conservative["cpu"] = spec.targets.get("cpu", measured)
                metrics = conservative
            proposal = autoscaler.desired(total, metrics)
            target = autoscaler.decide(now, total, metrics)
            if target > total:
                ready_at += [now + workload.startup_seconds] * (target - total)
            elif target < total:
                ready_at = ready_at[:target]  # the newest pods go first
        ready = bisect.bisect_right(ready_at, now)  # after this second's decision
        timeline.samples.append(Sample(now, users, rps, len(ready_at), ready, cpu, proposal))
    return timeline
