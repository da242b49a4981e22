"""The generate request: parsing, field rules, normalization and its content-addressed key."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import qrcode
import qrcode.exceptions
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from qr_service.encoding import BYTE_CAPACITY, LEVELS, ErrorCorrection
from qr_service.errors import ApiError, Problem, invalid

# Bumped when the bytes rendered for the same request change, so old objects are not reused.
KEY_VERSION = 1
KEY_PATTERN = r"^[0-9a-f]{64}\.(png|svg)$"
MAX_SIZE = 20
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_HINTS = {
    "data": "send the text or URL to encode as a JSON string",
    "format": 'use "png" or "svg"',
    "size": f"use a whole number of pixels per module from 1 to {MAX_SIZE}",
    "error_correction": 'use "L", "M", "Q" or "H"',
}
EXAMPLE = '{"data": "https://example.com", "format": "png", "size": 10, "error_correction": "M"}'


def _folded(case: str) -> BeforeValidator:
    return BeforeValidator(lambda v: getattr(v, case)() if isinstance(v, str) else v)


class QRRequest(BaseModel):
    """What to encode and how to draw it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    data: str = Field(description="Text or URL to encode.", examples=["https://example.com"])
    format: Annotated[Literal["png", "svg"], _folded("lower")] = "png"
    size: int = Field(default=10, ge=1, le=MAX_SIZE, strict=True, description="Pixels per module.")
    error_correction: Annotated[ErrorCorrection, _folded("upper")] = "M"

    def key(self) -> str:
        """Hash of the normalized request plus the file extension: equal requests, equal keys."""
        canonical = [KEY_VERSION, self.data, self.format, self.size, self.error_correction]
        text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
        return f"{hashlib.sha256(text.encode()).hexdigest()}.{self.format}"


def parse_request(body: bytes, content_type: str, allowed_schemes: frozenset[str]) -> QRRequest:
    """The validated, normalized request in `body`; ApiError (4xx) saying what to change."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise ApiError(
            415,
            "unsupported_media_type",
            f"send a JSON body with Content-Type: application/json, e.g. {EXAMPLE}",
        )
    try:
        decoded = json.loads(body)
    except (ValueError, RecursionError):
        raise ApiError(
            400, "invalid_json", f"the body is not valid JSON; send e.g. {EXAMPLE}"
        ) from None
    if not isinstance(decoded, dict):
        raise invalid(Problem("body", f"must be a JSON object such as {EXAMPLE}"))
    request: QRRequest | None = None
    problems: list[Problem] = []
    try:
        request = QRRequest.model_validate(decoded)
    except ValidationError as error:
        problems.extend(_problem(e) for e in error.errors(include_url=False))
    data = decoded.get("data")
    if isinstance(data, str) and not any(p.field == "data" for p in problems):
        try:  # checked even when other fields are wrong, so one answer lists every problem
            data = normalize_data(data, allowed_schemes)
            if request is not None:
                check_capacity(data, request.error_correction)
        except ValueError as error:
            problems.append(Problem("data", str(error)))
    if problems or request is None:
        raise invalid(*problems)
    return request.model_copy(update={"data": data})


def _problem(error: Any) -> Problem:
    field = ".".join(str(part) for part in error["loc"]) or "body"
    hint = _HINTS.get(field, f"send only the fields {', '.join(_HINTS)}")
    if error["type"] == "missing":
        return Problem(field, f"is required; {hint}")
    if error["type"] == "extra_forbidden":
        return Problem(field, f"is not a known field; {hint}")
    shown = json.dumps(error["input"])
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return Problem(field, f"{error['msg'].rstrip('.')} (got {shown}); {hint}")


def normalize_data(value: str, allowed_schemes: frozenset[str]) -> str:
    """`value` trimmed and NFC-normalized, URL scheme and host lower-cased; ValueError if unsafe."""
    data = unicodedata.normalize("NFC", value).strip()
    if not data:
        raise ValueError("is empty; send the text or URL to encode")
    for position, char in enumerate(data):
        if unicodedata.category(char) in ("Cc", "Cs") or char in _BIDI_CONTROLS:
            raise ValueError(
                f"contains the control character U+{ord(char):04X} at position {position}; "
                "remove it (line breaks, tabs and text-direction controls are not allowed)"
            )
    match = _SCHEME.match(data)
    return _normalize_url(data, match.group(1).lower(), allowed_schemes) if match else data


def _normalize_url(data: str, scheme: str, allowed_schemes: frozenset[str]) -> str:
    if scheme not in allowed_schemes:
        raise ValueError(
            f"starts with the URL scheme '{scheme}:', which is not allowed; use one of: "
            f"{', '.join(sorted(allowed_schemes))} (for a web address, start with https://)"
        )
    rest = data[len(scheme) + 1 :]
    if scheme not in ("http", "https"):
        return f"{scheme}:{rest}"
    if any(char.isspace() for char in data):
        raise ValueError("is a URL with a space in it; encode spaces as %20")
    try:
        parts = urlsplit(data)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        raise ValueError("is not a valid URL; check the host and port") from None
    if not parts.hostname:
        raise ValueError(f"is a URL without a host; write it as {scheme}://example.com/...")
    authority_end = len(scheme) + 3 + len(parts.netloc)
    userinfo, at, host = parts.netloc.rpartition("@")
    return f"{scheme}://{userinfo}{at}{host.lower()}{data[authority_end:]}"


def check_capacity(data: str, error_correction: ErrorCorrection) -> None:
    """ValueError if `data` does not fit in the largest QR symbol at `error_correction`."""
    size = len(data.encode())
    if size <= BYTE_CAPACITY[error_correction]:
        return  # fits in byte mode, and qrcode only splits into segments that are shorter
    symbol = qrcode.QRCode(error_correction=LEVELS[error_correction])
    symbol.add_data(data)
    try:
        symbol.best_fit()
    except (qrcode.exceptions.DataOverflowError, ValueError):  # ValueError: past version 40
        raise ValueError(
            f"is {size} bytes, too long for error correction {error_correction} (at most "
            f"{BYTE_CAPACITY[error_correction]} bytes of text, more for digits only); shorten it "
            "or use a lower error_correction (L holds the most)"
        ) from None
