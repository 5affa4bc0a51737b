"""``GET /forecast``: validation (400 naming the parameter, never 500), the stored forecast and its
history tail, 409 when there is none, tenancy, the OpenAPI document; and one end-to-end run on
dbt-built marts (the generated sample)."""
from __future__ import annotations

import datetime as dt

import jsonschema
import numpy as np
import psycopg
import pytest

from insight_service.api.app import create_app
from insight_service.api.dashboard.schemas import DashboardData
from insight_service.api.forecast.schemas import ForecastData
from insight_service.api.web import auth
from insight_service.forecast import fit, store
from insight_service.pipeline.forecasts import fit_stores
from insight_service.warehouse.migrations import migrate
from pytests.api.conftest import BASE, Api, base_config, prepare
from pytests.api.fixtures import STORE_A, STORE_B, STORE_C


@pytest.fixture(scope="module")
def forecast_db(make_database):
    """The hand-written marts with store_a and store_b fitted, store_c without data."""
    db = make_database("forecast_api")
    db.keys = prepare(db)
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        assert [r["result"] for r in fit_stores(conn, [STORE_A, STORE_B], "marts")] == ["ok", "ok"]
    return db


@pytest.fixture(scope="module")
def forecast_app(forecast_db):
    application = create_app(base_config(forecast_db))
    yield application
    application.extensions["insights"].close()


@pytest.fixture(scope="module")
def api(forecast_app, forecast_db):
    return {store_id: Api(forecast_app, forecast_db.keys[store_id]) for store_id in (STORE_A, STORE_B, STORE_C)}


def test_forecast_of_the_store_rollup(api, forecast_db):
    response = api[STORE_A].get("/forecast")
    assert response.status_code == 200, response.get_json()
    data = ForecastData.model_validate(response.get_json()["data"])
    assert (data.metric, data.channel, data.horizon) == ("revenue", "overall", 30)
    assert data.last_data_date == dt.date(2024, 3, 31)
    assert [d.date for d in data.history] == [dt.date(2024, 2, 5) + dt.timedelta(days=i) for i in range(56)]
    assert [d.date for d in data.forecast] == [dt.date(2024, 4, 1) + dt.timedelta(days=i) for i in range(30)]
    assert all(0 <= d.lower_95 <= d.lower_80 <= d.value <= d.upper_80 <= d.upper_95 for d in data.forecast)
    # the history is the marts' daily store rollup
    marts = dict(forecast_db.query(
        "select period_start, round(revenue, 2)::float8 from marts.fct_unified_metrics where store_id = %s "
        "and channel = 'overall' and source = 'all' and period = 'daily' and period_start >= '2024-02-05'",
        (STORE_A,)))
    assert {d.date: d.value for d in data.history} == marts
    # the forecast is the stored one, rounded to cents
    stored = forecast_db.query("select value from app.forecasts where store_id = %s and metric = 'revenue' "
                               "and channel = 'overall' order by day limit 30", (STORE_A,))
    assert [d.value for d in data.forecast] == [round(v, 2) for (v,) in stored]
    model = forecast_db.scalar("select model from app.forecast_series where store_id = %s and metric = 'revenue' "
                               "and channel = 'overall'", (STORE_A,))
    assert data.model == model


@pytest.mark.parametrize("query", [{"metric": "sessions", "channel": "SEO", "horizon": "90"},
                                   {"metric": "cost", "channel": "ads", "horizon": "7d"},
                                   {"metric": "conversions", "horizon": "1"}])
def test_metric_channel_and_horizon(api, query):
    data = api[STORE_A].get("/forecast", query).get_json()["data"]
    assert data["metric"] == query["metric"]
    assert data["channel"] == query.get("channel", "overall").lower()
    assert len(data["forecast"]) == data["horizon"] == int(query["horizon"].rstrip("d"))


@pytest.mark.parametrize("query,param", [
    ({"metric": "profit"}, "metric"), ({"metric": ""}, "metric"), ({"channel": "tv"}, "channel"),
    ({"channel": "unattributed"}, "channel"), ({"horizon": "0"}, "horizon"), ({"horizon": "91"}, "horizon"),
    ({"horizon": "-3"}, "horizon"), ({"horizon": "ten"}, "horizon"), ({"horizon": "1e3"}, "horizon"),
    ({"horizon": "99999999999999999999"}, "horizon"), ({"metric": ["revenue", "cost"]}, "metric"),
])
def test_bad_parameters_are_400_naming_the_parameter(api, query, param):
    response = api[STORE_A].get("/forecast", query)
    assert response.status_code == 400, (query, response.get_json())
    body = response.get_json()
    assert body["success"] is False and body["error"]["details"][0]["param"] == param


def test_no_forecast_yet_is_409(api, forecast_db):
    response = api[STORE_C].get("/forecast")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "forecast_not_ready"
    assert "insights refresh" in response.get_json()["error"]["message"]
    with psycopg.connect(forecast_db.conninfo, autocommit=True) as conn:
        store.save(conn, fit.StoreForecast(STORE_C, dt.date(2024, 2, 9), 40, {}, 0.1, status="insufficient_history"))
    response = api[STORE_C].get("/forecast", {"metric": "sessions"})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "insufficient_history" and error["details"] == {"history_days": 40, "needed_days": 56}


def test_a_store_never_sees_another_stores_forecast(api, forecast_db):
    a = api[STORE_A].get("/forecast", {"horizon": "90"}).get_json()["data"]
    b = api[STORE_B].get("/forecast", {"horizon": "90"}).get_json()["data"]
    # store_b's marker revenue (88,888.88 a day) must not appear in store_a's answer, and vice versa
    assert max(d["value"] for d in a["history"]) < 10_000 and max(d["upper_95"] for d in a["forecast"]) < 10_000
    assert min(d["value"] for d in b["history"]) > 80_000
    assert b["last_data_date"] == "2024-04-30" and a["last_data_date"] == "2024-03-31"
    assert api[STORE_A].get("/forecast", {"store_id": STORE_B, "horizon": "90"}).get_json()["data"] == a
    assert Api(api[STORE_A].client.application, None).get("/forecast").status_code == 401


def test_published_in_openapi(forecast_app, api):
    doc = forecast_app.test_client().get("/api/openapi.json").get_json()
    from openapi_spec_validator import validate

    validate(doc)
    op = doc["paths"][BASE + "/forecast"]["get"]
    assert {p["name"] for p in op["parameters"]} == {"metric", "channel", "horizon"}
    assert {"200", "400", "401", "409"} <= set(op["responses"])
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.validate(api[STORE_A].get("/forecast").get_json(), {**schema, "components": doc["components"]},
                        cls=jsonschema.Draft202012Validator)


@pytest.mark.dbt
def test_end_to_end_on_dbt_built_marts(sample_warehouse):
    """The refresh's step on the generated sample's marts, then the API: every series has a forecast
    starting the day after the store's last data day."""
    db = sample_warehouse
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        migrate(conn)
        store_id, last = conn.execute("select store_id, last_data_date from marts.fct_store_data_dates "
                                      "order by store_id limit 1").fetchone()
        key = auth.create_key(conn, store_id, "forecast e2e")[1]
        (result,) = fit_stores(conn, [store_id], "marts")
    assert result["result"] == "ok" and result["series"] == 32
    application = create_app(base_config(db))
    try:
        client = Api(application, key)
        for metric in ("revenue", "cost", "conversions", "sessions"):
            for channel in ("overall", "seo", "influencer", "ads"):
                response = client.get("/forecast", {"metric": metric, "channel": channel, "horizon": "90"})
                assert response.status_code == 200, (metric, channel, response.get_json())
                data = response.get_json()["data"]
                assert data["forecast"][0]["date"] == (last + dt.timedelta(days=1)).isoformat()
                assert len(data["forecast"]) == 90 and len(data["history"]) == 56
                assert data["history"][-1]["date"] == last.isoformat()
    finally:
        application.extensions["insights"].close()


@pytest.fixture(scope="module")
def projection_db(make_database):
    """store_a with a stored forecast made as of 2024-03-20: 11 days of March left, 100 revenue and 50
    ads cost a day, 80 % half-width 10 a day."""
    from insight_service.forecast.models import SeriesForecast

    db = make_database("forecast_dash")
    db.keys = prepare(db)
    flat = {metric: SeriesForecast("test", *(np.full(90, v) for v in (level, level - 10, level + 10,
                                                                        level - 20, level + 20)))
            for metric, level in (("revenue", 100.0), ("cost", 50.0))}
    series = {("revenue", "overall"): flat["revenue"], ("cost", "ads"): flat["cost"],
              ("cost", "overall"): flat["cost"]}
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        store.save(conn, fit.StoreForecast(STORE_A, dt.date(2024, 3, 20), 80, series, 0.1))
    return db


def test_dashboard_projects_the_month_against_the_budgets(make_app, projection_db):
    application = make_app(projection_db)
    data = Api(application, projection_db.keys[STORE_A]).get("/dashboard").get_json()["data"]
    p = data["projections"]
    assert (p["month_start"], p["month_end"], p["as_of"]) == ("2024-03-01", "2024-03-31", "2024-03-20")
    assert (p["days_elapsed"], p["days_in_month"]) == (20, 31)
    to_date = dict(projection_db.query(
        "select channel, sum(revenue)::float8 from marts.fct_unified_metrics where store_id = %s and period = 'daily' "
        "and source = 'all' and period_start between '2024-03-01' and '2024-03-20' group by 1", (STORE_A,)))
    overall = p["channels"]["overall"]["revenue"]
    assert overall["month_to_date"] == pytest.approx(to_date["overall"], abs=0.01)
    assert overall["projected"] == pytest.approx(to_date["overall"] + 11 * 100, abs=0.01)
    # 11 independent days of half-width 10: sqrt(11) x 10 either side
    assert overall["upper_80"] - overall["projected"] == pytest.approx(10 * np.sqrt(11), abs=0.01)
    february = projection_db.scalar(
        "select sum(revenue)::float8 from marts.fct_unified_metrics where store_id = %s and channel = 'overall' "
        "and period = 'daily' and source = 'all' and period_start between '2024-02-01' and '2024-02-29'", (STORE_A,))
    assert february > 0 and overall["previous_month"] == pytest.approx(february, abs=0.01)
    ads = p["channels"]["ads"]["cost"]
    spent = projection_db.scalar(
        "select sum(cost)::float8 from marts.fct_unified_metrics where store_id = %s and period = 'daily' "
        "and source = 'all' and channel = 'ads' and period_start between '2024-03-01' and '2024-03-20'", (STORE_A,))
    assert ads["projected"] == pytest.approx(spent + 11 * 50, abs=0.01) and ads["budget"] == 4000
    assert ads["projected_utilization_pct"] == pytest.approx(ads["projected"] / 40, abs=0.01)
    assert ads["pacing"] == ("over" if ads["projected"] > 4400 else "under" if ads["projected"] < 3600 else "on")
    assert p["channels"]["overall"]["cost"]["budget"] == 5000  # ads + seo
    # a channel without a stored series: month to date only; without a budget: no pacing
    assert p["channels"]["email"]["cost"]["projected"] == p["channels"]["email"]["cost"]["month_to_date"]
    assert p["channels"]["email"]["cost"]["pacing"] is None
    DashboardData.model_validate(data)


def test_dashboard_without_a_forecast_has_null_projections(api):
    assert api[STORE_C].get("/dashboard").get_json()["data"]["projections"] is None


def test_forecast_signals_become_grounded_insights(projection_db):
    """The overall revenue of store_a (forecast 100 a day for the rest of March) is projected far below
    February's: a forecast_revenue_miss insight, written by its template from the signal's figures."""
    from insight_service.core.settings import Settings
    from insight_service.core.warehouse import Warehouse
    from insight_service.insights import service
    from insight_service.insights import store as insight_store
    from insight_service.insights.config import LifecycleConfig, LLMConfig

    warehouse = Warehouse(Settings.from_env(base_config(projection_db)))
    try:
        lifecycle = LifecycleConfig.from_env()
        signals = [s for s in insight_store.ranked_signals(warehouse, STORE_A, lifecycle)
                   if s["signal_type"].startswith("forecast_")]
        miss = next(s for s in signals if s["signal_type"] == "forecast_revenue_miss" and s["channel"] == "overall")
        figures = {f["id"]: f["value"] for f in miss["evidence"]["figures"]}
        to_date = projection_db.scalar(
            "select sum(revenue)::float8 from marts.fct_unified_metrics where store_id = %s and channel = 'overall' "
            "and period = 'daily' and source = 'all' and period_start between '2024-03-01' and '2024-03-20'",
            (STORE_A,))
        assert float(figures["projected_revenue"]) == pytest.approx(to_date + 1100, abs=0.01)
        assert float(miss["current_value"]) == pytest.approx(to_date + 1100, abs=0.01)
        assert float(figures["projected_revenue"]) <= 0.9 * float(figures["previous_month_revenue"])
        assert (miss["period_start"], miss["period_end"]) == (dt.date(2024, 3, 1), dt.date(2024, 3, 31))
        # only series with a stored forecast raise forecast signals (a missing one is not a forecast of 0)
        assert {(s["signal_type"], s["channel"]) for s in signals} <= {
            ("forecast_revenue_miss", "overall"), ("forecast_overspend", "ads"), ("forecast_overspend", "overall")}

        result = service.generate(warehouse, STORE_A, LLMConfig.from_env({"api_key": None}), limit=50,
                                  lifecycle=lifecycle)
        insight = next(i for i in result["insights"] if i["signal_id"] == miss["signal_id"])
        assert insight["type"] == "warning" and insight["category"] == "revenue"
        assert insight["title"] == "Store revenue projected to miss last month's"
        assert insight["generated_by"] == "template"
        verdict = service.verdict_for(miss, insight["title"], insight["description"], insight["suggested_action"], [])
        assert verdict.ok, verdict
    finally:
        warehouse.close()
