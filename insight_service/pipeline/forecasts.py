"""The refresh's ``forecasts`` step: refit the forecasts (insight_service.forecast) of the stores whose
marts changed since the last successful refresh, and of the stores that have no stored fit yet (a new
store, or the first refresh after migration 005). A store's failure is recorded in its result and never
stops the others.
"""
from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from typing import Any

import psycopg

from insight_service.pipeline.cancel import Cancel
from insight_service.pipeline.per_store import run_per_store


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


def fit_store(conn: psycopg.Connection, store_id: str, marts_schema: str, reselect: bool = False) -> dict[str, Any]:
    """Fit and store one store's forecasts (a per-store job: pipeline.per_store); series whose stored model
    selection is younger than RESELECT_DAYS refit that model alone, unless ``reselect``."""
    from insight_service.forecast import fit, store

    started = time.monotonic()
    previous = None if reselect else store.calibrations(conn, store_id)
    result = fit.forecast_store(conn, store_id, marts_schema, previous=previous)
    rows = store.save(conn, result)
    return {**fit.summary(result), "result": "ok", "rows": rows, "duration_s": round(time.monotonic() - started, 2)}


def selects(conn: psycopg.Connection, store_id: str, marts_schema: str) -> bool:
    """Will the store's next fit select models (no stored selection for some series, or one too old)?"""
    from insight_service.forecast import fit, store

    span = fit.data_range(conn, store_id, marts_schema)
    if span is None:
        return False
    stored = store.calibrations(conn, store_id)
    return not stored or len(fit.reusable(stored, span[1])) < len(stored)


def fit_stores(conn: psycopg.Connection, stores: Iterable[str], marts_schema: str, *,
               cancel: Cancel | None = None, say: Callable[[str], None] | None = None,
               processes: int = 1, reselect: bool = False) -> list[dict[str, Any]]:
    """Fit and store each store's forecasts, ``processes`` stores at a time; one result per store
    (``result``: ok|failed|cancelled)."""
    say = say or (lambda _m: None)

    def report(item: dict[str, Any]) -> None:
        if item["result"] == "failed":
            say(f"  forecasts: {item['store_id']}: FAILED {item['error']}")
        elif item["result"] == "ok":
            refits = f" ({item['refitted']} refitted on their stored selection)" if item.get("refitted") else ""
            say(f"  forecasts: {item['store_id']}: {item['status']}, {item['series']} series{refits}, "
                f"{item['rows']:,} day rows ({item['duration_s']:.1f}s)")

    if processes > 1 and not reselect and not any(selects(conn, s, marts_schema) for s in stores):
        processes = 1  # refits only (~0.2 s of CPU a store): starting worker processes would cost more
    job = functools.partial(fit_store, marts_schema=marts_schema, reselect=reselect)
    return run_per_store(stores, job, conn, processes=processes,
                         is_cancelled=cancel.is_set if cancel is not None else (lambda: False), on_result=report)
