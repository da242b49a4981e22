"""A load profile (`loadtests/profiles/*.yaml`): stages of users over time and what the HPA must
do under them. The format is the load tests' own (loadtests/load_profile.py reads it inside the
Locust image, which does not carry this package); a test keeps the two readers in agreement.

Every number is checked to be finite and within bounds, so a profile cannot make the simulator
fail or run for ever: `file: field: what is wrong`, exit 2.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_tools.errors import FatalError
from gitops_tools.yamlio import YamlError, decode_text, load_documents

MAX_SECONDS = 86_400.0  # one day: the longest profile either reader accepts
MAX_STAGES = 1_000
MAX_USERS = 100_000
MEASURES = ("ready", "current", "desired")


@dataclass(frozen=True)
class Stage:
    name: str
    duration: float  # seconds
    users: int
    spawn_rate: float | None = None  # users started or stopped per second; None: at once


@dataclass(frozen=True)
class ScaleOut:
    stage: str  # counted from the start of this stage
    replicas: int  # at least this many ...
    within: float  # ... within this many seconds
    measure: str = "ready"


@dataclass(frozen=True)
class ScaleIn:
    slack: float  # seconds on top of the scale-down stabilization window
    window: float | None = None  # None: the HPA's behavior.scaleDown.stabilizationWindowSeconds
    to: int | None = None  # None: the HPA's minReplicas


@dataclass(frozen=True)
class Expectations:
    scale_out: ScaleOut | None = None
    scale_in: ScaleIn | None = None
    never_above_max: bool = True
    max_error_rate: float | None = None
    p95_ms: float | None = None


@dataclass(frozen=True)
class Profile:
    name: str
    stages: tuple[Stage, ...]
    expectations: Expectations
    rps_per_user: float | None = None

    def stage_start(self, name: str) -> float:
        starts = dict(zip((s.name for s in self.stages), self.starts(), strict=True))
        return starts[name]

    def starts(self) -> list[float]:
        return [0.0, *itertools.accumulate(s.duration for s in self.stages[:-1])]

    @property
    def load_stop(self) -> float:
        """When the last stage with users ends: from here on the HPA should scale back."""
        ends = [start + s.duration for start, s in zip(self.starts(), self.stages, strict=True)]
        return max((end for end, s in zip(ends, self.stages, strict=True) if s.users), default=0)


def read_profile(path: Path) -> Profile:
    try:
        documents = load_documents(decode_text(path.read_bytes()))
    except (OSError, YamlError) as exc:
        raise FatalError(f"{path}: cannot read the load profile: {exc}") from None
    return parse_profile(documents[0] if documents else None, path)


def parse_profile(data: Any, path: Path) -> Profile:
    field = _Fields(path)
    root = field.mapping(data, "profile")
    raw = root.get("stages")
    if not isinstance(raw, list) or not raw or len(raw) > MAX_STAGES:
        raise FatalError(
            f"{path}: stages: expected a list of 1 to {MAX_STAGES} stages",
            "each stage needs a duration (seconds) and users",
        )
    stages = tuple(_stage(field, item, f"stages[{i}]") for i, item in enumerate(raw))
    names = [s.name for s in stages]
    if len(set(names)) != len(names):
        raise FatalError(f"{path}: stages: names must be unique, got {names}")
    previous = 0
    for i, stage in enumerate(stages):
        ramp = abs(stage.users - previous) / (stage.spawn_rate or math.inf)
        if ramp > stage.duration:
            raise FatalError(
                f"{path}: stages[{i}] ({stage.name}): going from {previous} to {stage.users} users "
                f"at {stage.spawn_rate}/s takes {ramp:.0f} s, longer than the stage "
                f"({stage.duration:.0f} s); raise spawn_rate or lengthen the stage"
            )
        previous = stage.users
    total = sum(s.duration for s in stages)
    if total > MAX_SECONDS:
        raise FatalError(
            f"{path}: stages: {total:.0f} s in total, over the {MAX_SECONDS:.0f} s (one day) limit"
        )
    rps = root.get("rps_per_user")
    profile = Profile(
        name=field.text(root.get("name", path.stem), "name"),
        stages=stages,
        expectations=_expectations(field, root.get("expectations", {})),
        rps_per_user=None if rps is None else field.number(rps, "rps_per_user", 0.001, 1000),
    )
    scale_out = profile.expectations.scale_out
    if scale_out is not None and scale_out.stage not in names:
        raise FatalError(
            f"{path}: expectations.scale_out.stage: {scale_out.stage!r} is not a stage "
            f"(stages: {', '.join(names)})"
        )
    return profile


def _stage(field: _Fields, data: Any, where: str) -> Stage:
    item = field.mapping(data, where)
    rate = item.get("spawn_rate")
    return Stage(
        name=field.text(item.get("name", where), f"{where}.name"),
        duration=field.number(item.get("duration"), f"{where}.duration", 1, MAX_SECONDS),
        users=field.integer(item.get("users"), f"{where}.users", 0, MAX_USERS),
        spawn_rate=None if rate is None else field.number(rate, f"{where}.spawn_rate", 0.01),
    )


def _expectations(field: _Fields, data: Any) -> Expectations:
    root = field.mapping(data, "expectations")
    scale_out = scale_in = None
    if root.get("scale_out") is not None:
        so = field.mapping(root["scale_out"], "expectations.scale_out")
        measure = so.get("measure", "ready")
        if measure not in MEASURES:
            raise FatalError(
                f"{field.path}: expectations.scale_out.measure: {measure!r} is not one of "
                f"{', '.join(MEASURES)}"
            )
        scale_out = ScaleOut(
            stage=field.text(so.get("stage"), "expectations.scale_out.stage"),
            replicas=field.integer(so.get("replicas"), "expectations.scale_out.replicas", 1),
            within=field.number(so.get("within"), "expectations.scale_out.within", 1, MAX_SECONDS),
            measure=str(measure),
        )
    if root.get("scale_in") is not None:
        si = field.mapping(root["scale_in"], "expectations.scale_in")
        window, to = si.get("window"), si.get("to")
        scale_in = ScaleIn(
            slack=field.number(si.get("slack", 120), "expectations.scale_in.slack", 0, MAX_SECONDS),
            window=None
            if window in (None, "hpa")
            else field.number(window, "expectations.scale_in.window", 0, MAX_SECONDS),
            to=None if to in (None, "min") else field.integer(to, "expectations.scale_in.to", 1),
        )
    rate, p95 = root.get("max_error_rate"), root.get("p95_ms")
    return Expectations(
        scale_out=scale_out,
        scale_in=scale_in,
        never_above_max=bool(root.get("never_above_max", True)),
        max_error_rate=None if rate is None else field.number(rate, "max_error_rate", 0, 1),
        p95_ms=None if p95 is None else field.number(p95, "p95_ms", 1, 600_000),
    )


@dataclass(frozen=True)
class _Fields:
    """Typed field access that fails with `file: field: what is wrong`."""

    path: Path

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise FatalError(f"{self.path}: {where}: expected a mapping, got {value!r}")
        return value

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise FatalError(f"{self.path}: {where}: expected a non-empty string, got {value!r}")
        return value

    def number(
        self,
        value: Any,
        where: str,
        minimum: float = 0,
        maximum: float = math.inf,
        kind: str = "a number",
    ) -> float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or not minimum <= value <= maximum:
            bounds = f">= {minimum:g}" if maximum == math.inf else f"{minimum:g} to {maximum:g}"
            raise FatalError(f"{self.path}: {where}: expected {kind} {bounds}, got {value!r}")
        return float(value)

    def integer(self, value: Any, where: str, minimum: int, maximum: int = 1_000_000) -> int:
        number = self.number(value, where, minimum, maximum, kind="an integer")
        if int(number) != number:
            raise FatalError(f"{self.path}: {where}: expected a whole number, got {value!r}")
        return int(number)
