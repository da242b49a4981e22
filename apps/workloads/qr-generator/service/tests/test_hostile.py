"""Hostile input against the real server (`python -m qr_service`: uvicorn, moto S3), on raw
sockets: every case is answered with JSON naming what to change, and no case holds the
connection. Time is bounded by socket timeouts, not measured: the server's deadline is
REQUEST_TIMEOUT_SECONDS, and a case the server has not answered (or closed) within BOUND
seconds fails with a socket timeout.
"""

from __future__ import annotations

import http.client
import json
import select
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from conftest import serving_new_bucket

pytestmark = pytest.mark.integration
TIMEOUT = 1.0  # the server's REQUEST_TIMEOUT_SECONDS
CACHE_TTL = 1.0  # the server's QR_CACHE_TTL_SECONDS
# Socket timeout of every read: well past TIMEOUT, and below uvicorn's own 5 s keep-alive
# timeout, so only the limits under test can end a case in time.
BOUND = 4.0
JSON_HEAD = b"Content-Type: application/json\r\n"
BODY = b'{"data": "https://example.com/hostile"}'


@dataclass(frozen=True)
class Case:
    name: str
    # What the client sends: bytes, or a pause in seconds (cut short once the server answers).
    steps: tuple[bytes | float, ...]
    status: int | None  # None: the server closes without answering (no request was begun)
    error: str | None = None  # the JSON "error" code; None for a success answer
    mentions: str = ""  # words the JSON "message" must contain
    closes: bool = True  # the server ends the connection after answering


def post(headers: bytes, body: bytes = b"", path: bytes = b"/api/qr") -> bytes:
    return b"POST " + path + b" HTTP/1.1\r\nHost: qr\r\n" + headers + b"\r\n" + body


CASES = (
    Case(
        "half-sent body",
        (post(JSON_HEAD + b"Content-Length: 100\r\n", BODY[:10]), 3 * TIMEOUT),
        408,
        "request_timeout",
        "request body did not arrive within 1 s",
    ),
    Case(
        "body trickled a byte at a time",
        (post(JSON_HEAD + b"Content-Length: 100\r\n"), *(b"x", TIMEOUT / 4) * 12),
        408,
        "request_timeout",
        "request body did not arrive",
    ),
    Case(
        "half-sent chunked body",
        (post(JSON_HEAD + b"Transfer-Encoding: chunked\r\n", b'5\r\n{"da'), 3 * TIMEOUT),
        408,
        "request_timeout",
        "request body did not arrive",
    ),
    Case(
        "half-sent headers",
        (b"POST /api/qr HTTP/1.1\r\nHost: qr\r\nContent-Ty", 3 * TIMEOUT),
        408,
        "request_timeout",
        "request headers did not arrive within 1 s",
    ),
    Case(
        "headers trickled a byte at a time",
        (b"G", TIMEOUT / 4, b"ET /health HTTP/1.1\r\nX: ", *(b"y", TIMEOUT / 4) * 12),
        408,
        "request_timeout",
        "request headers did not arrive",
    ),
    Case("connection that sends nothing", (3 * TIMEOUT,), None),
    Case("blank lines only", (*(b"\r\n", TIMEOUT / 4) * 12,), None),
    Case(
        "200 KB header",
        (post(b"X-Big: " + b"a" * 200_000 + b"\r\n"),),
        431,
        "headers_too_large",
        "over 16384 bytes",
    ),
    Case(
        "200 KB header, never finished",
        (b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 200_000, 3 * TIMEOUT),
        431,
        "headers_too_large",
        "fewer or shorter headers",
    ),
    Case(
        "2,000 small headers",
        (post(b"".join(b"X-H%d: v\r\n" % i for i in range(2000))),),
        431,
        "headers_too_large",
        "over 16384 bytes",
    ),
    Case(
        "20 KB URL",
        (b"GET /api/qr/" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: qr\r\n\r\n",),
        414,
        "uri_too_long",
        "POST /api/qr JSON body",
    ),
    Case(
        "not HTTP", (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",), 400, "bad_request"
    ),
    Case("garbage request line", (b"HELLO\r\n\r\n",), 400, "bad_request", "request line"),
    Case(
        "Content-Length not a number",
        (post(JSON_HEAD + b"Content-Length: abc\r\n", BODY),),
        400,
        "bad_request",
        "Content-Length",
    ),
    Case(
        "Content-Length and chunked (smuggling)",
        (post(b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n"),),
        400,
        "bad_request",
        "Transfer-Encoding",
    ),
    Case(
        "bad chunk size",
        (post(JSON_HEAD + b"Transfer-Encoding: chunked\r\n", b"zz\r\n{}\r\n0\r\n\r\n"),),
        400,
        "bad_request",
        "not valid HTTP/1.1",
    ),
    Case(
        "control character in a header",
        (post(b"X-Evil: a\x01b\r\n"),),
        400,
        "bad_request",
        "header syntax",
    ),
    Case(
        "raw non-ASCII path", (b"GET /\xc3\xa9 HTTP/1.1\r\nHost: qr\r\n\r\n",), 400, "bad_request"
    ),
    Case(
        "CONNECT to a host",
        (b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n",),
        400,
        "bad_request",
        "not a path such as /api/qr",
    ),
    Case(
        "HTTP/2 preface on the HTTP/1.1 port",
        (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",),
        400,
        "bad_request",
        "not valid HTTP/1.1",
    ),
    Case(
        "body over the cap",
        (post(JSON_HEAD + b"Content-Length: 9000\r\n", b"x" * 9000),),
        413,
        "body_too_large",
        "over 8192 bytes",
        closes=False,
    ),
    Case(
        "declared 1 GB body, then silence",
        (post(JSON_HEAD + b"Content-Length: 1000000000\r\n", b"x" * 100), 3 * TIMEOUT),
        413,
        "body_too_large",
        "over 8192 bytes",
    ),
    Case(
        "body the route ignores, half-sent",
        (b"GET /health HTTP/1.1\r\nHost: qr\r\nContent-Length: 100\r\n\r\nabc", 3 * TIMEOUT),
        200,
    ),
    Case(
        "invalid JSON",
        (post(JSON_HEAD + b"Content-Length: 9\r\n", b'{"data": '),),
        400,
        "invalid_json",
        "not valid JSON",
        closes=False,
    ),
    Case(
        "not JSON",
        (post(b"Content-Type: text/plain\r\nContent-Length: 5\r\n", b"hello"),),
        415,
        "unsupported_media_type",
        "Content-Type: application/json",
        closes=False,
    ),
    Case(
        "unknown path",
        (b"GET /etc/passwd HTTP/1.1\r\nHost: qr\r\n\r\n",),
        404,
        "not_found",
        "POST /api/qr",
        closes=False,
    ),
    Case(
        "wrong method",
        (b"DELETE /api/qr HTTP/1.1\r\nHost: qr\r\n\r\n",),
        405,
        "http_error",
        "method not allowed",
        closes=False,
    ),
)


@pytest.fixture(scope="module")
def server(s3: Any, s3_endpoint: str) -> Iterator[str]:
    with serving_new_bucket(
        s3,
        s3_endpoint,
        REQUEST_TIMEOUT_SECONDS=str(TIMEOUT),
        QR_CACHE_TTL_SECONDS=str(CACHE_TTL),
    ) as base_url:
        yield base_url


def answered(sock: socket.socket, seconds: float) -> bool:
    """True once the server has sent something (or closed), waiting at most `seconds`."""
    return bool(select.select([sock], [], [], seconds)[0])


def play(sock: socket.socket, steps: tuple[bytes | float, ...]) -> None:
    for step in steps:
        if answered(sock, 0):
            return  # stop sending once answered: more bytes could only be dropped
        if isinstance(step, bytes):
            sock.sendall(step)
        elif answered(sock, step):
            return


def read_to_end(sock: socket.socket) -> bytes:
    """Everything until the server closes; a socket timeout if it never does."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_request(server: str, case: Case) -> None:
    url = urlsplit(server)
    with socket.create_connection((url.hostname, url.port), timeout=BOUND) as sock:
        play(sock, case.steps)
        if case.status is None:
            assert read_to_end(sock) == b""
            return
        response = http.client.HTTPResponse(sock)
        response.begin()
        body = response.read()
        assert response.status == case.status, body
        assert response.getheader("content-type") == "application/json"
        answer = json.loads(body)
        if case.error is None:
            assert "error" not in answer
        else:
            assert answer["error"] == case.error
            assert case.mentions in answer["message"]
            assert set(answer) <= {"error", "message", "problems"}
        if case.closes:
            assert read_to_end(sock) == b""  # closed, not kept waiting for more
        else:
            assert response.getheader("connection") != "close"


def test_the_connection_stays_usable_after_an_app_error(server: str) -> None:
    with httpx.Client(base_url=server, timeout=BOUND) as client:
        bad = client.post("/api/qr", content=b"{", headers={"content-type": "application/json"})
        good = client.post("/api/qr", json={"data": "https://example.com/after-error"})
    assert bad.status_code == 400
    assert good.status_code == 200


def test_lost_object_is_found_out_by_the_stable_link(server: str, s3: Any) -> None:
    """GET /api/qr/{key} asks S3, answers 404 and makes POST regenerate at once."""
    body = {"data": f"https://example.com/{uuid.uuid4()}"}
    with httpx.Client(base_url=server, timeout=BOUND) as client:
        first = client.post("/api/qr", json=body).json()
        assert client.post("/api/qr", json=body).json()["cached"] is True
        bucket, key = _delete_object(s3, first["url"])
        link = client.get(f"/api/qr/{first['key']}")
        again = client.post("/api/qr", json=body)
    assert link.status_code == 404
    assert link.json()["error"] == "not_found"
    assert again.json()["cached"] is False
    assert httpx.get(again.json()["url"]).status_code == 200
    assert s3.head_object(Bucket=bucket, Key=key)["ContentLength"] > 0


def test_lost_object_is_regenerated_after_the_cache_ttl(server: str, s3: Any) -> None:
    """POST trusts its in-process cache for at most QR_CACHE_TTL_SECONDS after S3 said yes."""
    body = {"data": f"https://example.com/{uuid.uuid4()}"}
    with httpx.Client(base_url=server, timeout=BOUND) as client:
        first = client.post("/api/qr", json=body).json()
        assert client.post("/api/qr", json=body).json()["cached"] is True
        _delete_object(s3, first["url"])
        time.sleep(CACHE_TTL + 0.2)
        after = client.post("/api/qr", json=body).json()
    assert after["cached"] is False
    assert httpx.get(after["url"]).status_code == 200


def _delete_object(s3: Any, presigned_url: str) -> tuple[str, str]:
    """Delete the object behind `presigned_url` (a delete marker: S3 "loses" it)."""
    bucket, key = urlsplit(presigned_url).path.lstrip("/").split("/", 1)
    s3.delete_object(Bucket=bucket, Key=key)
    assert httpx.get(presigned_url).status_code == 404
    return bucket, key
