"""Benchmark the QR API: requests/s per core and p50/p99 latency, generate and cache-hit paths.

In one run, against one local moto S3 server, it measures
  seed-naive   the seed's approach: new boto3 client, generate and upload on every request,
  naive-shared the same with one shared boto3 client (a fairer baseline),
  ours         this service (python -m qr_service),
each as a single uvicorn process. "Per core" divides completed requests by the CPU seconds
the server process used (from /proc), so the load generator and moto sharing the machine do
not skew it. Server time comes from the Server-Timing header both apps send.

All traffic goes to 127.0.0.1; every scenario stops after --requests requests or --seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import boto3
import httpx
from moto.server import ThreadedMotoServer

HERE = Path(__file__).resolve().parent
# cache-hit-c1 repeats the cache-hit path one request at a time: its server time is the
# processing time without queueing behind other in-flight requests (the 2 ms target).
PATHS = ("generate", "cache-hit", "cache-hit-c1")
TARGET_GENERATE_RATIO = 3.0
TARGET_CACHE_HIT_SERVER_MS = 2.0


@dataclass(frozen=True)
class Variant:
    name: str
    argv: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()


VARIANTS = (
    Variant(
        "seed-naive",
        ("-m", "uvicorn", "naive_app:app", "--no-access-log"),
        (("NAIVE_CLIENT", "per-request"),),
    ),
    Variant("naive-shared", ("-m", "uvicorn", "naive_app:app", "--no-access-log")),
    Variant("ours", ("-m", "qr_service")),
)


@dataclass(frozen=True)
class Result:
    variant: str
    path: str
    requests: int
    errors: int
    wall_s: float
    cpu_s: float
    p50_ms: float
    p99_ms: float
    server_p50_ms: float
    server_p99_ms: float

    @property
    def per_core(self) -> float:
        return self.requests / self.cpu_s if self.cpu_s else float("inf")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid`, all threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@contextmanager
def s3_server() -> Iterator[str]:
    # moto logs a traceback when the naive app overwrites one key concurrently (its own race);
    # it answers 500 and boto3 retries, which the naive app's CPU time includes.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@contextmanager
def app_server(variant: Variant, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    port = free_port()
    argv = [sys.executable, *variant.argv, "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [*argv, "--log-level", "warning"], cwd=HERE, env={**env, **dict(variant.env)}
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{variant.name} did not start (exit code {process.poll()})")
            time.sleep(0.1)
        yield base_url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


async def drive(
    base_url: str, bodies: Sequence[dict[str, str]], concurrency: int, seconds: float
) -> tuple[list[float], list[float], int]:
    """POST each body (stopping at the deadline); client latencies, server times, errors."""
    latencies: list[float] = []
    server_times: list[float] = []
    errors = 0
    pending = iter(bodies)
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal errors
            for body in pending:
                if time.monotonic() > deadline:
                    return
                started = time.perf_counter()
                response = await client.post("/api/qr", json=body)
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    errors += 1
                timing = response.headers.get("server-timing", "")
                if "dur=" in timing:
                    server_times.append(float(timing.split("dur=", 1)[1]))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, server_times, errors


def measure(
    variant: Variant, path: str, base_url: str, pid: int, args: argparse.Namespace
) -> Result:
    run = uuid.uuid4().hex[:8]
    concurrency = 1 if path == "cache-hit-c1" else args.concurrency
    if path == "generate":
        bodies = [{"data": f"https://example.com/{run}/item/{i}"} for i in range(args.requests)]
    else:
        hot = {"data": f"https://example.com/{run}/hot"}
        asyncio.run(drive(base_url, [hot] * 10, 2, args.seconds))  # warm-up, not measured
        bodies = [hot] * args.requests
    cpu_before, wall_before = cpu_seconds(pid), time.perf_counter()
    latencies, server_times, errors = asyncio.run(
        drive(base_url, bodies, concurrency, args.seconds)
    )
    wall, cpu = time.perf_counter() - wall_before, cpu_seconds(pid) - cpu_before
    return Result(
        variant.name,
        path,
        len(latencies),
        errors,
        round(wall, 3),
        round(cpu, 3),
        round(percentile(latencies, 0.50), 3),
        round(percentile(latencies, 0.99), 3),
        round(percentile(server_times, 0.50), 3),
        round(percentile(server_times, 0.99), 3),
    )


def print_results(results: Sequence[Result]) -> None:
    header = (
        f"{'variant':<13} {'path':<12} {'reqs':>5} {'errs':>4} {'req/s':>7} {'cpu s':>6} "
        f"{'cpu ms/req':>10} {'req/s/core':>10} {'p50 ms':>7} {'p99 ms':>7} {'srv p50':>7} "
        f"{'srv p99':>7}"
    )
    print(header)
    for r in results:
        print(
            f"{r.variant:<13} {r.path:<12} {r.requests:>5} {r.errors:>4} "
            f"{r.requests / r.wall_s:>7.1f} {r.cpu_s:>6.2f} {r.cpu_s * 1000 / r.requests:>10.2f} "
            f"{r.per_core:>10.1f} "
            f"{r.p50_ms:>7.2f} {r.p99_ms:>7.2f} {r.server_p50_ms:>7.2f} {r.server_p99_ms:>7.2f}"
        )


def print_ratios(results: Sequence[Result]) -> bool:
    by_key = {(r.variant, r.path): r for r in results}
    ok = True
    for baseline in ("seed-naive", "naive-shared"):
        for path in PATHS:
            ours, base = by_key.get(("ours", path)), by_key.get((baseline, path))
            if ours and base:
                ratio = ours.per_core / base.per_core
                print(f"ours / {baseline:<12} {path:<12} {ratio:6.1f}x per core")
    ours_generate, seed_generate = (
        by_key.get(("ours", "generate")),
        by_key.get(("seed-naive", "generate")),
    )
    if ours_generate and seed_generate:
        ratio = ours_generate.per_core / seed_generate.per_core
        met = ratio >= TARGET_GENERATE_RATIO
        ok &= met
        print(
            f"target: generate >= {TARGET_GENERATE_RATIO}x the seed per core: {ratio:.1f}x "
            f"{'met' if met else 'NOT met'}"
        )
    if hit := by_key.get(("ours", "cache-hit-c1")):
        met = hit.server_p50_ms < TARGET_CACHE_HIT_SERVER_MS
        ok &= met
        print(
            f"target: cache-hit server time (one at a time) < {TARGET_CACHE_HIT_SERVER_MS} ms: p50 "
            f"{hit.server_p50_ms:.2f} ms, p99 {hit.server_p99_ms:.2f} ms "
            f"{'met' if met else 'NOT met'}"
        )
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=400, help="per scenario (default 400)")
    parser.add_argument("--seconds", type=float, default=20.0, help="per scenario (default 20)")
    parser.add_argument("--concurrency", type=int, default=8, help="in-flight requests (default 8)")
    parser.add_argument("--variants", default="seed-naive,naive-shared,ours")
    parser.add_argument("--skip-render", action="store_true", help="skip the qrcode/segno table")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if not args.skip_render:
        import render_bench

        render_bench.report(200)
        print()
    chosen = [v for v in VARIANTS if v.name in args.variants.split(",")]
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_REGION": "us-east-1",
        "S3_BUCKET_NAME": f"qr-bench-{uuid.uuid4().hex[:8]}",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
    }
    results: list[Result] = []
    with s3_server() as endpoint:
        env["S3_ENDPOINT_URL"] = endpoint
        boto3.client(
            "s3",
            region_name="us-east-1",
            endpoint_url=endpoint,
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        ).create_bucket(Bucket=env["S3_BUCKET_NAME"])
        for variant in chosen:
            with app_server(variant, env) as (base_url, pid):
                results.extend(measure(variant, path, base_url, pid, args) for path in PATHS)
    print(
        f"API: {args.concurrency} concurrent, up to {args.requests} requests or "
        f"{args.seconds:g} s per scenario, one uvicorn process per variant, moto S3 on loopback"
    )
    print_results(results)
    print()
    ok = print_ratios(results)
    if args.json:
        args.json.write_text(
            json.dumps([asdict(r) | {"per_core": r.per_core} for r in results], indent=2)
        )
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
