"""The whole path on real registries: a build pinned in dev, promoted to staging (copied
between registries) and to prod (mounted within one registry), with provenance and history."""

from __future__ import annotations

import difflib

from .apps import build_and_pin, registry_url
from .conftest import PromoRepo, git
from .oci import has_blob, tag_digest


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_dev_to_staging_copies_between_registries(promo_repo: PromoRepo) -> None:
    pushed = build_and_pin(promo_repo, "1.5.0")
    before = promo_repo.overlay("qr-generator", "staging").read_text()

    result = promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes")

    assert result.code == 0, result.err
    backend = pushed["qr-backend"]
    url, space = registry_url(promo_repo.staging)
    assert tag_digest(url, f"{space}/qr-generator/backend", "1.5.0") == backend.digest
    assert all(has_blob(url, f"{space}/qr-generator/backend", b) for b in backend.blobs)
    assert "3 manifest(s), 6 blob(s) copied" in result.out
    assert "digest verified" in result.out
    after = promo_repo.overlay("qr-generator", "staging").read_text()
    assert changed_lines(before, after) == [
        "-    newTag: 1.4.2",
        "-    digest: sha256:48352e921edf8ed8688d7279b8579e73ef514c2a5699fb85acb303289cf192f7",
        "+    newTag: 1.5.0",
        f"+    digest: {backend.digest}",
        "-    newTag: 1.4.2",
        "-    digest: sha256:4cb25943ffe53d7dbedf62180d622ae3974b3332ce42bd1b63ca825d616cc93f",
        "+    newTag: 1.5.0",
        f"+    digest: {pushed['qr-frontend'].digest}",
    ]
    assert git(promo_repo.root, "status", "--porcelain").strip() == ""


def test_staging_to_prod_mounts_within_the_registry(promo_repo: PromoRepo) -> None:
    pushed = build_and_pin(promo_repo, "1.5.0")
    assert promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes").code == 0
    staging_commit = promo_repo.head()

    result = promo_repo.run("promote", "qr-generator", "--to", "prod", "--yes")

    assert result.code == 0, result.err
    assert "0 blob(s) copied (0.0 MiB), 6 mounted" in result.out
    url, space = registry_url(promo_repo.prod)
    assert tag_digest(url, f"{space}/qr-generator/backend", "1.5.0") == pushed["qr-backend"].digest
    message = git(promo_repo.root, "log", "-1", "--format=%B")
    backend, frontend = pushed["qr-backend"].digest, pushed["qr-frontend"].digest
    assert message.splitlines()[0] == (
        "Promote qr-generator to prod: qr-backend 1.5.0, qr-frontend 1.5.0 (from staging)"
    )
    trailers = git(promo_repo.root, "log", "-1", "--format=%(trailers:only,unfold)").splitlines()
    assert trailers[:5] == [
        "App: qr-generator",
        "Promoted-From: staging",
        "Promoted-To: prod",
        f"Image: {promo_repo.prod}/qr-generator/backend:1.5.0",
        f"Image-Digest: {backend}",
    ]
    assert trailers[5].startswith(
        f"Registry-Copy: {promo_repo.staging}/qr-generator/backend -> "
        f"{promo_repo.prod}/qr-generator/backend; 3 manifest(s)"
    )
    assert trailers[7] == f"Image-Digest: {frontend}"
    assert [t for t in trailers if t][-1] == f"Source-Commit: {staging_commit}"


def test_second_identical_run_changes_nothing_and_says_so(promo_repo: PromoRepo) -> None:
    build_and_pin(promo_repo, "1.5.0")
    assert promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes").code == 0
    head, text = promo_repo.head(), promo_repo.overlay("qr-generator", "staging").read_bytes()

    again = promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes")

    assert again.code == 0, again.err
    assert "Nothing to do: staging already runs qr-backend 1.5.0@sha256:" in again.out
    assert "already holds" in again.out
    assert promo_repo.head() == head
    assert promo_repo.overlay("qr-generator", "staging").read_bytes() == text


def test_dry_run_changes_nothing(promo_repo: PromoRepo) -> None:
    build_and_pin(promo_repo, "1.5.0")
    head, text = promo_repo.head(), promo_repo.overlay("qr-generator", "staging").read_bytes()

    result = promo_repo.run("promote", "qr-generator", "--to", "staging", "--dry-run")

    assert result.code == 0, result.err
    assert "Promote qr-generator: dev -> staging" in result.out
    assert "ok  check:" in result.out
    assert result.out.rstrip().endswith("Dry run: nothing was copied, written or committed.")
    assert promo_repo.head() == head
    assert promo_repo.overlay("qr-generator", "staging").read_bytes() == text
    url, space = registry_url(promo_repo.staging)
    assert tag_digest(url, f"{space}/qr-generator/backend", "1.5.0") is None


def test_history_shows_what_ran_where(promo_repo: PromoRepo) -> None:
    first = build_and_pin(promo_repo, "1.5.0")
    assert promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes").code == 0
    build_and_pin(promo_repo, "1.6.0")
    assert promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes").code == 0

    result = promo_repo.run("history", "qr-generator", "--env", "staging")

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "staging"
    assert lines[1].startswith("  * ") and "backend:1.6.0@" in lines[1] and "from dev" in lines[1]
    old = [line for line in lines if f"backend:1.5.0@{first['qr-backend'].digest[:19]}" in line]
    assert len(old) == 1 and old[0].startswith("    ")
    assert "dev" not in [line.strip() for line in lines]


def test_rollback_needs_a_reason_and_records_it(promo_repo: PromoRepo) -> None:
    first = build_and_pin(promo_repo, "1.5.0")
    assert promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes").code == 0
    build_and_pin(promo_repo, "1.6.0")
    assert promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes").code == 0
    old = first["qr-backend"].digest
    args = ("promote", "qr-generator", "--to", "staging", "--image", "qr-backend", "--digest", old)

    refused = promo_repo.run(*args, "--yes")
    done = promo_repo.run(*args, "--reason", "1.6.0 leaks memory", "--yes")

    assert refused.code == 2
    assert "needs --reason" in refused.err
    assert done.code == 0, done.err
    message = git(promo_repo.root, "log", "-1", "--format=%B")
    assert message.startswith("Roll back qr-generator in staging: qr-backend 1.5.0\n")
    assert "Reason: 1.6.0 leaks memory" in message
    assert f"digest: {old}" in promo_repo.overlay("qr-generator", "staging").read_text()
