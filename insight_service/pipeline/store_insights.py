"""Insight generation for a list of stores: ``insights.service.generate`` once per store (LLM
when ``OPENAI_API_KEY`` is set, templates otherwise). A store's failure is recorded in its
result and never stops the others.

``generate`` runs its queries through core's ``Warehouse`` (a small psycopg pool); it is
imported here, lazily, and nowhere else in the pipeline.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from insight_service.pipeline.cancel import Cancel
from insight_service.pipeline.per_store import failed

GenerateFn = Callable[[str], dict[str, Any]]


def service_generator() -> tuple[GenerateFn, Callable[[], None]]:
    """``generate(store_id)`` bound to a Warehouse on the PG* connection, and its ``close``."""
    from insight_service.core.settings import Settings
    from insight_service.core.warehouse import Warehouse
    from insight_service.insights import service
    from insight_service.insights.config import LifecycleConfig, LLMConfig

    # the PG* variables (what dbt just built), not INSIGHTS_DATABASE_URL; one connection suffices
    settings = Settings.from_env({"conninfo": "", "pool_size": 1, "pool_min_size": 1, "rate_limit": None,
                                  "cache_backend": "none"})
    warehouse = Warehouse(settings)
    llm = LLMConfig.from_env()
    lifecycle = LifecycleConfig.from_env()
    return (lambda store_id: service.generate(warehouse, store_id, llm, lifecycle=lifecycle)), warehouse.close


def generate_for(stores: Iterable[str], generate: GenerateFn, *, cancel: Cancel | None = None,
                 say: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """One result per store: ``{store_id, result: ok|failed|cancelled, ...}``."""
    say = say or (lambda _m: None)
    out: list[dict[str, Any]] = []
    for store_id in stores:
        if cancel is not None and cancel.is_set():
            out.append({"store_id": store_id, "result": "cancelled"})
            continue
        started = time.monotonic()
        try:
            data = generate(store_id)
        except Exception as exc:  # one store's failure must not stop the others
            item = failed(store_id, exc, started)
            out.append(item)
            say(f"  insights: {store_id}: FAILED {item['error']}")
            continue
        item = {"store_id": store_id, "result": "ok", "path": data.get("path"),
                "insights": len(data.get("insights") or []), "created": data.get("created", 0),
                "refreshed": data.get("refreshed", 0), "suppressed": data.get("suppressed", 0),
                "reason": data.get("reason"),
                "duration_s": round(time.monotonic() - started, 2)}
        out.append(item)
        say(f"  insights: {store_id}: {item['insights']} insight(s) ({item['path']}, "
            f"{item['created']} new, {item['refreshed']} refreshed, {item['suppressed']} suppressed)")
    return out
