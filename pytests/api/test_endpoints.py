"""Happy paths of every endpoint, values checked against SQL on the marts fixture."""
from __future__ import annotations

import csv
import datetime as dt
import io
import math

import pytest

from insight_service.api.attribution.schemas import AllModelsAttribution, AttributionData, RoiData
from insight_service.api.benchmarks.schemas import BenchmarksData
from insight_service.api.calendar.schemas import CalendarData
from insight_service.api.dashboard.schemas import DashboardData
from insight_service.api.health.schemas import HealthData
from pytests.api import expected as ex
from pytests.api.fixtures import STORE_A
from pytests.support.markov_oracle import PathCount, markov_attribution

D = dt.date.fromisoformat
# store_a's marts end on 2024-03-31: the default window and the previous one
DEFAULT = (D("2024-03-02"), D("2024-03-31"))
PREVIOUS = (D("2024-02-01"), D("2024-03-01"))


def data_of(response, model=None):
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["success"] is True and set(body) == {"success", "data"}
    if model is not None:
        model.model_validate(body["data"])  # the documented response model
    return body["data"]


# ---- dashboard -------------------------------------------------------------------------

def test_dashboard_default_window_values_match_sql(api_a, marts_db):
    data = data_of(api_a.get("/dashboard"), DashboardData)
    assert data["date_range"] == {"start_date": "2024-03-02", "end_date": "2024-03-31", "days": 30,
                                  "previous_start_date": "2024-02-01", "previous_end_date": "2024-03-01"}
    assert data["attribution_model"] == marts_db.scalar("select attribution_default_model from marts.mart_build_info")
    want = ex.channel_metrics(marts_db, STORE_A, *DEFAULT)
    assert list(data["channels"]) == [*ex.CHANNELS, "overall"]
    assert data["channels"] == want
    # the fixture's decoys (source-level, weekly/monthly rows) would double these if not filtered
    assert data["channels"]["seo"]["revenue"] > 0 and data["channels"]["overall"]["cost"] > 0


def test_dashboard_previous_period_maths(api_a, marts_db):
    data = data_of(api_a.get("/dashboard"), DashboardData)
    cur = ex.channel_metrics(marts_db, STORE_A, *DEFAULT)
    prev = ex.channel_metrics(marts_db, STORE_A, *PREVIOUS)
    for channel in (*ex.CHANNELS, "overall"):
        for metric in ("revenue", "cost", "profit", "roas"):
            got = data["vs_previous_period"][channel][metric]
            assert got["current"] == cur[channel][metric]
            assert got["previous"] == prev[channel][metric]
            assert got["change"] == ex.change(cur[channel][metric], prev[channel][metric]), (channel, metric)
    vs = data["vs_previous_period"]
    # email had no cost before 2024-03-02: a change from 0 has percentage null, not 100
    assert vs["email"]["cost"]["previous"] == 0.0 and vs["email"]["cost"]["current"] > 0
    assert vs["email"]["cost"]["change"]["percentage"] is None
    assert vs["email"]["cost"]["change"]["direction"] == "up"
    # social's cost is the same every day: flat, 0 %
    assert vs["social"]["cost"]["change"] == {"absolute": 0.0, "percentage": 0.0, "direction": "flat"}
    # influencer's cost stopped in March: down 100 %
    assert vs["influencer"]["cost"]["change"]["direction"] == "down"
    assert vs["influencer"]["cost"]["change"]["percentage"] == -100.0
    # referral has no cost at all: roas null in both periods, change unknown
    assert vs["referral"]["roas"] == {"current": None, "previous": None,
                                      "change": {"absolute": None, "percentage": None, "direction": None}}
    # February had higher daily revenue in the fixture
    assert vs["overall"]["revenue"]["change"]["direction"] == "down"
    assert vs["overall"]["revenue"]["change"]["percentage"] < 0


def test_dashboard_profit_after_marketing_is_profit_minus_cost(api_a, marts_db):
    """marketing_profit = profit − cost and poas = profit / cost of the same response, per channel
    and overall; poas null where there is no cost; the overall row from sums, not averaged ratios."""
    data = data_of(api_a.get("/dashboard"), DashboardData)
    channels = data["channels"]
    for channel, m in channels.items():
        assert m["marketing_profit"] == round(m["profit"] - m["cost"], 2), channel
        if m["cost"] == 0:
            assert m["poas"] is None, channel
        else:
            # profit is shown rounded to the cent: poas (from the unrounded sum) may differ by that much
            assert m["poas"] == pytest.approx(m["profit"] / m["cost"], abs=1e-4 + 0.005 / abs(m["cost"])), channel
    # referral and direct carry no cost: all their profit is left, and poas is null (never 0)
    for channel in ("referral", "direct"):
        assert channels[channel]["cost"] == 0.0 and channels[channel]["profit"] > 0
        assert channels[channel]["marketing_profit"] == channels[channel]["profit"]
        assert channels[channel]["poas"] is None
    # why the metric exists: in March ads earns more revenue than it costs (roas > 1) but less margin, so
    # nothing is left after its spend (marketing_profit < 0, poas < 1)
    assert channels["ads"]["roas"] > 1 and channels["ads"]["profit"] > 0
    assert channels["ads"]["marketing_profit"] < 0 and 0 < channels["ads"]["poas"] < 1
    # the store rollup: its marketing profit is the sum of the channels' (the fixture's overall rows are the
    # channels' sums; its profits have sub-cent parts, so each channel's cent rounding may move the sum by
    # half a cent), and its poas is sum(profit) / sum(cost), not the mean of the channels' poas
    parts = [channels[c] for c in ex.CHANNELS]
    assert channels["overall"]["marketing_profit"] == pytest.approx(
        math.fsum(m["marketing_profit"] for m in parts), abs=0.005 * len(parts))
    mean_of_ratios = math.fsum(m["poas"] for m in parts if m["poas"] is not None) / \
        sum(m["poas"] is not None for m in parts)
    want = ex.channel_metrics(marts_db, STORE_A, *DEFAULT)["overall"]
    assert channels["overall"]["poas"] == want["poas"] != pytest.approx(mean_of_ratios, abs=1e-3)


def test_dashboard_previous_period_of_profit_after_marketing(api_a, marts_db):
    data = data_of(api_a.get("/dashboard"), DashboardData)
    cur = ex.channel_metrics(marts_db, STORE_A, *DEFAULT)
    prev = ex.channel_metrics(marts_db, STORE_A, *PREVIOUS)
    for channel in (*ex.CHANNELS, "overall"):
        for metric in ("marketing_profit", "poas"):
            got = data["vs_previous_period"][channel][metric]
            assert got == {"current": cur[channel][metric], "previous": prev[channel][metric],
                           "change": ex.change(cur[channel][metric], prev[channel][metric])}, (channel, metric)
    vs = data["vs_previous_period"]
    # email had no cost before 2024-03-02: all its profit was left, and poas was unknown, so its change is
    # unknown too (not "up" from nothing)
    assert vs["email"]["marketing_profit"]["previous"] == prev["email"]["profit"] > 0
    assert vs["email"]["poas"]["previous"] is None and vs["email"]["poas"]["current"] is not None
    assert vs["email"]["poas"]["change"] == {"absolute": None, "percentage": None, "direction": None}
    # influencer's cost stopped in March: more of its profit is left than in February
    assert vs["influencer"]["marketing_profit"]["change"]["direction"] == "up"
    assert vs["influencer"]["poas"]["current"] is None and vs["influencer"]["poas"]["previous"] is not None
    # the numbers behind a change are the ones the channels block shows
    assert vs["ads"]["marketing_profit"]["current"] == data["channels"]["ads"]["marketing_profit"]
    assert vs["ads"]["poas"]["current"] == data["channels"]["ads"]["poas"]


def test_dashboard_timeseries_is_dense_and_matches_sql(api_a, marts_db):
    start, end = D("2024-02-20"), D("2024-03-05")
    data = data_of(api_a.get("/dashboard", {"start_date": "2024-02-20", "end_date": "2024-03-05"}), DashboardData)
    ts = data["timeseries"]
    days = [(start + dt.timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]
    assert ts["dates"] == days
    want = ex.daily_series(marts_db, STORE_A, start, end)
    for channel in (*ex.CHANNELS, "overall"):
        series = ts["channels"][channel]
        for i, day in enumerate(days):
            revenue, cost, conversions = want.get((day, channel), (0.0, 0.0, 0.0))
            assert (series["revenue"][i], series["cost"][i], series["conversions"][i]) == (revenue, cost, conversions)


@pytest.mark.parametrize("query, window", [
    ({"days": "7"}, ("2024-03-25", "2024-03-31")),
    ({"days": "7d"}, ("2024-03-25", "2024-03-31")),
    ({"days": " 14D "}, ("2024-03-18", "2024-03-31")),
    ({"end_date": "2024-02-29", "days": "10"}, ("2024-02-20", "2024-02-29")),
    ({"end_date": "2024-02-29"}, ("2024-01-31", "2024-02-29")),
    ({"start_date": "2024-03-10"}, ("2024-03-10", "2024-03-31")),
    ({"start_date": "2024-01-01", "end_date": "2024-01-01"}, ("2024-01-01", "2024-01-01")),
    ({"start_date": "2022-04-01", "end_date": "2024-03-31"}, ("2022-04-01", "2024-03-31")),  # 731 days
])
def test_window_parameters(api_a, marts_db, query, window):
    data = data_of(api_a.get("/dashboard", query))
    start, end = D(window[0]), D(window[1])
    length = (end - start).days + 1
    assert data["date_range"]["start_date"] == window[0] and data["date_range"]["end_date"] == window[1]
    assert data["date_range"]["days"] == length
    prev_end = start - dt.timedelta(days=1)
    assert data["date_range"]["previous_end_date"] == prev_end.isoformat()
    assert data["date_range"]["previous_start_date"] == (prev_end - dt.timedelta(days=length - 1)).isoformat()
    assert data["channels"] == ex.channel_metrics(marts_db, STORE_A, start, end)


def test_default_end_date_is_per_store(api_b, api_c):
    assert data_of(api_b.get("/dashboard"))["date_range"]["end_date"] == "2024-04-30"
    # a store without any rows: 30 days ending today, all zeros and null ratios
    data = data_of(api_c.get("/dashboard"), DashboardData)
    assert data["date_range"]["days"] == 30
    assert data["date_range"]["end_date"] in {dt.date.today().isoformat(),
                                              (dt.date.today() - dt.timedelta(days=1)).isoformat()}
    assert data["channels"]["overall"] == {"revenue": 0.0, "cost": 0.0, "profit": 0.0, "conversions": 0.0,
                                           "sessions": 0, "roas": None, "cpa": None, "conversion_rate": None,
                                           "marketing_profit": 0.0, "poas": None}


def test_numbers_are_json_numbers_and_dates_iso(api_a):
    response = api_a.get("/dashboard")
    text = response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("application/json")
    data = response.get_json()["data"]
    assert isinstance(data["channels"]["seo"]["revenue"], float)
    assert isinstance(data["channels"]["seo"]["sessions"], int)
    assert '"revenue":"' not in text.replace(" ", "")  # never a Decimal string
    assert "GMT" not in text  # never an HTTP-date
    assert "NaN" not in text and "Infinity" not in text


# ---- attribution -----------------------------------------------------------------------

@pytest.mark.parametrize("model", ex.RULE_MODELS)
def test_attribution_rule_models_match_sql(api_a, marts_db, model):
    data = data_of(api_a.get("/attribution", {"model": model}), AttributionData)
    want = ex.attribution(marts_db, STORE_A, model, *DEFAULT)
    totals = ex.attribution_totals(marts_db, STORE_A, model, *DEFAULT)
    assert data["model"] == model
    assert list(data["attribution"]) == list(ex.CHANNELS)
    for c in ex.CHANNELS:
        got = want.get(c, {"revenue": 0.0, "conversions": 0.0, "profit": 0.0})
        assert data["attribution"][c] == got["revenue"]
        assert data["conversions"][c] == got["conversions"]
        assert data["profit"][c] == got["profit"]
    assert data["total_revenue"] == totals["revenue"]
    assert data["total_conversions"] == totals["conversions"]
    assert data["unattributed_revenue"] == want["unattributed"]["revenue"]
    assert data["unattributed_conversions"] == want["unattributed"]["conversions"]
    assert data["date_range"]["start_date"] == "2024-03-02"


def test_attribution_default_model_is_the_marts_default(api_a, marts_db):
    default = marts_db.scalar("select attribution_default_model from marts.mart_build_info")
    assert data_of(api_a.get("/attribution"))["model"] == default


def _markov(marts_db, first_month: str, last_month: str):
    rows = marts_db.query(
        "select channel_path, conversions, conversion_value, null_conversions from marts.fct_conversion_paths "
        "where store_id = %s and month_start between %s and %s", (STORE_A, first_month, last_month))
    return markov_attribution(PathCount.from_row(dict(zip(("channel_path", "conversions", "conversion_value",
                                                            "null_conversions"), r))) for r in rows)


@pytest.mark.parametrize("query, months", [
    ({}, ("2024-03-01", "2024-03-01")),
    ({"start_date": "2024-02-15", "end_date": "2024-03-10"}, ("2024-02-01", "2024-03-01")),
    ({"start_date": "2024-01-01", "end_date": "2024-03-31"}, ("2024-01-01", "2024-03-01")),
])
def test_attribution_data_driven_is_markov_scaled_to_the_range(api_a, marts_db, query, months):
    data = data_of(api_a.get("/attribution", {**query, "model": "data_driven"}), AttributionData)
    start, end = D(data["date_range"]["start_date"]), D(data["date_range"]["end_date"])
    totals = ex.attribution_totals(marts_db, STORE_A, "linear", start, end)
    result = _markov(marts_db, *months)
    assert data["model"] == "data_driven"
    # scaled to the range's totals, and the credits reconcile to the cent
    assert data["total_revenue"] == totals["revenue"]
    assert data["total_conversions"] == totals["conversions"]
    credited = math.fsum(data["attribution"].values()) + data["unattributed_revenue"]
    assert round(credited, 2) == totals["revenue"]
    assert round(math.fsum(data["conversions"].values()) + data["unattributed_conversions"], 4) == \
        totals["conversions"]
    # the shares are Markov's removal-effect shares of the months overlapping the range
    assert data["removal_effects"] == {c: round(r, 6) for c, r in sorted(result.removal_effects.items())}
    for c in ex.CHANNELS:
        share = result.revenue.get(c, 0.0) / result.total_value
        # the rounding residue (at most 8 half-cents) goes to the largest credit
        assert data["attribution"][c] == pytest.approx(totals["revenue"] * share, abs=0.05)
        conv_share = result.conversions.get(c, 0.0) / result.total_conversions
        assert data["conversions"][c] == pytest.approx(totals["conversions"] * conv_share, abs=0.0005)
    unattributed_share = result.revenue["unattributed"] / result.total_value
    assert data["unattributed_revenue"] == pytest.approx(totals["revenue"] * unattributed_share, abs=0.05)


def test_attribution_all_models_side_by_side(api_a, marts_db):
    data = data_of(api_a.get("/attribution", {"model": "all"}), AllModelsAttribution)
    assert data["model"] == "all"
    assert list(data["models"]) == [*ex.RULE_MODELS, "data_driven"]
    for model in ex.RULE_MODELS:
        single = data_of(api_a.get("/attribution", {"model": model}))
        single.pop("date_range")
        assert data["models"][model] == single
    dd = data_of(api_a.get("/attribution", {"model": "data_driven"}))
    dd.pop("date_range")
    assert data["models"]["data_driven"] == dd
    totals = {m: r["total_revenue"] for m, r in data["models"].items()}
    assert len(set(totals.values())) == 1  # every model reconciles to the same revenue


# ---- ROI -------------------------------------------------------------------------------

@pytest.mark.parametrize("channel", ex.CHANNELS)
def test_roi_matches_sql(api_a, marts_db, channel):
    data = data_of(api_a.get(f"/roi/{channel}", {"model": "last_touch"}), RoiData)
    att = ex.attribution(marts_db, STORE_A, "last_touch", *DEFAULT).get(
        channel, {"revenue": 0.0, "conversions": 0.0, "profit": 0.0})
    revenue = marts_db.scalar(
        "select coalesce(sum(attributed_revenue), 0) from marts.fct_channel_attribution_daily "
        "where store_id = %s and model = 'last_touch' and channel = %s and date between %s and %s",
        (STORE_A, channel, *DEFAULT))
    cost = ex.cost(marts_db, STORE_A, channel, *DEFAULT)
    assert data["channel"] == channel and data["model"] == "last_touch"
    assert data["revenue"] == att["revenue"]
    assert data["profit"] == att["profit"]
    assert data["conversions"] == att["conversions"]
    assert data["cost"] == float(cost)
    if cost == 0:
        assert data["roi"] is None and data["roas"] is None
    else:
        assert data["roi"] == float(round((revenue - cost) / cost * 100, 2))
        assert data["roas"] == float(round(revenue / cost, 4))


@pytest.mark.parametrize("channel", ex.CHANNELS)
def test_roi_profit_after_marketing(api_a, marts_db, channel):
    data = data_of(api_a.get(f"/roi/{channel}", {"model": "last_touch"}), RoiData)
    profit = marts_db.scalar(
        "select coalesce(sum(attributed_profit), 0) from marts.fct_channel_attribution_daily "
        "where store_id = %s and model = 'last_touch' and channel = %s and date between %s and %s",
        (STORE_A, channel, *DEFAULT))
    cost = ex.cost(marts_db, STORE_A, channel, *DEFAULT)
    assert {k: data[k] for k in ("marketing_profit", "poas")} == ex.profit_after_marketing(profit, cost)
    # and from the same response
    assert data["marketing_profit"] == round(data["profit"] - data["cost"], 2)
    if cost == 0:
        assert data["poas"] is None and data["marketing_profit"] == data["profit"]
    else:
        assert data["poas"] == pytest.approx(data["profit"] / data["cost"], abs=1e-4 + 0.005 / abs(data["cost"]))


def test_roi_data_driven_profit_after_marketing(api_a):
    data = data_of(api_a.get("/roi/ads", {"model": "data_driven"}), RoiData)
    dd = data_of(api_a.get("/attribution", {"model": "data_driven"}))
    assert data["profit"] == dd["profit"]["ads"] and data["cost"] > 0
    assert data["marketing_profit"] == round(dd["profit"]["ads"] - data["cost"], 2)
    assert data["poas"] == pytest.approx(dd["profit"]["ads"] / data["cost"], abs=1e-4)


def test_roi_data_driven_uses_the_markov_credit(api_a, marts_db):
    data = data_of(api_a.get("/roi/ads", {"model": "data_driven"}), RoiData)
    dd = data_of(api_a.get("/attribution", {"model": "data_driven"}))
    cost = ex.cost(marts_db, STORE_A, "ads", *DEFAULT)
    assert data["revenue"] == dd["attribution"]["ads"]
    assert data["cost"] == float(cost)
    assert data["roas"] == pytest.approx(dd["attribution"]["ads"] / float(cost), abs=1e-4)


def test_roi_default_model(api_a):
    assert data_of(api_a.get("/roi/seo"))["model"] == "linear"


# ---- benchmarks --------------------------------------------------------------------------

@pytest.mark.parametrize("channel, industry, want_industry", [
    ("ads", None, "fashion"),         # the store's industry (from fct_benchmark_comparison)
    ("ads", "electronics", "electronics"),
    ("ads", "GENERAL", "general"),
    ("social", None, "fashion"),
    ("seo", None, "fashion"),         # no fashion range for seo: every metric falls back to general
    ("email", None, "fashion"),
    ("referral", None, "fashion"),    # no range at all: no metrics
])
def test_benchmarks_match_sql(api_a, marts_db, channel, industry, want_industry):
    query = {"industry": industry} if industry else {}
    data = data_of(api_a.get(f"/benchmarks/{channel}", query), BenchmarksData)
    assert data["channel"] == channel and data["industry"] == want_industry
    ranges = ex.benchmark_ranges(marts_db, channel, want_industry)
    values = ex.benchmark_values(marts_db, STORE_A, channel, *DEFAULT)
    assert sorted(data["metrics"]) == sorted(ranges)
    for metric, band in ranges.items():
        got = data["metrics"][metric]
        value = values.get(metric)
        assert got["industry"] == band["industry"]
        assert got["direction"] == band["direction"]
        assert got["unit"] == band["unit"]
        assert got["benchmarks"] == {k: float(band[k]) for k in ("poor", "average", "good", "excellent")}
        assert got["value"] == (None if value is None else float(round(value, ex.PLACES[metric])))
        assert got["rating"] == ex.rating(value, band), metric


def test_benchmarks_fallbacks_and_insufficient_data(api_a):
    ads = data_of(api_a.get("/benchmarks/ads"))["metrics"]
    assert ads["roas"]["industry"] == "fashion" and ads["cpa"]["industry"] == "general"
    social = data_of(api_a.get("/benchmarks/social"))["metrics"]
    assert social["video_completion_rate"]["value"] is None
    assert social["video_completion_rate"]["rating"] == "insufficient_data"
    email = data_of(api_a.get("/benchmarks/email"))["metrics"]
    assert email["engagement_rate"]["value"] is None  # no impressions: null, never 0
    assert email["engagement_rate"]["rating"] == "insufficient_data"


def test_benchmarks_industry_default_per_store(api_b, api_c):
    assert data_of(api_b.get("/benchmarks/ads"))["industry"] == "beauty"
    assert data_of(api_c.get("/benchmarks/ads"))["industry"] == "general"


# ---- calendar ----------------------------------------------------------------------------

def test_calendar_matches_sql_sorted_by_date(api_a, marts_db):
    data = data_of(api_a.get("/calendar"), CalendarData)
    rows = marts_db.query(
        "select scheduled_date, item_type, item_id, channel, title, status from marts.fct_marketing_calendar "
        "where store_id = %s and scheduled_date between %s and %s order by 1, 2, 3", (STORE_A, *DEFAULT))
    assert [[i["date"], i["item_type"], i["item_id"], i["channel"], i["title"], i["status"]]
            for i in data["items"]] == [[r[0].isoformat(), *r[1:]] for r in rows]
    assert len(data["items"]) == 3
    dates = [i["date"] for i in data["items"]]
    assert dates == sorted(dates)


def test_calendar_range_and_channel_filter(api_a):
    data = data_of(api_a.get("/calendar", {"start_date": "2024-01-01", "end_date": "2024-04-30",
                                           "channel": "influencer"}))
    assert [i["item_id"] for i in data["items"]] == ["del-1", "del-2"]


# ---- exports -----------------------------------------------------------------------------

def csv_of(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_export_channels_csv(api_a):
    rows = csv_of(api_a.get("/export/channels.csv"))
    header, body = rows[0], rows[1:]
    assert header[:11] == ["start_date", "end_date", "channel", "revenue", "cost", "profit", "conversions",
                           "sessions", "roas", "cpa", "conversion_rate"]
    dash = data_of(api_a.get("/dashboard"))["channels"]
    assert [r[2] for r in body] == [*ex.CHANNELS, "overall"]
    for r in body:
        m = dash[r[2]]
        assert r[0:2] == ["2024-03-02", "2024-03-31"]
        assert float(r[3]) == m["revenue"] and float(r[4]) == m["cost"] and int(r[7]) == m["sessions"]
        assert (r[8] == "") == (m["roas"] is None)


def test_export_channels_csv_carries_profit_after_marketing(api_a):
    rows = csv_of(api_a.get("/export/channels.csv"))
    header, body = rows[0], rows[1:]
    # appended after the earlier columns, which keep their positions
    assert header[11:] == ["previous_revenue", "previous_cost", "previous_profit", "previous_roas",
                           "marketing_profit", "poas", "previous_marketing_profit", "previous_poas"]
    dash = data_of(api_a.get("/dashboard"))
    for r in body:
        cells = dict(zip(header, r))
        m, vs = dash["channels"][r[2]], dash["vs_previous_period"][r[2]]
        for column, want in (("marketing_profit", m["marketing_profit"]), ("poas", m["poas"]),
                             ("previous_marketing_profit", vs["marketing_profit"]["previous"]),
                             ("previous_poas", vs["poas"]["previous"])):
            assert (None if cells[column] == "" else float(cells[column])) == want, (r[2], column)
    by_channel = {r[2]: dict(zip(header, r)) for r in body}
    assert by_channel["referral"]["poas"] == "" and by_channel["ads"]["poas"] != ""  # null stays empty, never 0
    assert float(by_channel["ads"]["marketing_profit"]) == round(
        float(by_channel["ads"]["profit"]) - float(by_channel["ads"]["cost"]), 2)


def test_export_timeseries_csv(api_a):
    rows = csv_of(api_a.get("/export/timeseries.csv", {"days": "5", "channel": "ads"}))
    assert rows[0] == ["date", "channel", "revenue", "cost", "conversions"]
    ts = data_of(api_a.get("/dashboard", {"days": "5"}))["timeseries"]
    assert [r[0] for r in rows[1:]] == ts["dates"]
    assert [float(r[2]) for r in rows[1:]] == ts["channels"]["ads"]["revenue"]


def test_export_attribution_csv(api_a):
    rows = csv_of(api_a.get("/export/attribution.csv", {"model": "all"}))
    assert rows[0] == ["start_date", "end_date", "model", "channel", "conversions", "revenue", "profit"]
    assert len(rows) == 1 + 6 * 8
    att = data_of(api_a.get("/attribution", {"model": "position_based"}))
    pb = {r[3]: r for r in rows[1:] if r[2] == "position_based"}
    assert float(pb["ads"][5]) == att["attribution"]["ads"]
    assert float(pb["unattributed"][5]) == att["unattributed_revenue"]


def test_export_benchmarks_csv(api_a):
    rows = csv_of(api_a.get("/export/benchmarks.csv", {"channel": "ads"}))
    assert rows[0][:6] == ["start_date", "end_date", "channel", "metric", "value", "rating"]
    bench = data_of(api_a.get("/benchmarks/ads"))["metrics"]
    assert {r[3]: r[5] for r in rows[1:]} == {m: b["rating"] for m, b in bench.items()}
    all_rows = csv_of(api_a.get("/export/benchmarks.csv"))
    assert {r[2] for r in all_rows[1:]} <= set(ex.CHANNELS) and len(all_rows) > len(rows)


def test_export_calendar_csv_guards_formulas(api_a):
    rows = csv_of(api_a.get("/export/calendar.csv"))
    assert rows[0] == ["date", "item_type", "item_id", "channel", "title", "status"]
    titles = {r[2]: r[4] for r in rows[1:]}
    assert titles["art-1"] == 'Spring "sale", 50% off'
    assert titles["del-1"].startswith("'=")  # a spreadsheet will not run it
    assert titles["art-2"] == "<script>alert(1)</script> ünïcødé"


def test_export_errors_are_json(api_a):
    response = api_a.get("/export/channels.csv", {"start_date": "yesterday"})
    assert response.status_code == 400 and response.get_json()["error"]["details"][0]["param"] == "start_date"
    response = api_a.get("/export/secrets.csv")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "unknown_report"


# ---- health ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/marketing/analytics/healthz", "/healthz"])
def test_healthz_needs_no_key_and_reports_the_build_to_a_key(app, marts_db, keys, path):
    assert app.test_client().get(path).get_json()["data"] == {"status": "ok"}  # anonymous: the status only
    response = app.test_client().get(path, headers={"Authorization": f"Bearer {keys[STORE_A]}"})
    data = data_of(response, HealthData)
    build_id, built_at = marts_db.query("select build_id, built_at from marts.mart_build_info")[0]
    assert data["build_id"] == build_id
    assert dt.datetime.fromisoformat(data["built_at"]) == built_at
    assert data["last_run"] is None  # no pipeline run yet (app.pipeline_runs is empty)
