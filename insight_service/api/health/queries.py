"""SQL of the health check: whether a relation exists, the source freshness mart, the last pipeline run."""
from __future__ import annotations

from typing import Any

from psycopg import sql

from insight_service.core.warehouse import Warehouse


def relation_exists(wh: Warehouse, schema: str, name: str) -> bool:
    """Whether ``schema.name`` exists (a mart not built yet, a migration not applied yet)."""
    present = wh.one(sql.SQL("select to_regclass(format('%%I.%%I', %s::text, %s::text)) is not null as present"),
                     (schema, name))
    return bool(present and present["present"])


def missing_relations(wh: Warehouse, schema: str, names: list[str]) -> list[str]:
    """Those of ``names`` that do not exist in ``schema`` (one round trip)."""
    rows = wh.fetch(sql.SQL("select name from unnest(%s::text[]) as name "
                            "where to_regclass(format('%%I.%%I', %s::text, name)) is null order by name"),
                    (names, schema))
    return [r["name"] for r in rows]


def source_freshness_rows(wh: Warehouse) -> list[dict[str, Any]]:
    """Each raw table's last load, its age now and its status now by the build's thresholds (the
    warehouse's freshness_status rule, as mart_source_freshness applies it at build time)."""
    return wh.fetch(sql.SQL(
        "select *, {m}.freshness_status(age_hours, warn_after_hours, error_after_hours) as status "
        "from (select source_table, last_loaded_at, rows, warn_after_hours, error_after_hours, "
        "  (extract(epoch from (now() - last_loaded_at)) / 3600.0)::float8 as age_hours, now() as checked_at "
        "  from {m}.mart_source_freshness) as ages "
        "order by source_table").format(m=wh.m))


def last_finished_run(wh: Warehouse) -> dict[str, Any] | None:
    return wh.one(sql.SQL(
        "select status, finished_at from {a}.pipeline_runs where status in ('success', 'failed') "
        "order by finished_at desc limit 1").format(a=wh.a))
