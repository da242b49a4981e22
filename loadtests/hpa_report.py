"""Write what the observer saw: a CSV row per sample, one PNG, and the verdict as text and JSON.

The PNG has two panels over the same time axis: load (users, RPS) on top; replicas (current,
desired, ready, with the HPA's min and max) and utilization (CPU, memory, with the target)
below; the load step, the end of load and the expectation deadlines are marked on both.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import matplotlib

matplotlib.use("Agg")  # files only, never a window
import matplotlib.pyplot as plt

from hpa_observer import HpaObserver
from hpa_verdict import Verdict
from load_profile import Profile

COLUMNS = (
    "t_seconds",
    "users",
    "rps",
    "current_replicas",
    "desired_replicas",
    "ready_replicas",
    "cpu_utilization",
    "memory_utilization",
    "cpu_target",
    "memory_target",
    "min_replicas",
    "max_replicas",
    "service_cpu",
    "event",
    "error",
)


def write_reports(
    out: Path, observer: HpaObserver, verdict: Verdict, profile: Profile, planned: bool = True
) -> list[Path]:
    """hpa.csv, hpa.png, verdict.txt and verdict.json in `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "hpa.csv", out / "hpa.png", out / "verdict.txt", out / "verdict.json"]
    write_csv(paths[0], observer)
    write_png(paths[1], observer, verdict, profile, planned)
    with _atomic(paths[2]) as f:
        f.write(verdict.text() + "\n")
    with _atomic(paths[3]) as f:
        json.dump(verdict.as_dict(), f, indent=2)
    return paths


def write_csv(path: Path, observer: HpaObserver) -> None:
    events: dict[float, list[str]] = {}
    for event in observer.events:
        events.setdefault(event.t, []).append(f"{event.what} {event.before}->{event.after}")
    with _atomic(path) as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for s in observer.samples:
            r = s.reading
            values = (
                (
                    r.current_replicas,
                    r.desired_replicas,
                    r.ready_replicas,
                    r.cpu_utilization,
                    r.memory_utilization,
                    r.cpu_target,
                    r.memory_target,
                    r.min_replicas,
                    r.max_replicas,
                )
                if r
                else (None,) * 9
            )
            row = (
                round(s.t, 3),
                s.users,
                s.rps,
                *values,
                s.service_cpu,
                "; ".join(events.get(s.t, [])),
                s.error,
            )
            writer.writerow(["" if v is None else _fmt(v) for v in row])


def write_png(
    path: Path, observer: HpaObserver, verdict: Verdict, profile: Profile, planned: bool
) -> None:
    samples = observer.samples
    t = [s.t for s in samples]
    fig, (load_ax, hpa_ax) = plt.subplots(2, 1, figsize=(13, 7.5), sharex=True)
    fig.suptitle(
        f"{profile.name}: {'PASS' if verdict.passed else 'FAIL'}"
        + (f" - HPA {verdict.target}" if verdict.target else " - no HPA observed")
    )
    load_ax.plot(
        t,
        _series(samples, "users"),
        color="tab:blue",
        label="users (planned)" if planned else "users",
    )
    load_ax.set_ylabel("users")
    rps = _series(samples, "rps")
    rps_ax = None
    if any(v == v for v in rps):  # NaN != NaN: the standalone observer has no RPS
        rps_ax = load_ax.twinx()
        rps_ax.plot(t, rps, color="tab:orange", label="requests/s")
        rps_ax.set_ylabel("requests/s")
        rps_ax.set_ylim(bottom=0)
    _legend(load_ax, rps_ax)

    observed = any(s.reading for s in samples)
    util_ax = hpa_ax.twinx()
    if observed:
        for name, style in (("current", "-"), ("desired", "--"), ("ready", ":")):
            hpa_ax.step(
                t,
                _series(samples, f"reading.{name}_replicas"),
                style,
                where="post",
                lw=1.6,
                label=f"{name} replicas",
            )
        for bound in ("min", "max"):
            hpa_ax.step(
                t,
                _series(samples, f"reading.{bound}_replicas"),
                color="grey",
                lw=0.8,
                where="post",
                label="HPA min/max" if bound == "min" else None,
            )
        for name, color in (("cpu", "tab:red"), ("memory", "tab:purple")):
            util_ax.step(
                t,
                _series(samples, f"reading.{name}_utilization"),
                color=color,
                alpha=0.6,
                where="post",
                label=f"{name} % of request",
            )
        util_ax.plot(
            t,
            _series(samples, "reading.cpu_target"),
            color="tab:red",
            ls="-.",
            lw=0.8,
            label="utilization target",
        )
    else:
        hpa_ax.text(
            0.5,
            0.85,
            "HPA not observed",
            transform=hpa_ax.transAxes,
            ha="center",
            color="grey",
            fontsize=14,
        )
        hpa_ax.set_yticks([])
    if any(s.service_cpu is not None for s in samples):
        util_ax.step(
            t,
            _series(samples, "service_cpu"),
            color="tab:brown",
            where="post",
            label="local service CPU, % of one core",
        )
    hpa_ax.set_ylabel("replicas")
    hpa_ax.set_xlabel("seconds since start")
    util_ax.set_ylabel("utilization %")
    util_ax.set_ylim(bottom=0)
    _expectation_areas(hpa_ax, profile, observer)
    _legend(hpa_ax, util_ax)
    for when, label in _marks(profile):
        for ax in (load_ax, hpa_ax):
            ax.axvline(when, color="black", lw=0.6, ls=":")
        load_ax.annotate(
            f" {label}",
            (when, 0.97),
            xycoords=("data", "axes fraction"),
            fontsize=8,
            va="top",
            ha="left",
        )
    fig.tight_layout()
    with _atomic(path, binary=True) as f:
        fig.savefig(f, format="png", dpi=100)
    plt.close(fig)


def _marks(profile: Profile) -> list[tuple[float, str]]:
    marks = []
    for stage in profile.stages[1:]:
        start = profile.stage_start(stage.name)
        marks.append((start, stage.name + (": load stops" if start == profile.load_stop else "")))
    return marks


def _expectation_areas(ax: plt.Axes, profile: Profile, observer: HpaObserver) -> None:
    """Shade where scale-out and scale-in must happen, with the replica count they need."""
    exp, reading = profile.expectations, observer.last_reading
    if reading is None:
        return
    if exp.scale_out:
        step = profile.stage_start(exp.scale_out.stage)
        ax.axvspan(
            step,
            step + exp.scale_out.within,
            color="tab:green",
            alpha=0.08,
            label=f">= {exp.scale_out.replicas} {exp.scale_out.measure} by here",
        )
        ax.hlines(
            exp.scale_out.replicas, step, step + exp.scale_out.within, color="tab:green", lw=1
        )
    if exp.scale_in:
        window = (
            exp.scale_in.window if exp.scale_in.window is not None else reading.scale_down_window
        )
        floor = exp.scale_in.to if exp.scale_in.to is not None else reading.min_replicas
        stop = profile.load_stop
        ax.axvspan(
            stop,
            stop + window + exp.scale_in.slack,
            color="tab:blue",
            alpha=0.06,
            label=f"back to {floor} by here",
        )


def _series(samples: list, attribute: str) -> list[float]:
    values = []
    for sample in samples:
        value = sample
        for part in attribute.split("."):
            value = getattr(value, part, None) if value is not None else None
        values.append(float("nan") if value is None else float(value))
    return values


def _legend(ax: plt.Axes, twin: plt.Axes | None) -> None:
    """One legend for an axis and its twin, outside the plot on the right."""
    handles, labels = ax.get_legend_handles_labels()
    if twin is not None:
        more = twin.get_legend_handles_labels()
        handles, labels = handles + more[0], labels + more[1]
    if handles:
        ax.legend(
            handles, labels, loc="upper left", bbox_to_anchor=(1.08, 1.0), fontsize=8, frameon=False
        )


def _fmt(value: object) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


@contextmanager
def _atomic(path: Path, binary: bool = False) -> Iterator[IO]:
    """Write to a temporary file beside `path`, then rename: no half-written report."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb" if binary else "w", newline=None if binary else "") as f:
            yield f
        Path(tmp).chmod(0o644)  # mkstemp makes it 0600; reports are for everyone to read
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
