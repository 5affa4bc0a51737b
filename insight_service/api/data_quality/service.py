"""The store's quarantine report: counts, the latest examples, when it was computed."""
from __future__ import annotations

from typing import Any

from insight_service.api.data_quality import queries
from insight_service.core.numbers import iso
from insight_service.core.warehouse import Warehouse
from insight_service.warehouse.raw_schema import STORELESS_TABLES


def quarantine(wh: Warehouse, store: str, examples: int, table: str | None, reason: str | None) -> dict[str, Any]:
    params = {"store": store, "table": table, "reason": reason, "examples": examples}
    counts = queries.quarantine_counts(wh, params)
    rows = queries.quarantine_examples(wh, params) if examples else []
    detected = [c["detected_at"] for c in counts if c["detected_at"] is not None]
    return {
        "total": sum(int(c["rows"]) for c in counts),
        "excluding_duplicates": sum(int(c["rows"]) for c in counts if c["reason"] != "duplicate"),
        "counts": [{"table_name": c["table_name"], "reason": c["reason"], "rows": int(c["rows"])} for c in counts],
        "examples": [{"table_name": r["table_name"], "row_key": r["row_key"], "reason": r["reason"],
                      "details": r["details"], "raw_loaded_at": iso(r["raw_loaded_at"]),
                      "detected_at": iso(r["detected_at"])} for r in rows],
        "detected_at": iso(max(detected)) if detected else None,
        "excluded_tables": list(STORELESS_TABLES),
    }
