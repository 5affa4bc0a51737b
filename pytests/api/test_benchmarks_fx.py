"""/benchmarks in a store's own currency (issue 16): money metrics are converted into the band's
currency before rating, by the warehouse's own function (benchmark_window, rendered from
macros/benchmarks.sql into the fixture marts exactly as dbt creates it). Expected values are
computed here with SQL on the fixture and the contract's rule restated."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from insight_service.api.benchmarks.schemas import BenchmarksData
from pytests.api import expected as ex
from pytests.api.fixtures import STORE_B
from pytests.api.test_endpoints import data_of

D = dt.date.fromisoformat
MONEY = ("cpa", "cpc")


def fx_rate(db, start: dt.date) -> tuple[Decimal, dt.date] | None:
    row = db.query("select rate, rate_month from marts.dim_fx_rates where from_currency = 'EUR' "
                   "and to_currency = 'USD' and rate_month <= %s order by rate_month desc limit 1", (start,))
    return (row[0][0], row[0][1]) if row else None


@pytest.mark.parametrize("window", [
    None,                                                    # default: April, after the last rate (March's is used)
    {"start_date": "2024-02-01", "end_date": "2024-02-29"},  # February's own rate
    {"start_date": "2024-01-20", "end_date": "2024-03-10"},  # across months: the rate as of the first day
])
def test_a_eur_stores_money_metrics_are_rated_in_usd(api_b, marts_db, window):
    data = data_of(api_b.get("/benchmarks/ads", window or {}), BenchmarksData)
    start, end = D(data["date_range"]["start_date"]), D(data["date_range"]["end_date"])
    rate, month = fx_rate(marts_db, start)
    values = ex.benchmark_values(marts_db, STORE_B, "ads", start, end)
    ranges = ex.benchmark_ranges(marts_db, "ads", data["industry"])
    assert {m for m in ranges if ranges[m]["unit"] == "currency"} == set(MONEY)
    for metric, band in ranges.items():
        got = data["metrics"][metric]
        assert got["currency"] == "EUR" and got["rating_reason"] is None
        assert got["value"] == float(round(values[metric], ex.PLACES[metric]))  # still in the store's euros
        if metric in MONEY:
            converted = values[metric] * rate
            assert (got["benchmark_currency"], got["fx_rate"], got["fx_rate_date"]) == ("USD", float(rate),
                                                                                        month.isoformat())
            assert got["value_in_benchmark_currency"] == float(round(converted, 4))
            assert got["rating"] == ex.rating(converted, band), metric
        else:  # rates and ratios are rated as they are
            assert (got["benchmark_currency"], got["fx_rate"], got["fx_rate_date"]) == (None, None, None)
            assert got["value_in_benchmark_currency"] == float(round(values[metric], 4))
            assert got["rating"] == ex.rating(values[metric], band), metric
    if window is None:
        assert data["metrics"]["cpc"]["fx_rate_date"] == "2024-03-01"  # stale rate, and visible as such


def test_no_fx_rate_means_insufficient_data_not_a_wrong_rating(api_b):
    # the range starts before the first month of rates: the euros cannot be converted
    data = data_of(api_b.get("/benchmarks/ads", {"start_date": "2023-12-20", "end_date": "2024-01-20"}),
                   BenchmarksData)
    for metric in MONEY:
        got = data["metrics"][metric]
        assert got["value"] is not None  # there is a value (January's days)...
        assert (got["rating"], got["rating_reason"]) == ("insufficient_data", "no_fx_rate")
        assert got["fx_rate"] is None and got["value_in_benchmark_currency"] is None
    assert data["metrics"]["roas"]["rating"] != "insufficient_data"  # a ratio needs no rate
    assert data["metrics"]["roas"]["rating_reason"] is None


def test_a_usd_store_is_not_converted(api_a):
    metrics = data_of(api_a.get("/benchmarks/ads"))["metrics"]
    for metric, got in metrics.items():
        assert got["currency"] == "USD"
        if metric in MONEY:
            assert (got["benchmark_currency"], got["fx_rate"], got["fx_rate_date"]) == ("USD", 1.0, None)
            assert got["value_in_benchmark_currency"] == pytest.approx(got["value"], abs=0.005)
        else:
            assert got["fx_rate"] is None


def test_export_carries_the_conversion(api_b):
    rows = ex_csv(api_b.get("/export/benchmarks.csv", {"channel": "ads"}))
    header = rows[0]
    assert header[:12] == ["start_date", "end_date", "channel", "metric", "value", "rating", "direction",
                           "industry", "poor", "average", "good", "excellent"]
    assert header[12:] == ["currency", "benchmark_currency", "fx_rate", "fx_rate_date",
                           "value_in_benchmark_currency", "rating_reason"]
    by_metric = {r[3]: dict(zip(header, r)) for r in rows[1:]}
    assert by_metric["cpc"]["benchmark_currency"] == "USD" and by_metric["cpc"]["fx_rate_date"] == "2024-03-01"
    assert by_metric["roas"]["benchmark_currency"] == "" and by_metric["roas"]["currency"] == "EUR"


def ex_csv(response) -> list[list[str]]:
    import csv
    import io

    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))
