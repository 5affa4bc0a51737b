"""The fault scenarios of bench/serving_benchmark.py (issue 17), each against a server of its own:

- ``dbdown``: the server reaches PostgreSQL through a TCP proxy of this script; the proxy closes every
  connection and stops listening (libpq gets "connection refused"), later listens again. Measured: how long
  until the breaker answers, the 503 latency after it opened (target p95 < 100 ms), ``/healthz`` (target
  < 1 s) and the time to answer 200 again once the database is back. Nothing touches the real database.
- ``llmhang``: ``OPENAI_BASE_URL`` points at a local socket that accepts and never answers; generation jobs
  are posted by the other stores while wrk reads the dashboard of one store, before and during the hang.
- ``budgetflood``: 50 identical cold ``/budget/optimize`` requests of one store at once (a budget no cache
  holds, a lookback no refresh fitted) while one closed-loop client per thread reads another store's
  ``/calendar``, before and during the flood.
"""
from __future__ import annotations

import asyncio
import contextlib
import http.client
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

BASE = "/api/marketing/analytics"


def pct(values: list[float], q: float) -> float:
    """The q-quantile of ``values`` in ms (nan when empty)."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def figures(latencies: list[float]) -> str:
    return (f"n={len(latencies)} p50 {pct(latencies, 0.5):.1f} ms, p95 {pct(latencies, 0.95):.1f} ms, "
            f"p99 {pct(latencies, 0.99):.1f} ms, max {1000 * max(latencies, default=float('nan')):.1f} ms")


class Client:
    """One keep-alive connection; ``get``/``post`` -> (status, seconds, body); a dropped connection is
    status 0 (and reopened next time)."""

    def __init__(self, port: int, key: str | None = None, timeout: float = 30):
        self.port, self.key, self.timeout = port, key, timeout
        self.conn: http.client.HTTPConnection | None = None

    def call(self, method: str, path: str) -> tuple[int, float, bytes]:
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        started = time.monotonic()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.conn.request(method, path if path.startswith("/healthz") else BASE + path, headers=headers)
            response = self.conn.getresponse()
            body = response.read()
            return response.status, time.monotonic() - started, body
        except (OSError, http.client.HTTPException):
            self.close()
            return 0, time.monotonic() - started, b""

    def get(self, path: str) -> tuple[int, float, bytes]:
        return self.call("GET", path)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# ---- a PostgreSQL that goes away ---------------------------------------------------------------------

class PgProxy:
    """A TCP proxy to PostgreSQL on its own event loop thread; ``down()`` aborts every connection and stops
    listening, ``up()`` listens again on the same port."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True, name="pg-proxy").start()
        self.server: asyncio.base_events.Server | None = None
        self.transports: set[asyncio.Transport] = set()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]

    def _run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            writer.transport.abort()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host, port = self.target
        try:
            if host.startswith("/"):  # PGHOST a socket folder
                up_reader, up_writer = await asyncio.open_unix_connection(f"{host}/.s.PGSQL.{port}")
            else:
                up_reader, up_writer = await asyncio.open_connection(host, port)
        except OSError:
            writer.transport.abort()
            return
        self.transports |= {writer.transport, up_writer.transport}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self.transports -= {writer.transport, up_writer.transport}

    async def _up(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, reuse_address=True)

    async def _down(self) -> None:
        if self.server is not None:
            self.server.close()  # no new connections: refused
            self.server = None
        for transport in list(self.transports):
            transport.abort()
        self.transports.clear()

    def up(self) -> None:
        self._run(self._up())

    def down(self) -> None:
        self._run(self._down())

    def close(self) -> None:
        self.down()
        self.loop.call_soon_threadsafe(self.loop.stop)


def db_down(port: int, key: str, proxy: PgProxy, down_s: float = 12, clients: int = 8) -> list[str]:
    """``clients`` closed-loop readers of the uncached ``/insights`` (every request reaches the database) and
    one ``/healthz`` reader every 0.2 s, while the database goes away for ``down_s`` and comes back."""
    for _ in range(3):  # warm: pools and keys of the workers
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(lambda c: c.get("/insights"), [Client(port, key) for _ in range(clients)]))
    events: list[tuple[float, int, float, str, int]] = []  # (since down, status, seconds, reason, client)
    health: list[tuple[float, int, float]] = []
    state = {"stop": False}
    lock = threading.Lock()

    def reader(index: int) -> None:
        client = Client(port, key, timeout=15)
        while not state["stop"]:
            at = time.monotonic()
            status, seconds, body = client.get("/insights")
            reason = "circuit_open" if b'"circuit_open"' in body else ""
            with lock:
                events.append((at - t0, status, seconds, reason, index))
        client.close()

    def healthz() -> None:
        client = Client(port, None, timeout=5)
        while not state["stop"]:
            at = time.monotonic()
            status, seconds, _ = client.get("/healthz")
            health.append((at - t0, status, seconds))
            time.sleep(0.2)
        client.close()

    t0 = time.monotonic()
    proxy.down()
    threads = [threading.Thread(target=reader, args=(i,)) for i in range(clients)] + [threading.Thread(target=healthz)]
    for thread in threads:
        thread.start()
    time.sleep(down_s)
    back = time.monotonic() - t0
    proxy.up()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # every client answered 200 again (so every worker it reached)
        with lock:
            recovered = {e[4] for e in events if e[0] >= back and e[1] == 200}
        if len(recovered) == clients:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    state["stop"] = True
    for thread in threads:
        thread.join(30)

    down = [e for e in events if e[0] < back]
    opened = [e for e in down if e[3] == "circuit_open"]
    first_open = min((e[0] + e[2] for e in opened), default=float("nan"))
    before = [e for e in down if e[3] != "circuit_open"]
    statuses: dict[int, int] = {}
    for e in down:
        statuses[e[1]] = statuses.get(e[1], 0) + 1
    health_down = [h for h in health if h[0] < back]
    ok_at: dict[int, float] = {}  # each client's first 200 after the database came back (s after that)
    for e in sorted(events):
        if e[0] >= back and e[1] == 200:
            ok_at.setdefault(e[4], e[0] + e[2] - back)
    first_ok = min(ok_at.values(), default=float("nan"))
    last_recovered = max(ok_at.values()) if len(ok_at) == clients else float("nan")
    return [
        f"database away {back:.1f} s ({clients} clients on /insights, uncached: every request needs the database)",
        f"  statuses while away: {dict(sorted(statuses.items()))} (0 = connection dropped)",
        f"  before the breaker answered: {len(before)} requests, max "
        f"{1000 * max((e[2] for e in before), default=0):.0f} ms (they wait the pool timeout); "
        f"first circuit_open answer {first_open:.2f} s after the outage",
        f"  503 circuit_open: {figures([e[2] for e in opened])}   (target p95 < 100 ms)",
        f"  /healthz while away: statuses {sorted({h[1] for h in health_down})}, "
        f"{figures([h[2] for h in health_down])}   (target < 1 s)",
        f"  back: first 200 after {first_ok:.2f} s, every client 200 after {last_recovered:.2f} s",
    ]


# ---- an LLM that never answers --------------------------------------------------------------------------

class HangingLLM:
    """Accepts connections, reads what comes, never answers (an OpenAI-compatible server that hangs)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True, name="hanging-llm").start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self.sock.accept()
                self.held.append(conn)  # never read to the end, never answered

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


def post_jobs(port: int, keys: list[str], n: int) -> dict[int, int]:
    """``n`` POST /insights/generate, round-robin over ``keys``; counts of their statuses."""
    statuses: dict[int, int] = {}
    for i in range(n):
        client = Client(port, keys[i % len(keys)])
        status, _, _ = client.call("POST", "/insights/generate")
        client.close()
        statuses[status] = statuses.get(status, 0) + 1
    return statuses


# ---- a flood of identical cold budget plans ----------------------------------------------------------------

def budget_flood(port: int, flood_key: str, read_key: str, read_path: str, n: int = 50, readers: int = 4,
                 baseline_s: float = 5) -> list[str]:
    budget = 10_000 + int(time.time()) % 100_000  # a total no earlier run cached
    path = f"/budget/optimize?total_budget={budget}&lookback_days=120"
    reads: list[tuple[float, float, int]] = []  # (at, seconds, status)
    state = {"stop": False}

    def reader() -> None:
        client = Client(port, read_key)
        while not state["stop"]:
            at = time.monotonic()
            status, seconds, _ = client.get(read_path)
            reads.append((at, seconds, status))
        client.close()

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    for thread in threads:
        thread.start()
    time.sleep(baseline_s)
    barrier = threading.Barrier(n)

    def flood(_: int) -> tuple[int, float]:
        client = Client(port, flood_key, timeout=120)
        client.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        client.conn.connect()
        barrier.wait(30)
        status, seconds, _ = client.get(path)
        client.close()
        return status, seconds

    flood_start = time.monotonic()
    with ThreadPoolExecutor(n) as pool:
        answers = list(pool.map(flood, range(n)))
    flood_end = time.monotonic()
    time.sleep(0.5)
    state["stop"] = True
    for thread in threads:
        thread.join(30)
    by_status: dict[int, list[float]] = {}
    for status, seconds in answers:
        by_status.setdefault(status, []).append(seconds)
    before = [r[1] for r in reads if r[0] < flood_start]
    during = [r[1] for r in reads if flood_start <= r[0] < flood_end]
    bad_reads = sum(1 for r in reads if r[2] not in (200, 304))
    lines = [f"{n} identical cold GET {path} at once ({flood_end - flood_start:.2f} s until the last answered)"]
    for status, seconds in sorted(by_status.items()):
        lines.append(f"  budget {status}: {figures(seconds)}")
    lines += [f"  another store's {read_path} ({readers} closed-loop clients), before: {figures(before)}",
              f"  same, during the flood: {figures(during)}   (reads not 200: {bad_reads})"]
    return lines


def wrk_line(label: str, r: dict) -> str:
    return (f"  {label}: {r['rps']:.0f} req/s, p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, p99 {r['p99']:.1f} ms, "
            f"errors {r['errors']}, dropped {r['dropped']}")


def llm_hang(port: int, read_key: str, job_keys: list[str], llm: HangingLLM, jobs: int, job_threads: int,
             run_wrk: Callable[..., dict], paths: list[str], seconds: int) -> list[str]:
    """wrk on one store's reads, before and while ``jobs`` generation jobs of other stores hang on the LLM
    (measured once every job thread, ``job_threads`` in all the workers, holds an LLM call, or after 15 s)."""
    baseline = run_wrk(port, read_key, paths, 64, seconds)
    statuses = post_jobs(port, job_keys, jobs)
    posted = time.monotonic()
    while len(llm.held) < min(job_threads, statuses.get(202, 0)) and time.monotonic() - posted < 15:
        time.sleep(0.1)
    held_at_start, waited = len(llm.held), time.monotonic() - posted
    during = run_wrk(port, read_key, paths, 64, seconds)
    return [f"{jobs} POST /insights/generate by {len(job_keys)} other stores: "
            f"statuses {dict(sorted(statuses.items()))} "
            f"(429 = the store's or the worker's job limit); LLM calls hanging: {held_at_start} "
            f"{waited:.1f} s after the posts (then measured), {len(llm.held)} at the end",
            wrk_line("one store's dashboard calls, 64 connections, before", baseline),
            wrk_line("same, while the jobs hang on the LLM", during)]
