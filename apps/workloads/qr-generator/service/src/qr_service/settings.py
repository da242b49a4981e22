"""Settings from the environment, validated once at start-up."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")

# S3 bucket naming rules (general purpose buckets): 3-63 characters, lower case, digits, dots
# and hyphens, starting and ending with a letter or digit.
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*$")
SIGV4_MAX_EXPIRY = 7 * 24 * 3600


class SettingsError(Exception):
    """One or more settings are missing or invalid; the message lists each and how to fix it."""


@dataclass(frozen=True)
class Settings:
    bucket: str
    region: str
    endpoint_url: str | None = None
    presign_expires: int = 900
    key_prefix: str = "qrcodes/"
    cache_size: int = 10_000
    cache_ttl: float = 10.0
    allowed_schemes: frozenset[str] = frozenset(
        {"http", "https", "mailto", "tel", "sms", "geo", "wifi"}
    )
    s3_timeout: float = 3.0
    s3_max_attempts: int = 3
    ready_cache_seconds: float = 5.0
    max_body_bytes: int = 8192
    max_head_bytes: int = 16384
    request_timeout: float = 5.0


class _Reader:
    """Reads variables, collecting every problem instead of stopping at the first."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.problems: list[str] = []

    def text(self, name: str, check: Callable[[str], str | None], hint: str) -> str:
        value = self.environ.get(name, "").strip()
        problem = f"is not set. Hint: {hint}" if not value else check(value)
        if problem:
            self.problems.append(f"{name}: {problem}")
        return value

    def number(self, name: str, default: T, convert: Callable[[str], T], low: T, high: T) -> T:
        raw = self.environ.get(name, "").strip()
        if not raw:
            return default
        try:
            value = convert(raw)
        except ValueError:
            self.problems.append(
                f"{name}: {raw!r} is not a number; set a value from {low} to {high}"
            )
            return default
        if not low <= value <= high:  # type: ignore[operator]
            self.problems.append(
                f"{name}: {value} is out of range; set a value from {low} to {high}"
            )
        return value


def _bucket_problem(value: str) -> str | None:
    if _BUCKET.match(value) and ".." not in value:
        return None
    return (
        f"{value!r} is not a valid S3 bucket name; use 3-63 lower-case letters, digits, "
        "dots or hyphens, starting and ending with a letter or digit"
    )


def _region_problem(value: str) -> str | None:
    return None if _REGION.match(value) else f"{value!r} is not an AWS region such as us-east-1"


def _endpoint_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.hostname:
        return None
    return f"{value!r} is not an http(s) URL such as http://127.0.0.1:5000; unset it for AWS S3"


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Settings from `environ`; raises SettingsError naming every bad variable."""
    read = _Reader(environ)
    bucket = read.text("S3_BUCKET_NAME", _bucket_problem, "set it to the QR-code bucket name")
    region = read.text(
        "AWS_REGION", _region_problem, "set it to the bucket's region, e.g. us-east-1"
    )
    endpoint = environ.get("S3_ENDPOINT_URL", "").strip() or None
    if endpoint and (problem := _endpoint_problem(endpoint)):
        read.problems.append(f"S3_ENDPOINT_URL: {problem}")
    schemes = frozenset(
        s.strip().lower() for s in environ.get("QR_ALLOWED_SCHEMES", "").split(",") if s.strip()
    )
    if bad := sorted(s for s in schemes if not _SCHEME.match(s)):
        read.problems.append(f"QR_ALLOWED_SCHEMES: {', '.join(bad)} are not URL schemes")
    defaults = Settings(bucket="", region="")
    settings = Settings(
        bucket=bucket,
        region=region,
        endpoint_url=endpoint,
        presign_expires=read.number(
            "PRESIGNED_URL_EXPIRES_SECONDS", defaults.presign_expires, int, 1, SIGV4_MAX_EXPIRY
        ),
        key_prefix=environ.get("S3_KEY_PREFIX", defaults.key_prefix),
        cache_size=read.number("QR_CACHE_SIZE", defaults.cache_size, int, 0, 10_000_000),
        cache_ttl=read.number("QR_CACHE_TTL_SECONDS", defaults.cache_ttl, float, 0.0, 86_400.0),
        allowed_schemes=schemes or defaults.allowed_schemes,
        s3_timeout=read.number("S3_TIMEOUT_SECONDS", defaults.s3_timeout, float, 0.1, 60.0),
        s3_max_attempts=read.number("S3_MAX_ATTEMPTS", defaults.s3_max_attempts, int, 1, 10),
        ready_cache_seconds=read.number(
            "READY_CACHE_SECONDS", defaults.ready_cache_seconds, float, 0.0, 300.0
        ),
        request_timeout=read.number(
            "REQUEST_TIMEOUT_SECONDS", defaults.request_timeout, float, 0.1, 300.0
        ),
    )
    if read.problems:
        raise SettingsError("\n".join(read.problems))
    return settings
