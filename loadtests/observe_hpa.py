"""Watch an HPA beside a Locust run started at the same moment, then judge and report it.

    python observe_hpa.py --profile hpa-scale-out --hpa qr-generator/qr-backend --env staging

It reads the HPA for the profile's duration, then prints the verdict of the HPA expectations
(error rate and p95 are Locust's to judge) and writes the CSV and PNG. Exit 0 pass, 1 fail,
2 cannot observe (unreachable API, missing HPA, bad profile).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from hpa_observer import HpaObserver, Load, parse_target
from hpa_report import write_reports
from hpa_verdict import evaluate
from kube_hpa import HpaSource, KubeError, connect
from load_profile import ProfileError, load_profile


def main(
    argv: Sequence[str] | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", default="smoke", help="profile name or path (default smoke)")
    parser.add_argument("--hpa", required=True, help="namespace/name of the HPA to watch")
    parser.add_argument("--kubeconfig", help="kubeconfig file (default: KUBECONFIG or in-cluster)")
    parser.add_argument("--context", help="kubeconfig context")
    parser.add_argument("--interval", type=float, help="seconds between reads (default: profile)")
    parser.add_argument("--duration", type=float, help="seconds to watch (default: profile)")
    parser.add_argument("--out", default="results/observer", help="directory for CSV, PNG, verdict")
    parser.add_argument(
        "--env", help="environment named in the plot's title (default: LOADTEST_ENV, --context)"
    )
    parser.add_argument("--app", help="app named in the title (default: the HPA's namespace)")
    args = parser.parse_args(argv)
    try:
        namespace, name = parse_target(args.hpa)
        profile = load_profile(args.profile)
        source = HpaSource(connect(args.kubeconfig, args.context), namespace, name)
        observer = HpaObserver(
            source,
            interval=args.interval or profile.interval,
            load_probe=lambda t: Load(users=float((profile.target_at(t) or (0, 0))[0])),
            clock=clock,
            sleep=sleep,
        )
        observer.start()
    except (KubeError, ProfileError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"watching HPA {namespace}/{name} at {source.server} for "
        f"{args.duration or profile.duration:.0f} s (profile {profile.name})",
        flush=True,
    )
    try:
        observer.run(args.duration or profile.duration)
    except KeyboardInterrupt:
        print("interrupted: judging what was observed", file=sys.stderr)
    verdict = evaluate(
        profile,
        observer,
        load=None,
        target=f"{namespace}/{name}",
        env=args.env or os.environ.get("LOADTEST_ENV") or args.context or "cluster",
        app=args.app or namespace,
    )
    paths = write_reports(Path(args.out), observer, verdict, profile)
    print(verdict.text())
    print("reports: " + ", ".join(str(p) for p in paths))
    return verdict.exit_code


if __name__ == "__main__":
    sys.exit(main())
