"""infra-tf/: one root per layer, per environment only tfvars and backend config; lock files
that pin the provider version `make terraform-test` validates."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from .conftest import REPO_ROOT

INFRA = REPO_ROOT / "infra-tf"
ENVS = ("dev", "staging", "prod")
LAYERS = sorted(p.name for p in (INFRA / "layers").iterdir() if p.name != "shared")
ASSIGNMENT = re.compile(r"^([a-z_][a-z0-9_]*)\s*=", re.MULTILINE)
LOCKED = re.compile(r'provider "([^"]+)" \{\s*version\s*=\s*"([^"]+)"')
AWS_PIN = re.compile(r'source\s*=\s*"hashicorp/aws"(?:\s*#[^\n]*\n|\s)*version\s*=\s*"([^"]+)"')


def test_no_two_environment_or_layer_files_are_identical() -> None:
    """Issue 16: the roots were copied per environment. (Each module's versions.tf says the same
    on purpose: a module declares its own provider requirements.)"""
    by_digest = defaultdict(list)
    for path in [*(INFRA / "envs").rglob("*"), *(INFRA / "layers").rglob("*")]:
        if path.is_file() and not path.is_symlink() and path.name != ".terraform.lock.hcl":
            by_digest[hashlib.sha256(path.read_bytes()).hexdigest()].append(path)
    copies = [
        sorted(str(p.relative_to(INFRA)) for p in v) for v in by_digest.values() if len(v) > 1
    ]
    assert copies == []


def test_each_environment_has_only_tfvars_and_backend_config_per_layer() -> None:
    for env in ENVS:
        names = sorted(p.name for p in (INFRA / "envs" / env).iterdir())
        assert names == sorted(
            [f"{layer}.tfvars" for layer in LAYERS] + [f"{layer}.backend.hcl" for layer in LAYERS]
        ), env


def test_backend_config_keeps_each_state_where_it_was() -> None:
    for env in ENVS:
        account = re.search(
            r'accountId: "(\d{12})"', (REPO_ROOT / f"clusters/{env}/cluster.yaml").read_text()
        )
        assert account
        for layer in LAYERS:
            text = (INFRA / f"envs/{env}/{layer}.backend.hcl").read_text()
            assert f'bucket = "gitops-platform-tfstate-{account.group(1)}"' in text
            assert f'key    = "envs/{env}/{layer}/terraform.tfstate"' in text


def test_every_environment_of_a_layer_sets_the_same_variables() -> None:
    """tests/run.sh runs dev's values for the validation runs: a variable only dev sets would
    leak into another environment's run."""
    for layer in LAYERS:
        sets = {
            env: sorted(ASSIGNMENT.findall((INFRA / f"envs/{env}/{layer}.tfvars").read_text()))
            for env in ENVS
        }
        assert sets["staging"] == sets["dev"] and sets["prod"] == sets["dev"], layer


def test_layers_share_their_environment_files_by_link() -> None:
    for layer in LAYERS:
        root = INFRA / "layers" / layer
        for name in ("environment.tf", "backend.tf"):
            assert (root / name).is_symlink(), f"{layer}/{name}"
            assert (root / name).resolve() == (INFRA / "layers/shared" / name).resolve()


def test_lock_files_pin_the_aws_version_the_roots_require() -> None:
    roots = [INFRA / "global"] + [INFRA / "layers" / layer for layer in LAYERS]
    locked_roots = [r for r in roots if (r / ".terraform.lock.hcl").is_file()]
    # 30-bootstrap needs hashicorp/helm, which the test machine's mirror lacks (infra-tf/README.md)
    assert [r.name for r in roots if r not in locked_roots] == ["30-bootstrap"]
    for root in locked_roots:
        locks = dict(
            (name, version)
            for name, version in LOCKED.findall((root / ".terraform.lock.hcl").read_text())
        )
        assert locks == {"registry.terraform.io/hashicorp/aws": "5.100.0"}, root.name
        pins = AWS_PIN.findall("".join(p.read_text() for p in root.glob("*.tf")))
        assert pins == ["~> 5.100.0"], root.name
