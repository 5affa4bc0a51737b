"""Service metrics: each one moves when its event happens, and GET /metrics (token, 404, 401, text
format). The multiprocess scrape under `insights serve --workers 2` is in test_serve_telemetry.py."""
from __future__ import annotations

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from psycopg import sql

from insight_service.api.budget.service import BudgetRequest, make_plan
from insight_service.core.errors import MartsUnavailable
from insight_service.insights.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker
from pytests.api.conftest import BASE, Api
from pytests.api.fixtures import STORE_A
from pytests.test_optimizer import PORTFOLIO, history_from_curve

TOKEN = "scrape-token-for-tests"


def value(name: str, **labels) -> float:
    """A sample of the process's registry (0 when the series does not exist yet)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


# ---- /metrics -----------------------------------------------------------------------------------

def test_metrics_is_404_without_the_setting(app):
    response = app.test_client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 404
    assert response.get_json() == {"success": False,
                                   "error": {"code": "not_found", "message": "no such endpoint", "details": None}}


def test_metrics_needs_the_token(make_app):
    client = make_app(metrics_token=TOKEN).test_client()
    for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": TOKEN}):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 401, headers
        assert response.get_json()["error"]["code"] == "unauthorized"
        assert TOKEN not in response.get_data(as_text=True)


def scrape(client) -> dict[str, object]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain")
    return {family.name: family for family in text_string_to_metric_families(response.get_data(as_text=True))}


def test_metrics_serves_the_text_format_and_is_not_counted(make_app, keys):
    application = make_app(metrics_token=TOKEN)
    Api(application, keys[STORE_A]).get("/dashboard")
    client = application.test_client()
    scrape(client)
    families = scrape(client)
    for name in ("insights_http_requests", "insights_http_request_duration_seconds", "insights_cache_requests",
                 "insights_db_pool_connections", "insights_db_pool_wait_seconds"):
        assert name in families, name
    routes = {s.labels.get("route") for s in families["insights_http_requests"].samples}
    assert "/metrics" not in routes and BASE + "/dashboard" in routes
    buckets = {s.labels["le"] for s in families["insights_http_request_duration_seconds"].samples
               if s.name.endswith("_bucket")}
    assert {"0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0"} <= buckets


def test_metrics_is_documented_with_its_own_security_scheme(app):
    doc = app.test_client().get("/api/openapi.json").get_json()
    operation = doc["paths"]["/metrics"]["get"]
    assert operation["security"] == [{"metricsToken": []}]
    assert doc["components"]["securitySchemes"]["metricsToken"]["scheme"] == "bearer"
    assert "text/plain" in operation["responses"]["200"]["content"]
    assert {"401", "404"} <= set(operation["responses"])


def test_metrics_is_never_rate_limited(make_app, keys):
    application = make_app(metrics_token=TOKEN, rate_limit="1/minute")
    client = application.test_client()
    for _ in range(3):
        assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


# ---- the events -----------------------------------------------------------------------------------

def test_a_request_counts_under_its_url_rule(api_a):
    route = BASE + "/roi/<channel>"
    before = value("insights_http_requests_total", route=route, method="GET", status="200")
    before_count = value("insights_http_request_duration_seconds_count", route=route, method="GET")
    assert api_a.get("/roi/ads").status_code == 200
    assert value("insights_http_requests_total", route=route, method="GET", status="200") == before + 1
    assert value("insights_http_request_duration_seconds_count", route=route, method="GET") == before_count + 1
    # an unknown path is one series, never the raw path
    unmatched = value("insights_http_requests_total", route="<unmatched>", method="GET", status="404")
    assert api_a.get("/no/such/path/123").status_code == 404
    assert value("insights_http_requests_total", route="<unmatched>", method="GET", status="404") == unmatched + 1


def test_an_unknown_method_counts_as_other(app):
    """A client's made-up method token never becomes a label value of its own."""
    client = app.test_client()

    def other_requests() -> float:
        return sum(value("insights_http_requests_total", method="other", route=route, status=status)
                   for route in (BASE + "/dashboard", "<unmatched>") for status in ("400", "405"))

    before = other_requests()
    assert client.open(BASE + "/dashboard", method="BREW").status_code in (400, 405)
    assert other_requests() == before + 1
    assert not [m for m in REGISTRY.collect() for sample in m.samples if sample.labels.get("method") == "BREW"]


def test_cache_hit_and_miss(make_app, keys):
    api = Api(make_app(cache_backend="memory"), keys[STORE_A])
    miss, hit = (value("insights_cache_requests_total", endpoint="calendar", result=r) for r in ("miss", "hit"))
    assert api.get("/calendar").status_code == 200  # a fresh cache: computed
    misses = value("insights_cache_requests_total", endpoint="calendar", result="miss")
    assert misses > miss and value("insights_cache_requests_total", endpoint="calendar", result="hit") == hit
    assert api.get("/calendar").status_code == 200  # the same request again: served from the cache
    assert value("insights_cache_requests_total", endpoint="calendar", result="hit") > hit
    assert value("insights_cache_requests_total", endpoint="calendar", result="miss") == misses


def test_rate_limited_requests_are_counted(make_app, keys):
    api = Api(make_app(rate_limit="1/minute"), keys[STORE_A])
    route = BASE + "/dashboard"
    before = value("insights_rate_limited_total", route=route)
    assert api.get("/dashboard").status_code == 200
    assert api.get("/dashboard").status_code == 429
    assert value("insights_rate_limited_total", route=route) == before + 1
    assert value("insights_http_requests_total", route=route, method="GET", status="429") >= 1


def test_pool_wait_and_use(app, api_a):
    waits = value("insights_db_pool_wait_seconds_count")
    # uncached (the insight store): a cached answer with a remembered key may not touch the pool at all
    assert api_a.get("/insights").status_code == 200
    assert value("insights_db_pool_wait_seconds_count") > waits
    idle = value("insights_db_pool_connections", state="idle")
    used = value("insights_db_pool_connections", state="used")
    assert idle >= 1 and used >= 0


def test_database_errors_are_counted_by_kind(fresh_db, make_app):
    application = make_app(fresh_db)
    before = value("insights_db_errors_total", kind="marts_missing")
    fresh_db.execute("alter table marts.fct_unified_metrics rename to fct_unified_metrics_old")
    with pytest.raises(MartsUnavailable):
        application.extensions["insights"].warehouse.fetch(sql.SQL("select * from marts.fct_unified_metrics"))
    assert value("insights_db_errors_total", kind="marts_missing") == before + 1


def test_optimizer_fits_are_counted_and_timed():
    histories = [history_from_curve(c, mean_spend=m, seed=i) for i, (c, m) in enumerate(PORTFOLIO)]
    ok = value("insights_optimizer_fits_total", result="ok")
    count = value("insights_optimizer_fit_duration_seconds_count")
    make_plan(histories, BudgetRequest(total_budget=10_000.0), bootstrap_samples=10)
    assert value("insights_optimizer_fits_total", result="ok") == ok + 1
    assert value("insights_optimizer_fit_duration_seconds_count") == count + 1
    errors = value("insights_optimizer_fits_total", result="error")
    with pytest.raises(Exception):  # noqa: B017  (any refusal: the fit is an error either way)
        make_plan(histories, BudgetRequest(total_budget=None), bootstrap_samples=10)
    assert value("insights_optimizer_fits_total", result="error") == errors + 1


def test_circuit_breaker_state_gauge():
    now = [0.0]
    breaker = CircuitBreaker(2, 10, dependency="test_dependency", clock=lambda: now[0])

    def gauge() -> float:
        return value("insights_circuit_breaker_state", dependency="test_dependency")

    assert breaker.state == CLOSED and gauge() == 0
    breaker.record_failure()
    assert breaker.allow() and gauge() == 0
    breaker.record_failure()
    assert breaker.state == OPEN and gauge() == 1 and not breaker.allow()
    now[0] = 10.0
    assert breaker.allow() and breaker.state == HALF_OPEN and gauge() == 2
    assert not breaker.allow()  # one trial call at a time
    breaker.record_failure()
    assert breaker.state == OPEN and gauge() == 1
    now[0] = 20.0
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state == CLOSED and gauge() == 0
