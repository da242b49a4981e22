"""Judge a run against its profile's expectations: one check per expectation, each with a reason.

A check passes, fails, or is skipped (with why: no HPA was observed, no load was measured).
The verdict passes when no check fails; its exit code is what Locust or the observer exits with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from hpa_observer import HpaObserver, Sample
from kube_hpa import HpaReading
from load_profile import Profile

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"
MAX_FAILED_READS = 0.2  # more failed HPA reads than this and the timeline is not trusted


class Point(NamedTuple):
    """A sample that has a reading (the HPA checks look at these only)."""

    t: float
    reading: HpaReading


@dataclass(frozen=True)
class LoadSummary:
    requests: int
    failures: int
    p95_ms: float | None


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str


@dataclass(frozen=True)
class Verdict:
    profile: str
    target: str | None
    checks: tuple[Check, ...]
    events: tuple[str, ...] = ()
    env: str = "local"  # where it ran, and which app: for the reports' titles
    app: str = "qr-generator"

    @property
    def passed(self) -> bool:
        return all(c.status != FAIL for c in self.checks)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def text(self) -> str:
        target = f"HPA {self.target}" if self.target else "no HPA observed"
        lines = [f"VERDICT: {'PASS' if self.passed else 'FAIL'} (profile {self.profile}, {target})"]
        lines += [f"  {c.status}  {c.name:<16} {c.detail}" for c in self.checks]
        if self.events:
            lines.append("  scaling events: " + "; ".join(self.events[:12]))
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "profile": self.profile,
            "target": self.target,
            "env": self.env,
            "app": self.app,
            "checks": [c.__dict__ for c in self.checks],
            "events": list(self.events),
        }


def evaluate(
    profile: Profile,
    observer: HpaObserver,
    load: LoadSummary | None,
    target: str | None,
    observer_error: str | None = None,
    env: str = "local",
    app: str = "qr-generator",
) -> Verdict:
    checks = [*_load_checks(profile, load)]
    readings = [Point(s.t, s.reading) for s in observer.samples if s.reading is not None]
    if target is None:
        why = "no HPA observed (LOADTEST_HPA unset; a local run has no autoscaler)"
        checks += [Check(n, SKIP, why) for n in _hpa_check_names(profile)]
    elif observer_error is not None or not readings:
        checks.append(Check("HPA observer", FAIL, observer_error or "no HPA reading was made"))
        checks += [Check(n, SKIP, "HPA not observed") for n in _hpa_check_names(profile)]
    else:
        checks.append(_observer_health(observer.samples))
        checks += _hpa_checks(profile, readings)
    events = tuple(str(e) for e in observer.events if e.what == "desired")
    return Verdict(profile.name, target, tuple(checks), events, env, app)


def _hpa_check_names(profile: Profile) -> list[str]:
    exp = profile.expectations
    names = ["scale-out"] if exp.scale_out else []
    names += ["never above max"] if exp.never_above_max else []
    return names + (["scale-in"] if exp.scale_in else [])


def _load_checks(profile: Profile, load: LoadSummary | None) -> list[Check]:
    exp, checks = profile.expectations, []
    if exp.max_error_rate is not None:
        if load is None:
            checks.append(Check("error rate", SKIP, "not measured here: see Locust's report"))
        elif load.requests == 0:
            checks.append(Check("error rate", FAIL, "no request was made: is the host right?"))
        else:
            rate = load.failures / load.requests
            ok = rate <= exp.max_error_rate
            checks.append(
                Check(
                    "error rate",
                    PASS if ok else FAIL,
                    f"{rate:.2%} of {load.requests} requests failed "
                    f"({load.failures}; limit {exp.max_error_rate:.2%})",
                )
            )
    if exp.p95_ms is not None:
        if load is None or load.p95_ms is None:
            checks.append(Check("p95 latency", SKIP, "not measured here: see Locust's report"))
        else:
            ok = load.p95_ms <= exp.p95_ms
            checks.append(
                Check(
                    "p95 latency",
                    PASS if ok else FAIL,
                    f"p95 {load.p95_ms:.0f} ms over all requests (limit {exp.p95_ms:.0f} ms)",
                )
            )
    return checks


def _observer_health(samples: list[Sample]) -> Check:
    failed = [s for s in samples if s.error]
    detail = f"{len(samples) - len(failed)} of {len(samples)} reads succeeded"
    if not failed:
        return Check("HPA observer", PASS, detail)
    detail += f"; last error at t={failed[-1].t:.0f}s: {failed[-1].error}"
    return Check(
        "HPA observer", FAIL if len(failed) > MAX_FAILED_READS * len(samples) else PASS, detail
    )


def _hpa_checks(profile: Profile, samples: list[Point]) -> list[Check]:
    exp, checks = profile.expectations, []
    last = samples[-1]
    if exp.scale_out:
        checks.append(_scale_out(profile, samples))
    if exp.never_above_max:
        over = [s for s in samples if any(v > s.reading.max_replicas for _, v in _replicas(s))]
        peak = max(v for s in samples for _, v in _replicas(s))
        if over:
            first = over[0]
            what, value = next(
                (w, v) for w, v in _replicas(first) if v > first.reading.max_replicas
            )
            checks.append(
                Check(
                    "never above max",
                    FAIL,
                    f"{what} replicas {value} > HPA max {first.reading.max_replicas} at "
                    f"t={first.t:.0f}s; above max in {len(over)} of {len(samples)} samples",
                )
            )
        else:
            checks.append(
                Check(
                    "never above max",
                    PASS,
                    f"peak {peak} replicas <= HPA max {last.reading.max_replicas}",
                )
            )
    if exp.scale_in:
        checks.append(_scale_in(profile, samples))
    return checks


def _replicas(sample: Point) -> list[tuple[str, int]]:
    r = sample.reading
    pairs = (
        ("current", r.current_replicas),
        ("desired", r.desired_replicas),
        ("ready", r.ready_replicas),
    )
    return [(w, v) for w, v in pairs if v is not None]


def _scale_out(profile: Profile, samples: list[Point]) -> Check:
    so = profile.expectations.scale_out
    assert so is not None
    step = profile.stage_start(so.stage)
    deadline = step + so.within
    after = [s for s in samples if s.t >= step]
    reached = next((s for s in after if _value(s, so.measure) >= so.replicas), None)
    goal = f"{so.replicas} {so.measure} replicas within {so.within:.0f} s of stage '{so.stage}'"
    if reached is not None and reached.t <= deadline:
        return Check(
            "scale-out",
            PASS,
            f"{_value(reached, so.measure)} {so.measure} replicas at t={reached.t:.0f}s, "
            f"{reached.t - step:.0f} s after '{so.stage}' began (limit {so.within:.0f} s)",
        )
    if reached is not None:
        return Check(
            "scale-out",
            FAIL,
            f"expected {goal}; reached {so.replicas} only {reached.t - step:.0f} s after the step "
            f"(at t={reached.t:.0f}s)",
        )
    window = [s for s in after if s.t <= deadline] or after or samples
    peak = max(_value(s, so.measure) for s in window)
    desired = [s.reading.desired_replicas for s in window if s.reading.desired_replicas]
    cpu = [s.reading.cpu_utilization for s in window if s.reading.cpu_utilization is not None]
    why = [f"expected {goal}; peak {peak}"]
    if samples[-1].t < deadline:
        why.append(f"the observation ended at t={samples[-1].t:.0f}s, before t={deadline:.0f}s")
    if desired and max(desired) <= samples[0].reading.min_replicas:
        why.append(f"the HPA never scaled: desired stayed at {max(desired)}")
    elif desired:
        why.append(f"desired peaked at {max(desired)}")
    target = window[-1].reading.cpu_target
    if cpu:
        why.append(
            f"CPU peaked at {max(cpu):.0f}% of requests"
            + (f" (target {target:.0f}%)" if target is not None else "")
        )
    else:
        why.append("the HPA reported no CPU utilization (is metrics-server running?)")
    conditions = window[-1].reading.conditions
    if conditions:
        why.append(f"HPA conditions: {conditions}")
    return Check("scale-out", FAIL, "; ".join(why))


def _scale_in(profile: Profile, samples: list[Point]) -> Check:
    si = profile.expectations.scale_in
    assert si is not None
    last = samples[-1].reading
    stop = profile.load_stop
    window = si.window if si.window is not None else last.scale_down_window
    floor = si.to if si.to is not None else last.min_replicas
    deadline = stop + window + si.slack
    after = [s for s in samples if s.t >= stop]
    back = next((s for s in after if (s.reading.current_replicas or 0) <= floor), None)
    limit = f"window {window:.0f} s + slack {si.slack:.0f} s"
    if all((s.reading.current_replicas or 0) <= floor for s in samples):
        return Check("scale-in", PASS, f"nothing to scale back: it stayed at {floor} replicas")
    if back is not None and back.t <= deadline:
        return Check(
            "scale-in",
            PASS,
            f"back to {back.reading.current_replicas} replicas at t={back.t:.0f}s, "
            f"{back.t - stop:.0f} s after load stopped (limit {limit})",
        )
    if back is not None:
        return Check(
            "scale-in",
            FAIL,
            f"back to {floor} replicas only {back.t - stop:.0f} s after load stopped "
            f"(limit {limit} = {window + si.slack:.0f} s)",
        )
    end = samples[-1]
    if end.t < deadline:
        return Check(
            "scale-in",
            FAIL,
            f"still at {end.reading.current_replicas} replicas when the observation ended "
            f"(t={end.t:.0f}s, {end.t - stop:.0f} s after load stopped) before the deadline "
            f"t={deadline:.0f}s: lengthen the profile's last 0-user stage",
        )
    return Check(
        "scale-in",
        FAIL,
        f"still at {end.reading.current_replicas} replicas {end.t - stop:.0f} s after load "
        f"stopped; expected {floor} within {limit}",
    )


def _value(sample: Point, measure: str) -> int:
    return int(getattr(sample.reading, f"{measure}_replicas") or 0)
