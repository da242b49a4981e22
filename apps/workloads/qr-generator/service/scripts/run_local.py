"""Run the QR service locally: a moto S3 server, the API and the frontend, until Ctrl-C.

Everything binds to 127.0.0.1. The page is served on $PORT (default 8000) the way the cluster
serves it: by nginx with the frontend image's own config (CSP and caching headers, /api/
proxied to the API, which listens on a free port of its own). Where nginx is not installed the
API serves the page itself on $PORT, same-origin, and says so. S3 is an in-memory moto server
on a free port with the bucket created; no AWS account is touched.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

import boto3
import uvicorn
from moto.server import ThreadedMotoServer
from starlette.staticfiles import StaticFiles

from frontend_nginx import FRONTEND, NginxError, nginx_binary, running_nginx
from qr_service.app import create_app
from qr_service.http_protocol import protocol_for
from qr_service.settings import Settings, SettingsError, load_settings

HOST = "127.0.0.1"
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}
START_SECONDS = 30.0
NO_NGINX = (
    "run_local: nginx is not installed, so the API serves the page itself, without the "
    "frontend image's nginx config (CSP and caching headers, the /api/ proxy). "
    "Hint: tools/bootstrap/ensure-nginx.sh (part of `make test`) installs Debian's nginx."
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--bucket", default="qr-local")
    args = parser.parse_args(argv)
    os.environ.update(LOCAL_CREDENTIALS)  # moto accepts any; never real credentials here
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    # SIGTERM stops like Ctrl-C, so nginx and moto are stopped too
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    s3_server = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
    s3_server.start()
    host, s3_port = s3_server.get_host_and_port()
    endpoint = f"http://{host}:{s3_port}"
    try:
        environ = {
            **os.environ,
            "S3_BUCKET_NAME": args.bucket,
            "AWS_REGION": "us-east-1",
            "S3_ENDPOINT_URL": endpoint,
        }
        try:
            settings = load_settings(environ)
        except SettingsError as error:
            print(f"run_local: invalid configuration:\n{error}", file=sys.stderr)
            return 2
        boto3.client("s3", region_name="us-east-1", endpoint_url=endpoint).create_bucket(
            Bucket=args.bucket
        )
        where = f"S3 (moto) on {endpoint}, bucket {args.bucket}. Ctrl-C stops."
        return serve(settings, args.port, where)
    except KeyboardInterrupt:
        return 0
    finally:
        s3_server.stop()


def serve(settings: Settings, port: int, where: str) -> int:
    """The API (and nginx in front of it, where installed) until Ctrl-C."""
    app = create_app(settings)
    with_nginx = nginx_binary() is not None
    if not with_nginx:
        print(NO_NGINX, file=sys.stderr, flush=True)
        app.mount("/", StaticFiles(directory=FRONTEND / "public", html=True), name="frontend")
    api_port = free_port() if with_nginx else port
    config = uvicorn.Config(
        app, host=HOST, port=api_port, log_level="info", http=protocol_for(settings)
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="api")  # signals stay with this thread
    with ExitStack() as stack:
        thread.start()
        stack.callback(thread.join, 30)
        stack.callback(setattr, server, "should_exit", True)
        if not _started(server, thread):
            print(f"run_local: the API did not start on {HOST}:{api_port}", file=sys.stderr)
            return 1
        if with_nginx:
            run_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="qr-nginx-")))
            try:
                stack.enter_context(
                    running_nginx(run_dir, port, f"http://{HOST}:{api_port}", show_log=True)
                )
            except NginxError as error:
                print(f"run_local: {error}", file=sys.stderr)
                return 1
            print(
                f"QR service on http://{HOST}:{port}/ (nginx with the frontend's config; the API "
                f"behind it on http://{HOST}:{api_port}, docs /docs there), {where}",
                flush=True,
            )
        else:
            print(f"QR service on http://{HOST}:{port}/ (API docs /docs), {where}", flush=True)
        try:
            while thread.is_alive():
                thread.join(0.5)
        except KeyboardInterrupt:
            pass
    return 0


def _started(server: uvicorn.Server, thread: threading.Thread) -> bool:
    deadline = time.monotonic() + START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


if __name__ == "__main__":
    sys.exit(main())
