"""The connection pool and every query the service runs (all parameterised; marts only).

Each query filters on the store of the API key. Schema names are composed with
``psycopg.sql.Identifier`` (configurable marts schema); values are always bound.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout, TooManyRequests

from insight_service.api.config import Settings
from insight_service.api.errors import ServiceUnavailable

log = logging.getLogger("insight_service.api.db")

MISSING_OBJECT_ERRORS = (pg_errors.UndefinedTable, pg_errors.UndefinedColumn, pg_errors.InvalidSchemaName,
                         pg_errors.UndefinedFunction)


class WarehouseUnavailable(ServiceUnavailable):
    code = "warehouse_unavailable"


class MartsUnavailable(ServiceUnavailable):
    code = "marts_unavailable"


class QueryTimeout(ServiceUnavailable):
    code = "query_timeout"


def make_pool(settings: Settings) -> ConnectionPool:
    options = f"-c statement_timeout={int(settings.statement_timeout_ms)}"
    return ConnectionPool(
        settings.conninfo,
        min_size=settings.pool_min_size,
        max_size=settings.pool_size,
        open=True,
        check=ConnectionPool.check_connection,
        kwargs={
            "autocommit": True,
            "row_factory": dict_row,
            "options": options,
            "application_name": "insights-api",
            "connect_timeout": max(1, int(settings.pool_timeout_s)),
        },
        timeout=settings.pool_timeout_s,
        reconnect_timeout=settings.pool_reconnect_timeout_s,
        name="insights-api",
    )


class Warehouse:
    """Runs the service's queries on a pool; maps database failures to 503 envelopes."""

    def __init__(self, settings: Settings, pool: ConnectionPool | None = None):
        self.settings = settings
        self.pool = pool if pool is not None else make_pool(settings)
        self.m = sql.Identifier(settings.marts_schema)
        self.a = sql.Identifier(settings.app_schema)

    def close(self) -> None:
        self.pool.close()

    # ---- plumbing ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _mapped_errors(self) -> Iterator[None]:
        try:
            yield
        except (PoolTimeout, TooManyRequests) as exc:
            raise WarehouseUnavailable("the warehouse is not answering; try again shortly",
                                       details={"reason": type(exc).__name__}) from exc
        except pg_errors.QueryCanceled as exc:
            raise QueryTimeout("the query took longer than the statement timeout",
                               details={"statement_timeout_ms": self.settings.statement_timeout_ms}) from exc
        except MISSING_OBJECT_ERRORS as exc:
            log.error("marts query failed (not built or not per contract): %s", exc)
            raise MartsUnavailable("the marts are not available (not built yet, or not per contract)",
                                   details={"reason": str(exc).splitlines()[0]}) from exc
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            raise WarehouseUnavailable("the warehouse is not answering; try again shortly",
                                       details={"reason": type(exc).__name__}) from exc

    def fetch(self, query: sql.Composable,
              params: Sequence[Any] | dict[str, Any] | None = None) -> list[dict[str, Any]]:
        with self._mapped_errors(), self.pool.connection() as conn:
            return conn.execute(query, params).fetchall()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        """One pooled connection inside a transaction (committed on exit, rolled back on an error),
        for writes whose statements must see each other under one lock; same 503 mapping as fetch."""
        with self._mapped_errors(), self.pool.connection() as conn, conn.transaction():
            yield conn

    def one(self, query: sql.Composable, params: Any = None) -> dict[str, Any] | None:
        rows = self.fetch(query, params)
        return rows[0] if rows else None

    # ---- meta ----------------------------------------------------------------------------

    def build_info(self) -> dict[str, Any] | None:
        return self.one(sql.SQL(
            "select build_id, built_at, attribution_default_model from {m}.mart_build_info "
            "order by built_at desc nulls last limit 1").format(m=self.m))

    def api_key(self, key_id: str) -> dict[str, Any] | None:
        try:
            return self.one(sql.SQL(
                "select key_id, store_id, key_hash, revoked_at from {a}.api_keys where key_id = %s"
            ).format(a=self.a), (key_id,))
        except MartsUnavailable as exc:
            raise ServiceUnavailable("the service's schema is not migrated: run `insights keys create` "
                                     "or `insights serve` once", code="not_migrated") from exc

    def last_data_date(self, store_id: str) -> dt.date | None:
        row = self.one(sql.SQL(
            "select max(period_start) as last_date from {m}.fct_unified_metrics "
            "where store_id = %s and period = 'daily' and source = 'all' and channel = 'overall'"
        ).format(m=self.m), (store_id,))
        return row["last_date"] if row else None

    def store_timezone(self, store_id: str) -> str | None:
        """The store's IANA timezone (marts.dim_stores), None for a store the marts do not know."""
        row = self.one(sql.SQL("select timezone from {m}.dim_stores where store_id = %s").format(m=self.m),
                       (store_id,))
        return row["timezone"] if row else None

    # ---- marts ---------------------------------------------------------------------------

    def period_channel_totals(self, store_id: str, previous_start: dt.date, start: dt.date,
                              end: dt.date) -> list[dict[str, Any]]:
        """Sums per channel rollup (source 'all') and the store rollup (channel 'overall') for the
        previous window [previous_start, start) and the current one [start, end]."""
        return self.fetch(sql.SQL(
            "select channel, period_start >= %(start)s as is_current, sum(revenue) as revenue, "
            "sum(cost) as cost, sum(profit) as profit, sum(conversions) as conversions, "
            "sum(sessions) as sessions "
            "from {m}.fct_unified_metrics "
            "where store_id = %(store)s and period = 'daily' and source = 'all' "
            "and period_start between %(previous_start)s and %(end)s "
            "group by 1, 2"
        ).format(m=self.m), {"store": store_id, "previous_start": previous_start, "start": start, "end": end})

    def daily_series(self, store_id: str, start: dt.date, end: dt.date,
                     channels: Sequence[str]) -> list[dict[str, Any]]:
        """Per channel, dense arrays (one value per day of [start, end], 0 on days without a
        row) of daily revenue and cost (rounded to cents) and conversions (4 places)."""
        return self.fetch(sql.SQL(
            "with days as (select d::date as date from generate_series(%(start)s::date, %(end)s::date, "
            "  interval '1 day') as d), "
            "channels as (select unnest(%(channels)s::text[]) as channel), "
            "daily as (select period_start, channel, revenue, cost, conversions from {m}.fct_unified_metrics "
            "  where store_id = %(store)s and period = 'daily' and source = 'all' "
            "  and period_start between %(start)s and %(end)s) "
            "select channels.channel, "
            "array_agg(round(coalesce(daily.revenue, 0), 2)::float8 order by days.date) as revenue, "
            "array_agg(round(coalesce(daily.cost, 0), 2)::float8 order by days.date) as cost, "
            "array_agg(round(coalesce(daily.conversions, 0), 4)::float8 order by days.date) as conversions "
            "from channels cross join days "
            "left join daily on daily.channel = channels.channel and daily.period_start = days.date "
            "group by channels.channel"
        ).format(m=self.m), {"store": store_id, "start": start, "end": end, "channels": list(channels)})

    def channel_totals(self, store_id: str, start: dt.date, end: dt.date,
                       channels: Sequence[str]) -> list[dict[str, Any]]:
        """Range sums of one or more channels (for ROI and benchmark values)."""
        return self.fetch(sql.SQL(
            "select channel, sum(revenue) as revenue, sum(cost) as cost, sum(profit) as profit, "
            "sum(conversions) as conversions, sum(sessions) as sessions, sum(clicks) as clicks, "
            "sum(impressions) as impressions, sum(engagements) as engagements, "
            "sum(bounce_rate * sessions) filter (where bounce_rate is not null) as bounce_weighted, "
            "sum(sessions) filter (where bounce_rate is not null) as bounce_sessions, "
            "sum(avg_session_duration_s * sessions) filter (where avg_session_duration_s is not null) "
            "  as duration_weighted, "
            "sum(sessions) filter (where avg_session_duration_s is not null) as duration_sessions "
            "from {m}.fct_unified_metrics "
            "where store_id = %(store)s and period = 'daily' and source = 'all' "
            "and channel = any(%(channels)s) and period_start between %(start)s and %(end)s "
            "group by channel"
        ).format(m=self.m), {"store": store_id, "start": start, "end": end, "channels": list(channels)})

    def attribution(self, store_id: str, start: dt.date, end: dt.date,
                    models: Sequence[str]) -> list[dict[str, Any]]:
        return self.fetch(sql.SQL(
            "select model, channel, sum(attributed_conversions) as conversions, "
            "sum(attributed_revenue) as revenue, sum(attributed_profit) as profit "
            "from {m}.fct_channel_attribution_daily "
            "where store_id = %(store)s and date between %(start)s and %(end)s and model = any(%(models)s) "
            "group by model, channel"
        ).format(m=self.m), {"store": store_id, "start": start, "end": end, "models": list(models)})

    def markov_transitions(self, store_id: str, first_month: dt.date, last_month: dt.date) -> list[dict[str, Any]]:
        """The store's first-order Markov input summed over the months (marts.fct_markov_transitions:
        transition counts are additive across months, so a range costs a few dozen rows)."""
        return self.fetch(sql.SQL(
            "select kind, from_state, to_state, sum(weight)::float8 as weight, "
            "sum(conversions)::float8 as conversions, sum(conversion_value)::float8 as conversion_value "
            "from {m}.fct_markov_transitions "
            "where store_id = %(store)s and month_start between %(first)s and %(last)s "
            "group by kind, from_state, to_state"
        ).format(m=self.m), {"store": store_id, "first": first_month, "last": last_month})

    def benchmark_industries(self) -> list[str]:
        rows = self.fetch(sql.SQL("select distinct industry from {m}.dim_benchmarks").format(m=self.m))
        return sorted(r["industry"] for r in rows if r["industry"])

    def benchmark_window(self, store_id: str, channel: str, industry: str,
                         start: dt.date, end: dt.date) -> list[dict[str, Any]]:
        """The channel's metrics over the range rated by the warehouse (the function
        ``benchmark_window`` that dbt builds from macros/benchmarks.sql, the same rule and FX
        conversion as fct_benchmark_comparison): one row per band metric, values unrounded."""
        return self.fetch(sql.SQL(
            "select metric, industry, value, poor, average, good, excellent, direction, unit, currency, "
            "benchmark_currency, fx_rate, fx_rate_date, value_in_benchmark_currency, rating, rating_reason "
            "from {m}.benchmark_window(%(store)s, %(channel)s, %(industry)s, %(start)s, %(end)s)"
        ).format(m=self.m), {"store": store_id, "channel": channel, "industry": industry, "start": start, "end": end})

    def store_benchmark_industry(self, store_id: str) -> str | None:
        """The industry the store's benchmarks are read for (marts.dim_stores), None if unknown."""
        row = self.one(sql.SQL("select benchmark_industry from {m}.dim_stores where store_id = %s")
                       .format(m=self.m), (store_id,))
        return row["benchmark_industry"] if row else None

    def calendar(self, store_id: str, start: dt.date, end: dt.date,
                 channel: str | None = None) -> list[dict[str, Any]]:
        return self.fetch(sql.SQL(
            "select scheduled_date as date, item_type, item_id, channel, title, status "
            "from {m}.fct_marketing_calendar "
            "where store_id = %(store)s and scheduled_date between %(start)s and %(end)s "
            "and (%(channel)s::text is null or channel = %(channel)s::text) "
            "order by scheduled_date, item_type, item_id"
        ).format(m=self.m), {"store": store_id, "start": start, "end": end, "channel": channel})
