from __future__ import annotations

from pathlib import Path

import pytest

from gitops_tools.cluster import load_cluster, load_clusters
from gitops_tools.errors import FatalError

from .conftest import REPO_ROOT

GOOD = """\
environment: dev
kubernetesVersion: "1.33"
aws:
  region: us-east-1
  accountId: "111111111111"
registry: 111111111111.dkr.ecr.us-east-1.amazonaws.com
promotion:
  from: null
policyProfile: dev
argocd:
  repoURL: https://example.com/repo.git
  targetRevision: main
"""


def write(root: Path, env: str, text: str) -> Path:
    path = root / "clusters" / env / "cluster.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_repository_clusters_in_promotion_order() -> None:
    clusters = load_clusters(REPO_ROOT)
    assert list(clusters) == ["dev", "staging", "prod"]
    assert clusters["prod"].promoted_from == "staging"
    assert clusters["prod"].policy_profile == "prod"
    assert clusters["dev"].account_id != clusters["prod"].account_id


def test_typed_fields(tmp_path: Path) -> None:
    cluster = load_cluster(write(tmp_path, "dev", GOOD), tmp_path)
    assert cluster.kubernetes_version == "1.33"
    assert cluster.promoted_from is None
    assert cluster.repo_url == "https://example.com/repo.git"


def test_wrong_field_names_file_line_and_breadcrumb(tmp_path: Path) -> None:
    path = write(tmp_path, "dev", GOOD.replace('"111111111111"', '"1234"'))
    with pytest.raises(FatalError) as err:
        load_cluster(path, tmp_path)
    assert str(err.value).startswith(
        'clusters/dev/cluster.yaml:5: aws.accountId: "1234" does not match'
    )
    assert "cluster.schema.json" in str(err.value)


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "dev", GOOD + "colour: blue\n")
    with pytest.raises(FatalError, match="'colour' was unexpected"):
        load_cluster(path, tmp_path)


def test_environment_must_match_directory(tmp_path: Path) -> None:
    path = write(tmp_path, "staging", GOOD)
    with pytest.raises(FatalError, match="environment is 'dev' but the directory is 'staging'"):
        load_cluster(path, tmp_path)


def test_malformed_yaml_is_one_message(tmp_path: Path) -> None:
    path = write(tmp_path, "dev", "environment: [dev\n")
    with pytest.raises(FatalError, match=r"clusters/dev/cluster.yaml:2:1: malformed YAML"):
        load_cluster(path, tmp_path)


def test_promotion_from_unknown_env(tmp_path: Path) -> None:
    write(tmp_path, "dev", GOOD.replace("from: null", "from: qa"))
    with pytest.raises(FatalError, match="promotion.from names 'qa', which has no cluster"):
        load_clusters(tmp_path)


def test_promotion_cycle(tmp_path: Path) -> None:
    write(tmp_path, "dev", GOOD.replace("from: null", "from: prod"))
    write(tmp_path, "prod", GOOD.replace("dev", "prod", 1).replace("from: null", "from: dev"))
    with pytest.raises(FatalError, match="cycle through dev, prod"):
        load_clusters(tmp_path)


def test_no_clusters(tmp_path: Path) -> None:
    with pytest.raises(FatalError, match="no clusters/\\*/cluster.yaml"):
        load_clusters(tmp_path)
