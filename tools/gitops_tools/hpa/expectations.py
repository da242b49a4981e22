"""A simulated timeline judged against the profile's expectations, in the words the load test's
own verdict uses (loadtests/hpa_verdict.py) so a prediction and a run read alike.

Scale-out, never-above-max and scale-in are judged on the model; error rate and p95 latency are
not modelled and are skipped with the limit Locust will judge.
"""

from __future__ import annotations

from dataclasses import dataclass

from gitops_tools.hpa.algorithm import HpaSpec
from gitops_tools.hpa.profile import Profile
from gitops_tools.hpa.simulate import Sample, Timeline

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str

    def line(self) -> str:
        return f"{self.status}  {self.name:<16} {self.detail}"


def judge(profile: Profile, spec: HpaSpec, timeline: Timeline) -> list[Check]:
    exp, samples, checks = profile.expectations, timeline.samples, []
    if exp.scale_out:
        checks.append(_scale_out(profile, samples))
    if exp.never_above_max:
        checks.append(_never_above_max(spec, samples))
    if exp.scale_in:
        checks.append(_scale_in(profile, spec, samples))
    if exp.max_error_rate is not None:
        limit = f"limit {exp.max_error_rate:.2%}"
        checks.append(Check("error rate", SKIP, f"not modelled: Locust measures it ({limit})"))
    if exp.p95_ms is not None:
        limit = f"limit {exp.p95_ms:.0f} ms"
        checks.append(Check("p95 latency", SKIP, f"not modelled: Locust measures it ({limit})"))
    return checks


def passed(checks: list[Check]) -> bool:
    return all(c.status != FAIL for c in checks)


def _value(sample: Sample, measure: str) -> int:
    return sample.ready if measure == "ready" else sample.replicas  # current = desired here


def _scale_out(profile: Profile, samples: list[Sample]) -> Check:
    so = profile.expectations.scale_out
    assert so is not None
    step = profile.stage_start(so.stage)
    goal = f"{so.replicas} {so.measure} replicas within {so.within:.0f} s of stage '{so.stage}'"
    after = [s for s in samples if s.time >= step]
    reached = next((s for s in after if _value(s, so.measure) >= so.replicas), None)
    if reached is not None and reached.time <= step + so.within:
        return Check(
            "scale-out",
            PASS,
            f"{_value(reached, so.measure)} {so.measure} replicas at t={reached.time:.0f}s, "
            f"{reached.time - step:.0f} s after '{so.stage}' began (limit {so.within:.0f} s)",
        )
    if reached is not None:
        return Check(
            "scale-out",
            FAIL,
            f"expected {goal}; reached {so.replicas} only {reached.time - step:.0f} s after "
            f"the step (at t={reached.time:.0f}s)",
        )
    window = [s for s in after if s.time <= step + so.within] or after
    peak = max(_value(s, so.measure) for s in window)
    cpu = max(s.cpu_utilization for s in window)
    return Check(
        "scale-out",
        FAIL,
        f"expected {goal}; the model peaks at {peak} (CPU at most {cpu:.0f}% of requests): "
        "lower the expectation or raise the stage's users",
    )


def _never_above_max(spec: HpaSpec, samples: list[Sample]) -> Check:
    peak = max(s.replicas for s in samples)
    detail = f"peak {peak} replicas <= HPA max {spec.max_replicas}"
    wanted = max(samples, key=lambda s: s.proposal)
    if wanted.proposal > spec.max_replicas:
        detail += (
            f"; the metrics asked for {wanted.proposal} at t={wanted.time:.0f}s: "
            "the load needs more than the maximum at the target"
        )
    return Check("never above max", PASS, detail)


def scale_in_goal(profile: Profile, spec: HpaSpec) -> tuple[int, float, float]:
    """(replicas to get back to, the window counted, by when) of the scale-in expectation."""
    si = profile.expectations.scale_in
    assert si is not None
    window = si.window if si.window is not None else spec.scale_down_window
    floor = si.to if si.to is not None else spec.min_replicas
    return floor, window, profile.load_stop + window + si.slack


def _scale_in(profile: Profile, spec: HpaSpec, samples: list[Sample]) -> Check:
    si = profile.expectations.scale_in
    assert si is not None
    stop = profile.load_stop
    floor, window, deadline = scale_in_goal(profile, spec)
    limit = f"window {window:.0f} s + slack {si.slack:.0f} s"
    if all(s.replicas <= floor for s in samples):
        return Check("scale-in", PASS, f"nothing to scale back: it stayed at {floor} replicas")
    back = next((s for s in samples if s.time >= stop and s.replicas <= floor), None)
    if back is not None and back.time <= deadline:
        return Check(
            "scale-in",
            PASS,
            f"back to {back.replicas} replicas at t={back.time:.0f}s, "
            f"{back.time - stop:.0f} s after load stopped (limit {limit})",
        )
    if back is not None:
        return Check(
            "scale-in",
            FAIL,
            f"back to {floor} replicas only {back.time - stop:.0f} s after load stopped "
            f"(limit {limit} = {window + si.slack:.0f} s)",
        )
    end = samples[-1]
    hint = ": lengthen the profile's last 0-user stage" if end.time < deadline else ""
    return Check(
        "scale-in",
        FAIL,
        f"still at {end.replicas} replicas at the profile's end (t={end.time:.0f}s, "
        f"{end.time - stop:.0f} s after load stopped); expected {floor} within {limit}{hint}",
    )
