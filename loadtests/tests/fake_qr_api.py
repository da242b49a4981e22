"""A stand-in for the QR API (same routes and answers, no QR drawing, no S3), so the run_local
tests do not depend on the service's own environment. Run: python fake_qr_api.py --port P."""

from __future__ import annotations

import argparse
import hashlib
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KNOWN: set[str] = set()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path != "/api/qr":
            return self.reply(404, {"error": "not found"})
        try:
            request = json.loads(body)
            key = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()
            key += "." + request["format"]
        except (ValueError, KeyError, TypeError):
            return self.reply(422, {"error": "invalid request"})
        cached = key in KNOWN
        KNOWN.add(key)
        self.reply(
            200,
            {
                "url": f"http://127.0.0.1:1/bucket/{key}",
                "key": key,
                "cached": cached,
                "expires_in": 900,
            },
        )

    def do_GET(self) -> None:
        if self.path in ("/health", "/ready"):
            return self.reply(200, {"status": "ok"})
        if self.path.startswith("/api/qr/") and self.path[8:] in KNOWN:
            return self.reply(307, {}, {"Location": f"http://127.0.0.1:1/bucket/{self.path[8:]}"})
        self.reply(404, {"error": "not found"})

    def reply(self, code: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    ThreadingHTTPServer((args.host, args.port), Handler).serve_forever()
