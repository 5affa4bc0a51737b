"""Serving benchmark (issue 17): `insights serve` under many connections, a realistic mix and slow clients.

Starts ``insights serve`` (``--server granian`` by default, or ``gunicorn``) on loopback against the database
named by the PG* variables (the marts must exist: ``insights load-sample --scale 1 && insights build``),
with a temporary API key of the store with the most daily rows (deleted at the end), the per-key and
anonymous rate limits off (one key makes all the traffic) and the response cache on (``memory``, or Redis
with ``INSIGHTS_REDIS_URL``). Scenarios (``--only``, comma-separated):

- ``throughput``: wrk, 64 connections on a cached ``/dashboard`` (req/s);
- ``connections``: wrk, ``--connections`` (1,000) connections on the dashboard's cached endpoints in turn;
- ``slowloris``: ``--slow`` (100) sockets hold half a request line while wrk (64 connections) reads the
  cached endpoints;
- ``mix``: ``--users`` (1,000) simulated users, each on its own keep-alive connection (asyncio, raw
  sockets): load the dashboard's calls one after the other, think 5–15 s, again, for ``--mix-seconds``.

Each prints p50/p95/p99 (ms), req/s, errors (non-2xx/304, socket errors, timeouts) and dropped (a connection
closed before its answer). The fault scenarios (bench/serving_faults.py) start a server of their own each and
print a block of lines each: ``dbdown`` (the database refuses connections for ``--down-seconds``: breaker,
503 and /healthz latency, recovery), ``llmhang`` (``--jobs`` generation jobs hang on an LLM that never answers
while another store's dashboard is read with wrk), ``budgetflood`` (50 identical cold budget plans of one store
while another store's /calendar is read). wrk must be installed (``apt-get install wrk``).
Settings of the server under test come from the environment (e.g. ``INSIGHTS_KEY_CACHE_S=0`` or
``INSIGHTS_FAST_PATH=off`` for an A/B run; granian reads its other options from ``GRANIAN_*`` variables, e.g.
``GRANIAN_RUNTIME_THREADS=2`` or ``GRANIAN_BACKPRESSURE=64``).

    PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE=warehouse .venv/bin/python bench/serving_benchmark.py
    ... bench/serving_benchmark.py --server gunicorn --only throughput,slowloris
    ... bench/serving_benchmark.py --only dbdown,llmhang,budgetflood
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

from bench import serving_faults  # noqa: E402
from bench.api_benchmark import free_port, pg_conninfo, pick_store, say, wait_healthy  # noqa: E402
from insight_service.api.web import auth  # noqa: E402
from insight_service.warehouse.migrations import migrate  # noqa: E402
from pytests.support.server import stop_server  # noqa: E402

BASE = "/api/marketing/analytics"
# what the dashboard's overview asks for on load (frontend/src/lib/dashboard.js, Header.jsx, views/)
DASHBOARD_CALLS = ["/dashboard?days=30", "/dashboard?days=90", "/data-quality?examples=0", "/insights",
                   "/calendar?days=30"]
LOAD_SCENARIOS = ("throughput", "connections", "slowloris", "mix")
FAULT_SCENARIOS = ("dbdown", "llmhang", "budgetflood")
SCENARIOS = LOAD_SCENARIOS + FAULT_SCENARIOS

WRK_SCRIPT = """
paths = {%(paths)s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Authorization"] = "Bearer %(key)s"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%.3f %%.3f %%.3f\\n", summary.requests,
    summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def run_wrk(port: int, key: str, paths: list[str], connections: int, seconds: int, threads: int = 2) -> dict:
    """wrk against ``paths`` in turn; its Lua ``done`` prints the counts and percentiles (ms)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": ", ".join(f'"{BASE}{p}"' for p in paths), "key": key})
    try:
        out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
                              "--timeout", "10s", "-s", script.name, f"http://127.0.0.1:{port}/"],
                             capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    finally:
        os.unlink(script.name)
    match = re.search(r"^RESULT (.*)$", out, re.M)
    if not match:
        raise SystemExit(f"wrk printed no result:\n{out}")
    n, duration_us, connect, read, write, status, timeout_, p50, p95, p99 = match.group(1).split()
    return {"requests": int(n), "rps": int(n) / (int(duration_us) / 1e6), "p50": float(p50), "p95": float(p95),
            "p99": float(p99), "errors": int(status) + int(timeout_) + int(connect) + int(write),
            "dropped": int(read)}


def open_slow_clients(port: int, n: int) -> list[socket.socket]:
    """``n`` sockets that send half a request line and then nothing (a slow-loris)."""
    held = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET " + BASE.encode() + b"/dashboard?da")
        held.append(s)
    return held


async def _user(port: int, key: str, until: float, latencies: list[float], counts: dict, kinds: dict,
                rng: random.Random):
    """One simulated user: a keep-alive connection, the dashboard's calls in a row, think 5-15 s, again."""
    reader = writer = None
    await asyncio.sleep(rng.uniform(0, 10))  # users arrive over the first 10 s
    while time.monotonic() < until:
        for path in DASHBOARD_CALLS:
            try:
                if writer is not None and reader.at_eof():  # the server closed it while we thought: as browsers do
                    writer.close()
                    writer = None
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                start = time.monotonic()
                writer.write(f"GET {BASE}{path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {key}\r\n\r\n"
                             .encode())
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
                length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))
                await asyncio.wait_for(reader.readexactly(length), 10)
                latencies.append(time.monotonic() - start)
                status = int(head.split(b" ", 2)[1])
                counts["ok" if status in (200, 304) else "errors"] += 1
                if status not in (200, 304):
                    kind = f"{status} {path.split('?')[0]}"
                    kinds[kind] = kinds.get(kind, 0) + 1
                if re.search(rb"(?i)connection:\s*close", head):
                    writer.close()
                    writer = None
            except (asyncio.IncompleteReadError, ConnectionError):
                counts["dropped"] += 1
                writer = None
            except (TimeoutError, OSError, AttributeError, ValueError) as exc:
                counts["errors"] += 1
                kind = f"{type(exc).__name__} {path.split('?')[0]}"
                kinds[kind] = kinds.get(kind, 0) + 1
                writer = None
        await asyncio.sleep(rng.uniform(5, 15))
    if writer is not None:
        writer.close()


def run_mix(port: int, key: str, users: int, seconds: int) -> dict:
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0, "dropped": 0}
    kinds: dict[str, int] = {}  # what the errors were
    rng = random.Random(17)

    async def main():
        until = time.monotonic() + seconds
        await asyncio.gather(*(_user(port, key, until, latencies, counts, kinds, rng) for _ in range(users)))

    start = time.monotonic()
    asyncio.run(main())
    wall = time.monotonic() - start
    latencies.sort()

    def pct(q):
        return 1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")

    return {"requests": len(latencies), "rps": len(latencies) / wall, "p50": pct(0.5), "p95": pct(0.95),
            "p99": pct(0.99), "errors": counts["errors"], "dropped": counts["dropped"], "kinds": kinds}


def start_server(args: argparse.Namespace, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, int]:
    """``insights serve`` on a free port with the benchmark's settings (+ ``extra_env``), once healthy."""
    port = free_port()
    env = {**os.environ, "INSIGHTS_RATE_LIMIT": "off", "INSIGHTS_ANON_RATE_LIMIT": "off",
           "INSIGHTS_LOG_LEVEL": "WARNING",
           "INSIGHTS_CACHE_BACKEND": os.environ.get("INSIGHTS_CACHE_BACKEND", "memory"), **(extra_env or {})}
    argv = [sys.executable, "-m", "insight_service.cli", "serve", "--port", str(port), "--server", args.server,
            "--workers", str(args.workers), "--threads", str(args.threads)]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(port, proc)
    except BaseException:
        stop_server(proc)
        raise
    return proc, port


def run_load(args: argparse.Namespace, scenarios: list[str], key: str) -> dict[str, dict]:
    results: dict[str, dict] = {}
    proc, port = start_server(args)
    try:
        run_wrk(port, key, DASHBOARD_CALLS, 16, 2)  # warm-up: every worker's cache and pool
        for scenario in scenarios:
            say(f"{scenario} ...")
            if scenario == "throughput":
                results[scenario] = run_wrk(port, key, DASHBOARD_CALLS[:1], 64, args.seconds)
            elif scenario == "connections":
                results[scenario] = run_wrk(port, key, DASHBOARD_CALLS, args.connections, args.seconds)
            elif scenario == "slowloris":
                held = open_slow_clients(port, args.slow)
                try:
                    results[scenario] = run_wrk(port, key, DASHBOARD_CALLS, 64, args.seconds)
                finally:
                    for s in held:
                        s.close()
            else:
                results[scenario] = run_mix(port, key, args.users, args.mix_seconds)
    finally:
        stop_server(proc)
    return results


def run_fault(args: argparse.Namespace, scenario: str, keys: dict[str, str], store: str) -> list[str]:
    """One fault scenario against a server of its own; ``keys``: a key per store (``store`` is the main one)."""
    say(f"{scenario} ...")
    others = [k for s, k in keys.items() if s != store]
    if scenario == "dbdown":
        proxy = serving_faults.PgProxy(os.environ.get("PGHOST") or "127.0.0.1", int(os.environ.get("PGPORT", "5432")))
        proxy.up()
        try:
            proc, port = start_server(args, {"PGHOST": "127.0.0.1", "PGPORT": str(proxy.port),
                                             "INSIGHTS_DATABASE_URL": ""})
            try:
                return serving_faults.db_down(port, keys[store], proxy, args.down_seconds)
            finally:
                stop_server(proc)
        finally:
            proxy.close()
    if scenario == "llmhang":
        llm = serving_faults.HangingLLM()
        try:
            proc, port = start_server(args, {"OPENAI_API_KEY": "bench-not-a-key", "OPENAI_BASE_URL": llm.base_url})
            try:
                run_wrk(port, keys[store], DASHBOARD_CALLS, 16, 2)  # warm-up
                job_threads = args.workers * int(os.environ.get("INSIGHTS_JOB_WORKERS", "2"))
                return serving_faults.llm_hang(port, keys[store], others, llm, args.jobs, job_threads, run_wrk,
                                               DASHBOARD_CALLS, args.seconds)
            finally:
                llm.close()  # the hung calls fail now: the jobs end and the server stops without waiting for them
                stop_server(proc)
        finally:
            llm.close()
    proc, port = start_server(args)
    try:
        reader = others[0]
        serving_faults.Client(port, reader).get("/calendar?days=30")  # warm: cached as a user would have it
        return serving_faults.budget_flood(port, keys[store], reader, "/calendar?days=30")
    finally:
        stop_server(proc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", choices=("granian", "gunicorn"), default="granian")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--only", default=",".join(SCENARIOS), help=f"comma-separated, of {', '.join(SCENARIOS)}")
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--slow", type=int, default=100, help="slow-loris sockets (default 100)")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--mix-seconds", type=int, default=40)
    parser.add_argument("--down-seconds", type=float, default=12, help="dbdown: how long the database is away")
    parser.add_argument("--jobs", type=int, default=10, help="llmhang: generation jobs posted (default 10)")
    args = parser.parse_args(argv)
    scenarios = [s for s in args.only.split(",") if s]
    if set(scenarios) - set(SCENARIOS) or not shutil.which("wrk"):
        parser.error(f"--only takes {', '.join(SCENARIOS)}; wrk must be on PATH")

    conninfo = pg_conninfo(os.environ.get("PGDATABASE"))
    marts = os.environ.get("INSIGHTS_MARTS_SCHEMA") or "marts"
    with psycopg.connect(conninfo) as conn:
        migrate(conn)
        store = pick_store(conn, marts)
        stores = [store] + [r[0] for r in conn.execute(sql.SQL(
            "select store_id from {}.dim_stores where store_id <> %s order by store_id").format(sql.Identifier(marts)),
            (store,))]
        created = {s: auth.create_key(conn, s, "serving_benchmark (temporary)") for s in stores}
        conn.commit()
    keys = {s: key for s, (_, key) in created.items()}
    results: dict[str, dict] = {}
    faults: dict[str, list[str]] = {}
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    load_before = os.getloadavg()
    try:
        load = [s for s in scenarios if s in LOAD_SCENARIOS]
        if load:
            results = run_load(args, load, keys[store])
        for scenario in (s for s in scenarios if s in FAULT_SCENARIOS):
            faults[scenario] = run_fault(args, scenario, keys, store)
    finally:
        with psycopg.connect(conninfo) as conn:
            conn.execute("delete from app.api_keys where key_id = any(%s)", ([kid for kid, _ in created.values()],))
    settings = ", ".join(f"{k}={os.environ[k]}" for k in sorted(os.environ)
                         if k in ("INSIGHTS_KEY_CACHE_S", "INSIGHTS_FAST_PATH", "INSIGHTS_CACHE_BACKEND")
                         or k.startswith("GRANIAN_"))
    print(f"server {args.server}, {args.workers} workers x {args.threads} threads, store {store}"
          f"{', ' + settings if settings else ''}")
    print(f"started {started}, load average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f} "
          f"({os.cpu_count()} cores)")
    if results:
        print(f"{'scenario':<12} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'errors':>7} {'dropped':>8}")
    for name, r in results.items():
        print(f"{name:<12} {r['requests']:>9} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} "
              f"{r['errors']:>7} {r['dropped']:>8}")
        if r.get("kinds"):
            print(f"{'':<12} errors: {r['kinds']}")
    for name, lines in faults.items():
        print(f"{name}:")
        for line in lines:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
