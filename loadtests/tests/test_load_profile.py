"""Profiles: the shipped ones load; a bad one is refused with the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from load_profile import PROFILE_DIR, ProfileError, ScaleIn, ScaleOut, load_profile


def test_shipped_profiles():
    assert sorted(p.stem for p in PROFILE_DIR.glob("*.yaml")) == ["hpa-scale-out", "smoke", "soak"]
    profile = load_profile("hpa-scale-out")
    assert [s.name for s in profile.stages] == ["baseline", "step", "drain"]
    assert (profile.duration, profile.load_stop, profile.stage_start("step")) == (1920, 420, 60)
    exp = profile.expectations
    assert exp.scale_out == ScaleOut(stage="step", replicas=6, within=180, measure="ready")
    assert exp.scale_in == ScaleIn(slack=1080, window=None, to=None)
    assert (exp.max_error_rate, exp.p95_ms, exp.never_above_max) == (0.01, 800, True)


@pytest.mark.parametrize("name", ["hpa-scale-out", "soak"])
def test_profiles_observe_long_enough_to_see_scale_in(name):
    """The last 0-user stage outlasts the staging HPA's 300 s window plus the slack."""
    profile = load_profile(name)
    assert profile.duration - profile.load_stop >= 300 + profile.expectations.scale_in.slack


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


GOOD = {"stages": [{"name": "a", "duration": 10, "users": 2, "spawn_rate": 1}]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stages": []}, "stages: expected a list of 1 to 1000 stages"),
        (
            {"stages": [{"name": "a", "duration": 10, "users": -1, "spawn_rate": 1}]},
            "stages[0].users: expected an integer 0 to 100000, got -1",
        ),
        (
            {"stages": [{"name": "a", "duration": 10, "users": 50, "spawn_rate": 1}]},
            "stages[0] (a): going from 0 to 50 users at 1.0/s takes 50 s, longer than the stage "
            "(10 s); raise spawn_rate or lengthen the stage",
        ),
        (
            {"expectations": {"scale_out": {"stage": "b", "replicas": 3, "within": 60}}},
            "expectations.scale_out.stage: 'b' is not a stage (stages: a)",
        ),
        (
            {
                "expectations": {
                    "scale_out": {"stage": "a", "replicas": 3, "within": 60, "measure": "pods"}
                }
            },
            "expectations.scale_out.measure: 'pods' is not one of ready, current, desired",
        ),
        ({"expectations": {"p95_ms": "fast"}}, "p95_ms: expected a number 1 to 600000, got 'fast'"),
    ],
)
def test_bad_profiles_name_the_field(tmp_path, change, message):
    path = write(tmp_path, {**GOOD, **change})
    with pytest.raises(ProfileError) as error:
        load_profile(str(path))
    assert str(error.value) == f"{path}: {message}"


def test_unknown_profile_lists_the_known_ones():
    with pytest.raises(
        ProfileError, match=r"no profile 'nope' .*known: hpa-scale-out, smoke, soak"
    ):
        load_profile("nope")


def test_invalid_yaml(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("stages: [\n")
    with pytest.raises(ProfileError, match=f"{path}: not valid YAML"):
        load_profile(str(path))
