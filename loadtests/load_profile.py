"""Load profiles: the stages of users over time and what the HPA must do under them.

A profile is data (`profiles/<name>.yaml`), read here into frozen records; `shapes.py` turns
it into Locust's `tick()`, `hpa_verdict.py` checks a run against its expectations. No Locust
import here, so the standalone observer can read profiles without gevent.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"
MEASURES = ("ready", "current", "desired")
# Bounds that `gitops hpa simulate` (tools/gitops_tools/hpa/profile.py) applies too: a profile
# that one reader refuses, the other refuses (tests/test_hpa.py keeps them in agreement).
MAX_SECONDS = 86_400.0  # one day in total
MAX_STAGES = 1_000
MAX_USERS = 100_000


class ProfileError(Exception):
    """A profile that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Stage:
    name: str
    duration: float  # seconds this stage lasts
    users: int  # users to hold during the stage
    spawn_rate: float  # users started or stopped per second on entering it


@dataclass(frozen=True)
class ScaleOut:
    stage: str  # the load step: time is counted from the start of this stage
    replicas: int  # at least this many ...
    within: float  # ... within this many seconds of the step
    measure: str = "ready"  # ready pods (Deployment), or the HPA's current/desired replicas


@dataclass(frozen=True)
class ScaleIn:
    slack: float  # seconds allowed on top of the scale-down stabilization window
    window: float | None = None  # None: the HPA's behavior.scaleDown.stabilizationWindowSeconds
    to: int | None = None  # None: the HPA's minReplicas


@dataclass(frozen=True)
class Expectations:
    scale_out: ScaleOut | None = None
    scale_in: ScaleIn | None = None
    never_above_max: bool = True
    max_error_rate: float | None = None  # failures / requests, 0.01 = 1 %
    p95_ms: float | None = None


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    stages: tuple[Stage, ...]
    expectations: Expectations
    interval: float  # seconds between two HPA reads
    path: Path
    rps_per_user: float | None = None  # for `gitops hpa simulate`; Locust's wait decides here

    @property
    def duration(self) -> float:
        return sum(s.duration for s in self.stages)

    def stage_start(self, name: str) -> float:
        start = 0.0
        for stage in self.stages:
            if stage.name == name:
                return start
            start += stage.duration
        raise ProfileError(f"{self.path}: no stage named {name!r}")

    @property
    def load_stop(self) -> float:
        """When the last stage with users ends: from here on the HPA should scale back."""
        start, stop = 0.0, 0.0
        for stage in self.stages:
            start += stage.duration
            if stage.users > 0:
                stop = start
        return stop

    def target_at(self, t: float) -> tuple[int, float] | None:
        """(users, spawn_rate) at `t` seconds into the run, None once every stage is over."""
        end = 0.0
        for stage in self.stages:
            end += stage.duration
            if t < end:
                return stage.users, stage.spawn_rate
        return None


def resolve(name_or_path: str, directory: Path | None = None) -> Path:
    """A profile file from a path, or a name looked up in LOADTEST_PROFILE_DIR or profiles/."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
        return candidate
    base = directory or Path(os.environ.get("LOADTEST_PROFILE_DIR") or PROFILE_DIR)
    for path in (base / f"{name_or_path}.yaml", base / name_or_path):
        if path.is_file():
            return path
    known = sorted(p.stem for p in base.glob("*.yaml")) if base.is_dir() else []
    raise ProfileError(
        f"no profile {name_or_path!r} (looked in {base}); known: {', '.join(known) or 'none'}"
    )


def load_profile(name_or_path: str, directory: Path | None = None) -> Profile:
    path = resolve(name_or_path, directory)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not valid YAML: {exc}") from None
    return parse_profile(data, path)


def parse_profile(data: Any, path: Path) -> Profile:
    fields = _Fields(path)
    root = fields.mapping(data, "profile")
    raw = root.get("stages")
    if not isinstance(raw, list) or not raw or len(raw) > MAX_STAGES:
        raise ProfileError(f"{path}: stages: expected a list of 1 to {MAX_STAGES} stages")
    stages = tuple(_stage(fields, s, f"stages[{i}]") for i, s in enumerate(raw))
    names = [s.name for s in stages]
    if len(set(names)) != len(names):
        raise ProfileError(f"{path}: stages: names must be unique, got {names}")
    previous = 0
    for i, stage in enumerate(stages):
        ramp = abs(stage.users - previous) / stage.spawn_rate
        if ramp > stage.duration:
            raise ProfileError(
                f"{path}: stages[{i}] ({stage.name}): going from {previous} to {stage.users} users "
                f"at {stage.spawn_rate}/s takes {ramp:.0f} s, longer than the stage "
                f"({stage.duration:.0f} s); raise spawn_rate or lengthen the stage"
            )
        previous = stage.users
    total = sum(s.duration for s in stages)
    if total > MAX_SECONDS:
        raise ProfileError(
            f"{path}: stages: {total:.0f} s in total, over the {MAX_SECONDS:.0f} s (one day) limit"
        )
    observer = fields.mapping(root.get("observer", {}), "observer")
    rps = root.get("rps_per_user")
    profile = Profile(
        name=fields.text(root.get("name", path.stem), "name"),
        description=str(root.get("description", "")).strip(),
        stages=stages,
        expectations=_expectations(fields, root.get("expectations", {})),
        interval=fields.number(
            observer.get("interval", 5), "observer.interval", minimum=0.1, maximum=3600
        ),
        path=path,
        rps_per_user=None if rps is None else fields.number(rps, "rps_per_user", 0.001, 1000),
    )
    scale_out = profile.expectations.scale_out
    if scale_out is not None and scale_out.stage not in names:
        raise ProfileError(
            f"{path}: expectations.scale_out.stage: {scale_out.stage!r} is not a stage "
            f"(stages: {', '.join(names)})"
        )
    return profile


def _stage(fields: _Fields, data: Any, where: str) -> Stage:
    item = fields.mapping(data, where)
    return Stage(
        name=fields.text(item.get("name", where), f"{where}.name"),
        duration=fields.number(item.get("duration"), f"{where}.duration", 1, MAX_SECONDS),
        users=int(fields.number(item.get("users"), f"{where}.users", 0, MAX_USERS, True)),
        spawn_rate=fields.number(item.get("spawn_rate"), f"{where}.spawn_rate", minimum=0.01),
    )


def _expectations(fields: _Fields, data: Any) -> Expectations:
    root = fields.mapping(data, "expectations")
    scale_out = scale_in = None
    if root.get("scale_out") is not None:
        so = fields.mapping(root["scale_out"], "expectations.scale_out")
        measure = str(so.get("measure", "ready"))
        if measure not in MEASURES:
            raise ProfileError(
                f"{fields.path}: expectations.scale_out.measure: {measure!r} is not one of "
                f"{', '.join(MEASURES)}"
            )
        scale_out = ScaleOut(
            stage=fields.text(so.get("stage"), "expectations.scale_out.stage"),
            replicas=int(
                fields.number(
                    so.get("replicas"), "expectations.scale_out.replicas", 1, 1_000_000, True
                )
            ),
            within=fields.number(so.get("within"), "expectations.scale_out.within", 1, MAX_SECONDS),
            measure=measure,
        )
    if root.get("scale_in") is not None:
        si = fields.mapping(root["scale_in"], "expectations.scale_in")
        window, to = si.get("window"), si.get("to")
        scale_in = ScaleIn(
            slack=fields.number(
                si.get("slack", 120), "expectations.scale_in.slack", 0, MAX_SECONDS
            ),
            window=None
            if window in (None, "hpa")
            else fields.number(window, "scale_in.window", 0, MAX_SECONDS),
            to=None
            if to in (None, "min")
            else int(fields.number(to, "scale_in.to", 1, 1_000_000, True)),
        )
    rate, p95 = root.get("max_error_rate"), root.get("p95_ms")
    return Expectations(
        scale_out=scale_out,
        scale_in=scale_in,
        never_above_max=bool(root.get("never_above_max", True)),
        max_error_rate=None if rate is None else fields.number(rate, "max_error_rate", 0, 1),
        p95_ms=None if p95 is None else fields.number(p95, "p95_ms", 1, 600_000),
    )


@dataclass(frozen=True)
class _Fields:
    """Typed field access that fails with `file: field: what is wrong`."""

    path: Path

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ProfileError(f"{self.path}: {where}: expected a mapping, got {value!r}")
        return value

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ProfileError(f"{self.path}: {where}: expected a non-empty string, got {value!r}")
        return value

    def number(
        self,
        value: Any,
        where: str,
        minimum: float = 0,
        maximum: float = math.inf,
        integer: bool = False,
    ) -> float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or not minimum <= value <= maximum:
            kind = "an integer" if integer else "a number"
            bounds = f">= {minimum:g}" if maximum == math.inf else f"{minimum:g} to {maximum:g}"
            raise ProfileError(f"{self.path}: {where}: expected {kind} {bounds}, got {value!r}")
        if integer and int(value) != value:
            raise ProfileError(f"{self.path}: {where}: expected a whole number, got {value!r}")
        return float(value)
