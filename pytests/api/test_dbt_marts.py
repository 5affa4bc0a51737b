"""The API on marts built by dbt from the generated sample (the contract, end to end).

Uses the shared ``sample_warehouse`` fixture (pytests/conftest.py: sample data + `dbt build`),
so the hand-written fixture's assumptions are checked against the real models: the API's
month-window values must equal the marts' own monthly rows.
"""
from __future__ import annotations

import psycopg
import pytest

from insight_service.api.app import create_app
from insight_service.api.web import auth
from insight_service.warehouse.migrations import migrate
from pytests.api.conftest import Api, base_config

pytestmark = pytest.mark.dbt

CHANNELS = ("seo", "influencer", "social", "ads", "email", "referral", "direct")


@pytest.fixture(scope="module")
def built(sample_warehouse):
    db = sample_warehouse
    with psycopg.connect(db.conninfo) as conn:
        migrate(conn)
        stores = [r[0] for r in conn.execute(
            "select distinct store_id from marts.fct_unified_metrics order by 1").fetchall()]
        keys = {s: auth.create_key(conn, s, "dbt marts test")[1] for s in stores}
        month = conn.execute(
            "select max(period_start) from marts.fct_unified_metrics where period = 'monthly' "
            "and period_start + interval '1 month' - interval '1 day' <= "
            "(select max(period_start) from marts.fct_unified_metrics where period = 'daily')").fetchone()[0]
    application = create_app(base_config(db))
    yield db, application, keys, month
    application.extensions["insights"].close()


def _window(month):
    import datetime as dt

    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return {"start_date": month.isoformat(), "end_date": end.isoformat()}


def test_every_route_answers_on_dbt_marts(built):
    db, application, keys, month = built
    for store, key in keys.items():
        api = Api(application, key)
        for path in ("/dashboard", "/attribution?model=all", "/roi/ads?model=data_driven", "/benchmarks/seo",
                     "/calendar", "/export/channels.csv", "/export/benchmarks.csv", "/export/calendar.csv"):
            response = api.get(path)
            assert response.status_code == 200, (store, path, response.get_data(as_text=True)[:300])


def test_dashboard_month_equals_the_monthly_rollup(built):
    db, application, keys, month = built
    for store, key in keys.items():
        data = Api(application, key).get("/dashboard", _window(month)).get_json()["data"]
        rows = db.query(
            "select channel, round(revenue, 2), round(cost, 2), sessions from marts.fct_unified_metrics "
            "where store_id = %s and period = 'monthly' and source = 'all' and period_start = %s", (store, month))
        assert rows
        for channel, revenue, cost, sessions in rows:
            got = data["channels"][channel]
            assert (got["revenue"], got["cost"], got["sessions"]) == (float(revenue), float(cost), sessions), \
                (store, channel)


def test_attribution_reconciles_with_the_orders(built):
    db, application, keys, month = built
    window = _window(month)
    for store, key in keys.items():
        data = Api(application, key).get("/attribution", {**window, "model": "all"}).get_json()["data"]
        revenue = db.scalar(
            "select coalesce(round(sum(revenue), 2), 0) from marts.fct_order_attribution "
            "where store_id = %s and converted_date between %s and %s",
            (store, window["start_date"], window["end_date"]))
        for model, result in data["models"].items():
            assert result["total_revenue"] == float(revenue), (store, model)
            credited = sum(result["attribution"].values()) + result["unattributed_revenue"]
            assert round(credited, 2) == pytest.approx(float(revenue), abs=0.01), (store, model)


def test_benchmarks_month_equals_fct_benchmark_comparison(built):
    db, application, keys, month = built
    rows = db.query(
        "select store_id, channel, metric, value, rating, industry from marts.fct_benchmark_comparison "
        "where period = 'monthly' and period_start = %s", (month,))
    assert rows
    answers = {}
    for store, channel, metric, value, rating, industry in rows:
        if (store, channel) not in answers:
            answers[(store, channel)] = Api(application, keys[store]).get(
                f"/benchmarks/{channel}", _window(month)).get_json()["data"]["metrics"]
        got = answers[(store, channel)][metric]
        assert (got["rating"], got["industry"]) == (rating, industry), (store, channel, metric)
        if value is None:
            assert got["value"] is None
        else:
            assert got["value"] == pytest.approx(float(value), abs=0.006), (store, channel, metric)


def test_profit_after_marketing_equals_the_monthly_rollup(built):
    """The API's marketing_profit and poas over a month (from summed daily rows) equal the mart's own monthly
    columns, for every channel and overall; /roi/<channel> under the default model says the same."""
    db, application, keys, month = built
    checked_null = checked_value = 0
    for store, key in keys.items():
        api = Api(application, key)
        data = api.get("/dashboard", _window(month)).get_json()["data"]
        rows = db.query(
            "select channel, profit, cost, marketing_profit, poas from marts.fct_unified_metrics "
            "where store_id = %s and period = 'monthly' and source = 'all' and period_start = %s", (store, month))
        assert rows
        for channel, profit, cost, marketing_profit, poas in rows:
            got = data["channels"][channel]
            assert marketing_profit == profit - cost
            assert got["marketing_profit"] == float(marketing_profit), (store, channel)
            assert got["poas"] == (None if poas is None else float(poas)), (store, channel)
            checked_null += poas is None
            checked_value += poas is not None
            if channel in CHANNELS:
                roi = api.get(f"/roi/{channel}", _window(month)).get_json()["data"]
                assert roi["marketing_profit"] == round(roi["profit"] - roi["cost"], 2), (store, channel)
                assert roi["cost"] == float(cost), (store, channel)
    assert checked_null and checked_value  # both cases occur in the sample (referral/direct have no cost)


def test_money_benchmarks_are_rated_in_the_bands_currency(built):
    """Issue 16: every sample store's cpc/cpa is converted into the band's USD at the month's ECB
    average (dim_fx_rates) before rating; the API's month answer shows the same conversion."""
    from decimal import Decimal

    from pytests.api import expected as ex

    db, application, keys, month = built
    rows = db.query(
        "select c.store_id, c.channel, c.metric, c.period_start, c.currency, c.benchmark_currency, c.value, "
        "c.fx_rate, c.fx_rate_date, c.value_in_benchmark_currency, c.rating, c.rating_reason, "
        "c.direction, c.average, c.good, c.excellent, r.rate, r.rate_month "
        "from marts.fct_benchmark_comparison as c "
        "left join marts.dim_fx_rates as r on r.from_currency = c.currency and r.to_currency = c.benchmark_currency "
        "and r.rate_month = date_trunc('month', c.period_start)::date "
        "where c.metric in ('cpc', 'cpa') and c.period = 'monthly'")
    assert {r[4] for r in rows} == {"USD", "EUR", "JPY", "AUD", "BRL"}
    for (store, channel, metric, start, currency, band_currency, value, rate, rate_date, converted, rating,
         reason, direction, average, good, excellent, seeded_rate, seeded_month) in rows:
        assert band_currency == "USD", (store, metric)
        if currency == "USD":
            assert (rate, rate_date) == (1, None), store
        else:  # the sample's months all have their own rate
            assert (rate, rate_date) == (seeded_rate, seeded_month), (store, start)
        assert reason != "no_fx_rate", (store, channel, metric, start)
        if value is None:
            assert (rating, reason) == ("insufficient_data", "no_value")
            continue
        assert abs(converted - value * rate) <= Decimal("0.0001") * (1 + rate), (store, channel, metric, start)
        band = {"direction": direction, "average": average, "good": good, "excellent": excellent}
        # rated unrounded, stored rounded: at a band edge either side is right
        assert rating in {ex.rating(converted + d, band) for d in (Decimal("-0.00005"), 0, Decimal("0.00005"))}
    jp = {(channel, metric): (currency, rate, rate_date, converted, rating)
          for store, channel, metric, start, currency, _, _, rate, rate_date, converted, rating, *_ in rows
          if store == "demo-electronics-jp" and start == month}
    assert jp
    for (channel, metric), (_currency, rate, rate_date, converted, rating) in jp.items():
        got = Api(application, keys["demo-electronics-jp"]).get(
            f"/benchmarks/{channel}", _window(month)).get_json()["data"]["metrics"][metric]
        assert (got["currency"], got["benchmark_currency"], got["fx_rate_date"]) == \
            ("JPY", "USD", rate_date.isoformat())
        assert got["fx_rate"] == float(rate) and got["rating"] == rating
        if converted is not None:
            assert got["value_in_benchmark_currency"] == pytest.approx(float(converted), rel=1e-3, abs=1e-3)
