"""Request parsing and input safety: every rejection, through the API, with its exact message."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import api_client
from qr_service.request import EXAMPLE, QRRequest, normalize_data
from qr_service.settings import Settings

SCHEMES = frozenset({"http", "https", "mailto"})
ALLOWED = "geo, http, https, mailto, sms, tel, wifi"
SIZE_HINT = "use a whole number of pixels per module from 1 to 20"

# (body, expected problems as (field, message)); every case answers 422.
INVALID_FIELDS: list[tuple[Any, list[tuple[str, str]]]] = [
    ({}, [("data", "is required; send the text or URL to encode as a JSON string")]),
    ({"data": ""}, [("data", "is empty; send the text or URL to encode")]),
    ({"data": "   "}, [("data", "is empty; send the text or URL to encode")]),
    (
        {"data": 42},
        [
            (
                "data",
                "Input should be a valid string (got 42); send the text or URL to encode "
                "as a JSON string",
            )
        ],
    ),
    (
        {"data": "line one\nline two"},
        [
            (
                "data",
                "contains the control character U+000A at position 8; remove it (line breaks, "
                "tabs and text-direction controls are not allowed)",
            )
        ],
    ),
    (
        {"data": "abc\u0000"},
        [
            (
                "data",
                "contains the control character U+0000 at position 3; remove it (line breaks, "
                "tabs and text-direction controls are not allowed)",
            )
        ],
    ),
    (
        {"data": "https://example.com/\u202egnp.exe"},
        [
            (
                "data",
                "contains the control character U+202E at position 20; remove it (line "
                "breaks, tabs and text-direction controls are not allowed)",
            )
        ],
    ),
    (
        b'{"data": "\\ud800"}',  # a lone surrogate, as raw JSON (httpx cannot encode it)
        [
            (
                "data",
                "contains the control character U+D800 at position 0; remove it (line breaks, "
                "tabs and text-direction controls are not allowed)",
            )
        ],
    ),
    (
        {"data": "javascript:alert(1)"},
        [
            (
                "data",
                f"starts with the URL scheme 'javascript:', which is not allowed; use one of: "
                f"{ALLOWED} (for a web address, start with https://)",
            )
        ],
    ),
    (
        {"data": "DATA:text/html,<script>alert(1)</script>"},
        [
            (
                "data",
                f"starts with the URL scheme 'data:', which is not allowed; use one of: "
                f"{ALLOWED} (for a web address, start with https://)",
            )
        ],
    ),
    (
        {"data": "https:///path-only"},
        [("data", "is a URL without a host; write it as https://example.com/...")],
    ),
    (
        {"data": "https://exa mple.com"},
        [("data", "is a URL with a space in it; encode spaces as %20")],
    ),
    (
        {"data": "https://example.com:99999/"},
        [("data", "is not a valid URL; check the host and port")],
    ),
    (
        {"data": "x" * 1274, "error_correction": "H"},
        [
            (
                "data",
                "is 1274 bytes, too long for error correction H (at most 1273 bytes of text, "
                "more for digits only); shorten it or use a lower error_correction (L holds "
                "the most)",
            )
        ],
    ),
    (
        {"data": "https://example.com", "size": 0},
        [("size", f"Input should be greater than or equal to 1 (got 0); {SIZE_HINT}")],
    ),
    (
        {"data": "https://example.com", "size": 21},
        [("size", f"Input should be less than or equal to 20 (got 21); {SIZE_HINT}")],
    ),
    (
        {"data": "https://example.com", "size": "10"},
        [("size", f'Input should be a valid integer (got "10"); {SIZE_HINT}')],
    ),
    (
        {"data": "https://example.com", "size": 2.5},
        [("size", f"Input should be a valid integer (got 2.5); {SIZE_HINT}")],
    ),
    (
        {"data": "https://example.com", "size": True},
        [("size", f"Input should be a valid integer (got true); {SIZE_HINT}")],
    ),
    (
        {"data": "https://example.com", "format": "gif"},
        [("format", 'Input should be \'png\' or \'svg\' (got "gif"); use "png" or "svg"')],
    ),
    (
        {"data": "https://example.com", "error_correction": "X"},
        [
            (
                "error_correction",
                'Input should be \'L\', \'M\', \'Q\' or \'H\' (got "X"); use "L", "M", "Q" or "H"',
            )
        ],
    ),
    (
        {"data": "https://example.com", "colour": "red"},
        [
            (
                "colour",
                "is not a known field; send only the fields data, format, size, error_correction",
            )
        ],
    ),
    (
        {"data": "javascript:x", "size": 99},
        [
            ("size", f"Input should be less than or equal to 20 (got 99); {SIZE_HINT}"),
            (
                "data",
                f"starts with the URL scheme 'javascript:', which is not allowed; use one "
                f"of: {ALLOWED} (for a web address, start with https://)",
            ),
        ],
    ),
    (["https://example.com"], [("body", f"must be a JSON object such as {EXAMPLE}")]),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("body", "problems"), INVALID_FIELDS)
async def test_invalid_field_is_422_naming_each_problem(
    settings: Settings, body: Any, problems: list[tuple[str, str]]
) -> None:
    async with api_client(settings) as client:
        if isinstance(body, bytes):
            headers = {"content-type": "application/json"}
            response = await client.post("/api/qr", content=body, headers=headers)
        else:
            response = await client.post("/api/qr", json=body)
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid_request",
        "message": " ".join(f"{field}: {message}." for field, message in problems),
        "problems": [{"field": field, "message": message} for field, message in problems],
    }


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("content", "content_type", "status", "error", "message"),
    [
        (
            b"{not json",
            "application/json",
            400,
            "invalid_json",
            f"the body is not valid JSON; send e.g. {EXAMPLE}",
        ),
        (
            b"[" * 5000,
            "application/json",
            400,
            "invalid_json",
            f"the body is not valid JSON; send e.g. {EXAMPLE}",
        ),
        (
            b"data=https://example.com",
            "application/x-www-form-urlencoded",
            415,
            "unsupported_media_type",
            f"send a JSON body with Content-Type: application/json, e.g. {EXAMPLE}",
        ),
        (
            b'{"data": "x"}',
            "",
            415,
            "unsupported_media_type",
            f"send a JSON body with Content-Type: application/json, e.g. {EXAMPLE}",
        ),
    ],
)
async def test_unparseable_body_is_rejected(
    settings: Settings, content: bytes, content_type: str, status: int, error: str, message: str
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    async with api_client(settings) as client:
        response = await client.post("/api/qr", content=content, headers=headers)
    assert response.status_code == status
    assert response.json() == {"error": error, "message": message}


@pytest.mark.anyio
@pytest.mark.parametrize("key", ["abc.png", f"{'0' * 64}.gif", f"{'G' * 64}.png", f"{'0' * 64}"])
async def test_malformed_key_is_422(settings: Settings, key: str) -> None:
    async with api_client(settings) as client:
        response = await client.get(f"/api/qr/{key}")
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "key"
    assert response.json()["problems"][0]["message"].startswith("String should match pattern")


@pytest.mark.anyio
async def test_long_numeric_data_fits_beyond_byte_capacity(settings: Settings) -> None:
    async with api_client(settings) as client:
        response = await client.post(
            "/api/qr", json={"data": "1" * 7000, "error_correction": "L", "size": 1}
        )
    assert response.status_code == 200


def test_normalization_lowercases_only_scheme_and_host() -> None:
    assert (
        normalize_data("  HTTPS://User:Pw@WWW.Example.COM:8443/Path?Q=A#Frag ", SCHEMES)
        == "https://User:Pw@www.example.com:8443/Path?Q=A#Frag"
    )
    assert normalize_data("MAILTO:Someone@Example.com", SCHEMES) == "mailto:Someone@Example.com"
    assert normalize_data("Cafe\u0301 menu", SCHEMES) == "Caf\u00e9 menu"
    assert normalize_data("just text, no scheme", SCHEMES) == "just text, no scheme"


def test_key_depends_on_every_field() -> None:
    base = QRRequest(data="https://example.com")
    variants = [
        base.model_copy(update={"data": "https://example.org"}),
        base.model_copy(update={"format": "svg"}),
        base.model_copy(update={"size": 11}),
        base.model_copy(update={"error_correction": "H"}),
    ]
    keys = {base.key(), *(v.key() for v in variants)}
    assert len(keys) == 5
    assert base.key() == QRRequest(data="https://example.com").key()
    assert base.key().endswith(".png")
