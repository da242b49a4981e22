"""uvicorn's httptools protocol plus the request limits uvicorn lacks.

uvicorn bounds neither how long a client may take to send a request head nor how large the head
may be, and the errors it answers before the app runs are text/plain. This protocol adds:
  - a deadline for the head: 408 (JSON) when it is not complete in `timeout` seconds; a
    connection that starts no request is closed after the same time;
  - a cap on the head: 414 for a URL over half the cap, 431 for URL plus headers over it;
  - JSON for malformed requests (400), like every error the app answers;
  - a connection whose response went out while its request body was still arriving (a handler
    that ignores the body) is closed `timeout` seconds later unless it has begun a new request.
The body of a request the app reads is bounded by BodyLimit (body_limit.py).
"""

from __future__ import annotations

import asyncio
import json
from typing import ClassVar, NamedTuple

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from qr_service.errors import ApiError
from qr_service.settings import Settings


class RequestLimits(NamedTuple):
    timeout: float
    max_head_bytes: int


class _RefusedError(Exception):
    """Raised in a parser callback to stop parsing; the refusal is on the protocol."""


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    limits: ClassVar[RequestLimits] = RequestLimits(5.0, 16384)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._in_head = False
        self._head_bytes = 0
        self._refusal: ApiError | None = None
        self._deadline: asyncio.TimerHandle | None = None
        self._lingering = False
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            return  # the rest of a refused request: read and dropped, see _refuse
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError as error:
            self._refuse(self._refusal or _malformed(error))
            return
        if self._in_head:
            # Bytes of a head still incomplete: bounded here, before the parser buffers more.
            self._head_bytes += len(data)
            if self._head_bytes > self.limits.max_head_bytes:
                self._refuse(_head_too_large(self.limits.max_head_bytes))
            elif self._deadline is None:
                self._arm()
        elif self._deadline is None and self.timeout_keep_alive_task is None and self._idle():
            self._arm()  # bytes between requests that start none (blank lines): bound them too

    def send_400_response(self, msg: str) -> None:
        self._refuse(self._refusal or _malformed(msg))

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._head_bytes = 0

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._disarm()
        limit = self.limits.max_head_bytes
        if len(self.url) > limit // 2:
            self._refusal = ApiError(
                414,
                "uri_too_long",
                f"the URL is over {limit // 2} bytes; send the data in a POST /api/qr JSON body",
            )
            raise _RefusedError
        if len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers) > limit:
            self._refusal = _head_too_large(limit)
            raise _RefusedError
        try:
            super().on_headers_complete()
        except (httptools.HttpParserInvalidURLError, UnicodeDecodeError):
            self._refusal = ApiError(
                400,
                "bad_request",
                "the request target is not a path such as /api/qr (an ASCII path, "
                "percent-encoded where needed)",
            )
            raise _RefusedError from None

    def on_response_complete(self) -> None:
        body_unfinished = not self.pipeline and self.cycle.more_body
        super().on_response_complete()
        if body_unfinished and self._deadline is None and not self.transport.is_closing():
            # the rest of the body may drain, then the connection has `timeout` seconds in all
            # to start the next request
            self._arm()

    def _idle(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        self._deadline = self.loop.call_later(self.limits.timeout, self._timed_out)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _timed_out(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if not self._idle():
            self._arm()  # a request is being answered; a pipelined head waits for it
        elif self._in_head:
            self._refuse(
                ApiError(
                    408,
                    "request_timeout",
                    f"the request headers did not arrive within {self.limits.timeout:g} s; "
                    "send the whole request at once",
                )
            )
        else:
            self.transport.close()

    def _refuse(self, error: ApiError) -> None:
        """Answer `error` as JSON and end the connection: the parser's state past a refusal is
        unusable. Like nginx's lingering close, what the client is still sending is read and
        dropped for `timeout` seconds after our FIN: closing with unread bytes would send a
        reset, which can destroy the answer before the client reads it."""
        self._disarm()
        if self.transport.is_closing() or self._lingering:
            return
        self.logger.info("refused a request: %s %s", error.status, error.message)
        body = json.dumps({"error": error.code, "message": error.message}).encode()
        head = [STATUS_LINE[error.status]]
        for name, value in self.server_state.default_headers:
            head.extend([name, b": ", value, b"\r\n"])
        head.append(
            b"content-type: application/json\r\ncontent-length: %d\r\nconnection: close\r\n\r\n"
            % len(body)
        )
        self.transport.write(b"".join(head) + body)
        if not self.transport.can_write_eof():
            self.transport.close()
            return
        self.transport.write_eof()
        self._lingering = True
        self._deadline = self.loop.call_later(self.limits.timeout, self.transport.close)


def _malformed(reason: object) -> ApiError:
    return ApiError(
        400,
        "bad_request",
        f"the request is not valid HTTP/1.1 ({reason}); check the request line, the header "
        "syntax, Content-Length and Transfer-Encoding",
    )


def _head_too_large(limit: int) -> ApiError:
    return ApiError(
        431,
        "headers_too_large",
        f"the request line and headers are over {limit} bytes; send fewer or shorter headers "
        "(large cookies are the usual cause)",
    )


def protocol_for(settings: Settings) -> type[LimitedHttpToolsProtocol]:
    """The protocol class to pass as uvicorn's `http`, with `settings`' limits."""

    class Configured(LimitedHttpToolsProtocol):
        limits = RequestLimits(settings.request_timeout, settings.max_head_bytes)

    return Configured
