"""The FastAPI application: routes wired to the service, metrics, limits and error handlers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Path, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from pydantic import BaseModel

from qr_service import __version__
from qr_service.body_limit import BodyLimit
from qr_service.errors import ApiError, error_response, install_error_handlers, storage_error
from qr_service.known_keys import KnownKeys
from qr_service.metrics import Metrics, MetricsMiddleware
from qr_service.readiness import Readiness
from qr_service.request import EXAMPLE, KEY_PATTERN, QRRequest, parse_request
from qr_service.service import QRService
from qr_service.settings import Settings
from qr_service.storage import ObjectStore

KeyParam = Annotated[
    str,
    Path(
        pattern=KEY_PATTERN,
        description="The key from POST /api/qr: 64 hex digits, then .png or .svg.",
    ),
]


class QRResponse(BaseModel):
    url: str
    key: str
    cached: bool
    expires_in: int


def _request_body_doc() -> dict[str, Any]:
    schema = QRRequest.model_json_schema()
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def create_app(
    settings: Settings,
    *,
    store: ObjectStore | None = None,
    registry: CollectorRegistry | None = None,
) -> FastAPI:
    store = store if store is not None else ObjectStore(settings)
    metrics = Metrics(registry if registry is not None else CollectorRegistry())
    known = KnownKeys(settings.cache_size, settings.cache_ttl)
    service = QRService(store, known, metrics, settings.presign_expires)
    readiness = Readiness(store, settings.ready_cache_seconds)
    app = FastAPI(
        title="QR generator API",
        version=__version__,
        description=f"Content-addressed QR codes in S3. Example body: `{EXAMPLE}`",
    )

    @app.post("/api/qr", response_model=QRResponse, openapi_extra=_request_body_doc())
    async def create_qr(request: Request) -> QRResponse:
        """Generate (or reuse) the QR code and answer a presigned URL to it."""
        body = await request.body()
        parsed = parse_request(
            body, request.headers.get("content-type", ""), settings.allowed_schemes
        )
        result = await service.create(parsed)
        return QRResponse(**result._asdict())

    @app.get("/api/qr/{key}", status_code=307, response_class=RedirectResponse)
    async def get_qr(key: KeyParam) -> RedirectResponse:
        """Redirect to a fresh presigned URL for a stored QR code."""
        url = await service.locate(key)
        if url is None:
            raise ApiError(404, "not_found", f"no QR code {key}; create it with POST /api/qr")
        return RedirectResponse(url, status_code=307, headers={"Cache-Control": "no-store"})

    @app.get("/health")
    async def health() -> dict[str, str]:
        """Liveness: the process answers. No I/O."""
        return {"status": "ok"}

    @app.get("/ready", response_model=None)
    async def ready() -> dict[str, str] | JSONResponse:
        """Readiness: the S3 bucket answers (checked at most every few seconds)."""
        problem = await readiness.problem()
        if problem is not None:
            return error_response(storage_error(problem))
        return {"status": "ready", "bucket": settings.bucket}

    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    install_error_handlers(app)
    app.add_middleware(
        BodyLimit, max_bytes=settings.max_body_bytes, timeout=settings.request_timeout
    )
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.state.metrics = metrics
    app.state.known_keys = known
    return app
