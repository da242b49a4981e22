"""API errors: every rejection is JSON saying what is wrong and what to change."""

from __future__ import annotations

import logging
from typing import NamedTuple

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from qr_service.storage import StorageUnavailableError

log = logging.getLogger(__name__)


class Problem(NamedTuple):
    field: str
    message: str


class ApiError(Exception):
    """An error answered as `{"error": code, "message": ..., "problems": [...]}`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        problems: tuple[Problem, ...] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.problems = problems
        self.headers = headers or {}


def invalid(*problems: Problem) -> ApiError:
    message = " ".join(f"{p.field}: {p.message}." for p in problems)
    return ApiError(422, "invalid_request", message, problems)


def error_response(error: ApiError) -> JSONResponse:
    content: dict[str, object] = {"error": error.code, "message": error.message}
    if error.problems:
        content["problems"] = [p._asdict() for p in error.problems]
    return JSONResponse(content, status_code=error.status, headers=error.headers)


def storage_error(error: StorageUnavailableError) -> ApiError:
    return ApiError(
        503,
        "storage_unavailable",
        f"{error.message}; retry in {error.retry_after} s",
        headers={"Retry-After": str(error.retry_after)},
    )


_HTTP_MESSAGES = {
    404: "no such path; the API is POST /api/qr and GET /api/qr/{key} (docs at /docs)",
    405: "method not allowed on this path; see /docs for the methods each path accepts",
}


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc)


async def _storage_unavailable(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StorageUnavailableError)
    log.warning("S3 unavailable: %s", exc.message)
    return error_response(storage_error(exc))


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    message = _HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
    code = "not_found" if exc.status_code == 404 else "http_error"
    headers = dict(exc.headers) if exc.headers else None
    return error_response(ApiError(exc.status_code, code, message, headers=headers))


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = tuple(
        Problem(".".join(str(part) for part in error["loc"][1:]) or "request", error["msg"])
        for error in exc.errors()
    )
    return error_response(invalid(*problems))


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return error_response(ApiError(500, "internal_error", "internal error; retry the request"))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StorageUnavailableError, _storage_unavailable)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
