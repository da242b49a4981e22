"""Run a profile against the QR service on 127.0.0.1: start it (and an S3 server), load it with
Locust headless for a bounded time, stop everything, print the verdict and the report paths.

    python loadtests/run_local.py \\
        --s3-cmd "moto_server -H {host} -p {s3_port}" \\
        --service-cmd "python -m qr_service --host {host} --port {port}"

Commands are split like a shell would (no shell runs them); {host}, {port} and {s3_port} are
filled in, and HOST/PORT are also set in the service's environment. With --s3-cmd the bucket
is created and the service gets S3_ENDPOINT_URL, S3_BUCKET_NAME, AWS_REGION and test
credentials. Or set LOADTEST_SERVICE_CMD and LOADTEST_S3_CMD. Exit code: Locust's (0 pass,
1 an expectation failed, 2 cannot run).
"""

from __future__ import annotations

import argparse
import csv
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path

from local_usage import group_cpu_seconds, group_peak_rss_mib

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"


class RunError(Exception):
    """Something to fix before the load test can run; the message says what."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def started(
    name: str, argv: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `argv` in its own process group, logging to `log`; stop the group on exit."""
    with log.open("wb") as out:
        try:
            proc = subprocess.Popen(
                argv,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            raise RunError(f"cannot start the {name} ({argv[0]}): {exc.strerror}") from None
        try:
            yield proc
        finally:
            _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)  # the group we created: the process and its children
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def wait_until(
    ready: Callable[[], bool], proc: subprocess.Popen[bytes], name: str, log: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RunError(
                f"the {name} exited with code {proc.returncode} before it was ready; "
                f"its log ({log}) ends with:\n{_tail(log)}"
            )
        if ready():
            return
        time.sleep(0.2)
    raise RunError(
        f"the {name} was not ready within {timeout:.0f} s; its log ({log}) ends with:\n{_tail(log)}"
    )


def http_ok(url: str, method: str = "GET") -> bool:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=2) as r:
            return 200 <= r.status < 300
    except (urllib.error.URLError, OSError):
        return False


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def _shown(path: Path) -> Path:
    """`path` relative to the working directory when it is below it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) or "(empty)"
    except OSError:
        return "(no log)"


def _command(template: str, values: dict[str, str], what: str) -> list[str]:
    try:
        return [part.format(**values) for part in shlex.split(template)]
    except (ValueError, KeyError, IndexError) as exc:
        raise RunError(f"{what}: cannot use {template!r}: {exc}") from None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--service-cmd",
        default=os.environ.get("LOADTEST_SERVICE_CMD"),
        help="command that starts the QR API (env LOADTEST_SERVICE_CMD)",
    )
    parser.add_argument(
        "--s3-cmd",
        default=os.environ.get("LOADTEST_S3_CMD"),
        help="command that starts an S3-compatible server (env LOADTEST_S3_CMD)",
    )
    parser.add_argument("--s3-bucket", default="qr-loadtest-local", help="bucket to create")
    parser.add_argument(
        "--service-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the service (placeholders allowed)",
    )
    parser.add_argument("--profile", default="smoke", help="profile name or path (default smoke)")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=120,
        help="hard bound on the load, whatever the profile says (default 120)",
    )
    parser.add_argument(
        "--ready-path", default="/health", help="polled until 200 (default /health)"
    )
    parser.add_argument(
        "--results",
        type=Path,
        help="results directory (default loadtests/results/<profile>-<time>)",
    )
    args = parser.parse_args(argv)
    if not args.service_cmd:
        parser.error("give --service-cmd or set LOADTEST_SERVICE_CMD")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    results = (args.results or HERE / "results" / f"{Path(args.profile).stem}-{stamp}").resolve()
    results.mkdir(parents=True, exist_ok=True)
    values = {"host": HOST, "port": str(free_port()), "s3_port": str(free_port())}
    try:
        return run(args, values, results)
    except RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def run(args: argparse.Namespace, values: dict[str, str], results: Path) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOADTEST_")}
    service_env = {**env, "HOST": HOST, "PORT": values["port"]}
    with ExitStack() as stack:
        if args.s3_cmd:
            s3_log = results / "s3.log"
            s3 = stack.enter_context(
                started("S3 server", _command(args.s3_cmd, values, "--s3-cmd"), env, s3_log)
            )
            wait_until(lambda: port_open(int(values["s3_port"])), s3, "S3 server", s3_log, 60)
            endpoint = f"http://{HOST}:{values['s3_port']}"
            if not http_ok(f"{endpoint}/{args.s3_bucket}", "PUT"):
                raise RunError(f"cannot create bucket {args.s3_bucket} at {endpoint}")
            service_env.update(
                S3_ENDPOINT_URL=endpoint,
                S3_BUCKET_NAME=args.s3_bucket,
                AWS_REGION="us-east-1",
                AWS_ACCESS_KEY_ID="testing",
                AWS_SECRET_ACCESS_KEY="testing",
            )
        for item in args.service_env:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise RunError(f"--service-env: expected KEY=VALUE, got {item!r}")
            service_env[key] = _command(shlex.quote(value), values, "--service-env")[0]
        log = results / "service.log"
        service = stack.enter_context(
            started(
                "QR service", _command(args.service_cmd, values, "--service-cmd"), service_env, log
            )
        )
        url = f"http://{HOST}:{values['port']}"
        wait_until(lambda: http_ok(url + args.ready_path), service, "QR service", log, 60)
        print(
            f"QR service up at {url} (log {_shown(log)}); running profile {args.profile}",
            flush=True,
        )
        return run_locust(args, url, results, service.pid)
    return 2  # unreachable: the with block returns


def run_locust(args: argparse.Namespace, url: str, results: Path, service_pid: int) -> int:
    env = {
        **os.environ,
        "LOADTEST_PROFILE": args.profile,
        "LOADTEST_RESULTS_DIR": str(results),
        "LOADTEST_MAX_SECONDS": str(args.max_seconds),
        "MPLBACKEND": "Agg",
        "LOADTEST_SERVICE_PGID": str(service_pid),
    }
    env.pop("LOADTEST_ALLOW_REMOTE", None)
    env.pop("LOCUST_SKIP_MONKEY_PATCH", None)  # Locust needs gevent's patching to run at all
    argv = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--host",
        url,
        "--csv",
        str(results / "locust"),
        "--html",
        str(results / "locust.html"),
        "--only-summary",
    ]
    log = results / "locust.log"
    cpu_before = group_cpu_seconds(service_pid)
    with log.open("wb") as out:
        try:
            proc = subprocess.run(
                argv,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=args.max_seconds + 60,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise RunError(
                f"Locust did not finish within {args.max_seconds + 60:.0f} s; "
                f"its log ({log}) ends with:\n{_tail(log)}"
            ) from None
    cpu = group_cpu_seconds(service_pid) - cpu_before
    memory = group_peak_rss_mib(service_pid)
    verdict = results / "verdict.txt"
    if not verdict.is_file():
        raise RunError(
            f"Locust exited with code {proc.returncode} without a verdict; its log "
            f"({log}) ends with:\n{_tail(log)}"
        )
    print(verdict.read_text(), end="")
    requests = aggregated_requests(results / "locust_stats.csv")
    if requests:
        print(
            f"service CPU: {cpu * 1000:.0f} ms for {requests} requests = "
            f"{cpu * 1000 / requests:.2f} ms per request (this mix, this machine)"
        )
    if memory:
        print(f"service memory: {memory:.0f} MiB resident at most")
    print("reports:")
    for name in (
        "hpa.png",
        "requests.png",
        "hpa.csv",
        "verdict.json",
        "locust.html",
        "locust_stats.csv",
        "locust.log",
        "service.log",
    ):
        if (results / name).is_file():
            print(f"  {_shown(results / name)}")
    return proc.returncode


def aggregated_requests(stats_csv: Path) -> int:
    try:
        with stats_csv.open() as f:
            for row in csv.DictReader(f):
                if row.get("Name") == "Aggregated":
                    return int(row.get("Request Count") or 0)
    except (OSError, ValueError):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
