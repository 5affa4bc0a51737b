"""OpenAPI document, caching, rate limits, CORS, database outages, config, `insights serve`."""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import jsonschema
import psycopg
import pytest
from psycopg import sql

from insight_service.api.web.errors import status_of
from insight_service.core.errors import QueryTimeout
from insight_service.core.settings import ConfigError, Settings
from insight_service.core.warehouse import Warehouse
from pytests.api.conftest import BASE, Api, base_config, redis_available
from pytests.api.fixtures import STORE_A, STORE_B, rebuild_derived

needs_redis = pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379")


# ---- OpenAPI ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def openapi_doc(app):
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_openapi_document_is_valid(openapi_doc):
    try:
        from openapi_spec_validator import validate
    except ImportError:  # structural checks only
        assert openapi_doc["openapi"].startswith("3.")
        assert openapi_doc["info"]["title"] and openapi_doc["paths"]
        return
    validate(openapi_doc)


def _flask_routes(app):
    """Every route but the dashboard page's (HTML and assets: outside the API area, not documented)."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("page."):
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<{arg}>", "{" + arg + "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((path, method.lower()))
    return routes


def test_openapi_lists_every_route_and_nothing_else(app, openapi_doc):
    documented = {(path, method) for path, ops in openapi_doc["paths"].items() for method in ops}
    assert documented == _flask_routes(app)
    for path in ("/dashboard", "/attribution", "/roi/{channel}", "/benchmarks/{channel}", "/calendar",
                 "/export/{report}.csv", "/healthz", "/budget/optimize", "/insights", "/insights/generate",
                 "/insights/{insight_id}/dismiss", "/insights/{insight_id}/action", "/session", "/store",
                 "/funnel", "/budget/utilization"):
        assert BASE + path in openapi_doc["paths"], path


def test_openapi_security_and_parameters(openapi_doc):
    assert openapi_doc["components"]["securitySchemes"]["bearerAuth"] == {
        **openapi_doc["components"]["securitySchemes"]["bearerAuth"], "type": "http", "scheme": "bearer"}
    paths = openapi_doc["paths"]
    assert paths[f"{BASE}/healthz"]["get"]["security"] == []
    assert paths["/api/openapi.json"]["get"]["security"] == []
    assert paths[f"{BASE}/dashboard"]["get"]["security"] == [{"bearerAuth": []}, {"sessionCookie": []}]
    params = {p["name"]: p for p in paths[f"{BASE}/attribution"]["get"]["parameters"]}
    assert set(params) == {"start_date", "end_date", "days", "model"}
    assert "data_driven" in params["model"]["schema"]["enum"] and "all" in params["model"]["schema"]["enum"]
    assert params["start_date"]["schema"]["format"] == "date"
    budget = {p["name"]: p for p in paths[f"{BASE}/budget/optimize"]["get"]["parameters"]}
    assert budget["total_budget"]["required"] is False  # not needed with target_roas
    assert budget["total_budget"]["schema"]["exclusiveMinimum"] == 0
    assert {"bounds", "lock", "target_roas", "lookback_days"} <= set(budget)
    roi = {p["name"]: p for p in paths[f"{BASE}/roi/{{channel}}"]["get"]["parameters"]}
    assert roi["channel"]["in"] == "path" and "ads" in roi["channel"]["schema"]["enum"]
    for ops in paths.values():
        for op in ops.values():
            assert "500" in op["responses"] and "405" in op["responses"]


@pytest.mark.parametrize("path, query", [
    ("/dashboard", {}), ("/attribution", {"model": "all"}), ("/attribution", {"model": "data_driven"}),
    ("/roi/ads", {}), ("/benchmarks/ads", {}), ("/calendar", {}), ("/healthz", {}),
])
def test_responses_match_the_published_schema(api_a, openapi_doc, path, query):
    """The live responses validate against the document (so it cannot drift from the code)."""
    response = api_a.get(path, query)
    schema = openapi_doc["paths"][BASE + path.replace("/ads", "/{channel}")]["get"]["responses"]["200"]
    root = {**schema["content"]["application/json"]["schema"], "components": openapi_doc["components"]}
    jsonschema.validate(response.get_json(), root, cls=jsonschema.Draft202012Validator,
                        format_checker=jsonschema.FormatChecker())
    error_root = {"$ref": "#/components/schemas/ErrorEnvelope", "components": openapi_doc["components"]}
    jsonschema.validate(api_a.get("/dashboard", {"days": "x"}).get_json(), error_root)


# ---- response cache -----------------------------------------------------------------------

def _seo_revenue(client_api):
    return client_api.get("/dashboard").get_json()["data"]["channels"]["seo"]["revenue"]


def _bump(db, amount=1000):
    db.execute("update marts.fct_unified_metrics set revenue = revenue + %s where store_id = %s "
               "and channel = 'seo' and source = 'all' and period = 'daily' and period_start = '2024-03-15'",
               (amount, STORE_A))


def test_cache_serves_until_build_id_changes(fresh_db, make_app):
    api = Api(make_app(fresh_db, build_check_s=0), fresh_db.keys[STORE_A])
    before = _seo_revenue(api)
    _bump(fresh_db)
    assert _seo_revenue(api) == before  # cached: same build
    fresh_db.execute("update marts.mart_build_info set build_id = 'fixture-build-2'")
    assert _seo_revenue(api) == before + 1000  # new build: recomputed


def test_build_id_is_checked_at_most_every_n_seconds(fresh_db, make_app):
    api = Api(make_app(fresh_db, build_check_s=3600), fresh_db.keys[STORE_A])
    before = _seo_revenue(api)
    _bump(fresh_db)
    fresh_db.execute("update marts.mart_build_info set build_id = 'fixture-build-2'")
    assert _seo_revenue(api) == before  # build id not re-read yet
    api.client.application.extensions["insights"].tracker._checked_at = -float("inf")  # interval elapsed
    assert _seo_revenue(api) == before + 1000


def test_no_cache_without_build_info(fresh_db, make_app):
    api = Api(make_app(fresh_db, build_check_s=0), fresh_db.keys[STORE_A])
    fresh_db.execute("delete from marts.mart_build_info")
    before = _seo_revenue(api)
    _bump(fresh_db)
    assert _seo_revenue(api) == before + 1000


def test_data_driven_cache_follows_the_build(fresh_db, make_app):
    api = Api(make_app(fresh_db, build_check_s=0), fresh_db.keys[STORE_A])
    before = api.get("/attribution", {"model": "data_driven"}).get_json()["data"]["removal_effects"]
    with psycopg.connect(fresh_db.conninfo) as conn:  # new paths and their transitions, as a build makes them
        conn.execute("insert into marts.fct_conversion_paths values ('store_a', '2024-03-01', 'social', 50, 5000, 1)")
        rebuild_derived(conn)
    assert api.get("/attribution", {"model": "data_driven"}).get_json()["data"]["removal_effects"] == before
    fresh_db.execute("update marts.mart_build_info set build_id = 'fixture-build-3'")
    after = api.get("/attribution", {"model": "data_driven"}).get_json()["data"]["removal_effects"]
    assert "social" not in before and after["social"] > 0


@needs_redis
def test_redis_cache_is_shared_by_workers_and_follows_the_build(fresh_db, make_app):
    settings = {"cache_backend": "redis://127.0.0.1:6379/0", "build_check_s": 0, "cache_ttl_s": 60,
                "cache_key_prefix": f"insights-test-{uuid.uuid4().hex}"}
    worker1 = Api(make_app(fresh_db, **settings), fresh_db.keys[STORE_A])
    worker2 = Api(make_app(fresh_db, **settings), fresh_db.keys[STORE_A])
    before = _seo_revenue(worker1)
    _bump(fresh_db)
    assert _seo_revenue(worker2) == before  # worker 2 reads worker 1's entry
    fresh_db.execute("update marts.mart_build_info set build_id = 'fixture-build-2'")
    assert _seo_revenue(worker2) == before + 1000
    assert _seo_revenue(worker1) == before + 1000


def test_redis_cache_down_degrades_to_uncached(fresh_db, make_app):
    api = Api(make_app(fresh_db, cache_backend="redis://127.0.0.1:1/0", build_check_s=0), fresh_db.keys[STORE_A])
    before = _seo_revenue(api)
    _bump(fresh_db)
    assert _seo_revenue(api) == before + 1000


def test_reports_cached_before_profit_after_marketing_are_not_served(marts_db, make_app):
    """A worker of the previous version cached the dashboard and ROI without marketing_profit/poas under
    the same build id (a service upgrade needs no dbt build): the new version must not serve them, and the
    CSV export that reads the cached dashboard must not fail on them."""
    application = make_app(marts_db, build_check_s=0)
    api = Api(application, marts_db.keys[STORE_A])
    st = application.extensions["insights"]
    build_id = st.tracker.current().build_id
    window = {"start": "2024-03-02", "end": "2024-03-31"}
    old = api.get("/dashboard").get_json()["data"]
    for block in (*old["channels"].values(), *old["vs_previous_period"].values()):
        block.pop("marketing_profit"), block.pop("poas")
    old_roi = api.get("/roi/ads").get_json()["data"]
    old_roi.pop("marketing_profit"), old_roi.pop("poas")
    # the keys the previous version used (no report shape in the parameters)
    st.cache.backend.set(st.cache.key(build_id, STORE_A, "dashboard", {**window, "model": "linear"}),
                         json.dumps(old), 60)
    st.cache.backend.set(st.cache.key(build_id, STORE_A, "roi", {**window, "channel": "ads", "model": "linear",
                                                                  "default": "linear"}), json.dumps(old_roi), 60)
    assert "marketing_profit" in api.get("/dashboard").get_json()["data"]["channels"]["ads"]
    assert "poas" in api.get("/roi/ads").get_json()["data"]
    response = api.get("/export/channels.csv")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "marketing_profit" in response.get_data(as_text=True).splitlines()[0]


# ---- rate limit ----------------------------------------------------------------------------

def _assert_rate_limited(response):
    assert response.status_code == 429
    body = response.get_json()
    assert body["success"] is False and body["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) >= 0


def test_rate_limit_per_key_429(marts_db, make_app):
    application = make_app(marts_db, rate_limit="3/minute")
    a, b = Api(application, marts_db.keys[STORE_A]), Api(application, marts_db.keys[STORE_B])
    for path in ("/dashboard", "/calendar", "/roi/ads"):  # one budget for all endpoints
        assert a.get(path).status_code == 200
    _assert_rate_limited(a.get("/attribution"))
    assert b.get("/dashboard").status_code == 200  # another key has its own budget
    assert application.test_client().get("/healthz").status_code == 200  # health is not limited
    assert application.test_client().get("/api/openapi.json").status_code == 200


@needs_redis
def test_rate_limit_shared_by_workers_through_redis(marts_db, make_app):
    settings = {"rate_limit": "3/minute", "rate_limit_storage": "redis://127.0.0.1:6379/0",
                "rate_limit_key_prefix": f"insights-test-{uuid.uuid4().hex}"}
    worker1 = Api(make_app(marts_db, **settings), marts_db.keys[STORE_A])
    worker2 = Api(make_app(marts_db, **settings), marts_db.keys[STORE_A])
    assert worker1.get("/dashboard").status_code == 200
    assert worker2.get("/dashboard").status_code == 200
    assert worker1.get("/dashboard").status_code == 200
    _assert_rate_limited(worker2.get("/dashboard"))


def test_rate_limit_storage_down_falls_back_to_memory(marts_db, make_app):
    application = make_app(marts_db, rate_limit="2/minute", rate_limit_storage="redis://127.0.0.1:1/0")
    a = Api(application, marts_db.keys[STORE_A])
    assert a.get("/dashboard").status_code == 200
    assert a.get("/dashboard").status_code == 200
    _assert_rate_limited(a.get("/dashboard"))


# ---- CORS ----------------------------------------------------------------------------------

def test_cors_for_the_configured_origin(marts_db, make_app):
    application = make_app(marts_db, cors_origins="https://dash.example.com")
    api = Api(application, marts_db.keys[STORE_A])
    ok = api.get("/dashboard", headers={"Origin": "https://dash.example.com"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://dash.example.com"
    assert "Origin" in ok.headers["Vary"]
    other = api.get("/dashboard", headers={"Origin": "https://evil.example.com"})
    assert "Access-Control-Allow-Origin" not in other.headers
    # errors carry the header too, so the frontend can read the envelope
    denied = application.test_client().get(f"{BASE}/dashboard", headers={"Origin": "https://dash.example.com"})
    assert denied.status_code == 401 and denied.headers["Access-Control-Allow-Origin"] == "https://dash.example.com"
    # preflight: no key needed, envelope body
    pre = application.test_client().options(f"{BASE}/dashboard", headers={
        "Origin": "https://dash.example.com", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization"})
    assert pre.status_code == 200 and pre.get_json() == {"success": True, "data": None}
    assert "Authorization" in pre.headers["Access-Control-Allow-Headers"]
    assert "GET" in pre.headers["Access-Control-Allow-Methods"]


def test_no_cors_headers_by_default(api_a):
    response = api_a.get("/dashboard", headers={"Origin": "https://dash.example.com"})
    assert "Access-Control-Allow-Origin" not in response.headers


# ---- the database going away ---------------------------------------------------------------


def test_database_down_503_then_recovers(fresh_db, make_app):
    application = make_app(fresh_db, pool_timeout_s=1, pool_reconnect_timeout_s=1, build_check_s=0,
                           cache_backend="none")
    client = application.test_client()
    api = Api(application, fresh_db.keys[STORE_A])
    assert client.get("/healthz").status_code == 200
    assert api.get("/dashboard").status_code == 200
    fresh_db.allow_connections(False)
    try:
        for request in (lambda: client.get("/healthz"), lambda: client.get(f"{BASE}/healthz"),
                        lambda: api.get("/dashboard"), lambda: api.get("/export/channels.csv")):
            response = request()
            assert response.status_code == 503, response.data
            assert response.get_json()["error"]["code"] == "warehouse_unavailable"
    finally:
        fresh_db.allow_connections(True)
    deadline = time.monotonic() + 30
    while client.get("/healthz").status_code != 200:
        assert time.monotonic() < deadline, "the service did not recover after the database came back"
        time.sleep(0.3)
    assert api.get("/dashboard").status_code == 200


def test_service_started_before_the_database_exists(marts_db, make_app):
    """The pool opens in the background: 503 while the database is missing, 200 once it exists."""
    from pytests.api.conftest import prepare

    name = f"api_late_{uuid.uuid4().hex[:8]}"
    late_conninfo = marts_db._conninfo(name)
    application = make_app(marts_db, conninfo=late_conninfo, pool_timeout_s=1, pool_reconnect_timeout_s=1)
    client = application.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "warehouse_unavailable"
    admin = marts_db._admin()
    try:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))

        class Late:
            conninfo = late_conninfo

        prepare(Late)
        deadline = time.monotonic() + 30
        while client.get("/healthz").status_code != 200:
            assert time.monotonic() < deadline, "the service did not pick up the database"
            time.sleep(0.3)
    finally:
        application.extensions["insights"].close()
        admin.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = %s", (name,))
        admin.execute(sql.SQL("drop database if exists {}").format(sql.Identifier(name)))
        admin.close()


def test_request_id_is_echoed_only_when_safe(api_a):
    assert api_a.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    odd = api_a.get("/healthz", headers={"X-Request-ID": "a b\tc" + "x" * 100})
    assert odd.headers["X-Request-ID"] != "a b\tc" and len(odd.headers["X-Request-ID"]) == 32


def test_marts_missing_is_503(fresh_db, make_app):
    api = Api(make_app(fresh_db, build_check_s=0), fresh_db.keys[STORE_A])
    fresh_db.execute("alter table marts.fct_unified_metrics rename to fct_unified_metrics_old")
    response = api.get("/dashboard")
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "marts_unavailable"
    fresh_db.execute("delete from marts.mart_build_info")
    assert api.client.get("/healthz").status_code == 503


def test_healthz_shows_only_status_and_time_of_the_last_finished_run(fresh_db, make_app):
    client = make_app(fresh_db).test_client()
    fresh_db.execute("""
        insert into app.pipeline_runs (status, trigger, started_at, finished_at, error, steps) values
          ('success', 'schedule', '2026-01-01 10:00+00', '2026-01-01 10:01+00', null, '[{"name": "build"}]'),
          ('failed', 'cli', '2026-01-01 11:00+00', '2026-01-01 11:02+00', 'dbt build: secret detail', '[]'),
          ('skipped_locked', 'cli', '2026-01-01 11:05+00', '2026-01-01 11:05+00', 'busy', '[]');
        insert into app.pipeline_runs (status, trigger) values ('running', 'schedule');
    """)
    response = client.get("/healthz", headers={"Authorization": f"Bearer {fresh_db.keys[STORE_A]}"})
    assert response.status_code == 200
    last = response.get_json()["data"]["last_run"]
    # skipped runs are refusals and running ones have not finished: the failed run is the last
    assert set(last) == {"status", "finished_at"} and last["status"] == "failed"
    assert dt.datetime.fromisoformat(last["finished_at"]) == dt.datetime(2026, 1, 1, 11, 2, tzinfo=dt.UTC)


def test_healthz_answers_without_the_pipeline_runs_table(fresh_db, make_app):
    client = make_app(fresh_db).test_client()
    fresh_db.execute("drop table app.pipeline_runs")
    response = client.get("/healthz", headers={"Authorization": f"Bearer {fresh_db.keys[STORE_A]}"})
    assert response.status_code == 200 and response.get_json()["data"]["last_run"] is None
    fresh_db.execute("drop schema app cascade")  # no keys either: anonymous, the status only
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["data"] == {"status": "ok"}


def test_statement_timeout_is_set_on_the_connections(marts_db):
    settings = Settings.from_env(base_config(marts_db, statement_timeout_ms=200))
    warehouse = Warehouse(settings)
    try:
        assert warehouse.one(sql.SQL("show statement_timeout"))["statement_timeout"] == "200ms"
        with pytest.raises(QueryTimeout) as info:
            warehouse.fetch(sql.SQL("select pg_sleep(2)"))
        assert status_of(info.value) == 503  # domain errors carry no status: the web layer maps the kind
    finally:
        warehouse.close()


# ---- config --------------------------------------------------------------------------------

def test_settings_from_env(monkeypatch):
    for name, value in {
        "INSIGHTS_RATE_LIMIT": "10/second", "INSIGHTS_REDIS_URL": "redis://127.0.0.1:6379/2",
        "INSIGHTS_CORS_ORIGIN": "https://a.example, https://b.example/", "INSIGHTS_STATEMENT_TIMEOUT_MS": "2500",
        "INSIGHTS_POOL_SIZE": "7", "INSIGHTS_LOG_LEVEL": "debug", "INSIGHTS_BUILD_CHECK_S": "2.5",
        "INSIGHTS_MARTS_SCHEMA": "dev_marts",
    }.items():
        monkeypatch.setenv(name, value)
    s = Settings.from_env()
    assert s.rate_limit == "10/second"
    assert s.rate_limit_storage == "redis://127.0.0.1:6379/2" and s.cache_backend == "redis://127.0.0.1:6379/2"
    assert s.cors_origins == ("https://a.example", "https://b.example")
    assert (s.statement_timeout_ms, s.pool_size, s.log_level, s.build_check_s) == (2500, 7, "DEBUG", 2.5)
    assert s.marts_schema == "dev_marts"
    monkeypatch.setenv("INSIGHTS_RATE_LIMIT", "off")
    monkeypatch.delenv("INSIGHTS_REDIS_URL")
    s = Settings.from_env()
    assert s.rate_limit is None and s.rate_limit_storage == "memory://" and s.cache_backend == "memory"


@pytest.mark.parametrize("overrides", [{"pool_size": "many"}, {"pool_size": 0}, {"cache_backend": "memcached"},
                                       {"log_level": "LOUD"}, {"no_such_setting": 1},
                                       {"pool_min_size": 5, "pool_size": 2}, {"secret_key": "short"},
                                       {"session_ttl_s": 0}, {"session_ttl_s": "8h"}])
def test_bad_settings_are_refused(overrides):
    with pytest.raises(ConfigError):
        Settings.from_env(overrides)


# ---- insights serve (gunicorn) --------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("server, started", [("granian", "Spawning worker"), ("gunicorn", "Booting worker")])
def test_insights_serve_runs_the_server(fresh_db, server, started):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "INSIGHTS_"))}
    env.update(fresh_db.env)
    env.update({"INSIGHTS_RATE_LIMIT": "off", "INSIGHTS_CACHE_BACKEND": "memory"})
    proc = subprocess.Popen([sys.executable, "-m", "insight_service.cli", "serve", "--port", str(port),
                             "--workers", "2", "--server", server], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = urllib.request.Request(f"{base}/healthz",
                                                headers={"Authorization": f"Bearer {fresh_db.keys[STORE_A]}"})
                with urllib.request.urlopen(health, timeout=5) as response:
                    assert json.load(response)["data"]["build_id"] == "fixture-build-1"
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.3)
        request = urllib.request.Request(f"{base}{BASE}/dashboard",
                                         headers={"Authorization": f"Bearer {fresh_db.keys[STORE_A]}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.load(response)["data"]["date_range"]["end_date"] == "2024-03-31"
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(f"{base}{BASE}/dashboard", timeout=10)
        assert info.value.code == 401 and json.load(info.value)["error"]["code"] == "unauthorized"
        # a page session opened on one worker is valid on every worker: they share the secret serve made
        sign_in = urllib.request.Request(f"{base}{BASE}/session", method="POST",
                                         data=json.dumps({"api_key": fresh_db.keys[STORE_A]}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(sign_in, timeout=10) as response:
            cookie = response.headers["Set-Cookie"].split(";")[0]
        for _ in range(8):
            with urllib.request.urlopen(urllib.request.Request(f"{base}{BASE}/store", headers={"Cookie": cookie}),
                                        timeout=10) as response:
                assert json.load(response)["data"]["store_id"] == STORE_A
        # a job accepted by one worker is found by every worker (app.jobs): polls land on both
        auth = {"Authorization": f"Bearer {fresh_db.keys[STORE_A]}"}
        generate = urllib.request.Request(f"{base}{BASE}/insights/generate", method="POST", headers=auth)
        with urllib.request.urlopen(generate, timeout=10) as response:
            assert response.status == 202
            job_id = json.load(response)["data"]["job_id"]
        for _ in range(8):
            with urllib.request.urlopen(urllib.request.Request(f"{base}{BASE}/jobs/{job_id}", headers=auth),
                                        timeout=10) as response:
                assert json.load(response)["data"]["job_id"] == job_id
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            output = proc.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            proc.kill()
            output = proc.communicate()[0]
    assert started in output
    assert "INSIGHTS_SECRET_KEY is not set" in output
