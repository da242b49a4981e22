"""Registry authentication as Docker does it: credentials from the Docker config file, and
the token flow a `401` with `WWW-Authenticate: Bearer realm=...,service=...,scope=...` asks for
(or Basic, when that is the challenge)."""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Generator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from gitops_tools.errors import FatalError

_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')
_REPO_PATH = re.compile(r"^/v2/(?P<repo>.+?)/(?:manifests|blobs|tags)/")


def parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    """(`bearer` or `basic`, its parameters) of a WWW-Authenticate header."""
    scheme, _, rest = header.strip().partition(" ")
    params = {m.group(1).lower(): m.group(2) or m.group(3) or "" for m in _PARAM.finditer(rest)}
    return scheme.lower(), params


def docker_credentials(host: str) -> tuple[str, str] | None:
    """The username and password stored for `host` by `docker login` (no credential helpers)."""
    config_dir = Path(os.environ.get("DOCKER_CONFIG") or Path.home() / ".docker")
    try:
        auths = json.loads((config_dir / "config.json").read_text()).get("auths") or {}
    except (OSError, ValueError, AttributeError):
        return None
    for key, entry in auths.items():
        name = urlsplit(key if "://" in key else f"//{key}").netloc
        if name != host or not isinstance(entry, dict):
            continue
        if entry.get("username") and entry.get("password"):
            return str(entry["username"]), str(entry["password"])
        try:
            user, _, password = base64.b64decode(entry.get("auth", "")).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            continue
        if user:
            return user, password
    return None


def basic_header(credentials: tuple[str, str]) -> str:
    return "Basic " + base64.b64encode(":".join(credentials).encode()).decode()


def request_scopes(request: httpx.Request) -> list[str]:
    """The token scopes a registry request needs: pull to read, push to write, and pull on
    the repository a blob is mounted from."""
    match = _REPO_PATH.match(request.url.path)
    if not match:
        return []
    actions = "pull" if request.method in ("GET", "HEAD") else "pull,push"
    scopes = [f"repository:{match['repo']}:{actions}"]
    mounted = parse_qs(request.url.query.decode()).get("from")
    if mounted:
        scopes.append(f"repository:{mounted[0]}:pull")
    return scopes


class RegistryAuth(httpx.Auth):
    """Answers 401 challenges once per request, caching bearer tokens by scope."""

    def __init__(self, host: str, credentials: tuple[str, str] | None) -> None:
        self.host = host
        self.credentials = credentials
        self.tokens: dict[str, str] = {}
        self.basic = False

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        key = " ".join(request_scopes(request))
        if key in self.tokens:
            request.headers["Authorization"] = f"Bearer {self.tokens[key]}"
        elif self.basic and self.credentials:
            request.headers["Authorization"] = basic_header(self.credentials)
        response = yield request
        if response.status_code != 401:
            return
        scheme, params = parse_challenge(response.headers.get("WWW-Authenticate", ""))
        if scheme == "basic" and self.credentials:
            self.basic = True
            request.headers["Authorization"] = basic_header(self.credentials)
        elif scheme == "bearer" and params.get("realm"):
            scopes = request_scopes(request)
            if params.get("scope") and params["scope"] not in scopes:
                scopes.append(params["scope"])
            query: list[tuple[str, str | int | float | bool | None]] = [
                ("scope", s) for s in scopes
            ]
            if params.get("service"):
                query.insert(0, ("service", params["service"]))
            headers = {"Authorization": basic_header(self.credentials)} if self.credentials else {}
            answer = yield httpx.Request("GET", params["realm"], params=query, headers=headers)
            answer.read()
            token = self._token(answer)
            self.tokens[key] = token
            request.headers["Authorization"] = f"Bearer {token}"
        else:
            return
        yield request

    def _token(self, answer: httpx.Response) -> str:
        if answer.status_code != 200:
            raise FatalError(
                f"{self.host}: the token service refused a token (HTTP {answer.status_code})",
                f"log in with `docker login {self.host}` (read from the Docker config file)",
            )
        try:
            data = answer.json()
            token = data.get("token") or data.get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not isinstance(token, str) or not token:
            raise FatalError(f"{self.host}: the token service answered without a token")
        return token
