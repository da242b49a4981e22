"""The run's figures, one per question an SRE asks, each panel on one y-axis:

- scaling (`hpa.png`, when an HPA was observed): load; replicas against the HPA's bounds and
  the profile's scale-out and scale-in expectations; utilization against the HPA's target;
- requests (`requests.png`, when Locust measured them): load; p50/p95 latency against the
  profile's p95 limit; the error rate against its limit; locally, the service's CPU.

Titles name the environment, app, profile and verdict; stages are marked on every panel;
legends sit to the right of the data. A figure without data for its question is not drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, never a window
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from hpa_observer import HpaObserver, Sample
from hpa_verdict import Verdict
from load_profile import Profile

Panel = Callable[[Axes, list[Sample], Profile, Verdict], None]
STATUS_COLOR = {"PASS": "tab:green", "FAIL": "tab:red", "SKIP": "grey"}


def has_hpa(observer: HpaObserver) -> bool:
    return any(s.reading for s in observer.samples)


def has_requests(observer: HpaObserver) -> bool:
    return any(s.load.p95_ms is not None for s in observer.samples)


def scaling_figure(observer: HpaObserver, verdict: Verdict, profile: Profile) -> Figure:
    return _figure(
        f"Did the HPA scale? HPA {verdict.target}",
        [_load, _replicas, _utilization],
        observer.samples,
        profile,
        verdict,
    )


def requests_figure(observer: HpaObserver, verdict: Verdict, profile: Profile) -> Figure:
    panels = [_load, _latency, _errors]
    if any(s.load.service_cpu is not None for s in observer.samples):
        panels.append(_service_cpu)
    return _figure("Were requests fast and answered?", panels, observer.samples, profile, verdict)


def _figure(
    question: str,
    panels: Sequence[Panel],
    samples: list[Sample],
    profile: Profile,
    verdict: Verdict,
) -> Figure:
    fig, axes = plt.subplots(
        len(panels), 1, figsize=(12, 2.4 * len(panels) + 1.2), sharex=True, squeeze=False
    )
    fig.suptitle(
        f"{verdict.env} · {verdict.app} · profile {profile.name} · "
        f"{'PASS' if verdict.passed else 'FAIL'}\n{question}",
        fontsize=12,
    )
    for ax, panel in zip(axes[:, 0], panels, strict=True):
        panel(ax, samples, profile, verdict)
        _mark_stages(ax, profile)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    axes[-1, 0].set_xlabel("seconds since start")
    axes[-1, 0].set_xlim(0, max(profile.duration, samples[-1].t if samples else 0))
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    _label_stages(axes[0, 0], profile)
    return fig


def _series(samples: list[Sample], get: Callable[[Sample], Any]) -> list[float]:
    values = []
    for sample in samples:
        try:
            value = get(sample)
        except AttributeError:  # no reading in this sample
            value = None
        values.append(float("nan") if value is None else float(value))
    return values


def _t(samples: list[Sample]) -> list[float]:
    return [s.t for s in samples]


def _check(verdict: Verdict, name: str) -> str:
    return next((c.status for c in verdict.checks if c.name == name), "SKIP")


def _load(ax: Axes, samples: list[Sample], profile: Profile, verdict: Verdict) -> None:
    rps = _series(samples, lambda s: s.load.rps)
    if any(v == v for v in rps):  # NaN != NaN: the standalone observer has no RPS
        ax.step(_t(samples), rps, where="pre", color="tab:blue", label="requests/s (measured)")
        ax.set_ylabel("requests/s")
    else:
        users = _series(samples, lambda s: s.load.users)
        ax.step(_t(samples), users, where="post", color="tab:blue", label="users (planned)")
        ax.set_ylabel("users")
    ax.set_ylim(bottom=0)


def _replicas(ax: Axes, samples: list[Sample], profile: Profile, verdict: Verdict) -> None:
    t = _t(samples)
    for name, style, color in (  # desired over current: where they agree, both show
        ("current", "-", "tab:blue"),
        ("desired", "--", "tab:orange"),
        ("ready", ":", "tab:green"),
    ):
        values = _series(samples, lambda s, n=name: getattr(s.reading, f"{n}_replicas"))
        ax.step(t, values, style, where="post", lw=1.8, color=color, label=f"{name} replicas")
    last = next(s.reading for s in reversed(samples) if s.reading)
    ax.axhline(
        last.max_replicas, color="black", lw=1, ls="-.", label=f"HPA max {last.max_replicas}"
    )
    ax.axhline(last.min_replicas, color="grey", lw=1, ls="-.", label=f"HPA min {last.min_replicas}")
    exp = profile.expectations
    if exp.scale_out:
        so, status = exp.scale_out, _check(verdict, "scale-out")
        step = profile.stage_start(so.stage)
        ax.axvspan(step, step + so.within, color=STATUS_COLOR[status], alpha=0.08)
        ax.hlines(
            so.replicas,
            step,
            step + so.within,
            color=STATUS_COLOR[status],
            lw=2.5,
            label=f"scale-out {status}: >= {so.replicas} {so.measure} within {so.within:.0f} s",
        )
    if exp.scale_in:
        si, status = exp.scale_in, _check(verdict, "scale-in")
        window = si.window if si.window is not None else last.scale_down_window
        floor = si.to if si.to is not None else last.min_replicas
        deadline = profile.load_stop + window + si.slack
        ax.axvspan(profile.load_stop, deadline, color=STATUS_COLOR[status], alpha=0.06)
        ax.axvline(
            deadline,
            color=STATUS_COLOR[status],
            lw=2,
            label=f"scale-in {status}: back to {floor} by t={deadline:.0f} s",
        )
    ax.set_ylim(0, last.max_replicas + 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("pods")


def _utilization(ax: Axes, samples: list[Sample], profile: Profile, verdict: Verdict) -> None:
    t = _t(samples)
    last = next(s.reading for s in reversed(samples) if s.reading)
    targets: dict[float, list[str]] = {}
    for name, color, target in (
        ("cpu", "tab:red", last.cpu_target),
        ("memory", "tab:purple", last.memory_target),
    ):
        values = _series(samples, lambda s, n=name: getattr(s.reading, f"{n}_utilization"))
        if any(v == v for v in values):
            ax.step(t, values, where="post", color=color, label=f"{name} (average of pods)")
        if target is not None:
            targets.setdefault(target, []).append(name)
    for target, names in targets.items():  # one line for equal targets, not two on top
        color = "tab:red" if "cpu" in names else "tab:purple"
        ax.axhline(
            target, color=color, lw=1, ls="--", label=f"{' and '.join(names)} target {target:.0f} %"
        )
    ax.set_ylim(bottom=0)
    ax.set_ylabel("% of request")


def _latency(ax: Axes, samples: list[Sample], profile: Profile, verdict: Verdict) -> None:
    t = _t(samples)
    p50 = _series(samples, lambda s: s.load.p50_ms)
    p95 = _series(samples, lambda s: s.load.p95_ms)
    ax.step(t, p50, where="pre", color="tab:blue", label="p50 of the interval")
    ax.step(t, p95, where="pre", color="tab:orange", label="p95 of the interval")
    limit = profile.expectations.p95_ms
    if limit is not None:
        status = _check(verdict, "p95 latency")
        ax.axhline(
            limit,
            color=STATUS_COLOR[status],
            lw=1.5,
            ls="--",
            label=f"p95 limit {limit:.0f} ms (run: {status})",
        )
    ax.set_yscale("log")  # milliseconds to seconds on one panel
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_ylabel("ms (log scale)")


def _errors(ax: Axes, samples: list[Sample], profile: Profile, verdict: Verdict) -> None:
    rate = [100 * v for v in _series(samples, lambda s: s.load.error_rate)]
    worst = max((v for v in rate if v == v), default=0.0)
    ax.step(
        _t(samples),
        rate,
        where="pre",
        color="tab:red",
        lw=2,
        zorder=3,
        label=f"failed, % of the interval (max {worst:.2g} %)",
    )
    limit = profile.expectations.max_error_rate
    if limit is not None:
        status = _check(verdict, "error rate")
        ax.axhline(
            100 * limit,
            color=STATUS_COLOR[status],
            lw=1.5,
            ls="--",
            label=f"limit {100 * limit:.2g} % (run: {status})",
        )
    top = max(200 * (limit or 0), worst * 1.1, 1.0)
    ax.set_ylim(-top / 50, top)  # a line at 0 % stays visible above the axis
    ax.set_ylabel("% of requests")


def _service_cpu(ax: Axes, samples: list[Sample], profile: Profile, verdict: Verdict) -> None:
    cpu = _series(samples, lambda s: s.load.service_cpu)
    ax.step(_t(samples), cpu, where="pre", color="tab:brown", label="local service CPU")
    ax.set_ylim(bottom=0)
    ax.set_ylabel("% of one core")


def _mark_stages(ax: Axes, profile: Profile) -> None:
    for stage in profile.stages[1:]:
        ax.axvline(profile.stage_start(stage.name), color="black", lw=0.6, ls=":")


def _label_stages(ax: Axes, profile: Profile) -> None:
    """Stage names and users above the top panel, moved up a row where they would overlap."""
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    ends: list[float] = []  # right edge (pixels) of the last label of each row
    for stage in profile.stages:
        start = profile.stage_start(stage.name)
        label = f"{stage.name}: {stage.users} users"
        if start == profile.load_stop:
            label += " (load stops)"
        x = ax.transData.transform((start, 0))[0]
        row = next((i for i, end in enumerate(ends) if end < x), len(ends))
        text = ax.annotate(
            label,
            (start, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(2, 3 + 11 * row),
            textcoords="offset points",
            fontsize=8,
            va="bottom",
        )
        right = text.get_window_extent(renderer).x1
        ends[row : row + 1] = [right + 4]
