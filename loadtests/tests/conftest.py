"""Fixtures of the load-test tests: the modules of loadtests/ on sys.path, a fake Kubernetes
API on 127.0.0.1 (one per session) and a kubeconfig pointing at it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The modules under test import locust (shapes, locust_session); its gevent monkey-patching
# would reach every other test in this process. Locust itself runs in subprocesses here.
os.environ.setdefault("LOCUST_SKIP_MONKEY_PATCH", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
LOADTESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(LOADTESTS))

from fake_kube import FakeKube, kubeconfig, serve  # noqa: E402


@pytest.fixture(scope="session")
def fake_kube() -> Iterator[FakeKube]:
    fake = FakeKube(url="")
    server = serve(fake)
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def kubeconfig_file(fake_kube: FakeKube, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kube") / "config"
    path.write_text(kubeconfig(fake_kube.url))
    return path
