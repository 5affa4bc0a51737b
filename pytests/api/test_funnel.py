"""GET /funnel and GET /store: values against plain SQL sums of the marts fixture, parameters, tenancy."""
from __future__ import annotations

import datetime as dt

import pytest

from insight_service.api.funnel.schemas import FunnelData
from insight_service.api.store.schemas import StoreData
from insight_service.core.locales import store_locale
from pytests.api import expected as ex
from pytests.api.fixtures import STORE_A, STORE_B


def data_of(response, model):
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["success"] is True and set(body) == {"success", "data"}
    model.model_validate(body["data"])
    return body["data"]


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert body["success"] is False and body["error"]["code"] == code, body
    return body["error"]


def rate(numerator, denominator):
    """The oracle's percent: Python on the SQL sums, independent of the marts' safe_ratio."""
    return None if not denominator else round(float(numerator) * 100 / float(denominator), 2)


def expected_funnel(db, store: str, start: str, end: str) -> dict[str, dict]:
    rows = db.query(
        "select channel, sum(impressions), sum(clicks), sum(sessions), sum(conversions) "
        "from marts.fct_unified_metrics where store_id = %s and period = 'daily' and source = 'all' "
        "and period_start between %s and %s group by channel", (store, start, end))
    out = {c: {"impressions": 0, "clicks": 0, "sessions": 0, "conversions": 0.0, "click_rate": None,
               "session_rate": None, "conversion_rate": None} for c in (*ex.CHANNELS, "overall")}
    for channel, impressions, clicks, sessions, conversions in rows:
        out[channel] = {"impressions": int(impressions), "clicks": int(clicks), "sessions": int(sessions),
                        "conversions": round(float(conversions), 4), "click_rate": rate(clicks, impressions),
                        "session_rate": rate(sessions, clicks), "conversion_rate": rate(conversions, sessions)}
    return out


@pytest.mark.parametrize("query, start, end", [
    ({}, "2024-03-02", "2024-03-31"), ({"days": "7"}, "2024-03-25", "2024-03-31"),
    ({"start_date": "2024-01-15", "end_date": "2024-02-20"}, "2024-01-15", "2024-02-20"),
])
def test_funnel_equals_the_sums_of_the_fixture(api_a, marts_db, query, start, end):
    data = data_of(api_a.get("/funnel", query), FunnelData)
    assert data["date_range"]["start_date"] == start and data["date_range"]["end_date"] == end
    assert list(data["channels"]) == [*ex.CHANNELS, "overall"]
    assert data["channels"] == expected_funnel(marts_db, STORE_A, start, end)
    # the decoys (source-level and weekly/monthly rows) would inflate seo if not filtered
    seo = data["channels"]["seo"]
    assert seo["impressions"] == marts_db.scalar(
        "select sum(impressions) from marts.fct_unified_metrics where store_id = 'store_a' and channel = 'seo' "
        "and source = 'all' and period = 'daily' and period_start between %s and %s", (start, end))


def test_funnel_rates_are_null_on_zero_denominators(api_a):
    channels = data_of(api_a.get("/funnel"), FunnelData)["channels"]
    # email, referral and direct have no impressions nor clicks in the fixture
    for channel in ("email", "referral", "direct"):
        assert channels[channel]["impressions"] == 0 and channels[channel]["click_rate"] is None
        assert channels[channel]["session_rate"] is None
        assert channels[channel]["sessions"] > 0 and channels[channel]["conversion_rate"] is not None
    assert 0 < channels["ads"]["click_rate"] < 100
    overall = channels["overall"]
    assert overall["impressions"] == sum(channels[c]["impressions"] for c in ex.CHANNELS)


def test_funnel_of_a_store_without_rows_is_zero(api_c):
    channels = data_of(api_c.get("/funnel"), FunnelData)["channels"]
    assert all(c["impressions"] == 0 and c["conversions"] == 0 and c["conversion_rate"] is None
               for c in channels.values())


def test_funnel_never_shows_another_store(api_a, api_b, marts_db):
    a = api_a.get("/funnel?start_date=2024-03-01&end_date=2024-03-31&store_id=store_b").get_json()["data"]
    assert a["channels"] == expected_funnel(marts_db, STORE_A, "2024-03-01", "2024-03-31")
    b = api_b.get("/funnel?start_date=2024-03-01&end_date=2024-03-31").get_json()["data"]
    assert b["channels"]["ads"]["sessions"] == 999 * 31  # store_b's marker sessions


@pytest.mark.parametrize("query, param", [
    ({"days": "0"}, "days"), ({"days": "x"}, "days"), ({"start_date": "2024-02-30"}, "start_date"),
    ({"start_date": "2024-03-10", "end_date": "2024-03-01"}, "start_date"), ({"end_date": "soon"}, "end_date"),
    ({"start_date": "2020-01-01", "end_date": "2024-03-01"}, "start_date"),
])
def test_funnel_invalid_parameters_are_400_naming_them(api_a, query, param):
    error = error_of(api_a.get("/funnel", query), 400, "invalid_parameter")
    assert param in error["message"]


def test_funnel_is_cached_per_build(make_app, keys):
    from pytests.api.conftest import Api

    api = Api(make_app(), keys[STORE_A])
    first = api.get("/funnel?days=14").get_data()
    assert api.get("/funnel?days=14").get_data() == first
    cache = api.client.application.extensions["insights"].cache.backend
    assert len(cache._data) >= 1


# ---- /store ------------------------------------------------------------------------------------

def test_store_profile_and_freshness(api_a, api_b, marts_db):
    a = data_of(api_a.get("/store"), StoreData)
    built_at = marts_db.scalar("select built_at from marts.mart_build_info")
    assert a == {"store_id": STORE_A, "name": "Store A", "currency": "USD", "timezone": "America/New_York",
                 "industry": "fashion", "locale": "en-US", "data_as_of": built_at.isoformat(),
                 "last_data_date": "2024-03-31"}
    b = data_of(api_b.get("/store"), StoreData)
    assert (b["store_id"], b["currency"], b["locale"], b["last_data_date"]) == (STORE_B, "EUR", "de-DE", "2024-04-30")
    assert dt.datetime.fromisoformat(b["data_as_of"]) == built_at


def test_store_unknown_to_the_marts_has_null_fields(api_c):
    c = data_of(api_c.get("/store"), StoreData)
    assert c["name"] is None and c["currency"] is None and c["last_data_date"] is None
    assert c["locale"] == "en-US"


@pytest.mark.parametrize("currency, timezone, locale", [
    ("EUR", "Europe/Paris", "fr-FR"), ("EUR", "Europe/Berlin", "de-DE"), ("EUR", "Atlantic/Nowhere", "de-DE"),
    ("JPY", "Asia/Tokyo", "ja-JP"), ("AUD", "Australia/Sydney", "en-AU"), ("BRL", "America/Sao_Paulo", "pt-BR"),
    ("usd", None, "en-US"), (None, None, "en-US"), ("XXX", "Mars/Base", "en-US"),
])
def test_store_locale_from_timezone_then_currency(currency, timezone, locale):
    assert store_locale(currency, timezone) == locale
