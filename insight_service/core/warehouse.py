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
import math
import re
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout, TooManyRequests

from insight_service.core.breaker import ProbedBreaker
from insight_service.core.errors import MartsUnavailable, QueryTimeout, Unavailable, WarehouseUnavailable
from insight_service.core.settings import Settings
from insight_service.telemetry.metrics import DB_ERRORS, DB_POOL_CONNECTIONS, DB_POOL_WAIT

log = logging.getLogger("insight_service.core.warehouse")

MISSING_OBJECT_ERRORS = (pg_errors.UndefinedTable, pg_errors.UndefinedColumn, pg_errors.InvalidSchemaName,
                         pg_errors.UndefinedFunction)


# the object a missing-relation error names (psycopg's diag text), to say which mart in our words
MISSING_RELATION_RE = re.compile(r'relation "(?:[a-z_][a-z0-9_]*\.)?([a-z_][a-z0-9_]*)" does not exist')

# the attribution model reports use when the marts' build names none this service knows
FALLBACK_ATTRIBUTION_MODEL = "linear"


def last_data_date_query(marts: sql.Identifier) -> sql.Composed:
    """The last data date of store %(store)s: the end of its data range in fct_store_data_dates, the
    one definition the signals mart, every default window and the budget optimizer use."""
    return sql.SQL("select last_data_date as last_date from {m}.fct_store_data_dates "
                   "where store_id = %(store)s").format(m=marts)


# a connection back in the pool for less than this is handed out without a check: under load every
# checkout would otherwise pay a round trip (about 40 % of a cached answer's time, measured with py-spy);
# a connection idle longer (a database restart, an outage: the breaker keeps requests off the pool
# meanwhile) is checked before use, as before
CHECK_IDLE_AFTER_S = 2.0
# a request waiting for a pool connection looks at the breaker this often (Warehouse._getconn)
POOL_WAIT_SLICE_S = 0.1
_returned_at: weakref.WeakKeyDictionary[psycopg.Connection, float] = weakref.WeakKeyDictionary()


def _note_return(conn: psycopg.Connection) -> None:
    _returned_at[conn] = time.monotonic()


def _check_if_idle(conn: psycopg.Connection) -> None:
    returned = _returned_at.get(conn)
    if returned is None or time.monotonic() - returned >= CHECK_IDLE_AFTER_S:
        ConnectionPool.check_connection(conn)


def make_pool(settings: Settings) -> ConnectionPool:
    options = f"-c statement_timeout={int(settings.statement_timeout_ms)}"
    return ConnectionPool(
        settings.conninfo,
        min_size=settings.pool_min_size,
        max_size=settings.pool_size,
        open=True,
        check=_check_if_idle,
        reset=_note_return,
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


def missing_object_message(exc: Exception) -> tuple[str, dict[str, Any] | None]:
    """The 503 message of a missing mart or column in our words (the database's text goes to the log only)."""
    match = MISSING_RELATION_RE.search(str(exc))
    if match:
        mart = match.group(1)
        return (f"the mart {mart} is not available (not built yet, or not per contract)", {"mart": mart})
    return "the marts are not available (not built yet, or not per contract)", None


class Warehouse:
    """Runs the service's queries on a pool; maps database failures to ``Unavailable`` errors.

    A connection failure or pool timeout opens :attr:`breaker`: until a background probe reaches the
    database again every call fails at once (WarehouseUnavailable, reason ``circuit_open``)."""

    def __init__(self, settings: Settings, pool: ConnectionPool | None = None):
        self.settings = settings
        self.pool = pool if pool is not None else make_pool(settings)
        self.m = sql.Identifier(settings.marts_schema)
        self.a = sql.Identifier(settings.app_schema)
        self.breaker = ProbedBreaker(self._probe, settings.breaker_probe_s)
        self._bound = threading.local()

    def close(self) -> None:
        self.breaker.stop()
        self.pool.close()

    def _probe(self) -> None:
        """One connection outside the pool, short connect timeout: is the database back?"""
        with psycopg.connect(self.settings.conninfo, connect_timeout=max(1, math.ceil(self.settings.probe_timeout_s)),
                             autocommit=True, application_name="insights-api-probe") as conn:
            conn.execute("select 1")
        # the database is back: replace the pool's broken connections now (its own reconnect attempts back off
        # for seconds after an outage, and requests would wait for them once the breaker closes)
        self.pool.check()

    # ---- plumbing ----------------------------------------------------------------------

    @contextlib.contextmanager
    def bounded(self, seconds: float) -> Iterator[None]:
        """Every call of this thread inside waits at most ``seconds`` in all (pool wait and statements),
        e.g. the health checks, which must answer within a second whatever the database does."""
        self._bound.deadline = time.monotonic() + seconds
        try:
            yield
        finally:
            self._bound.deadline = None

    def _remaining(self) -> float | None:
        deadline = getattr(self._bound, "deadline", None)
        if deadline is None:
            return None
        left = deadline - time.monotonic()
        if left <= 0.01:
            raise WarehouseUnavailable("the warehouse did not answer within the check's time limit",
                                       details={"reason": "timeout"})
        return left

    def _circuit_open(self) -> WarehouseUnavailable:
        DB_ERRORS.labels(kind="circuit_open").inc()
        error = WarehouseUnavailable("the warehouse is not answering; try again shortly",
                                     details={"reason": "circuit_open"})
        error.retry_after_s = max(1, math.ceil(self.settings.breaker_probe_s))
        return error

    def _unavailable(self, exc: Exception) -> WarehouseUnavailable:
        DB_ERRORS.labels(kind="unavailable").inc()
        self.breaker.trip(type(exc).__name__)
        error = WarehouseUnavailable("the warehouse is not answering; try again shortly",
                                     details={"reason": type(exc).__name__})
        error.retry_after_s = max(1, math.ceil(self.settings.breaker_probe_s))
        return error

    @contextlib.contextmanager
    def _mapped_errors(self) -> Iterator[None]:
        if self.breaker.is_open:  # fail fast: a background probe closes it when the database is back
            raise self._circuit_open()
        try:
            yield
        except (PoolTimeout, TooManyRequests) as exc:
            if getattr(self._bound, "deadline", None) is not None and isinstance(exc, PoolTimeout):
                # a bounded check gave up early: not yet a sign that the database is away (no trip)
                DB_ERRORS.labels(kind="unavailable").inc()
                raise WarehouseUnavailable("the warehouse did not answer within the check's time limit",
                                           details={"reason": "timeout"}) from exc
            raise self._unavailable(exc) from exc
        except pg_errors.QueryCanceled as exc:
            DB_ERRORS.labels(kind="timeout").inc()
            raise QueryTimeout("the query took longer than the statement timeout",
                               details={"statement_timeout_ms": self.settings.statement_timeout_ms}) from exc
        except MISSING_OBJECT_ERRORS as exc:
            DB_ERRORS.labels(kind="marts_missing").inc()
            log.error("marts query failed (not built or not per contract): %s", exc)
            message, details = missing_object_message(exc)
            raise MartsUnavailable(message, details=details) from exc
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            raise self._unavailable(exc) from exc

    @contextlib.contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        """A pooled connection; records the wait for it and the pool's use (insights_db_pool_*)."""
        started = time.perf_counter()
        try:
            conn = self._getconn(self._remaining())
        except (PoolTimeout, TooManyRequests, WarehouseUnavailable):  # no connection came: the whole wait counts
            DB_POOL_WAIT.observe(time.perf_counter() - started)
            self._publish_pool()
            raise
        DB_POOL_WAIT.observe(time.perf_counter() - started)
        self._publish_pool()
        try:
            with conn:  # commit, or roll back on an error (a pooled connection is not closed)
                yield conn
        finally:
            self.pool.putconn(conn)
            self._publish_pool()

    def _getconn(self, timeout: float | None) -> psycopg.Connection:
        """A connection from the pool within ``timeout`` (default the pool's), waited for in slices: when the
        breaker opens meanwhile (another request met the outage) the wait ends at once with circuit_open,
        instead of holding this request thread for the whole pool timeout (a worker's threads all waiting
        so left /healthz unanswered for 5 s: bench/serving_benchmark.py dbdown)."""
        deadline = time.monotonic() + (self.settings.pool_timeout_s if timeout is None else timeout)
        failed_connects = None
        while True:
            left = deadline - time.monotonic()
            try:
                return self.pool.getconn(timeout=max(0.001, min(POOL_WAIT_SLICE_S, left)))
            except PoolTimeout:
                if self.breaker.is_open:
                    raise self._circuit_open() from None
                # the pool failed to connect while this request waited: a connection failure, so the breaker
                # opens now (not after the pool timeout) and the probe takes over
                errors = self.pool.get_stats().get("connections_errors", 0)
                if failed_connects is not None and errors > failed_connects and timeout is None:
                    self.breaker.trip("the pool could not connect")
                    raise self._circuit_open() from None
                failed_connects = errors
                if left <= POOL_WAIT_SLICE_S:
                    raise

    def _publish_pool(self) -> None:
        stats = self.pool.get_stats()
        idle = stats.get("pool_available", 0)
        DB_POOL_CONNECTIONS.labels(state="used").set(max(stats.get("pool_size", 0) - idle, 0))
        DB_POOL_CONNECTIONS.labels(state="idle").set(idle)

    def fetch(self, query: sql.Composable,
              params: Sequence[Any] | dict[str, Any] | None = None) -> list[dict[str, Any]]:
        with self._mapped_errors(), self._connection() as conn:
            left = self._remaining()
            if left is None:
                return conn.execute(query, params).fetchall()
            with conn.transaction():  # the statement timeout of this transaction only
                conn.execute("select set_config('statement_timeout', %s, true)", (str(max(1, int(left * 1000))),))
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

    def _app_row(self, query: sql.Composable, params: Any) -> dict[str, Any] | None:
        """One row of the service's own schema; a missing table means the schema is not migrated."""
        try:
            return self.one(query, params)
        except MartsUnavailable as exc:
            raise Unavailable("the service's schema is not migrated: run `insights keys create` "
                              "or `insights serve` once", code="not_migrated") from exc

    def api_key(self, key_id: str) -> dict[str, Any] | None:
        return self._app_row(sql.SQL(
            "select key_id, store_id, key_hash, revoked_at from {a}.api_keys where key_id = %s"
        ).format(a=self.a), (key_id,))

    def session_key(self, key_id: str, nonce: str) -> dict[str, Any] | None:
        """The key row of a session cookie plus whether that session was signed out (one round trip)."""
        return self._app_row(sql.SQL(
            "select key_id, store_id, key_hash, revoked_at, "
            "exists (select 1 from {a}.revoked_sessions where nonce = %s) as session_revoked "
            "from {a}.api_keys where key_id = %s"
        ).format(a=self.a), (nonce, key_id))

    def revoke_session(self, nonce: str, key_id: str, expires_at: dt.datetime) -> None:
        """Record a signed-out session (its cookie is refused from now on); forget expired ones."""
        with self.transaction() as conn:
            conn.execute(sql.SQL("delete from {a}.revoked_sessions where expires_at < now()").format(a=self.a))
            conn.execute(sql.SQL(
                "insert into {a}.revoked_sessions (nonce, key_id, expires_at) values (%s, %s, %s) "
                "on conflict (nonce) do nothing").format(a=self.a), (nonce, key_id, expires_at))

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
