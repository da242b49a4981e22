"""A second-by-second model of one HPA under a staged load: pods start, become ready, use
CPU in proportion to the requests they serve, and the autoscaler syncs every 15 s."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gitops_tools.hpa.algorithm import Autoscaler, HpaSpec

SYNC_SECONDS = 15


@dataclass(frozen=True)
class Stage:
    duration: float  # seconds
    users: int


@dataclass(frozen=True)
class Workload:
    cpu_request_cores: float
    cpu_limit_cores: float | None
    startup_seconds: float  # from scheduling to Ready
    memory_utilization: float = 30.0  # percent; constant (no memory model)


@dataclass(frozen=True)
class Sample:
    time: float
    users: int
    rps: float
    replicas: int
    ready: int
    cpu_utilization: float


@dataclass
class Timeline:
    samples: list[Sample] = field(default_factory=list)
    stage_starts: list[float] = field(default_factory=list)

    def time_to_settle(self) -> list[tuple[int, float, int, float | None]]:
        """Per stage: (users, start time, replicas at the stage's end, seconds from the stage
        start until that count was first reached; None when it was there already)."""
        out: list[tuple[int, float, int, float | None]] = []
        for index, start in enumerate(self.stage_starts):
            end = self.stage_starts[index + 1] if index + 1 < len(self.stage_starts) else None
            inside = [s for s in self.samples if s.time >= start and (end is None or s.time < end)]
            if not inside:
                continue
            final = inside[-1].replicas
            before = [s for s in self.samples if s.time < start]
            if before and before[-1].replicas == final:
                out.append((inside[0].users, start, final, None))
                continue
            reached = next(s.time for s in inside if s.replicas == final)
            out.append((inside[0].users, start, final, reached - start))
        return out


def utilization(rps: float, cpu_ms: float, ready: int, workload: Workload) -> float:
    """Average CPU utilization (percent of request) of the ready pods."""
    if ready == 0:
        return 0.0
    per_pod = rps * cpu_ms / 1000.0 / ready
    if workload.cpu_limit_cores is not None:
        per_pod = min(per_pod, workload.cpu_limit_cores)  # throttled at the limit
    return 100.0 * per_pod / workload.cpu_request_cores


def simulate(
    spec: HpaSpec,
    workload: Workload,
    stages: Sequence[Stage],
    rps_per_user: float,
    cpu_ms_per_request: float,
    sync_seconds: int = SYNC_SECONDS,
) -> Timeline:
    autoscaler = Autoscaler(spec)
    replicas = spec.min_replicas
    ready_at = [0.0] * replicas  # pods present at the start are ready
    timeline = Timeline()
    now = 0.0
    for stage in stages:
        timeline.stage_starts.append(now)
        end = now + stage.duration
        while now < end:
            ready = sum(1 for t in ready_at if t <= now)
            rps = stage.users * rps_per_user
            cpu = utilization(rps, cpu_ms_per_request, ready, workload)
            if int(now) % sync_seconds == 0:
                metrics = {"cpu": cpu, "memory": workload.memory_utilization}
                total = len(ready_at)
                if ready < total and autoscaler.desired(total, metrics) > total:
                    # unready pods count as idle when scaling up; if that reverses the
                    # direction, the controller does not scale on this metric
                    conservative = {**metrics, "cpu": cpu * ready / total}
                    if autoscaler.desired(total, conservative) <= total:
                        conservative["cpu"] = spec.targets.get("cpu", cpu)
                    metrics = conservative
                target = autoscaler.decide(now, len(ready_at), metrics)
                if target > len(ready_at):
                    ready_at += [now + workload.startup_seconds] * (target - len(ready_at))
                elif target < len(ready_at):
                    ready_at = sorted(ready_at)[:target]  # the newest pods go first
                replicas = len(ready_at)
            timeline.samples.append(Sample(now, stage.users, rps, replicas, ready, cpu))
            now += 1.0
    return timeline
