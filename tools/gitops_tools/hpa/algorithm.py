"""The HorizontalPodAutoscaler controller's decision, as the Kubernetes documentation and the
controller (pkg/controller/podautoscaler) describe it:

- per metric: desired = ceil(current * currentUtilization / targetUtilization), no change
  while the ratio is within the 10 % tolerance; several metrics: the largest proposal;
- stabilization: scaling up follows the lowest, scaling down the highest recommendation of
  the window (defaults 0 s up, 300 s down);
- scaling policies limit the change per period, measured from the replica count at the start
  of the period; `selectPolicy` Max (default) takes the policy allowing the largest change;
- the result is clamped to [minReplicas, maxReplicas].
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TOLERANCE = 0.1
DEFAULT_UP = {
    "stabilizationWindowSeconds": 0,
    "selectPolicy": "Max",
    "policies": [
        {"type": "Percent", "value": 100, "periodSeconds": 15},
        {"type": "Pods", "value": 4, "periodSeconds": 15},
    ],
}
DEFAULT_DOWN = {
    "stabilizationWindowSeconds": 300,
    "selectPolicy": "Max",
    "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
}


@dataclass(frozen=True)
class HpaSpec:
    min_replicas: int
    max_replicas: int
    targets: Mapping[str, float]  # resource name -> target average utilization (percent)
    scale_up: Mapping[str, Any] = field(default_factory=lambda: DEFAULT_UP)
    scale_down: Mapping[str, Any] = field(default_factory=lambda: DEFAULT_DOWN)

    @property
    def scale_down_window(self) -> float:
        """behavior.scaleDown.stabilizationWindowSeconds: how long scale-down recommendations
        are held (the controller takes the highest of them)."""
        return float(self.scale_down.get("stabilizationWindowSeconds", 300))

    @classmethod
    def from_object(cls, hpa: Mapping[str, Any]) -> HpaSpec:
        spec = hpa.get("spec") or {}
        targets = {}
        for metric in spec.get("metrics") or []:
            resource = metric.get("resource") or {}
            target = resource.get("target") or {}
            if metric.get("type") == "Resource" and target.get("type") == "Utilization":
                targets[str(resource.get("name"))] = float(target.get("averageUtilization", 80))
        behavior = spec.get("behavior") or {}
        return cls(
            min_replicas=int(spec.get("minReplicas", 1)),
            max_replicas=int(spec.get("maxReplicas", 1)),
            targets=targets or {"cpu": 80.0},
            scale_up={**DEFAULT_UP, **(behavior.get("scaleUp") or {})},
            scale_down={**DEFAULT_DOWN, **(behavior.get("scaleDown") or {})},
        )


def metric_proposal(current: int, utilization: float, target: float) -> int:
    """Replicas one metric asks for (the documented formula, with the tolerance)."""
    ratio = utilization / target
    if abs(ratio - 1.0) <= TOLERANCE:
        return current
    return math.ceil(current * ratio)


@dataclass(frozen=True)
class ScaleEvent:
    time: float
    change: int  # replicas added (positive) or removed (negative)


def _moved(events: Sequence[ScaleEvent], now: float, period: float) -> tuple[int, int]:
    """Replicas added and removed within the last `period` seconds."""
    recent = [e.change for e in events if e.time > now - period]
    return sum(c for c in recent if c > 0), -sum(c for c in recent if c < 0)


def scale_up_limit(
    rules: Mapping[str, Any], current: int, events: Sequence[ScaleEvent], now: float
) -> int:
    """calculateScaleUpLimitWithScalingRules: the most replicas the scale-up policies allow."""
    select = rules.get("selectPolicy", "Max")
    if select == "Disabled":
        return current
    proposals = []
    for policy in rules.get("policies") or []:
        added, removed = _moved(events, now, float(policy.get("periodSeconds", 15)))
        start = current - added + removed
        value = float(policy.get("value", 0))
        if policy.get("type") == "Pods":
            proposals.append(int(start + value))
        else:
            proposals.append(math.ceil(start * (1 + value / 100)))
    if not proposals:
        return current
    return max(proposals) if select == "Max" else min(proposals)


def scale_down_limit(
    rules: Mapping[str, Any], current: int, events: Sequence[ScaleEvent], now: float
) -> int:
    """calculateScaleDownLimitWithBehaviors: the fewest replicas the scale-down policies allow."""
    select = rules.get("selectPolicy", "Max")
    if select == "Disabled":
        return current
    proposals = []
    for policy in rules.get("policies") or []:
        added, removed = _moved(events, now, float(policy.get("periodSeconds", 15)))
        start = current + removed - added
        value = float(policy.get("value", 0))
        if policy.get("type") == "Pods":
            proposals.append(int(start - value))
        else:
            proposals.append(int(start * (1 - value / 100)))
    if not proposals:
        return current
    return min(proposals) if select == "Max" else max(proposals)


@dataclass
class Autoscaler:
    """The controller's state for one HPA: recommendation history and scale events."""

    spec: HpaSpec
    recommendations: list[tuple[float, int]] = field(default_factory=list)
    events: list[ScaleEvent] = field(default_factory=list)

    def desired(self, current: int, utilization: Mapping[str, float]) -> int:
        proposals = [
            metric_proposal(current, utilization.get(name, 0.0), target)
            for name, target in self.spec.targets.items()
        ]
        return max(proposals) if proposals else current

    def decide(self, now: float, current: int, utilization: Mapping[str, float]) -> int:
        """Replicas the HPA sets at `now` given ready-pod utilization per resource."""
        desired = self.desired(current, utilization)
        up_window = float(self.spec.scale_up.get("stabilizationWindowSeconds", 0))
        down_window = self.spec.scale_down_window
        up, down = desired, desired
        for time, recommendation in self.recommendations:
            if time > now - up_window:
                up = min(up, recommendation)
            if time > now - down_window:
                down = max(down, recommendation)
        stabilized = min(max(current, up), down)
        self.recommendations.append((now, desired))
        keep = max(up_window, down_window)
        self.recommendations = [(t, r) for t, r in self.recommendations if t > now - keep]
        result = stabilized
        if stabilized > current:
            limit = max(current, scale_up_limit(self.spec.scale_up, current, self.events, now))
            result = min(stabilized, self.spec.max_replicas, limit)
        elif stabilized < current:
            limit = scale_down_limit(self.spec.scale_down, current, self.events, now)
            result = max(stabilized, self.spec.min_replicas, limit)
        result = max(self.spec.min_replicas, min(self.spec.max_replicas, result))
        if result != current:
            self.events.append(ScaleEvent(now, result - current))
        return result
