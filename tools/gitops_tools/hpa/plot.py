"""`hpa simulate --plot`: one figure for one question, "will the HPA scale as the profile
expects?" Three panels on one time axis, each on one y-axis: the load, the replicas against the
HPA's bounds and the profile's expectations, the CPU utilization against the HPA's target.
Titled with environment, app, profile and the expectations' verdict; stages marked; legends
to the right of the data. The same layout as the load test's own report (loadtests/hpa_plots.py).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from gitops_tools.errors import FatalError
from gitops_tools.fileio import write_atomically
from gitops_tools.hpa.expectations import scale_in_goal
from gitops_tools.hpa.profile import Profile
from gitops_tools.hpa.report import Scenario
from gitops_tools.hpa.simulate import Timeline

COLORS = {"PASS": "tab:green", "FAIL": "tab:red", "SKIP": "grey"}


def plot_path(given: Path, env: str, app: str, profile: str) -> Path:
    """The file to write: `given`, or a file named after the run inside the directory `given`.
    Refuses before any work when it cannot be written (a missing directory, a device)."""
    if given.is_dir():
        name = "-".join(re.sub(r"[^A-Za-z0-9._-]+", "-", x) for x in (env, app, profile))
        given = given / f"hpa-simulate-{name}.png"
    if not given.parent.is_dir():
        raise FatalError(
            f"--plot {given}: directory {given.parent} does not exist",
            "create it, or name a file in an existing directory",
        )
    if given.exists() and not given.is_file():
        raise FatalError(f"--plot {given}: not a regular file", "name a .png file to write")
    if given.is_symlink():
        given = given.resolve()  # written through the link, which stays
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise FatalError(
            "--plot needs matplotlib, which is not installed",
            "pip install 'gitops-tools[loadtest]' (or drop --plot)",
        ) from None
    return given


def write_plot(path: Path, timeline: Timeline, scenario: Scenario) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (load, pods, cpu) = plt.subplots(3, 1, figsize=(12, 8.4), sharex=True)
    verdict = "pass" if scenario.passed else "fail"
    fig.suptitle(
        f"{scenario.env} · {scenario.app} · profile {scenario.profile.name} · simulated · "
        f"expectations: {verdict}\nWill the HPA scale? HPA {scenario.hpa} at "
        f"{scenario.cpu_ms:g} ms CPU per request",
        fontsize=12,
    )
    samples = timeline.samples
    t = [s.time for s in samples]
    load.step(t, [s.rps for s in samples], where="post", color="tab:blue", label="requests/s")
    load.set_ylabel("requests/s")
    pods.step(t, [s.replicas for s in samples], where="post", lw=1.8, label="replicas (HPA)")
    pods.step(
        t, [s.ready for s in samples], ":", where="post", lw=1.8, color="tab:green", label="ready"
    )
    spec = scenario.spec
    pods.axhline(
        spec.max_replicas, color="black", lw=1, ls="-.", label=f"HPA max {spec.max_replicas}"
    )
    pods.axhline(
        spec.min_replicas, color="grey", lw=1, ls="-.", label=f"HPA min {spec.min_replicas}"
    )
    _expectations(pods, scenario)
    pods.set_ylim(0, spec.max_replicas + 1)
    pods.set_ylabel("pods")
    cpu.step(
        t, [s.cpu_utilization for s in samples], where="post", color="tab:red", label="cpu (model)"
    )
    if "memory" in spec.targets:
        memory = scenario.workload.memory_utilization
        cpu.axhline(memory, color="tab:purple", lw=1.5, label=f"memory (model: {memory:.0f} %)")
    targets: dict[float, list[str]] = {}
    for name, target in spec.targets.items():
        targets.setdefault(target, []).append(name)
    for target, names in targets.items():  # one line for equal targets, not two on top
        color = "tab:red" if "cpu" in names else "tab:purple"
        cpu.axhline(
            target, color=color, ls="--", lw=1, label=f"{' and '.join(names)} target {target:g} %"
        )
    cpu.set_ylabel("% of request")
    cpu.set_xlabel("seconds since start")
    cpu.set_xlim(0, t[-1] + 1)
    starts = scenario.profile.starts()
    for ax in (load, pods, cpu):
        for start in starts[1:]:
            ax.axvline(start, color="black", lw=0.6, ls=":")
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    _label_stages(load, scenario.profile)
    _save(fig, path)
    plt.close(fig)


def _expectations(ax: Any, scenario: Scenario) -> None:
    status = {c.name: c.status for c in scenario.checks}
    exp, profile, spec = scenario.profile.expectations, scenario.profile, scenario.spec
    if exp.scale_out:
        so, color = exp.scale_out, COLORS[status["scale-out"]]
        step = profile.stage_start(so.stage)
        ax.axvspan(step, step + so.within, color=color, alpha=0.08)
        ax.hlines(
            so.replicas,
            step,
            step + so.within,
            color=color,
            lw=2.5,
            label=f"scale-out {status['scale-out']}: >= {so.replicas} {so.measure} "
            f"within {so.within:.0f} s",
        )
    if exp.scale_in:
        color = COLORS[status["scale-in"]]
        floor, _, deadline = scale_in_goal(profile, spec)
        ax.axvspan(profile.load_stop, deadline, color=color, alpha=0.06)
        ax.axvline(
            deadline,
            color=color,
            lw=2,
            label=f"scale-in {status['scale-in']}: back to {floor} by t={deadline:.0f} s",
        )


def _label_stages(ax: Any, profile: Profile) -> None:
    """Stage names and users above the top panel, a row higher where they would overlap."""
    renderer = ax.figure.canvas.get_renderer()
    ends: list[float] = []
    for stage, start in zip(profile.stages, profile.starts(), strict=True):
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
        ends[row : row + 1] = [text.get_window_extent(renderer).x1 + 4]


def _save(fig: Any, path: Path) -> None:
    """Rendered in memory, then written in one rename: never a half-written PNG."""
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=100)
    write_atomically(path, png.getvalue(), shown=f"--plot {path}")
