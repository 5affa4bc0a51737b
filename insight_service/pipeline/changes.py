"""Which stores' marts changed since the last successful refresh.

The incremental marts stamp every row a dbt run (re)writes with the run's start
(``run_started_at``): ``fct_unified_metrics.built_at`` and ``fct_order_attribution.processed_at``.
A store changed when it has a row stamped after the *watermark*: the latest stamp that the
last successful refresh accounted for (``pipeline_runs.marts_watermark``). Rows written by a
failed refresh, or by an `insights build` run by hand, carry later stamps, so the next
successful refresh picks them up; a run with no new data keeps the watermark where it was.

This query is the only place that knows how "changed" is read from the marts (a dedicated
small mart may replace it).
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

# (mart, stamp column) pairs: every incremental mart whose rows carry the run that wrote them
STAMPED_MARTS: tuple[tuple[str, str], ...] = (
    ("fct_unified_metrics", "built_at"),
    ("fct_order_attribution", "processed_at"),
)


@dataclasses.dataclass
class ChangedStores:
    stores: dict[str, dt.datetime]          # store_id -> its latest stamp after the watermark
    watermark: dt.datetime | None           # the new watermark (>= the one given)
    missing_marts: list[str] = dataclasses.field(default_factory=list)

    @property
    def store_ids(self) -> list[str]:
        return sorted(self.stores)


def changed_stores(conn: psycopg.Connection, since: dt.datetime | None, marts_schema: str = "marts") -> ChangedStores:
    """Stores with mart rows stamped after ``since`` (None: every store with stamped rows)."""
    stores: dict[str, dt.datetime] = {}
    missing: list[str] = []
    for mart, column in STAMPED_MARTS:
        query = sql.SQL(
            "select store_id, max({col}) from {table} "
            "where {col} > coalesce(%s::timestamptz, '-infinity'::timestamptz) group by store_id"
        ).format(col=sql.Identifier(column), table=sql.Identifier(marts_schema, mart))
        try:
            with conn.transaction():
                rows = conn.execute(query, (since,)).fetchall()
        except (pg_errors.UndefinedTable, pg_errors.UndefinedColumn, pg_errors.InvalidSchemaName):
            missing.append(mart)  # not built (yet): nothing to read
            continue
        for store_id, stamp in rows:
            if store_id is not None and stamp is not None and (store_id not in stores or stamp > stores[store_id]):
                stores[store_id] = stamp
    latest = max(stores.values(), default=None)
    watermark = max((t for t in (since, latest) if t is not None), default=None)
    return ChangedStores(stores, watermark, missing)
