"""Promotion under hostile conditions: killed mid-commit, a registry that trickles, bad
references on the command line. Each ends in one clear message, nothing half-done left."""

from __future__ import annotations

import http.server
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gitops_tools.errors import FatalError
from gitops_tools.promote.journal import JOURNAL_NAME
from gitops_tools.promote.oci_client import OciRegistry

from .apps import build_and_pin
from .conftest import PromoRepo, git

KILLING_HOOK = """#!/bin/bash
# stands for a crash while git's hooks run: SIGKILL to the whole process group
kill -9 -- -$(ps -o pgid= $$ | tr -d ' ')
"""


def _promote_in_own_group(repo: PromoRepo) -> int:
    argv = [sys.executable, "-m", "gitops_tools.promote", "promote", "qr-generator"]
    argv += ["--to", "staging", "--yes", "--repo", str(repo.root)]
    done = subprocess.run(argv, start_new_session=True, capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    return done.returncode


def test_a_promotion_killed_while_git_commits_is_recovered_by_the_next_run(
    promo_repo: PromoRepo,
) -> None:
    build_and_pin(promo_repo, "1.5.0")
    head = promo_repo.head()
    overlay = promo_repo.overlay("qr-generator", "staging")
    original = overlay.read_bytes()
    hook = promo_repo.root / ".git" / "hooks" / "pre-commit"
    hook.write_text(KILLING_HOOK)
    hook.chmod(0o755)

    assert _promote_in_own_group(promo_repo) == -signal.SIGKILL
    assert overlay.read_bytes() != original  # written, never committed: the crash to recover
    assert promo_repo.head() == head
    assert (promo_repo.root / ".git" / JOURNAL_NAME).exists()

    hook.unlink()
    again = promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes")

    assert again.code == 0, again.err
    assert "Recovered an interrupted promotion" in again.out
    assert "was written but never committed; it was put back" in again.out
    assert "Committed" in again.out
    assert promo_repo.head() != head
    assert not (promo_repo.root / ".git" / JOURNAL_NAME).exists()
    assert not (promo_repo.root / ".git" / "index.lock").exists()
    assert git(promo_repo.root, "status", "--porcelain") == ""


def test_a_journal_whose_file_changed_since_is_refused_not_guessed(promo_repo: PromoRepo) -> None:
    build_and_pin(promo_repo, "1.5.0")
    overlay = promo_repo.overlay("qr-generator", "staging")
    hook = promo_repo.root / ".git" / "hooks" / "pre-commit"
    hook.write_text(KILLING_HOOK)
    hook.chmod(0o755)
    assert _promote_in_own_group(promo_repo) == -signal.SIGKILL
    hook.unlink()
    (promo_repo.root / ".git" / "index.lock").unlink(missing_ok=True)
    overlay.write_text(overlay.read_text() + "# someone edited it by hand\n")
    edited = overlay.read_bytes()

    again = promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes")

    assert again.code == 2
    assert "an interrupted promotion" in again.err and "has changed since" in again.err
    assert JOURNAL_NAME in again.err
    assert "Traceback" not in again.err
    assert overlay.read_bytes() == edited


def test_image_set_refuses_a_source_commit_the_clone_does_not_have(
    promo_repo: PromoRepo,
) -> None:
    before = promo_repo.head()
    result = promo_repo.run(
        "image", "set", "qr-generator", "--env", "dev", "--image", "qr-backend",
        "--tag", "9.9.9", "--digest", "sha256:" + "a" * 64,
        "--source-commit", "deadbeef", "--no-verify",
    )  # fmt: skip

    assert result.code == 2
    assert "no commit 'deadbeef'" in result.err
    assert promo_repo.head() == before


def test_history_of_an_unknown_environment_says_so(promo_repo: PromoRepo) -> None:
    result = promo_repo.run("history", "qr-generator", "--env", "qa")

    assert result.code == 2
    assert "no environment 'qa'" in result.err
    assert "known environments: dev, staging, prod" in result.err


class _Trickle(http.server.BaseHTTPRequestHandler):
    """Answers every request with headers, then one body byte every 0.2 s, for a minute."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.oci.image.index.v1+json")
        self.send_header("Content-Length", "300")
        self.end_headers()
        with_deadline = time.monotonic() + 60
        while time.monotonic() < with_deadline:
            try:
                self.wfile.write(b" ")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.2)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def trickling_registry() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_registry_trickling_bytes_is_given_up_on_at_the_timeout(
    trickling_registry: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITOPS_REGISTRY_TIMEOUT", "1")  # each byte arrives well within it
    registry = OciRegistry(trickling_registry)
    failure: list[BaseException] = []

    def read() -> None:
        try:
            registry.manifest("app", "1.0.0")
        except BaseException as exc:
            failure.append(exc)

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(30)  # a guard against hanging the suite, far above the 1 s limit under test

    assert not worker.is_alive(), "the request outlived its total deadline"
    assert isinstance(failure[0], FatalError)
    assert "no answer within 1s" in failure[0].message
    registry.close()


def test_journal_left_by_nothing_is_not_created_on_success(promo_repo: PromoRepo) -> None:
    build_and_pin(promo_repo, "1.5.0")
    result = promo_repo.run("promote", "qr-generator", "--to", "staging", "--yes")

    assert result.code == 0, result.err
    assert not (promo_repo.root / ".git" / JOURNAL_NAME).exists()
    assert not any(Path(promo_repo.root / ".git").glob(f".{JOURNAL_NAME}.*.tmp"))
