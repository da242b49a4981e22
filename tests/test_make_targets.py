"""Make targets that run until interrupted, started as a user would and stopped again."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import REPO_ROOT

pytestmark = pytest.mark.integration
NGINX_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_make_qr_local_serves_the_api_and_page() -> None:
    port = free_port()
    env = dict(os.environ, PORT=str(port), VENV=str(Path(sys.executable).parent.parent))
    proc = subprocess.Popen(
        ["make", "-s", "qr-local"],
        cwd=REPO_ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):  # bounded: the server starts in a few seconds
            try:
                with urllib.request.urlopen(f"{base}/", timeout=1) as response:
                    if response.status == 200:
                        page, server = response.read(), response.headers["Server"]
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("make qr-local did not serve the page")
        assert b"<form" in page
        # the page comes through the frontend image's nginx config where nginx is installed
        # (`make test` installs it), else from the API itself
        assert server == ("nginx" if shutil.which("nginx", path=NGINX_PATH) else "uvicorn")
        request = urllib.request.Request(
            f"{base}/api/qr",
            data=json.dumps({"data": "https://example.com"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.loads(response.read())
        assert set(body) >= {"url", "key", "cached", "expires_in"}
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _planned_setup(target: str) -> str:
    """The set-up commands `make TARGET` would run on a fresh machine (`-n -B`: none run)."""
    return subprocess.run(
        ["make", "-n", "-B", target], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_make_check_sets_up_only_what_checking_needs() -> None:
    planned = _planned_setup("check")
    assert "ensure-kubectl.sh" in planned and "ensure-checkov.sh" in planned
    assert "ensure-registry.sh" not in planned  # root and apt only for the promotion tests


def test_make_test_also_sets_up_the_test_servers() -> None:
    assert "ensure-registry.sh" in _planned_setup("test")
