from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.k8s import as_int
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule
from gitops_tools.policy.rules.reliability._common import spec_of


@object_rule(
    "GO205",
    "hpa-min-max",
    "HPA bounds must be consistent: 1 <= minReplicas <= maxReplicas",
    Severity.ERROR,
    kinds=("HorizontalPodAutoscaler",),
)
def hpa_min_max(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """A HorizontalPodAutoscaler has `minReplicas` (default 1) of at least 1 and not above
    `maxReplicas`.

    Why: the API server rejects `minReplicas` above `maxReplicas`, so the sync fails in the
    cluster; `minReplicas: 0` needs an alpha feature gate and is refused otherwise. Such
    bounds usually come from an overlay that patched one value and not the other.

    Fix: set `minReplicas` between 1 and `maxReplicas` (raise `maxReplicas` if needed).

    Bad:
        kind: HorizontalPodAutoscaler
        spec:
          minReplicas: 4
          maxReplicas: 3

    Good:
        kind: HorizontalPodAutoscaler
        spec:
          minReplicas: 2
          maxReplicas: 6
    """
    spec = spec_of(m)
    given = as_int(spec.get("minReplicas"))
    low = 1 if given is None else given
    high = as_int(spec.get("maxReplicas"))
    if given is not None and given < 1:
        yield Violation(
            m,
            ("spec", "minReplicas"),
            f"HorizontalPodAutoscaler {m.name!r} has minReplicas {given}: set it to at least 1",
        )
    elif high is not None and low > high:
        yield Violation(
            m,
            ("spec", "minReplicas") if given is not None else ("spec", "maxReplicas"),
            f"HorizontalPodAutoscaler {m.name!r} has minReplicas {low} above maxReplicas "
            f"{high}: set minReplicas to at most maxReplicas",
        )
