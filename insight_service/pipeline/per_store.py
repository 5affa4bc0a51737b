"""One job per store, in worker processes when there are cores to use: the refresh's per-store fits
(forecasts, budget curves) are CPU-bound Python, so threads would share one core.

A job is a module-level function ``job(conn, store_id) -> dict`` (picklable: a function or a
functools.partial of one). With one process (or one store) it runs here, on the caller's
connection, one store after the other. Otherwise each worker process connects to the same database
as the caller's connection (its conninfo and password, never the environment) and runs the job for
one store at a time. A store's failure is its own result; a lost warehouse fails the whole run.
"""
from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from typing import Any

import psycopg

Job = Callable[[psycopg.Connection, str], dict[str, Any]]

PROCESSES_ENV = "INSIGHTS_FIT_PROCESSES"
MAX_DEFAULT_PROCESSES = 4
WAREHOUSE_GONE = "warehouse_gone"


def fit_processes() -> int:
    """$INSIGHTS_FIT_PROCESSES, else the machine's cores (at most 4: each holds a warehouse connection)."""
    raw = os.environ.get(PROCESSES_ENV, "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            raise ValueError(f"{PROCESSES_ENV} must be a whole number of processes, got {raw!r}") from None
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_PROCESSES))


def failed(store_id: str, exc: BaseException, started: float) -> dict[str, Any]:
    message = " ".join(str(exc).split())[:300] or type(exc).__name__
    return {"store_id": store_id, "result": "failed", "error": f"{type(exc).__name__}: {message}",
            "duration_s": round(time.monotonic() - started, 2)}


def run_here(job: Job, conn: psycopg.Connection, store_id: str) -> dict[str, Any]:
    started = time.monotonic()
    try:
        return job(conn, store_id)
    except (psycopg.OperationalError, psycopg.InterfaceError):
        raise  # the warehouse is gone: the run fails as a whole
    except Exception as exc:  # one store's failure must not stop the others
        return failed(store_id, exc, started)


def _in_worker(job: Job, conninfo: str, password: str | None, store_id: str) -> dict[str, Any]:
    """A worker process's side: its own connection, the job, and an exception turned into data
    (psycopg's errors do not always survive pickling)."""
    started = time.monotonic()
    try:
        with psycopg.connect(conninfo, password=password, autocommit=True,
                             application_name="insights-refresh-worker") as conn:
            return run_here(job, conn, store_id)
    except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
        return {**failed(store_id, exc, started), WAREHOUSE_GONE: True}


def run_per_store(stores: Iterable[str], job: Job, conn: psycopg.Connection, *, processes: int = 1,
                  is_cancelled: Callable[[], bool] = lambda: False,
                  on_result: Callable[[dict[str, Any]], None] = lambda _r: None) -> list[dict[str, Any]]:
    """``job`` for every store; results in the order of ``stores``. A store not started when the run is
    cancelled gets ``result: cancelled``; the stores already running finish first."""
    stores = list(stores)
    if processes <= 1 or len(stores) <= 1:
        out = []
        for store_id in stores:
            item = {"store_id": store_id, "result": "cancelled"} if is_cancelled() else run_here(job, conn, store_id)
            on_result(item)
            out.append(item)
        return out

    results: dict[str, dict[str, Any]] = {}
    context = multiprocessing.get_context("spawn")  # never fork a process that holds connections and threads
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(processes, len(stores)), mp_context=context) as pool:
        pending = {pool.submit(_in_worker, job, conn.info.dsn, conn.info.password, s): s for s in stores}
        gone: str | None = None
        for future in concurrent.futures.as_completed(pending):
            store_id = pending[future]
            try:
                item = future.result()
            except concurrent.futures.CancelledError:
                continue
            except Exception as exc:  # the worker process itself died
                item = failed(store_id, exc, time.monotonic())
            if item.pop(WAREHOUSE_GONE, False):
                gone = gone or item["error"]
            results[store_id] = item
            on_result(item)
            if is_cancelled() or gone:
                for other in pending:
                    other.cancel()
    if gone:
        raise psycopg.OperationalError(f"a fit worker lost the warehouse: {gone}")
    out = []
    for store_id in stores:
        if store_id not in results:
            results[store_id] = {"store_id": store_id, "result": "cancelled"}
            on_result(results[store_id])
        out.append(results[store_id])
    return out
