"""`python -m qr_service`: validate settings, check the bucket, serve with uvicorn."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

import uvicorn

from qr_service.app import create_app
from qr_service.http_protocol import protocol_for
from qr_service.settings import SettingsError, load_settings
from qr_service.storage import BucketMissingError, ObjectStore, StorageUnavailableError

log = logging.getLogger("qr_service")


class FatalError(Exception):
    """A problem the operator must fix before the service can start."""


def _port(value: str) -> int:
    port = int(value)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a TCP port")
    return port


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qr_service", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"))
    parser.add_argument("--port", type=_port, default=os.environ.get("PORT", "8000"))
    parser.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "info"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("botocore").setLevel(logging.WARNING)  # its INFO lines are per-client noise
    try:
        serve(args.host, args.port, args.log_level)
    except FatalError as error:
        print(f"qr_service: {error}", file=sys.stderr)
        return 2
    return 0


def serve(host: str, port: int, log_level: str) -> None:
    try:
        settings = load_settings(os.environ)
    except SettingsError as error:
        raise FatalError(f"invalid configuration:\n{error}") from None
    store = ObjectStore(settings)
    try:
        store.check_bucket()
    except BucketMissingError as error:
        raise FatalError(error.message) from None
    except StorageUnavailableError as error:
        # Transient or permission trouble: start anyway; /ready keeps traffic away until fixed.
        log.warning("S3 bucket check failed, starting not ready: %s", error.message)
    app = create_app(settings, store=store)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=log_level,
        http=protocol_for(settings),
        access_log=False,
        timeout_graceful_shutdown=20,
    )


if __name__ == "__main__":
    sys.exit(main())
