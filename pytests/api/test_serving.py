"""Serving under load: the warehouse circuit breaker, health/liveness/readiness, background jobs,
single flight, per-store concurrency, anonymous rate limits, ETags, malformed bodies."""
from __future__ import annotations

import time

import pytest
from psycopg import sql

from pytests.api.conftest import BASE, Api
from pytests.api.fixtures import STORE_A


def _set_connections(db, allowed: bool):
    admin = db._admin()
    try:
        admin.execute(sql.SQL("alter database {} allow_connections {}").format(
            sql.Identifier(db.name), sql.SQL("true" if allowed else "false")))
        if not allowed:
            admin.execute("select pg_terminate_backend(pid) from pg_stat_activity "
                          "where datname = %s and pid <> pg_backend_pid()", (db.name,))
    finally:
        admin.close()


def _timed(request):
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


# ---- fail fast ------------------------------------------------------------------------------

def test_breaker_opens_fails_fast_and_closes_when_the_database_returns(fresh_db, make_app):
    application = make_app(fresh_db, pool_timeout_s=2, pool_reconnect_timeout_s=1, build_check_s=0,
                           cache_backend="none", breaker_probe_s=0.5)
    client = application.test_client()
    api = Api(application, fresh_db.keys[STORE_A])
    assert api.get("/dashboard").status_code == 200
    _set_connections(fresh_db, False)
    try:
        first = api.get("/dashboard")  # waits for the pool at most once, then opens the circuit
        assert first.status_code == 503 and first.get_json()["error"]["code"] == "warehouse_unavailable"
        assert application.extensions["insights"].warehouse.breaker.is_open
        for request in (lambda: api.get("/dashboard"), lambda: api.get("/export/channels.csv"),
                        lambda: api.get("/budget/optimize", {"total_budget": 1000}),
                        lambda: client.get("/healthz"), lambda: client.get(f"{BASE}/readyz")):
            response, elapsed = _timed(request)
            assert response.status_code == 503, response.data
            assert elapsed < 0.5, f"{elapsed:.2f} s: not failing fast"
            error = response.get_json()["error"]
            assert error["code"] == "warehouse_unavailable" and error["details"]["reason"] == "circuit_open"
            assert int(response.headers["Retry-After"]) >= 1
        live, elapsed = _timed(lambda: client.get("/livez"))
        assert live.status_code == 200 and elapsed < 0.5  # the process answers without the database
    finally:
        _set_connections(fresh_db, True)
    started = time.monotonic()
    while api.get("/dashboard").status_code != 200:
        assert time.monotonic() - started < 5, "the service did not recover within 5 s"
        time.sleep(0.1)
    assert not application.extensions["insights"].warehouse.breaker.is_open
    assert client.get("/readyz").status_code == 200


def test_healthz_answers_within_a_second_when_the_pool_waits(fresh_db, make_app):
    """The database away but the circuit still closed: health gives up after INSIGHTS_HEALTH_TIMEOUT_S."""
    application = make_app(fresh_db, pool_timeout_s=5, pool_reconnect_timeout_s=1, cache_backend="none",
                           health_timeout_s=0.5)
    client = application.test_client()
    assert client.get("/healthz").status_code == 200
    _set_connections(fresh_db, False)
    try:
        for path in ("/healthz", "/readyz", f"{BASE}/healthz"):
            response, elapsed = _timed(lambda p=path: client.get(p))
            assert response.status_code == 503 and elapsed < 1.0, (path, elapsed)
            assert "Retry-After" in response.headers
    finally:
        _set_connections(fresh_db, True)


@pytest.mark.parametrize("path", ["/healthz", f"{BASE}/healthz"])
def test_anonymous_healthz_shows_the_status_only(app, keys, path):
    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 200 and anonymous.get_json()["data"] == {"status": "ok"}
    bad_key = app.test_client().get(path, headers={"Authorization": "Bearer mk_000000000000_" + "x" * 43})
    assert bad_key.get_json()["data"] == {"status": "ok"}
    detailed = app.test_client().get(path, headers={"Authorization": f"Bearer {keys[STORE_A]}"}).get_json()["data"]
    assert detailed["build_id"] and "freshness" in detailed and "last_run" in detailed


@pytest.mark.parametrize("prefix", ["", BASE])
def test_livez_and_readyz(app, keys, prefix):
    client = app.test_client()
    assert client.get(f"{prefix}/livez").get_json() == {"success": True, "data": {"status": "ok"}}
    assert client.get(f"{prefix}/readyz").get_json()["data"] == {"status": "ready"}
    detailed = client.get(f"{prefix}/readyz", headers={"Authorization": f"Bearer {keys[STORE_A]}"})
    data = detailed.get_json()["data"]
    assert detailed.status_code == 200 and data["build_id"] and data["missing_marts"] == []


def test_readyz_names_a_missing_mart_only_to_a_key(fresh_db, make_app):
    application = make_app(fresh_db, build_check_s=0)
    fresh_db.execute("alter table marts.fct_unified_metrics rename to fct_unified_metrics_old")
    anonymous = application.test_client().get("/readyz")
    assert anonymous.status_code == 503 and anonymous.get_json()["error"]["details"] is None
    detailed = Api(application, fresh_db.keys[STORE_A]).get("/readyz")
    assert detailed.get_json()["error"]["details"] == {"missing_marts": ["fct_unified_metrics"]}


def test_missing_mart_503_names_it_without_database_text(fresh_db, make_app):
    api = Api(make_app(fresh_db, build_check_s=0), fresh_db.keys[STORE_A])
    fresh_db.execute("alter table marts.fct_unified_metrics rename to fct_unified_metrics_old")
    response = api.get("/dashboard")
    error = response.get_json()["error"]
    assert response.status_code == 503 and error["code"] == "marts_unavailable"
    assert "fct_unified_metrics" in error["message"] and error["details"] == {"mart": "fct_unified_metrics"}
    assert "does not exist" not in response.get_data(as_text=True)  # PostgreSQL's wording stays in the log
