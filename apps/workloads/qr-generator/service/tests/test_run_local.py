"""scripts/run_local.py (`make qr-local`): moto + API + frontend on 127.0.0.1:$PORT."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import free_port

pytestmark = pytest.mark.integration
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "run_local.py"


def test_serves_page_and_api_until_interrupted() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT)],
        env={**os.environ, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base_url}/health", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()[0]
                time.sleep(0.1)
        page = httpx.get(f"{base_url}/")
        script = httpx.get(f"{base_url}/app.js")
        answer = httpx.post(f"{base_url}/api/qr", json={"data": "https://example.com"}).json()
        image = httpx.get(answer["url"])
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert page.status_code == 200
    assert '<form id="qr-form"' in page.text
    assert 'fetch("/api/qr"' in script.text
    assert image.content.startswith(b"\x89PNG")
    assert answer["url"].startswith("http://127.0.0.1:")  # S3 is the local moto server
    assert f"QR service on http://127.0.0.1:{port}/" in output
    assert process.returncode == 0
    assert "Traceback" not in output
