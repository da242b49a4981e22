"""Write what the observer saw: a CSV row per sample, a figure per question (`hpa_plots.py`),
and the verdict as text and JSON."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import matplotlib.pyplot as plt

from hpa_observer import HpaObserver
from hpa_plots import has_hpa, has_requests, requests_figure, scaling_figure
from hpa_verdict import Verdict
from load_profile import Profile

COLUMNS = (
    "t_seconds",
    "users",
    "rps",
    "p50_ms",
    "p95_ms",
    "error_rate",
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
    out: Path, observer: HpaObserver, verdict: Verdict, profile: Profile
) -> list[Path]:
    """hpa.csv, the figures that have data (hpa.png, requests.png), verdict.txt and
    verdict.json in `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "hpa.csv"]
    write_csv(paths[0], observer)
    for name, wanted, figure in (
        ("hpa.png", has_hpa, scaling_figure),
        ("requests.png", has_requests, requests_figure),
    ):
        if wanted(observer):
            paths.append(out / name)
            fig = figure(observer, verdict, profile)
            with _atomic(paths[-1], binary=True) as f:
                fig.savefig(f, format="png", dpi=100)
            plt.close(fig)
    paths += [out / "verdict.txt", out / "verdict.json"]
    with _atomic(paths[-2]) as f:
        f.write(verdict.text() + "\n")
    with _atomic(paths[-1]) as f:
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
            r, load = s.reading, s.load
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
                load.users,
                load.rps,
                load.p50_ms,
                load.p95_ms,
                None if load.error_rate is None else round(load.error_rate, 4),
                *values,
                load.service_cpu,
                "; ".join(events.get(s.t, [])),
                s.error,
            )
            writer.writerow(["" if v is None else _fmt(v) for v in row])


def _fmt(value: object) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


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
