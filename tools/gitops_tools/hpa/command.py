"""`gitops hpa simulate`: predict an HPA's replica timeline from the rendered overlay, a load
profile and a measured CPU cost per request, before anyone runs load."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from gitops_tools.errors import EXIT_FINDINGS, EXIT_OK, FatalError
from gitops_tools.hpa import ASSUMED_MEMORY_PERCENT

PROFILES = Path("loadtests/profiles")
DEFAULT_RPS_PER_USER = 0.8  # Locust's default wait of 0.5-2 s between a user's requests
HINTS = {
    "--cpu-ms-per-request": "measure it with `make loadtest-local` (it prints ms per request)",
    "--rps-per-user": "requests per second one Locust user makes (0.8 with the default wait)",
    "--pod-startup-seconds": "seconds from scheduling to start: image pull and boot",
    "--memory-mib-per-pod": "a pod's resident memory (make loadtest-local prints the service's)",
}


def add_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    hpa = sub.add_parser("hpa", help="HorizontalPodAutoscaler tools")
    hpa_sub = hpa.add_subparsers(dest="hpa_command", required=True, metavar="COMMAND")
    sim = hpa_sub.add_parser("simulate", help="predict the replica timeline under a load profile")
    sim.add_argument("--env", required=True)
    sim.add_argument("--app", required=True, help="workload name under apps/workloads/")
    sim.add_argument("--profile", required=True, help=f"a profile name in {PROFILES}/ or a file")
    sim.add_argument(
        "--cpu-ms-per-request",
        type=float,
        required=True,
        metavar="MS",
        help="CPU milliseconds one request costs (make loadtest-local prints it)",
    )
    sim.add_argument(
        "--rps-per-user",
        type=float,
        default=None,
        help="requests per second per user (default: the profile's rps_per_user, else 0.8)",
    )
    sim.add_argument("--hpa", default=None, help="HPA name (default: the one with most replicas)")
    sim.add_argument(
        "--pod-startup-seconds",
        type=float,
        default=10.0,
        help="scheduling + image pull + start, before the readiness delay",
    )
    sim.add_argument(
        "--memory-mib-per-pod",
        type=float,
        default=None,
        metavar="MIB",
        help="resident memory of one pod, steady (make loadtest-local prints it); "
        f"default: {ASSUMED_MEMORY_PERCENT:g} %% of the memory request",
    )
    sim.add_argument(
        "--plot",
        type=Path,
        default=None,
        metavar="PNG|DIR",
        help="write the timeline as a PNG (into DIR: hpa-simulate-ENV-APP-PROFILE.png)",
    )
    sim.add_argument("--repo", type=Path, default=Path())
    sim.set_defaults(handler=cmd_simulate)


def _profile_path(repo_root: Path, profile: str) -> Path:
    candidate = Path(profile)
    if candidate.is_file():
        return candidate
    named = repo_root / PROFILES / f"{profile}.yaml"
    if named.is_file():
        return named
    known = sorted(p.stem for p in (repo_root / PROFILES).glob("*.yaml"))
    raise FatalError(
        f"no load profile {profile!r}", f"known profiles: {', '.join(known) or 'none'}"
    )


def _rendered(repo_root: Path, env: str, app: str) -> list[dict[str, Any]]:
    from gitops_tools.fileio import cache_directory
    from gitops_tools.pipeline import run_environments, select_clusters

    (cluster,) = select_clusters(repo_root, [env])
    (run,) = run_environments(repo_root, [cluster], cache_directory(repo_root))
    wanted = [m.obj for m in run.loaded.manifests if f"/apps/workloads/{app}/" in str(m.path)]
    if not wanted:
        raise FatalError(
            f"no objects of workload {app!r} in environment {env!r}",
            "name a directory under apps/workloads/ that the env's Applications deploy",
        )
    return wanted


def _number(value: float, flag: str, low: float, high: float, low_ok: bool = False) -> None:
    """A finite number in (low, high], or [low, high] when `low_ok`: else one clear error."""
    above = value >= low if low_ok else value > low
    if not (math.isfinite(value) and above and value <= high):
        bound = f"{'>=' if low_ok else '>'} {low:g} and <= {high:g}"
        raise FatalError(f"{flag} {value:g}: expected a number {bound}", HINTS.get(flag))


def cmd_simulate(args: argparse.Namespace) -> int:
    # the simulator and its plot load only when asked for: `gitops` starts without them
    from gitops_tools.hpa.algorithm import HpaSpec
    from gitops_tools.hpa.expectations import judge
    from gitops_tools.hpa.plot import plot_path, write_plot
    from gitops_tools.hpa.profile import read_profile
    from gitops_tools.hpa.report import Scenario, text_report
    from gitops_tools.hpa.simulate import simulate
    from gitops_tools.hpa.workload import workload_model

    repo_root = args.repo.resolve()
    _number(args.cpu_ms_per_request, "--cpu-ms-per-request", 0, 60_000)
    if args.rps_per_user is not None:
        _number(args.rps_per_user, "--rps-per-user", 0, 1000)
    _number(args.pod_startup_seconds, "--pod-startup-seconds", 0, 3600, low_ok=True)
    if args.memory_mib_per_pod is not None:
        _number(args.memory_mib_per_pod, "--memory-mib-per-pod", 0, 1_048_576)
    profile = read_profile(_profile_path(repo_root, args.profile))
    png = plot_path(args.plot, args.env, args.app, profile.name) if args.plot else None
    hpa, workload = workload_model(
        _rendered(repo_root, args.env, args.app),
        args.hpa,
        args.pod_startup_seconds,
        args.memory_mib_per_pod,
    )
    spec = HpaSpec.from_object(hpa)
    rps_per_user = args.rps_per_user or profile.rps_per_user or DEFAULT_RPS_PER_USER
    timeline = simulate(spec, workload, profile.stages, rps_per_user, args.cpu_ms_per_request)
    scenario = Scenario(
        env=args.env,
        app=args.app,
        hpa=hpa["metadata"]["name"],
        spec=spec,
        workload=workload,
        profile=profile,
        rps_per_user=rps_per_user,
        cpu_ms=args.cpu_ms_per_request,
        memory_measured=args.memory_mib_per_pod is not None,
        checks=judge(profile, spec, timeline),
    )
    print(text_report(scenario, timeline), end="")
    if png is not None:
        write_plot(png, timeline, scenario)
        print(f"plot: {png}")
    return EXIT_OK if scenario.passed else EXIT_FINDINGS
