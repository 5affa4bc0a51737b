"""Data quality for the dashboard: ``GET <base>/data-quality`` (the key's store's quarantine)
and the source freshness reported by ``/healthz``. Reads the marts only:
``data_quality_issues`` and ``mart_source_freshness``.

Registered on the analytics blueprint (``routes.bp``) when ``routes`` is imported.

Store scope: a quarantined row is shown to the store in its ``store_id`` column. Rows of the
raw tables that carry no store (``influencers`` — a directory shared by every store —,
``influencer_outreach``, ``influencer_deliveries``) have ``store_id`` null and are not shown
to any store: attributing them through their parent (campaign / contract) would mean reading
staging or raw, which the service never does, and the parent reference may itself be the bad
value. They are listed in ``excluded_tables`` and reported by ``insights validate``.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from flask import Response
from psycopg import sql
from pydantic import BaseModel, BeforeValidator, Field

from insight_service.api.openapi import RouteSpec, api_route
from insight_service.api.routes import bp, cached, ok_raw, query, state, store_id
from insight_service.api.validation import QueryModel
from insight_service.warehouse.raw_schema import RAW_TABLES, STORELESS_TABLES

STORE_TABLES: tuple[str, ...] = tuple(t for t in RAW_TABLES if t not in STORELESS_TABLES)
MAX_EXAMPLES = 100

StoreTable = Literal[
    "stores", "marketing_channels", "orders", "blog_articles", "article_daily_stats", "influencer_campaigns",
    "influencer_contracts", "social_posts_daily", "ad_campaign_daily", "marketing_spend", "web_sessions",
    "customer_identities",
]
Reason = Literal["null_key", "duplicate", "unknown_enum", "negative_value", "out_of_range", "future_timestamp",
                 "missing_value", "unknown_reference"]
assert set(StoreTable.__args__) == set(STORE_TABLES)  # type: ignore[attr-defined]
# Reason is pinned to the accepted_values of data_quality_issues.reason by pytests/test_quality_suites.py


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


class DataQualityQuery(QueryModel):
    examples: int = Field(10, ge=0, le=MAX_EXAMPLES,
                          description=f"how many of the latest quarantined rows to return (0..{MAX_EXAMPLES})")
    table: Annotated[StoreTable | None, BeforeValidator(_lower)] = Field(
        None, description="only this raw table (counts and examples)")
    reason: Annotated[Reason | None, BeforeValidator(_lower)] = Field(
        None, description="only this quarantine reason (counts and examples)")


class QuarantineCount(BaseModel):
    table_name: str
    reason: str
    rows: int


class QuarantineExample(BaseModel):
    table_name: str
    row_key: str = Field(..., description="the raw row's natural key, parts joined with '|'")
    reason: str
    details: str | None = Field(..., description="the column and value that triggered the reason")
    raw_loaded_at: dt.datetime | None = Field(..., description="_loaded_at of the raw row")
    detected_at: dt.datetime | None = Field(..., description="start of the build that quarantined it")


class DataQualityData(BaseModel):
    total: int = Field(..., description="quarantined rows of the store (after the table/reason filters)")
    excluding_duplicates: int = Field(
        ..., description="the same without `duplicate` (superseded re-deliveries of a key, not bad data)")
    counts: list[QuarantineCount] = Field(..., description="rows per (table_name, reason), largest first")
    examples: list[QuarantineExample] = Field(..., description="the latest quarantined rows (by raw_loaded_at)")
    detected_at: dt.datetime | None = Field(..., description="when the current quarantine was computed (build)")
    excluded_tables: list[str] = Field(
        ..., description="raw tables without a store_id (shared or reached through a parent): never shown")


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def quarantine(store: str, examples: int, table: str | None, reason: str | None) -> dict[str, Any]:
    warehouse = state().warehouse
    m = warehouse.m
    params = {"store": store, "table": table, "reason": reason, "examples": examples}
    where = sql.SQL("store_id = %(store)s and (%(table)s::text is null or table_name = %(table)s::text) "
                    "and (%(reason)s::text is null or reason = %(reason)s::text)")
    counts = warehouse.fetch(sql.SQL(
        "select table_name, reason, rows, detected_at "
        "from {m}.data_quality_summary where {where} "
        "order by rows desc, table_name, reason").format(m=m, where=where), params)
    rows = warehouse.fetch(sql.SQL(
        "select table_name, row_key, reason, details, raw_loaded_at, detected_at "
        "from {m}.data_quality_issues where {where} "
        "order by raw_loaded_at desc nulls last, table_name, row_key, reason limit %(examples)s"
    ).format(m=m, where=where), params) if examples else []
    detected = [c["detected_at"] for c in counts if c["detected_at"] is not None]
    return {
        "total": sum(int(c["rows"]) for c in counts),
        "excluding_duplicates": sum(int(c["rows"]) for c in counts if c["reason"] != "duplicate"),
        "counts": [{"table_name": c["table_name"], "reason": c["reason"], "rows": int(c["rows"])} for c in counts],
        "examples": [{"table_name": r["table_name"], "row_key": r["row_key"], "reason": r["reason"],
                      "details": r["details"], "raw_loaded_at": _iso(r["raw_loaded_at"]),
                      "detected_at": _iso(r["detected_at"])} for r in rows],
        "detected_at": _iso(max(detected)) if detected else None,
        "excluded_tables": list(STORELESS_TABLES),
    }


@bp.get("/data-quality")
@api_route(RouteSpec(
    summary="The store's quarantined raw rows: counts per table and reason, latest examples",
    query=DataQualityQuery, response=DataQualityData, tags=("data_quality",),
    description="From marts.data_quality_issues: raw rows excluded from the marts (null keys, unknown enum "
                "values, negative counts/amounts, future timestamps, unknown references) and superseded "
                "duplicates, for the API key's store only. Tables without a store_id (influencers, "
                "influencer_outreach, influencer_deliveries) are excluded."))
def data_quality() -> Response:
    q = query(DataQualityQuery)
    store = store_id()
    data = cached("data_quality", {"examples": q.examples, "table": q.table, "reason": q.reason},
                  lambda: quarantine(store, q.examples, q.table, q.reason), raw=True)
    return ok_raw(data)


# ---- /healthz: source freshness ---------------------------------------------------------

def _status(age_hours: float | None, warn_after: int | None, error_after: int | None) -> str:
    if age_hours is None:
        return "error"
    if error_after is not None and age_hours > error_after:
        return "error"
    if warn_after is not None and age_hours > warn_after:
        return "warn"
    return "ok"


def source_freshness(warehouse: Any) -> dict[str, Any] | None:
    """Per raw table: last load and its age *now* (status by the build's thresholds), from
    marts.mart_source_freshness; None when that mart is not built (yet)."""
    present = warehouse.one(sql.SQL("select to_regclass(format('%%I.%%I', %s::text, 'mart_source_freshness')) "
                                    "is not null as present"), (warehouse.settings.marts_schema,))
    if not present or not present["present"]:
        return None
    rows = warehouse.fetch(sql.SQL(
        "select source_table, last_loaded_at, rows, warn_after_hours, error_after_hours, status as status_at_build, "
        "extract(epoch from (now() - last_loaded_at)) / 3600.0 as age_hours, now() as checked_at "
        "from {m}.mart_source_freshness order by source_table").format(m=warehouse.m))
    sources = []
    for r in rows:
        age = float(r["age_hours"]) if r["age_hours"] is not None else None
        sources.append({
            "source_table": r["source_table"],
            "last_loaded_at": _iso(r["last_loaded_at"]),
            "age_hours": round(age, 2) if age is not None else None,
            "status": _status(age, r["warn_after_hours"], r["error_after_hours"]),
            "rows": int(r["rows"]) if r["rows"] is not None else None,
        })
    order = {"ok": 0, "warn": 1, "error": 2}
    worst = max((s["status"] for s in sources), key=order.__getitem__, default="ok")
    return {"status": worst, "checked_at": _iso(rows[0]["checked_at"]) if rows else None,
            "warn_after_hours": rows[0]["warn_after_hours"] if rows else None,
            "error_after_hours": rows[0]["error_after_hours"] if rows else None,
            "sources": sources}
