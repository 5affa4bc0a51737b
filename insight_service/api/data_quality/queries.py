"""SQL of the data-quality report: quarantine counts per (table, reason) and the latest quarantined rows."""
from __future__ import annotations

from typing import Any

from psycopg import sql

from insight_service.core.warehouse import Warehouse

# the store's rows, optionally of one raw table and one reason
WHERE = sql.SQL("store_id = %(store)s and (%(table)s::text is null or table_name = %(table)s::text) "
                "and (%(reason)s::text is null or reason = %(reason)s::text)")


def quarantine_counts(wh: Warehouse, params: dict[str, Any]) -> list[dict[str, Any]]:
    return wh.fetch(sql.SQL(
        "select table_name, reason, rows, detected_at "
        "from {m}.data_quality_summary where {where} "
        "order by rows desc, table_name, reason").format(m=wh.m, where=WHERE), params)


def quarantine_examples(wh: Warehouse, params: dict[str, Any]) -> list[dict[str, Any]]:
    return wh.fetch(sql.SQL(
        "select table_name, row_key, reason, details, raw_loaded_at, detected_at "
        "from {m}.data_quality_issues where {where} "
        "order by raw_loaded_at desc nulls last, table_name, row_key, reason limit %(examples)s"
    ).format(m=wh.m, where=WHERE), params)
