"""The refresh's ``forecasts`` step: refit the forecasts (insight_service.forecast) of the stores whose
marts changed since the last successful refresh, and of the stores that have no stored fit yet (a new
store, or the first refresh after migration 005). A store's failure is recorded in its result and never
stops the others.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import psycopg

from insight_service.pipeline.cancel import Cancel


def stores_to_fit(conn: psycopg.Connection, changed: Iterable[str], marts_schema: str) -> list[str]:
    """``changed`` plus every store with data whose fit is missing or was made on another last data day."""
    from insight_service.forecast import fit, store

    fitted = store.fitted_stores(conn)
    wanted = set(changed)
    for store_id in fit.store_ids(conn, marts_schema):
        span = fit.data_range(conn, store_id, marts_schema)
        if store_id not in fitted or (span is not None and fitted[store_id] != span[1]):
            wanted.add(store_id)
    return sorted(wanted)


def fit_stores(conn: psycopg.Connection, stores: Iterable[str], marts_schema: str, *,
               cancel: Cancel | None = None, say: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """Fit and store each store's forecasts; one result per store (``result``: ok|failed|cancelled)."""
    from insight_service.forecast import fit, store

    say = say or (lambda _m: None)
    out: list[dict[str, Any]] = []
    for store_id in stores:
        if cancel is not None and cancel.is_set():
            out.append({"store_id": store_id, "result": "cancelled"})
            continue
        started = time.monotonic()
        try:
            result = fit.forecast_store(conn, store_id, marts_schema)
            rows = store.save(conn, result)
        except (psycopg.OperationalError, psycopg.InterfaceError):
            raise  # the warehouse is gone: the run records itself failed
        except Exception as exc:  # one store's failure must not stop the others
            message = " ".join(str(exc).split())[:300] or type(exc).__name__
            out.append({"store_id": store_id, "result": "failed", "error": f"{type(exc).__name__}: {message}",
                        "duration_s": round(time.monotonic() - started, 2)})
            say(f"  forecasts: {store_id}: FAILED {type(exc).__name__}: {message}")
            continue
        item = {**fit.summary(result), "result": "ok", "rows": rows,
                "duration_s": round(time.monotonic() - started, 2)}
        out.append(item)
        say(f"  forecasts: {store_id}: {item['status']}, {item['series']} series, {rows:,} day rows "
            f"({item['duration_s']:.1f}s)")
    return out
