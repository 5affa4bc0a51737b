"""Every metric the service exports, defined once (README "Operating it" lists them).

prometheus_client writes each value to a file of PROMETHEUS_MULTIPROC_DIR when that variable is set
before this module is imported (``insights serve`` sets it for the gunicorn workers), so the counts of
all workers add up in one scrape; without it (tests, one process) the values live in the default registry.
Gauges therefore name their multiprocess mode.
"""
from __future__ import annotations

import os
import re

from prometheus_client import Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNMATCHED_ROUTE = "<unmatched>"

# ---- HTTP ----------------------------------------------------------------------------------------
HTTP_REQUESTS = Counter("insights_http_requests_total", "HTTP requests answered, by Flask url rule",
                        ["route", "method", "status"])
HTTP_DURATION = Histogram("insights_http_request_duration_seconds", "Time to answer a request",
                          ["route", "method"], buckets=LATENCY_BUCKETS)
RATE_LIMITED = Counter("insights_rate_limited_total", "Requests refused with 429 by the rate limiter", ["route"])
CACHE_REQUESTS = Counter("insights_cache_requests_total", "Response cache lookups (miss: computed)",
                         ["endpoint", "result"])

# ---- warehouse pool ------------------------------------------------------------------------------
DB_POOL_CONNECTIONS = Gauge("insights_db_pool_connections", "Pooled connections in use / idle, all workers",
                            ["state"], multiprocess_mode="livesum")
DB_POOL_WAIT = Histogram("insights_db_pool_wait_seconds", "Time to get a pooled connection",
                         buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
DB_ERRORS = Counter("insights_db_errors_total",
                    "Warehouse failures, by kind (unavailable, timeout, marts_missing, circuit_open: refused at once)",
                    ["kind"])

# ---- LLM -----------------------------------------------------------------------------------------
CIRCUIT_BREAKER_STATE = Gauge("insights_circuit_breaker_state", "0 closed, 1 open, 2 half-open (worst worker)",
                              ["dependency"], multiprocess_mode="livemax")
LLM_CALLS = Counter("insights_llm_calls_total", "Insight texts by outcome (llm | fallback) and fallback reason",
                    ["outcome", "reason"])
LLM_DURATION = Histogram("insights_llm_call_duration_seconds", "Duration of one LLM HTTP call",
                         buckets=(0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0))

# ---- budget optimizer ----------------------------------------------------------------------------
OPTIMIZER_FITS = Counter("insights_optimizer_fits_total", "Budget optimizer runs, by result (ok | error)",
                         ["result"])
OPTIMIZER_FIT_DURATION = Histogram("insights_optimizer_fit_duration_seconds", "Duration of one optimizer run",
                                   buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0))


_LIVE_GAUGE_FILE = re.compile(r"gauge_live\w*?_(\d+)\.db")


def forget_dead_workers(folder: str | None) -> list[int]:
    """Drop the live gauges (pool use, breaker state) of worker processes that are gone: granian has no hook like
    gunicorn's child_exit, so a worker that starts (a respawned one too) cleans up after the dead ones."""
    if not folder or not os.path.isdir(folder):
        return []
    from prometheus_client import multiprocess

    dead = []
    for name in os.listdir(folder):
        match = _LIVE_GAUGE_FILE.fullmatch(name)
        if not match:
            continue
        pid = int(match.group(1))
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(pid, folder)
            dead.append(pid)
        except PermissionError:  # alive, another user's
            pass
    return dead
