"""Load benchmark of the insight API: gunicorn on loopback, every read endpoint, p50/p95/p99.

The service runs under gunicorn (as `insights serve` runs it) against the database named by
the PG* variables (the marts must exist there), or, with ``--fixture``, against a throwaway
database on that server loaded with the API tests' hand-written marts. A temporary API key
is created for the store (default: the store with the most daily rows) and deleted at the end.

Each endpoint gets ``--requests`` requests from ``--concurrency`` client threads (http.client,
one keep-alive connection per thread); the script prints per endpoint the latency
percentiles and the throughput. Traffic goes only to 127.0.0.1; every loop is bounded.

    PGHOST=127.0.0.1 PGUSER=postgres .venv/bin/python bench/api_benchmark.py --fixture
    PGHOST=... PGDATABASE=warehouse .venv/bin/python bench/api_benchmark.py --store shop_1 \\
        --concurrency 16 --requests 500 --cache off --vary

``--cache off`` runs the service with INSIGHTS_CACHE_BACKEND=none (every request queries the
marts); ``--vary`` gives each request its own date window (end dates spread over the last
year of data), which defeats the response cache even when it is on.

``GET /budget/optimize`` gets a distinct ``total_budget`` per request (always a cold plan) in two
rows: ``budget optimize`` on the curves `insights refresh` stores (fitted here first for the
store, as the refresh does, unless ``--no-budget-curves``) and ``budget optimize fitted``
(``lookback_days=91``: no stored curves, fitted per request as before), with at most
``--budget-requests`` requests (default 40) for the latter.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

from insight_service.api.web import auth  # noqa: E402
from insight_service.cli.serve import gunicorn_argv  # noqa: E402
from insight_service.warehouse.migrations import migrate  # noqa: E402
from pytests.support.server import stop_server  # noqa: E402

BASE = "/api/marketing/analytics"
ENDPOINTS = [
    ("dashboard", "/dashboard", {}),
    ("attribution linear", "/attribution", {"model": "linear"}),
    ("attribution data_driven", "/attribution", {"model": "data_driven"}),
    ("attribution all", "/attribution", {"model": "all"}),
    ("roi ads", "/roi/ads", {}),
    ("benchmarks ads", "/benchmarks/ads", {}),
    ("calendar", "/calendar", {}),
    ("export channels.csv", "/export/channels.csv", {}),
    ("export timeseries.csv", "/export/timeseries.csv", {}),
    ("export calendar.csv", "/export/calendar.csv", {}),
    ("insights", "/insights", {"status": "all"}),
    ("data-quality", "/data-quality", {}),
    ("healthz", "/healthz", {}),
    # the optimizer: each request its own total (cold); stored curves, then fitted per request
    ("budget optimize", "/budget/optimize", {"total_budget": "20000"}),
    ("budget optimize fitted", "/budget/optimize", {"total_budget": "20000", "lookback_days": "91"}),
]
BUDGET_PATH = "/budget/optimize"


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_conninfo(dbname: str | None = None) -> str:
    return psycopg.conninfo.make_conninfo("", **({"dbname": dbname} if dbname else {}))


class FixtureDatabase:
    """A throwaway database holding pytests/api/fixtures.sql (dropped at the end)."""

    def __init__(self):
        from pytests.api.fixtures import load_marts

        self.name = f"api_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(pg_conninfo("postgres"), autocommit=True) as admin:
            admin.execute(sql.SQL("create database {}").format(sql.Identifier(self.name)))
        load_marts(pg_conninfo(self.name))

    def drop(self) -> None:
        with psycopg.connect(pg_conninfo("postgres"), autocommit=True) as admin:
            admin.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = %s "
                          "and pid <> pg_backend_pid()", (self.name,))
            admin.execute(sql.SQL("drop database if exists {}").format(sql.Identifier(self.name)))


def pick_store(conn, marts: str) -> str:
    row = conn.execute(sql.SQL(
        "select store_id from {}.fct_unified_metrics where period = 'daily' and source = 'all' "
        "and channel = 'overall' group by store_id order by count(*) desc, store_id limit 1"
    ).format(sql.Identifier(marts))).fetchone()
    if row is None:
        raise SystemExit("the marts have no daily rows: nothing to benchmark (build them, or use --fixture)")
    return row[0]


def last_date(conn, marts: str, store: str) -> dt.date:
    return conn.execute(sql.SQL(
        "select max(period_start) from {}.fct_unified_metrics where store_id = %s and period = 'daily' "
        "and source = 'all' and channel = 'overall'").format(sql.Identifier(marts)), (store,)).fetchone()[0]


class Client:
    """One keep-alive HTTP connection per thread."""

    def __init__(self, port: int, key: str):
        self.port = port
        self.headers = {"Authorization": f"Bearer {key}"}
        self.local = threading.local()

    def get(self, path: str) -> tuple[int, float]:
        status, elapsed, _ = self.get_with_headers(path)
        return status, elapsed

    def get_with_headers(self, path: str) -> tuple[int, float, dict[str, str]]:
        for attempt in (1, 2):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=self.headers)
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    self.local.conn = None
                return response.status, elapsed, dict(response.getheaders())
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), int(-(-q * len(sorted_values) // 100))))
    return sorted_values[rank - 1]


def run_endpoint(client: Client, path: str, params: dict, n: int, concurrency: int,
                 vary_end: list[dt.date] | None, seed: int) -> dict:
    rng = random.Random(seed)
    urls = []
    for i in range(n):
        query = dict(params)
        if path == BUDGET_PATH:  # a distinct total per request: never a cached plan
            query["total_budget"] = f"{float(params['total_budget']) + 0.01 * (i + 1) + 1000 * seed:.2f}"
        elif vary_end:
            end = rng.choice(vary_end)
            query.update({"end_date": end.isoformat(), "days": str(rng.choice((7, 30, 90)))})
        urls.append(BASE + path + ("?" + urllib.parse.urlencode(query) if query else ""))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(client.get, urls))
    wall = time.perf_counter() - started
    latencies = sorted(r[1] * 1000 for r in results)
    statuses: dict[int, int] = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "requests": n,
        "statuses": statuses,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "mean_ms": statistics.fmean(latencies),
        "rps": n / wall,
    }


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            body = response.read()
            conn.close()
            if response.status == 200:
                return
            say(f"healthz: {response.status} {body[:200]!r}")
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not become healthy in time")


def fit_budget_curves(conninfo: str, marts: str, store: str) -> str:
    """Fit and store the store's budget curves on the current build, as `insights refresh` does."""
    from insight_service.pipeline.budget_curves import fit_store

    with psycopg.connect(conninfo, autocommit=True) as conn:
        build = conn.execute(sql.SQL("select build_id from {} order by built_at desc nulls last limit 1").format(
            sql.Identifier(marts, "mart_build_info"))).fetchone()
        if build is None:
            return "skipped (no mart_build_info)"
        started = time.perf_counter()
        result = fit_store(conn, store, str(build[0]), marts)
    return f"{result['result']} in {time.perf_counter() - started:.1f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixture", action="store_true", help="use a throwaway database with the test fixture marts")
    parser.add_argument("--store", help="store to query (default: the one with the most daily rows)")
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint (default 200)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--cache", choices=("on", "off"), default="on", help="response cache (default on)")
    parser.add_argument("--vary", action="store_true", help="a different date window per request")
    parser.add_argument("--only", help="comma-separated endpoint labels to run (default: all)")
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument("--budget-requests", type=int, default=40,
                        help="requests of `budget optimize fitted` (each fits the curves; default 40)")
    parser.add_argument("--no-budget-curves", action="store_true",
                        help="do not fit the store's budget curves first (use what the refresh stored)")
    args = parser.parse_args(argv)
    if not (1 <= args.requests <= 100_000 and 1 <= args.concurrency <= 256):
        parser.error("--requests must be 1..100000 and --concurrency 1..256")

    if not os.environ.get("PGHOST"):
        from insight_service.warehouse import connection

        connection.resolve_environment()  # the embedded server, as the CLI does
    fixture = FixtureDatabase() if args.fixture else None
    dbname = fixture.name if fixture else os.environ.get("PGDATABASE")
    marts = os.environ.get("INSIGHTS_MARTS_SCHEMA") or "marts"
    proc = None
    key_id = None
    conninfo = pg_conninfo(dbname)
    try:
        with psycopg.connect(conninfo) as conn:
            migrate(conn)
            conn.commit()
            store = args.store or ("store_a" if fixture else pick_store(conn, marts))
            end = last_date(conn, marts, store)
            key_id, key = auth.create_key(conn, store, "api_benchmark (temporary)")
            conn.commit()
        if not args.no_budget_curves and not fixture:
            say(f"budget curves of {store}: {fit_budget_curves(conninfo, marts, store)}")
        vary_end = [end - dt.timedelta(days=i) for i in range(0, 365)] if (args.vary and end) else None

        port = free_port()
        # latency of every request, not the per-store bulkhead: one store sends all of them here
        env = {**os.environ, "INSIGHTS_RATE_LIMIT": "off", "INSIGHTS_LOG_LEVEL": "WARNING",
               "INSIGHTS_HEAVY_PER_STORE": os.environ.get("INSIGHTS_HEAVY_PER_STORE", str(max(args.concurrency, 2))),
               "INSIGHTS_CACHE_BACKEND": os.environ.get("INSIGHTS_CACHE_BACKEND", "memory")
               if args.cache == "on" else "none"}
        if dbname:
            env["PGDATABASE"] = dbname
        cmd = gunicorn_argv("127.0.0.1", port, args.workers, 120, args.threads, access_log=False)
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait_healthy(port, proc)
        client = Client(port, key)

        selected = [e for e in ENDPOINTS if not args.only or e[0] in args.only.split(",")]
        for label, path, params in selected:  # warm-up: caches, pools, imports (of every worker: concurrently)
            url = BASE + path + ("?" + urllib.parse.urlencode(params) if params else "")
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                answers = list(pool.map(client.get_with_headers, [url] * args.concurrency))
            if any(status != 200 for status, _, _ in answers):
                say(f"warning: {label} answered {[a[0] for a in answers]} on warm-up")
            if path == BUDGET_PATH:
                say(f"{label}: X-Budget-Curves {sorted({str(a[2].get('X-Budget-Curves')) for a in answers})}")

        say(f"store {store}, last date {end}, {args.workers} workers x {args.threads} threads, "
            f"concurrency {args.concurrency}, {args.requests} requests/endpoint, cache {args.cache}"
            f"{', varying windows' if args.vary else ''}")
        results = {}
        header = f"{'endpoint':<26}{'req':>6}{'ok':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}"
        print(header)
        print("-" * len(header))
        for i, (label, path, params) in enumerate(selected):
            n = min(args.requests, args.budget_requests) if label == "budget optimize fitted" else args.requests
            r = run_endpoint(client, path, params, n, args.concurrency, vary_end, seed=i)
            results[label] = r
            ok = r["statuses"].get(200, 0)
            print(f"{label:<26}{r['requests']:>6}{ok:>6}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
                  f"{r['p99_ms']:>9.1f}{r['rps']:>9.0f}", flush=True)
            if ok != r["requests"]:
                say(f"  non-200 answers for {label}: {r['statuses']}")
        if args.json:
            Path(args.json).write_text(json.dumps({"settings": vars(args), "store": store, "results": results},
                                                  indent=2, default=str))
        return 0 if all(r["statuses"].get(200, 0) == r["requests"] for r in results.values()) else 1
    finally:
        if proc is not None:
            stop_server(proc)
        if key_id and not fixture:
            with psycopg.connect(conninfo) as conn:
                conn.execute("delete from app.api_keys where key_id = %s", (key_id,))
                conn.commit()
        if fixture:
            fixture.drop()


if __name__ == "__main__":
    sys.exit(main())
