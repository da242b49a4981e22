"""Run the frontend image's own nginx config with a local nginx, on 127.0.0.1.

The config files in frontend/nginx/ are used as shipped, with only what differs outside the
image replaced: the listen port, the upstream (`${BACKEND_URL}`, which the image's entrypoint
substitutes the same way), the page's directory (the image copies public/ to
/usr/share/nginx/html) and /tmp, the image's one writable directory (a run directory here).
Each replacement must find its text: if the config changes shape this fails instead of
testing something else. Used by `make qr-local` (scripts/run_local.py) and the frontend tests.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
IMAGE_PORT = "listen 8080;"
IMAGE_ROOT = "/usr/share/nginx/html"
START_SECONDS = 10.0


class NginxError(Exception):
    """nginx is missing, the config no longer has what is replaced, or nginx did not start."""


def nginx_binary() -> str | None:
    """$NGINX if set (a path or a name on PATH), else nginx on PATH or in the sbin folders a
    user's PATH may lack; None if there is none."""
    if (chosen := os.environ.get("NGINX")) is not None:
        return shutil.which(chosen)
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def _replace(text: str, old: str, new: str, name: str) -> str:
    if old not in text:
        raise NginxError(
            f"frontend/nginx/{name} has no {old!r} to replace; update {Path(__file__).name}"
        )
    return text.replace(old, new)


def render_config(run_dir: Path, port: int, backend_url: str, frontend: Path = FRONTEND) -> Path:
    """Write nginx.conf and conf.d/default.conf into `run_dir`; the path of nginx.conf."""
    template = "default.conf.template"
    server = (frontend / "nginx" / template).read_text()
    server = _replace(server, IMAGE_PORT, f"listen 127.0.0.1:{port};", template)
    server = _replace(server, "${BACKEND_URL}", backend_url, template)
    server = _replace(server, IMAGE_ROOT, str(frontend / "public"), template)
    main = (frontend / "nginx" / "nginx.conf").read_text()
    main = _replace(main, "/tmp", str(run_dir), "nginx.conf")
    (run_dir / "conf.d").mkdir(exist_ok=True)
    (run_dir / "conf.d" / "default.conf").write_text(server)
    (run_dir / "nginx.conf").write_text(main)
    return run_dir / "nginx.conf"


def _global_directives() -> str:
    directives = "daemon off;"
    if os.geteuid() == 0:
        # As root, workers would drop to `nobody`, who may not read a checkout under /root;
        # run them as the checkout's owner (the image runs nginx unprivileged, UID 101).
        owner = (FRONTEND / "public").stat()
        user, group = pwd.getpwuid(owner.st_uid).pw_name, grp.getgrgid(owner.st_gid).gr_name
        directives += f" user {user} {group};"
    return directives


@contextmanager
def running_nginx(
    run_dir: Path, port: int, backend_url: str, *, show_log: bool = False
) -> Iterator[subprocess.Popen[str]]:
    """nginx with the frontend's config on 127.0.0.1:`port` until the block ends. Its access
    log and errors go to `run_dir`/nginx.log, or to this process's output with `show_log`."""
    binary = nginx_binary()
    if binary is None:
        raise NginxError("nginx is not installed")
    config = render_config(run_dir, port, backend_url)
    log_path = None if show_log else run_dir / "nginx.log"
    with open(log_path or os.devnull, "w") as log:  # noqa: PTH123 - devnull is a str
        process = subprocess.Popen(
            [binary, "-c", str(config), "-g", _global_directives()],
            stdin=subprocess.DEVNULL,
            stdout=None if show_log else log,
            stderr=None if show_log else subprocess.STDOUT,
            text=True,
        )
    try:
        _wait_until_listening(process, port, log_path)
        yield process
    finally:
        process.terminate()  # SIGTERM: nginx's fast shutdown
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_listening(process: subprocess.Popen[str], port: int, log_path: Path | None) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = f":\n{log_path.read_text()}" if log_path else " (its errors are above)"
            raise NginxError(f"nginx exited with code {process.returncode}{output}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise NginxError(f"nginx did not listen on 127.0.0.1:{port} in {START_SECONDS:g} s")
