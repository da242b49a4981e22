"""The seed's approach, as the benchmark's baseline: generate and upload on every request.

Like the seed's backend it draws with qrcode's default Pillow image, uploads with
upload_fileobj and presigns, in a sync endpoint; it never checks whether the object exists.
NAIVE_CLIENT=per-request also creates the boto3 client per request, as the seed's
`Depends(get_s3_client)` does; NAIVE_CLIENT=shared (default) reuses one.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from typing import Any

import boto3
import qrcode
from fastapi import FastAPI
from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BUCKET = os.environ["S3_BUCKET_NAME"]
PER_REQUEST_CLIENT = os.environ.get("NAIVE_CLIENT", "shared") == "per-request"


def _client() -> Any:
    return boto3.client(
        "s3", region_name=os.environ["AWS_REGION"], endpoint_url=os.environ["S3_ENDPOINT_URL"]
    )


_SHARED = None if PER_REQUEST_CLIENT else _client()


class ServerTiming:
    """Adds the same Server-Timing header as the real service, for comparable server times."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed = f"app;dur={(time.perf_counter() - started) * 1000:.3f}".encode()
                message = {**message, "headers": [*message["headers"], (b"server-timing", elapsed)]}
            await send(message)

        await self.app(scope, receive, timed_send)


class QRRequest(BaseModel):
    data: str


app = FastAPI()
app.add_middleware(ServerTiming)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/api/qr")
def generate(request: QRRequest) -> dict[str, str]:
    s3 = _SHARED if _SHARED is not None else _client()
    key = f"qrcodes/{hashlib.sha256(request.data.encode()).hexdigest()}.png"
    symbol = qrcode.QRCode(version=1, box_size=10, border=4)
    symbol.add_data(request.data)
    symbol.make(fit=True)
    image = symbol.make_image(fill_color="#302e4d", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    s3.upload_fileobj(buffer, BUCKET, key, ExtraArgs={"ContentType": "image/png"})
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=3600
    )
    return {"qr_code_url": url}
