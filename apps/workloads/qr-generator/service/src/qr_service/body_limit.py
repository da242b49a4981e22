"""ASGI middleware: reject request bodies over a size cap with 413 before the app reads them,
and bodies that do not arrive within a deadline with 408 (a half-sent body holds no connection).
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qr_service.errors import ApiError, error_response


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    def _too_large(self) -> ApiError:
        return ApiError(
            413,
            "body_too_large",
            f"the request body is over {self.max_bytes} bytes; send only data, format, size "
            "and error_correction, with data short enough for a QR code",
        )

    def _too_slow(self) -> ApiError:
        return ApiError(
            408,
            "request_timeout",
            f"the request body did not arrive within {self.timeout:g} s; send the whole body at "
            f"once (it is at most {self.max_bytes} bytes)",
            headers={"Connection": "close"},
        )

    async def _read(self, receive: Receive) -> bytes | ApiError | None:
        """The whole body, 413's error past the cap, or None if the client disconnected."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                error = ApiError(
                    400,
                    "bad_request",
                    "Content-Length is not a number; send the body's length in bytes",
                )
                await error_response(error)(scope, receive, send)
                return
            if int(declared) > self.max_bytes:
                await error_response(self._too_large())(scope, receive, send)
                return
        # Read the (small) body here so a chunked upload cannot exceed the cap either.
        try:
            async with asyncio.timeout(self.timeout):  # one deadline for the whole body
                body = await self._read(receive)
        except TimeoutError:
            body = self._too_slow()
        if body is None:
            return  # the client went away
        if isinstance(body, ApiError):
            await error_response(body)(scope, receive, send)
            return
        payload: bytes = body
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": payload, "more_body": False}

        await self.app(scope, replay, send)
