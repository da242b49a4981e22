"""What `hpa simulate` ran (a Scenario) and its text report: the model's assumptions, a line
per stage, the peak, a verdict line per expectation and `expectations: pass|fail`."""

from __future__ import annotations

from dataclasses import dataclass

from gitops_tools.hpa.algorithm import HpaSpec
from gitops_tools.hpa.expectations import Check, passed
from gitops_tools.hpa.profile import Profile
from gitops_tools.hpa.simulate import Timeline, Workload


@dataclass(frozen=True)
class Scenario:
    env: str
    app: str
    hpa: str  # the HPA's name
    spec: HpaSpec
    workload: Workload
    profile: Profile
    rps_per_user: float
    cpu_ms: float
    memory_measured: bool  # False: the workload's memory utilization is an assumption
    checks: list[Check]

    @property
    def passed(self) -> bool:
        return passed(self.checks)


def text_report(scenario: Scenario, timeline: Timeline) -> str:
    spec, workload, profile = scenario.spec, scenario.workload, scenario.profile
    limit = workload.cpu_limit_cores
    lines = [
        f"HPA {scenario.hpa}: {spec.min_replicas}-{spec.max_replicas} replicas, targets "
        + ", ".join(f"{k} {v:g}%" for k, v in spec.targets.items())
        + f", scale-down window {spec.scale_down_window:g} s",
        f"model: {scenario.rps_per_user:g} requests/s per user, {scenario.cpu_ms:g} ms CPU per "
        f"request, memory {workload.memory_utilization:.0f}% of request"
        + ("" if scenario.memory_measured else " (assumed)")
        + f", {workload.cpu_request_cores * 1000:g}m CPU request"
        + (f" and {limit * 1000:g}m limit" if limit is not None else "")
        + f" per pod, ready {workload.startup_seconds:g} s after scheduling",
    ]
    width = max(5, *(len(s.name) for s in profile.stages))
    lines.append(
        f"{'stage':<{width}} {'start':>6} {'users':>6} {'rps':>8} {'replicas':>9} {'ready':>6}"
        f" {'settled after':>14}"
    )
    for summary in timeline.summaries(profile.stages):
        if summary.settled_after is None:
            settled = "-"
        elif summary.settled:
            settled = f"{summary.settled_after:.0f}s"
        else:
            settled = "not by its end"
        lines.append(
            f"{summary.stage.name:<{width}} {summary.start:>5.0f}s {summary.stage.users:>6} "
            f"{summary.rps:>8.1f} {summary.replicas:>9} {summary.ready:>6} {settled:>14}"
        )
    peak = max(timeline.samples, key=lambda s: s.replicas)
    lines.append(
        f"peak: {peak.replicas} replicas at {peak.time:.0f}s"
        + (" (the HPA maximum)" if peak.replicas == spec.max_replicas else "")
    )
    lines += [c.line() for c in scenario.checks]
    lines.append(f"expectations: {'pass' if scenario.passed else 'fail'}")
    return "\n".join(lines) + "\n"
