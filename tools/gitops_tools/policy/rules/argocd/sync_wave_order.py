from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.k8s import FieldPath
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule
from gitops_tools.policy.rules.argocd._argo import SYNC_WAVE, is_argo, is_root_app


def _as_int(value: Any, default: int) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        return default


@object_rule(
    "GO404",
    "sync-wave-order",
    "Platform Applications sync before workload Applications",
    Severity.ERROR,
    kinds=("Application",),
)
def sync_wave_order(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """Platform Applications sync in earlier waves than every other Application.

    Why: the app-of-apps syncs its child Applications in `argocd.argoproj.io/sync-wave` order
    (a missing annotation is wave 0). Workloads need what the platform add-ons install first
    (CRDs such as ExternalSecret, the ingress controller, the metrics server); a workload in
    the same or an earlier wave fails its first sync or waits on webhooks that do not exist
    yet. The root app-of-apps itself (it deploys the cluster directory) is exempt.

    Fix: set the annotation as a quoted integer: at most `maxSyncWaveForPlatform` (default 0)
    on Applications of the `platform` project, at least `minSyncWaveForWorkloads` (default 1)
    on all others.

    Bad:
        kind: Application
        metadata:
          name: shop
        spec:
          project: workloads

    Good:
        kind: Application
        metadata:
          name: shop
          annotations:
            argocd.argoproj.io/sync-wave: "10"
        spec:
          project: workloads
    """
    metadata, spec = m.obj.get("metadata"), m.obj.get("spec")
    if not is_argo(m) or not isinstance(metadata, dict) or not isinstance(spec, dict):
        return
    if is_root_app(m, ctx):
        return
    annotations = metadata.get("annotations")
    path: FieldPath = ("metadata",)
    raw: Any = None
    if isinstance(annotations, dict):
        path = ("metadata", "annotations")
        if SYNC_WAVE in annotations:
            path, raw = (*path, SYNC_WAVE), annotations[SYNC_WAVE]
    try:
        wave = 0 if raw is None else int(str(raw).strip())
    except ValueError:
        yield Violation(
            m,
            path,
            f"sync-wave {raw!r} of Application {m.name!r} is not an integer: set "
            f'{SYNC_WAVE} to a quoted integer such as "10"',
        )
        return
    shown = f"sync-wave {wave}" if raw is not None else "no sync-wave (wave 0)"
    if spec.get("project") == "platform":
        limit = _as_int(ctx.profile.setting("maxSyncWaveForPlatform"), 0)
        if wave > limit:
            yield Violation(
                m,
                path,
                f"platform Application {m.name!r} has {shown}, later than the platform's "
                f"limit {limit}: set {SYNC_WAVE} to {limit} or lower",
            )
        return
    floor = _as_int(ctx.profile.setting("minSyncWaveForWorkloads"), 1)
    if wave < floor:
        yield Violation(
            m,
            path,
            f"Application {m.name!r} of project {spec.get('project')!r} has {shown}, before the "
            f"platform add-ons finish: set {SYNC_WAVE} to {floor} or higher",
        )
