"""What ``/healthz`` and ``/readyz`` report. Anonymous callers get the status only; with a key,
``/healthz`` adds the build, each raw source's freshness now (status by the build's thresholds) and
the last finished pipeline run (neither ever fails the health check except by the warehouse being
down), ``/readyz`` the build and the marts it misses. Every check is bounded by
INSIGHTS_HEALTH_TIMEOUT_S (Warehouse.bounded): a slow or absent database is a 503 within a second."""
from __future__ import annotations

import logging
from typing import Any

from insight_service.api.health import queries
from insight_service.core.errors import Unavailable, WarehouseUnavailable
from insight_service.core.numbers import iso
from insight_service.core.warehouse import Warehouse

log = logging.getLogger("insight_service.api.health")

STATUS_ORDER = {"ok": 0, "warn": 1, "error": 2}


def source_freshness(wh: Warehouse) -> dict[str, Any] | None:
    """Per raw table: last load and its age *now* (status by the build's thresholds), from
    marts.mart_source_freshness; None when that mart is not built (yet)."""
    if not queries.relation_exists(wh, wh.settings.marts_schema, "mart_source_freshness"):
        return None
    rows = queries.source_freshness_rows(wh)
    sources = []
    for r in rows:
        age = float(r["age_hours"]) if r["age_hours"] is not None else None
        sources.append({
            "source_table": r["source_table"],
            "last_loaded_at": iso(r["last_loaded_at"]),
            "age_hours": round(age, 2) if age is not None else None,
            "status": r["status"],
            "rows": int(r["rows"]) if r["rows"] is not None else None,
        })
    worst = max((s["status"] for s in sources), key=STATUS_ORDER.__getitem__, default="ok")
    return {"status": worst, "checked_at": iso(rows[0]["checked_at"]) if rows else None,
            "warn_after_hours": rows[0]["warn_after_hours"] if rows else None,
            "error_after_hours": rows[0]["error_after_hours"] if rows else None,
            "sources": sources}


def last_pipeline_run(wh: Warehouse) -> dict[str, Any] | None:
    """Status and finish time of the last finished refresh (nothing else: /healthz is anonymous);
    None before migration 003 or the first run. Never fails the health check."""
    if not queries.relation_exists(wh, wh.settings.app_schema, "pipeline_runs"):
        return None
    try:
        row = queries.last_finished_run(wh)
    except WarehouseUnavailable:
        raise  # the warehouse is down: /healthz answers 503 as before
    except Exception as exc:  # e.g. no privilege on the table: health is still answered
        log.warning("healthz: cannot read the last pipeline run: %s", str(exc).splitlines()[0] if str(exc) else exc)
        return None
    return {"status": row["status"], "finished_at": row["finished_at"].isoformat()} if row else None


# the marts without which no report can be served
READY_MARTS = ["dim_stores", "fct_channel_attribution_daily", "fct_unified_metrics", "mart_build_info"]


def _build(wh: Warehouse) -> dict[str, Any]:
    row = wh.build_info()
    if row is None:
        raise Unavailable("the marts have no build yet (marts.mart_build_info is empty)", code="marts_unavailable")
    return row


def readiness(wh: Warehouse, detailed: bool) -> dict[str, Any]:
    """The /readyz data: the warehouse answers, the core marts exist and have a build; else 503."""
    missing = queries.missing_relations(wh, wh.settings.marts_schema, READY_MARTS)
    if missing:
        raise Unavailable("the marts are not built yet", code="marts_unavailable",
                          details={"missing_marts": missing} if detailed else None)
    row = _build(wh)
    if not detailed:
        return {"status": "ready"}
    return {"status": "ready", "build_id": row["build_id"], "built_at": iso(row["built_at"]), "missing_marts": []}


def health(wh: Warehouse, detailed: bool = True) -> dict[str, Any]:
    """The /healthz data (the status only unless ``detailed``); 503 (marts_unavailable) before the first build."""
    row = _build(wh)
    if not detailed:
        return {"status": "ok"}
    built_at = row["built_at"].isoformat() if row["built_at"] else None
    return {"status": "ok", "build_id": row["build_id"],
            "built_at": built_at,
            "attribution_default_model": row["attribution_default_model"],
            "build": {"build_id": row["build_id"], "built_at": built_at},
            "freshness": source_freshness(wh),
            "last_run": last_pipeline_run(wh)}
