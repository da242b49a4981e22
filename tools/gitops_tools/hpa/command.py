"""`gitops hpa simulate`: predict an HPA's replica timeline from the rendered overlay, a load
profile and a measured CPU cost per request, before anyone runs load."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gitops_tools.errors import EXIT_OK, FatalError
from gitops_tools.hpa.algorithm import HpaSpec
from gitops_tools.hpa.simulate import Stage, Timeline, Workload, simulate

PROFILES = Path("loadtests/profiles")
DEFAULT_RPS_PER_USER = 0.8


def add_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    hpa = sub.add_parser("hpa", help="HorizontalPodAutoscaler tools")
    hpa_sub = hpa.add_subparsers(dest="hpa_command", required=True, metavar="COMMAND")
    sim = hpa_sub.add_parser("simulate", help="predict the replica timeline under a load profile")
    sim.add_argument("--env", required=True)
    sim.add_argument("--app", required=True, help="workload name under apps/workloads/")
    sim.add_argument("--profile", required=True, help=f"a profile name in {PROFILES}/ or a file")
    sim.add_argument("--cpu-ms-per-request", type=float, required=True, metavar="MS")
    sim.add_argument(
        "--rps-per-user",
        type=float,
        default=None,
        help="requests per second per user (default: the profile's, else 1)",
    )
    sim.add_argument("--hpa", default=None, help="HPA name (default: the one with most replicas)")
    sim.add_argument(
        "--pod-startup-seconds",
        type=float,
        default=10.0,
        help="scheduling + image pull + start, before the readiness delay",
    )
    sim.add_argument("--plot", type=Path, default=None, help="write a PNG of the timeline")
    sim.add_argument("--repo", type=Path, default=Path())
    sim.set_defaults(handler=cmd_simulate)


def cpu_cores(quantity: Any) -> float:
    text = str(quantity)
    return float(text[:-1]) / 1000 if text.endswith("m") else float(text)


def load_stages(path: Path) -> tuple[list[Stage], float | None]:
    """Stages (duration, users) and the profile's requests per second per user, if given."""
    from gitops_tools.yamlio import YamlError, decode_text, load_documents

    try:
        data = load_documents(decode_text(path.read_bytes()))[0]
    except (OSError, YamlError, IndexError) as exc:
        raise FatalError(f"{path}: cannot read the load profile: {exc}") from None
    raw = data.get("stages") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not raw:
        raise FatalError(f"{path}: no `stages:` list", "each stage needs duration and users")
    stages = []
    for index, stage in enumerate(raw):
        try:
            stages.append(Stage(float(stage["duration"]), int(stage["users"])))
        except (KeyError, TypeError, ValueError):
            raise FatalError(
                f"{path}: stages[{index}] needs a number `duration` (seconds) and `users`"
            ) from None
    rps = data.get("rps_per_user") if isinstance(data, dict) else None
    return stages, float(rps) if isinstance(rps, int | float) else None


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


def workload_model(
    objects: list[dict[str, Any]], hpa_name: str | None, startup: float
) -> tuple[dict[str, Any], Workload]:
    hpas = [o for o in objects if o.get("kind") == "HorizontalPodAutoscaler"]
    if hpa_name:
        hpas = [h for h in hpas if h["metadata"]["name"] == hpa_name]
    if not hpas:
        raise FatalError(f"no HorizontalPodAutoscaler{' ' + repr(hpa_name) if hpa_name else ''}")
    hpa = max(hpas, key=lambda h: int((h.get("spec") or {}).get("maxReplicas", 0)))
    ref = hpa["spec"]["scaleTargetRef"]
    target = next(
        (
            o
            for o in objects
            if o.get("kind") == ref["kind"] and o["metadata"]["name"] == ref["name"]
        ),
        None,
    )
    if target is None:
        raise FatalError(
            f"HPA {hpa['metadata']['name']} targets {ref['kind']} {ref['name']}, "
            "which is not rendered"
        )
    containers = target["spec"]["template"]["spec"]["containers"]
    requests = [((c.get("resources") or {}).get("requests") or {}).get("cpu") for c in containers]
    if any(r is None for r in requests):
        raise FatalError(
            f"{ref['kind']} {ref['name']}: every container needs a CPU request "
            "for CPU utilization to exist"
        )
    limits = [((c.get("resources") or {}).get("limits") or {}).get("cpu") for c in containers]
    delay = max(
        int((c.get("readinessProbe") or {}).get("initialDelaySeconds", 0)) for c in containers
    )
    return hpa, Workload(
        cpu_request_cores=sum(cpu_cores(r) for r in requests),
        cpu_limit_cores=None if None in limits else sum(cpu_cores(x) for x in limits),
        startup_seconds=startup + delay,
    )


def report(hpa: dict[str, Any], spec: HpaSpec, timeline: Timeline) -> str:
    name = hpa["metadata"]["name"]
    lines = [
        f"HPA {name}: {spec.min_replicas}-{spec.max_replicas} replicas, targets "
        + ", ".join(f"{k} {v:g}%" for k, v in spec.targets.items()),
        f"{'stage start':>11} {'users':>6} {'rps':>8} {'replicas':>9} {'time to settle':>15}",
    ]
    for users, start, replicas, seconds in timeline.time_to_settle():
        rps = next(s.rps for s in timeline.samples if s.time >= start)
        settle = "-" if seconds is None else f"{seconds:.0f}s"
        lines.append(f"{start:>10.0f}s {users:>6} {rps:>8.1f} {replicas:>9} {settle:>15}")
    peak = max(s.replicas for s in timeline.samples)
    at = next(s.time for s in timeline.samples if s.replicas == peak)
    lines.append(
        f"peak: {peak} replicas at {at:.0f}s"
        + (" (the HPA maximum)" if peak == spec.max_replicas else "")
    )
    return "\n".join(lines) + "\n"


def plot(timeline: Timeline, spec: HpaSpec, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    times = [s.time for s in timeline.samples]
    fig, left = plt.subplots(figsize=(10, 5))
    left.plot(times, [s.replicas for s in timeline.samples], label="replicas (desired)")
    left.plot(times, [s.ready for s in timeline.samples], label="ready pods", linestyle="--")
    left.axhline(spec.max_replicas, color="grey", linewidth=0.8, linestyle=":")
    left.set_xlabel("seconds")
    left.set_ylabel("pods")
    right = left.twinx()
    right.plot(
        times,
        [s.cpu_utilization for s in timeline.samples],
        color="tab:red",
        alpha=0.5,
        label="CPU utilization %",
    )
    right.plot(times, [s.rps for s in timeline.samples], color="tab:green", alpha=0.5, label="rps")
    right.set_ylabel("percent / requests per second")
    fig.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def cmd_simulate(args: argparse.Namespace) -> int:
    repo_root = args.repo.resolve()
    if args.cpu_ms_per_request <= 0:
        raise FatalError("--cpu-ms-per-request must be positive (measure it with make bench)")
    stages, profile_rps = load_stages(_profile_path(repo_root, args.profile))
    hpa, workload = workload_model(
        _rendered(repo_root, args.env, args.app), args.hpa, args.pod_startup_seconds
    )
    spec = HpaSpec.from_object(hpa)
    rps_per_user = args.rps_per_user or profile_rps or DEFAULT_RPS_PER_USER
    timeline = simulate(spec, workload, stages, rps_per_user, args.cpu_ms_per_request)
    print(report(hpa, spec, timeline), end="")
    if args.plot:
        plot(timeline, spec, args.plot)
        print(f"plot: {args.plot}")
    return EXIT_OK
