"""A tiny local HTTP server standing in for a misbehaving or token-protected registry."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "let-me-in"


class FakeRegistry(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, mode: str, manifests: dict[str, tuple[bytes, str]] | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode  # "500", "sleep" or "token"
        self.manifests = manifests or {}  # path -> (body, media type)
        self.seen: list[tuple[str, str, str]] = []  # (method, path, Authorization)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeRegistry

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_PUT(self) -> None:
        self._answer()

    def _answer(self) -> None:
        auth = self.headers.get("Authorization", "")
        self.server.seen.append((self.command, self.path, auth))
        if self.server.mode == "sleep":
            time.sleep(3)
            self._send(200, b"{}", "application/json")
        elif self.server.mode == "500":
            body = json.dumps({"errors": [{"code": "UNKNOWN", "message": "disk on fire"}]})
            self._send(500, body.encode(), "application/json")
        elif self.path.startswith("/token"):
            self._send(200, json.dumps({"token": TOKEN}).encode(), "application/json")
        elif auth != f"Bearer {TOKEN}":
            realm = f'Bearer realm="http://{self.server.host}/token",service="fake"'
            self._send(401, b"{}", "application/json", {"WWW-Authenticate": realm})
        elif self.path.split("?")[0] in self.server.manifests:
            body, media_type = self.server.manifests[self.path.split("?")[0]]
            self._send(200, body, media_type)
        else:
            self._send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN"}]}', "application/json")

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def fake_registry(
    mode: str, manifests: dict[str, tuple[bytes, str]] | None = None
) -> Iterator[FakeRegistry]:
    server = FakeRegistry(mode, manifests)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
