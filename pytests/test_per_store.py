"""Per-store jobs in worker processes (pipeline.per_store): the same stored forecasts as one process,
a store's failure stays its own, a lost warehouse fails the run, cancellation skips what has not
started, and the workers reach the caller's database, not the environment's."""
from __future__ import annotations

import psycopg
import pytest

from insight_service.pipeline import per_store
from insight_service.pipeline.forecasts import fit_stores
from pytests.api.fixtures import STORE_A, STORE_B, STORE_C, load_migrated_marts


@pytest.fixture(scope="module")
def db(make_database):
    db = make_database("per_store")
    load_migrated_marts(db.conninfo)
    return db


def stored_forecasts(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute("select store_id, metric, channel, day, value, lower_80, upper_80, lower_95, upper_95 "
                        "from app.forecasts order by 1, 2, 3, 4").fetchall()


def database_of(conn: psycopg.Connection, store_id: str) -> dict:
    """A job that says which database the worker reached (module level: workers unpickle it)."""
    return {"store_id": store_id, "result": "ok", "database": conn.info.dbname}


def fails_for_b(conn: psycopg.Connection, store_id: str) -> dict:
    if store_id == STORE_B:
        raise ValueError("no series for this store")
    return database_of(conn, store_id)


def loses_the_warehouse(conn: psycopg.Connection, store_id: str) -> dict:
    conn.execute("select pg_terminate_backend(pg_backend_pid())")
    return database_of(conn, store_id)


def test_workers_store_what_one_process_stores(db):
    stores = [STORE_A, STORE_B, STORE_C]
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        one = fit_stores(conn, stores, "marts", processes=1)
        sequential = stored_forecasts(conn)
        conn.execute("delete from app.forecasts")
        conn.execute("delete from app.forecast_series")
        conn.execute("delete from app.forecast_stores")
        two = fit_stores(conn, stores, "marts", processes=2)
        assert stored_forecasts(conn) == sequential and len(sequential) > 0
    assert [r["store_id"] for r in two] == stores
    assert [(r["result"], r["status"]) for r in two] == [(r["result"], r["status"]) for r in one]


def test_workers_use_the_callers_database_and_isolate_failures(db, monkeypatch):
    monkeypatch.setenv("PGDATABASE", "postgres")  # the environment names another database
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        results = per_store.run_per_store([STORE_A, STORE_B, STORE_C], fails_for_b, conn, processes=2)
        database = conn.info.dbname
    assert [r["result"] for r in results] == ["ok", "failed", "ok"]
    assert {r.get("database") for r in results} == {database, None} and database != "postgres"
    assert results[1]["error"] == "ValueError: no series for this store"


def test_a_lost_warehouse_fails_the_run(db):
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        with pytest.raises(psycopg.OperationalError, match="lost the warehouse"):
            per_store.run_per_store([STORE_A, STORE_B], loses_the_warehouse, conn, processes=2)
        # in one process the job's own error goes up as it is
        with psycopg.connect(db.conninfo, autocommit=True) as victim, pytest.raises(psycopg.OperationalError):
            per_store.run_per_store([STORE_A], loses_the_warehouse, victim, processes=1)


def test_cancelled_before_the_start_runs_nothing(db):
    seen = []
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        results = per_store.run_per_store([STORE_A, STORE_B], database_of, conn, processes=1,
                                          is_cancelled=lambda: True, on_result=seen.append)
    assert [r["result"] for r in results] == ["cancelled", "cancelled"] and seen == results


def test_processes_setting(monkeypatch):
    monkeypatch.setenv(per_store.PROCESSES_ENV, "3")
    assert per_store.fit_processes() == 3
    monkeypatch.setenv(per_store.PROCESSES_ENV, "0")
    assert per_store.fit_processes() == 1
    monkeypatch.setenv(per_store.PROCESSES_ENV, "many")
    with pytest.raises(ValueError, match="INSIGHTS_FIT_PROCESSES"):
        per_store.fit_processes()
    monkeypatch.delenv(per_store.PROCESSES_ENV)
    assert 1 <= per_store.fit_processes() <= per_store.MAX_DEFAULT_PROCESSES
