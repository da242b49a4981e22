"""Run the QR service locally: a moto S3 server, the API and the frontend, until Ctrl-C.

Everything binds to 127.0.0.1. The API listens on $PORT (default 8000) and also serves the
frontend's static page at /, so the page works same-origin as it does behind nginx. S3 is an
in-memory moto server on a free port with the bucket created; no AWS account is touched.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import boto3
import uvicorn
from moto.server import ThreadedMotoServer
from starlette.staticfiles import StaticFiles

from qr_service.app import create_app
from qr_service.settings import SettingsError, load_settings

FRONTEND = Path(__file__).resolve().parent.parent / "frontend" / "public"
HOST = "127.0.0.1"
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--bucket", default="qr-local")
    args = parser.parse_args(argv)
    os.environ.update(LOCAL_CREDENTIALS)  # moto accepts any; never real credentials here
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
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
        app = create_app(settings)
        app.mount("/", StaticFiles(directory=FRONTEND, html=True), name="frontend")
        print(
            f"QR service on http://{HOST}:{args.port}/ (API docs /docs), "
            f"S3 (moto) on {endpoint}, bucket {args.bucket}. Ctrl-C stops.",
            flush=True,
        )
        uvicorn.run(app, host=HOST, port=args.port, log_level="info")
    finally:
        s3_server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
