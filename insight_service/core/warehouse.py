"""The warehouse repository: the connection pool, ``fetch`` / ``one`` / ``transaction`` with database
failures mapped to :class:`~insight_service.core.errors.Unavailable` kinds, the schema identifiers, and
the lookups several features share (build info, API key, store timezone, last data date).

A feature's own SQL lives in its ``queries.py`` and runs through :meth:`Warehouse.fetch`. Every
query filters on the store of the API key; schema names are composed with ``psycopg.sql.Identifier``
(configurable marts schema); values are always bound.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout, TooManyRequests

from insight_service.core.errors import MartsUnavailable, QueryTimeout, Unavailable, WarehouseUnavailable
from insight_service.core.settings import Settings
from insight_service.telemetry.metrics import DB_ERRORS, DB_POOL_CONNECTIONS, DB_POOL_WAIT

log = logging.getLogger("insight_service.core.warehouse")

MISSING_OBJECT_ERRORS = (pg_errors.UndefinedTable, pg_errors.UndefinedColumn, pg_errors.InvalidSchemaName,
                         pg_errors.UndefinedFunction)


# the attribution model reports use when the marts' build names none this service knows
FALLBACK_ATTRIBUTION_MODEL = "linear"


def last_data_date_query(marts: sql.Identifier) -> sql.Composed:
    """The last data date of store %(store)s: the end of its data range in fct_store_data_dates, the
    one definition the signals mart, every default window and the budget optimizer use."""
    return sql.SQL("select last_data_date as last_date from {m}.fct_store_data_dates "
                   "where store_id = %(store)s").format(m=marts)


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
    """Runs the service's queries on a pool; maps database failures to ``Unavailable`` errors."""

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
            DB_ERRORS.labels(kind="unavailable").inc()
            raise WarehouseUnavailable("the warehouse is not answering; try again shortly",
                                       details={"reason": type(exc).__name__}) from exc
        except pg_errors.QueryCanceled as exc:
            DB_ERRORS.labels(kind="timeout").inc()
            raise QueryTimeout("the query took longer than the statement timeout",
                               details={"statement_timeout_ms": self.settings.statement_timeout_ms}) from exc
        except MISSING_OBJECT_ERRORS as exc:
            DB_ERRORS.labels(kind="marts_missing").inc()
            log.error("marts query failed (not built or not per contract): %s", exc)
            raise MartsUnavailable("the marts are not available (not built yet, or not per contract)",
                                   details={"reason": str(exc).splitlines()[0]}) from exc
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            DB_ERRORS.labels(kind="unavailable").inc()
            raise WarehouseUnavailable("the warehouse is not answering; try again shortly",
                                       details={"reason": type(exc).__name__}) from exc

    @contextlib.contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        """A pooled connection; records the wait for it and the pool's use (insights_db_pool_*)."""
        started = time.perf_counter()
        try:
            with self.pool.connection() as conn:
                DB_POOL_WAIT.observe(time.perf_counter() - started)
                self._publish_pool()
                yield conn
        except (PoolTimeout, TooManyRequests):  # no connection came: the whole wait counts
            DB_POOL_WAIT.observe(time.perf_counter() - started)
            raise
        finally:
            self._publish_pool()

    def _publish_pool(self) -> None:
        stats = self.pool.get_stats()
        idle = stats.get("pool_available", 0)
        DB_POOL_CONNECTIONS.labels(state="used").set(max(stats.get("pool_size", 0) - idle, 0))
        DB_POOL_CONNECTIONS.labels(state="idle").set(idle)

    def fetch(self, query: sql.Composable,
              params: Sequence[Any] | dict[str, Any] | None = None) -> list[dict[str, Any]]:
        with self._mapped_errors(), self._connection() as conn:
            return conn.execute(query, params).fetchall()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        """One pooled connection inside a transaction (committed on exit, rolled back on an error),
        for writes whose statements must see each other under one lock; same error mapping as fetch."""
        with self._mapped_errors(), self._connection() as conn, conn.transaction():
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
            raise Unavailable("the service's schema is not migrated: run `insights keys create` "
                              "or `insights serve` once", code="not_migrated") from exc

    def last_data_date(self, store_id: str) -> dt.date | None:
        row = self.one(last_data_date_query(self.m), {"store": store_id})
        return row["last_date"] if row else None

    def store(self, store_id: str) -> dict[str, Any] | None:
        """The store's row of marts.dim_stores (name, currency, timezone, industry), None when unknown."""
        return self.one(sql.SQL(
            "select store_id, store_name as name, currency, timezone, industry from {m}.dim_stores "
            "where store_id = %s").format(m=self.m), (store_id,))

    def store_timezone(self, store_id: str) -> str | None:
        """The store's IANA timezone (marts.dim_stores), None for a store the marts do not know."""
        row = self.one(sql.SQL("select timezone from {m}.dim_stores where store_id = %s").format(m=self.m),
                       (store_id,))
        return row["timezone"] if row else None
