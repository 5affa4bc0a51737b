"""The data-quality checks of the FX conversion (issue 16) catch what they are written for: on the
built sample they list nothing; a money value left in yen, a rate that is not dim_fx_rates', a
rating that does not follow the converted value, and a stale rate are each listed by their check.
The sample is tampered with inside a transaction that is rolled back."""
from __future__ import annotations

import psycopg

from insight_service.quality.check import Check
from insight_service.quality.gx_runner import fetch_offenders
from insight_service.quality.suites import all_suites

MART = "fct_benchmark_comparison"
KEY = "store_id, channel, metric, period, period_start"
WHERE_KEY = "store_id = %s and channel = %s and metric = %s and period = %s and period_start = %s"
CHECKS = ("rating_matches_bands", "money_converted_at_fx_rate", "fx_rate_matches_dim_fx_rates", "fx_rate_is_recent")


def _check(name: str) -> Check:
    suite = next(s for s in all_suites() if s.mart == MART)
    return next(c for c in suite.checks if c.name == name)


def _listed(conn, name: str, key: tuple) -> bool:
    rows = fetch_offenders(conn, _check(name), "marts", MART)
    assert not any("offenders_query_failed" in r for r in rows), rows
    return any((r["store_id"], r["channel"], r["metric"], r["period"], r["period_start"]) == tuple(key) for r in rows)


def test_fx_checks_list_each_kind_of_wrong_conversion(sample_warehouse):
    with psycopg.connect(sample_warehouse.conninfo) as conn:
        for name in CHECKS:
            assert fetch_offenders(conn, _check(name), "marts", MART) == [], name
        assert _check("fx_rate_is_recent").severity == "warning"
        rows = conn.execute(
            f"select {KEY} from marts.{MART} where currency = 'JPY' and metric = 'cpc' and value is not null "
            f"and rating = 'poor' order by period, period_start limit 4").fetchall()
        assert len(rows) == 4
        unconverted, wrong_rate, wrong_rating, stale = rows
        # the bug: yen compared with the dollar band as if they were dollars
        conn.execute(f"update marts.{MART} set value_in_benchmark_currency = value where {WHERE_KEY}", unconverted)
        conn.execute(f"update marts.{MART} set fx_rate = fx_rate * 1.5 where {WHERE_KEY}", wrong_rate)
        conn.execute(f"update marts.{MART} set rating = 'excellent' where {WHERE_KEY}", wrong_rating)
        conn.execute(f"update marts.{MART} set fx_rate_date = (period_start - interval '1 year')::date "
                     f"where {WHERE_KEY}", stale)
        assert _listed(conn, "money_converted_at_fx_rate", unconverted)
        assert _listed(conn, "fx_rate_matches_dim_fx_rates", wrong_rate)
        assert _listed(conn, "rating_matches_bands", wrong_rating)
        assert not _listed(conn, "rating_matches_bands", unconverted)  # still poor, just for the wrong reason
        assert _listed(conn, "fx_rate_matches_dim_fx_rates", stale)
        stale_rows = fetch_offenders(conn, _check("fx_rate_is_recent"), "marts", MART)
        assert [(r["store_id"], r["currency"]) for r in stale_rows] == [("demo-electronics-jp", "JPY")]
        conn.rollback()
