"""Every refusal of `gitops promote` happens before any write: the overlay, the git history
and the target registry stay as they were, and the message says what to do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .apps import build, build_and_pin, pin, registry_url
from .conftest import PromoRepo, Registries, git, make_repo
from .fake_registry import fake_registry
from .oci import digest_of, tag_digest


@pytest.fixture
def snapshot(promo_repo: PromoRepo):  # type: ignore[no-untyped-def]
    """A function that asserts nothing changed in the repository since it was first called."""
    state: dict[str, object] = {}

    def check() -> None:
        now = {
            "head": promo_repo.head(),
            "status": git(promo_repo.root, "status", "--porcelain"),
            "overlays": {
                env: promo_repo.overlay("qr-generator", env).read_bytes()
                for env in ("dev", "staging", "prod")
            },
        }
        if not state:
            state.update(now)
        assert now == state
        leftovers = list(promo_repo.root.rglob(".*.tmp"))
        assert leftovers == []

    return check


def test_first_environment_is_not_promoted_into(promo_repo: PromoRepo) -> None:
    result = promo_repo.run("promote", "qr-generator", "--to", "dev", "--yes")
    assert result.code == 2
    assert "dev is the first environment of the promotion order (dev -> staging -> prod)" in (
        result.err
    )
    assert "gitops image set qr-generator --env dev" in result.err


def test_skipping_an_environment_is_refused(promo_repo: PromoRepo, snapshot) -> None:  # type: ignore[no-untyped-def]
    build_and_pin(promo_repo, "1.5.0")
    snapshot()

    result = promo_repo.run("promote", "qr-generator", "--from", "dev", "--to", "prod", "--yes")

    assert result.code == 2
    assert "promoting qr-generator from dev to prod skips staging; refused" in result.err
    assert "Hint: promote to staging first (`gitops promote qr-generator --to staging`)" in (
        result.err
    )
    snapshot()


def test_skipping_with_a_reason_is_recorded(promo_repo: PromoRepo) -> None:
    build_and_pin(promo_repo, "1.5.0")

    no_reason = promo_repo.run(
        "promote", "qr-generator", "--from", "dev", "--to", "prod", "--allow-skip", "--yes"
    )
    result = promo_repo.run(
        "promote",
        "qr-generator",
        "--from",
        "dev",
        "--to",
        "prod",
        "--allow-skip",
        "--reason",
        "CVE-2025-0001 hotfix",
        "--yes",
    )

    assert no_reason.code == 2 and "--allow-skip needs --reason" in no_reason.err
    assert result.code == 0, result.err
    message = git(promo_repo.root, "log", "-1", "--format=%B")
    assert message.splitlines()[0].endswith("(from dev, skipping staging)")
    assert "Promoted-From: dev\nPromoted-To: prod\n" in message
    assert "Reason: CVE-2025-0001 hotfix" in message


def test_a_digest_the_source_does_not_run_is_refused(promo_repo: PromoRepo, snapshot) -> None:  # type: ignore[no-untyped-def]
    build_and_pin(promo_repo, "1.5.0")
    other = build(promo_repo, "dev", "backend", "1.5.1")
    snapshot()

    result = promo_repo.run(
        "promote",
        "qr-generator",
        "--to",
        "staging",
        "--image",
        "qr-backend",
        "--digest",
        other.digest,
        "--yes",
    )

    assert result.code == 2
    assert "is not what apps/workloads/qr-generator/overlays/dev/kustomization.yaml runs" in (
        result.err
    )
    snapshot()


def test_target_tag_with_another_digest_is_refused(promo_repo: PromoRepo, snapshot) -> None:  # type: ignore[no-untyped-def]
    pinned = build_and_pin(promo_repo, "1.5.0")
    squatter = build(promo_repo, "staging", "backend", "1.5.0")
    snapshot()

    result = promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes")

    assert result.code == 2
    assert (
        f"{promo_repo.staging}/qr-generator/backend:1.5.0 already exists with digest "
        f"{squatter.digest[:19]}, not {pinned['qr-backend'].digest[:19]}; refused"
    ) in result.err
    url, space = registry_url(promo_repo.staging)
    assert tag_digest(url, f"{space}/qr-generator/backend", "1.5.0") == squatter.digest
    assert tag_digest(url, f"{space}/qr-generator/frontend", "1.5.0") is None
    snapshot()


def test_source_digest_missing_from_its_registry(promo_repo: PromoRepo, snapshot) -> None:  # type: ignore[no-untyped-def]
    build_and_pin(promo_repo, "1.5.0")
    ghost = digest_of(b"never pushed")
    pinned = pin(promo_repo, "qr-backend", "1.5.1", ghost, "--no-verify")
    assert pinned.code == 0, pinned.err
    snapshot()

    result = promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes")

    assert result.code == 2
    assert f"qr-backend {ghost[:19]} is not in {promo_repo.dev}/qr-generator/backend" in result.err
    assert "Hint: the overlay pins a digest its registry does not have" in result.err
    snapshot()


def test_image_set_verifies_the_digest(promo_repo: PromoRepo, snapshot) -> None:  # type: ignore[no-untyped-def]
    snapshot()
    result = pin(promo_repo, "qr-backend", "9.9.9", digest_of(b"nothing"))
    assert result.code == 2
    assert "is not in" in result.err
    snapshot()


def test_image_set_later_environment_needs_allow_skip(promo_repo: PromoRepo) -> None:
    result = promo_repo.run(
        "image",
        "set",
        "qr-generator",
        "--env",
        "prod",
        "--image",
        "qr-backend",
        "--tag",
        "1.0.0",
        "--digest",
        digest_of(b"x"),
    )
    assert result.code == 2
    assert "prod receives images by promotion from staging" in result.err


def test_soak_time_is_enforced(
    promo_repo: PromoRepo,
    snapshot,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    promo_repo.set_soak("prod", 24)
    build_and_pin(promo_repo, "1.5.0")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "@" + str(_now() - 2 * 3600) + " +0000")
    assert promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes").code == 0
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    snapshot()

    result = promo_repo.run("promote", "qr-generator", "--to", "prod", "--yes")

    assert result.code == 2
    assert re.search(
        r"has run in staging for 2\.0h of 24h only \(soakHours in "
        r"clusters/prod/cluster.yaml\); refused",
        result.err,
    ), result.err
    assert "Hint: promote after " in result.err
    snapshot()


def test_soak_time_counts_from_when_the_digest_arrived(
    promo_repo: PromoRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    promo_repo.set_soak("prod", 24)
    build_and_pin(promo_repo, "1.5.0")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "@" + str(_now() - 30 * 3600) + " +0000")
    assert promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes").code == 0
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    # a later, unrelated change of the staging overlay does not restart the clock
    overlay = promo_repo.overlay("qr-generator", "staging")
    overlay.write_text(overlay.read_text() + "# touched\n")
    git(promo_repo.root, "commit", "-qam", "Comment")

    result = promo_repo.run("promote", "qr-generator", "--to", "prod", "--yes")

    assert result.code == 0, result.err
    assert re.search(r"ok  soak: qr-backend has run in staging for 30\.\dh of 24h", result.out)


def test_platform_digest_is_refused_unless_asked(promo_repo: PromoRepo, snapshot) -> None:  # type: ignore[no-untyped-def]
    pinned = build_and_pin(promo_repo, "1.5.0")
    amd64 = pinned["qr-backend"].children[0]
    not_asked = pin(promo_repo, "qr-backend", "1.5.0", amd64)
    assert not_asked.code == 2 and "--platform-digest" in not_asked.err
    pinned_platform = pin(promo_repo, "qr-backend", "1.5.0", amd64, "--platform-digest")
    assert pinned_platform.code == 0, pinned_platform.err
    snapshot()

    refused = promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes")

    assert refused.code == 2
    assert (
        f"qr-backend {amd64[:19]} is the linux/amd64 image of the multi-arch index "
        f"{pinned['qr-backend'].digest[:19]}"
    ) in refused.err
    assert f"pin the index digest {pinned['qr-backend'].digest} instead" in refused.err
    snapshot()
    asked = promo_repo.run(
        "promote", "qr-generator", "--to", "staging", "--platform-digest", "--yes"
    )
    assert asked.code == 0, asked.err
    assert f"digest: {amd64}" in promo_repo.overlay("qr-generator", "staging").read_text()


def test_denied_digest_is_refused(promo_repo: PromoRepo, snapshot) -> None:  # type: ignore[no-untyped-def]
    pinned = build_and_pin(promo_repo, "1.5.0")
    denylist = promo_repo.root / "policies" / "promotion-denylist.yaml"
    child = pinned["qr-backend"].children[1]
    denylist.write_text(f"denied:\n  - digest: {child}\n    reason: CVE-2025-0001 in libfoo\n")
    git(promo_repo.root, "add", "-A")
    git(promo_repo.root, "commit", "-qm", "Deny")
    snapshot()

    result = promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes")

    assert result.code == 2
    assert f"qr-backend {child[:19]} is on the promotion deny-list" in result.err
    assert "CVE-2025-0001 in libfoo" in result.err
    snapshot()


def test_target_overlay_failing_check_is_refused(promo_repo: PromoRepo, snapshot) -> None:  # type: ignore[no-untyped-def]
    build_and_pin(promo_repo, "1.5.0")
    overlay = promo_repo.overlay("qr-generator", "staging")
    wrong = overlay.read_text().replace(
        f"{promo_repo.staging}/qr-generator/backend", f"{promo_repo.dev}/qr-generator/backend"
    )
    overlay.write_text(wrong)
    git(promo_repo.root, "commit", "-qam", "Staging pulls from the dev registry")
    snapshot()

    result = promo_repo.run(
        "promote", "qr-generator", "--to", "staging", "--image", "qr-backend", "--yes"
    )

    assert result.code == 2, result.err
    assert (
        "apps/workloads/qr-generator/overlays/staging/kustomization.yaml would fail `gitops "
        "check` for staging after the edit; nothing was written"
    ) in result.err
    assert "GO301" in result.err
    snapshot()


def test_uncommitted_target_overlay_is_refused(promo_repo: PromoRepo) -> None:
    build_and_pin(promo_repo, "1.5.0")
    overlay = promo_repo.overlay("qr-generator", "staging")
    overlay.write_text(overlay.read_text() + "# local edit\n")

    result = promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes")

    assert result.code == 2
    assert "kustomization.yaml has uncommitted changes" in result.err
    assert overlay.read_text().endswith("# local edit\n")


@pytest.mark.parametrize("mode", ["500", "sleep"])
def test_registry_failing_or_hanging_changes_nothing(
    tmp_path: Path, registries: Registries, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    monkeypatch.setenv("GITOPS_REGISTRY_TIMEOUT", "0.5")
    with fake_registry(mode) as broken:
        repo = make_repo(
            tmp_path / "repo",
            dev=f"{broken.host}/t",
            staging=f"{registries.b.host}/broken",
            prod=f"{registries.b.host}/broken/prod",
        )
        for image in ("qr-backend", "qr-frontend"):
            pinned = pin(repo, image, "1.5.0", digest_of(image.encode()), "--no-verify")
            assert pinned.code == 0, pinned.err
        head = repo.head()
        text = repo.overlay("qr-generator", "staging").read_bytes()

        result = repo.run("promote", "qr-generator", "--to", "staging", "--yes")

    assert result.code == 2
    assert "Traceback" not in result.err
    if mode == "500":
        assert f"gitops: error: {broken.host}: reading {broken.host}/t/qr-generator/backend@" in (
            result.err
        )
        assert "failed: HTTP 500 Internal Server Error: UNKNOWN disk on fire" in result.err
    else:
        assert f"gitops: error: {broken.host}: no answer within 0.5s to GET" in result.err
    assert "nothing was changed" in result.err
    assert repo.head() == head
    assert repo.overlay("qr-generator", "staging").read_bytes() == text


def _now() -> int:
    import time

    return int(time.time())


def test_without_yes_and_no_terminal_nothing_happens(promo_repo: PromoRepo, snapshot) -> None:  # type: ignore[no-untyped-def]
    build_and_pin(promo_repo, "1.5.0")
    snapshot()
    result = promo_repo.run("promote", "qr-generator", "--to", "staging")
    assert result.code == 2
    assert "not confirmed: standard input is not a terminal\nHint: pass --yes" in result.err
    snapshot()


def test_a_tag_that_moved_is_reported(promo_repo: PromoRepo) -> None:
    build_and_pin(promo_repo, "1.5.0")
    moved = build(promo_repo, "dev", "backend", "1.5.0")  # someone pushed 1.5.0 again

    result = promo_repo.run("promote", "qr-generator", "--to", "staging", "--dry-run")

    assert result.code == 0, result.err
    assert f"qr-generator/backend:1.5.0 now points at {moved.digest[:19]}; the pinned" in (
        result.out
    )


def test_history_of_an_app_never_promoted(promo_repo: PromoRepo) -> None:
    result = promo_repo.run("history", "movie-catalog")
    assert result.code == 0
    assert result.out == (
        "no promotion of movie-catalog is recorded (commits with the trailer "
        "`App: movie-catalog`)\n"
    )
