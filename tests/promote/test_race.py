"""Two promotions of the same overlay at once: one wins, the other refuses cleanly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gitops_tools.errors import FatalError
from gitops_tools.promote.atomic import promotion_lock
from gitops_tools.promote.execute import apply
from gitops_tools.promote.gates import run_gates
from gitops_tools.promote.gitrepo import Git
from gitops_tools.promote.plan_promotion import PromoteRequest, plan_promotion
from gitops_tools.promote.store import Registries

from .apps import build_and_pin
from .conftest import PromoRepo, git


def test_the_loser_of_a_race_refuses_instead_of_overwriting(promo_repo: PromoRepo) -> None:
    build_and_pin(promo_repo, "1.5.0")
    repo = Git(promo_repo.root)
    request = PromoteRequest("qr-generator", "staging")
    first = plan_promotion(repo, promo_repo.root, request)
    second = plan_promotion(repo, promo_repo.root, request)  # read the same file, same moment
    with Registries() as registries:
        outcome = run_gates(first, registries, repo, promo_repo.root, lambda _: None)
        assert apply(first, outcome, registries, repo, lambda _: None) == promo_repo.head()
        won = promo_repo.head()
        text = promo_repo.overlay("qr-generator", "staging").read_bytes()

        with pytest.raises(FatalError) as refused:
            apply(second, outcome, registries, repo, lambda _: None)

    assert "changed while this promotion was running" in refused.value.message
    assert "nothing was written" in refused.value.message
    assert promo_repo.head() == won
    assert promo_repo.overlay("qr-generator", "staging").read_bytes() == text


def test_a_held_lock_makes_the_other_promotion_wait_then_refuse(promo_repo: PromoRepo) -> None:
    build_and_pin(promo_repo, "1.5.0")
    head = promo_repo.head()
    text = promo_repo.overlay("qr-generator", "staging").read_bytes()

    with promotion_lock(Git(promo_repo.root).git_dir):
        result = promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes")

    assert result.code == 2
    assert "another promotion holds" in result.err and "nothing was written" in result.err
    assert promo_repo.head() == head
    assert promo_repo.overlay("qr-generator", "staging").read_bytes() == text


def test_two_processes_racing(promo_repo: PromoRepo) -> None:
    build_and_pin(promo_repo, "1.5.0")
    before = promo_repo.commits()
    env = os.environ | {"GITOPS_LOCK_TIMEOUT": "60"}
    argv = [
        sys.executable,
        "-m",
        "gitops_tools.promote",
        "promote",
        "qr-generator",
        "--to",
        "staging",
        "--yes",
        "--repo",
        str(promo_repo.root),
    ]
    procs = [
        subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]

    winners = [r for r in results if r[0] == 0 and "Committed" in r[1]]
    losers = [r for r in results if r not in winners]
    assert len(winners) == 1, results
    ((code, out, err),) = losers
    # the loser either saw the file change under it, or started after and found nothing to do
    assert (code == 2 and "changed while this promotion was running" in err) or (
        code == 0 and "Nothing to do" in out
    ), (code, out, err)
    assert promo_repo.commits() == before + 1
    assert git(promo_repo.root, "status", "--porcelain").strip() == ""
