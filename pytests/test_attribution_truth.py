"""Attribution scored against the truth (insight_service/sample_data/truth/attribution.py) on the built test sample.

The accuracy function on hand-made cases; then the scoring of every model on the small sample
(scale 0.05, 6 months, `dbt build`): figures in [0, 1], attributed orders and revenue that
reconcile with the converting orders, the API-path figures equal to the credits mart, and the
generator's guarantee seen through the warehouse: an order driven by a channel whose generated
journey shows that channel has a session of it, classified by dbt, from the order's browser in
the 31 days before it. The figures at the default scale are bench/attribution_truth.py's.
"""
from __future__ import annotations

import datetime as dt
from functools import partial

import psycopg
import pytest

from insight_service.api.attribution.service import every_model
from insight_service.core.settings import Settings
from insight_service.core.vocabulary import MODELS, RULE_MODELS
from insight_service.core.warehouse import Warehouse
from insight_service.sample_data.truth.attribution import (
    BASELINE,
    BUCKETS,
    MARKETING_CHANNELS,
    TRUTH_TABLE,
    accuracy,
    bucket,
    load_truth,
    score,
    summarise,
    to_buckets,
)

# ----------------------------------------------------------------------------- the formula

def test_accuracy_on_a_hand_made_case():
    true = {"seo": 4, "ads": 4, BASELINE: 2}
    # 2 ads orders credited to seo: |6-4| + |2-4| + 0 = 4 of 10 -> 1 - 4/20
    assert accuracy({"seo": 6, "ads": 2, BASELINE: 2}, true) == pytest.approx(0.8)
    assert accuracy(true, true) == 1.0
    assert accuracy({"email": 10}, true) == 0.0  # nothing in the right bucket
    assert accuracy({"seo": 4, "ads": 4}, {"seo": 4, "ads": 4, "email": 0}) == 1.0  # missing = 0
    with pytest.raises(ValueError):
        accuracy({"seo": 1}, {"seo": 0})


def test_channels_that_name_no_marketing_channel_count_as_baseline():
    assert [bucket(c) for c in ("direct", "referral", "unattributed")] == [BASELINE] * 3
    assert [bucket(c) for c in MARKETING_CHANNELS] == list(MARKETING_CHANNELS)
    assert to_buckets({"direct": 1.5, "referral": 1, "unattributed": 2, "ads": 3}) == {
        **dict.fromkeys(BUCKETS, 0.0), BASELINE: 4.5, "ads": 3.0}


# ----------------------------------------------------------------------------- on the built sample


@pytest.fixture(scope="module")
def scored(sample_warehouse):
    truth = sample_warehouse.sample.order_truth()
    wh = Warehouse(Settings.from_env({"conninfo": sample_warehouse.conninfo, "pool_size": 2}))
    try:
        with psycopg.connect(sample_warehouse.conninfo, autocommit=True) as conn:
            result = score(conn, partial(every_model, wh), truth)
            converting = dict(conn.execute("select store_id, count(*) from marts.fct_order_attribution "
                                           "group by 1").fetchall())
            linear = conn.execute(
                "select store_id, channel, sum(credit_fraction)::float8 from marts.fct_attribution_credits "
                "where model = 'linear' group by 1, 2").fetchall()
            first_touch_hits = dict(conn.execute(
                f"select o.store_id, avg((case when o.first_touch_channel = any(%s) then o.first_touch_channel "
                f"else %s end = t.driver)::int)::float8 from marts.fct_order_attribution o "
                f"join {TRUTH_TABLE} t using (store_id, order_id) group by 1",
                (list(MARKETING_CHANNELS), BASELINE)).fetchall())
    finally:
        wh.close()
    return dict(result=result, converting=converting, linear=linear, first_touch_hits=first_touch_hits)


def test_every_model_is_scored_on_every_store(scored, sample_warehouse):
    pairs = {(s.store, s.model) for s in scored["result"].scores}
    assert pairs == {(st, m) for st in sample_warehouse.sample.store_ids for m in MODELS}
    assert scored["result"].converting_orders == sum(scored["converting"].values()) > 100


def test_figures_are_in_the_unit_interval(scored):
    for s in scored["result"].scores:
        assert 0.0 <= s.order_accuracy <= 1.0 and 0.0 <= s.revenue_accuracy <= 1.0, s
        if s.model in RULE_MODELS:
            assert 0.0 <= s.credit_on_truth <= 1.0, s
        else:
            assert s.credit_on_truth is None
    for m in summarise(scored["result"].scores):
        assert 0.0 <= m.order_accuracy_min <= m.order_accuracy <= 1.0
        assert 0.0 <= m.revenue_accuracy_min <= m.revenue_accuracy <= 1.0


def test_attributed_orders_and_revenue_reconcile_with_the_converting_orders(scored):
    for s in scored["result"].scores:
        n = scored["converting"][s.store]
        assert sum(s.true_orders.values()) == n
        # the API rounds conversions to 4 places and money to cents per channel
        assert sum(s.attributed_orders.values()) == pytest.approx(n, abs=1e-3), s
        assert sum(s.attributed_revenue.values()) == pytest.approx(sum(s.true_revenue.values()), abs=0.05), s


def test_api_path_figures_equal_the_credits_mart(scored):
    """The linear model's orders per bucket (read through fct_channel_attribution_daily by the API
    code) equal the credit fractions of fct_attribution_credits, bucketed independently."""
    by_store: dict[str, dict[str, float]] = {}
    for store, channel, credit in scored["linear"]:
        by_store.setdefault(store, {})[channel] = credit
    for s in scored["result"].scores:
        if s.model == "linear":
            expected = to_buckets(by_store[s.store])
            assert s.attributed_orders == pytest.approx(expected, abs=1e-3)


def test_order_level_credit_of_first_touch_is_its_hit_rate(scored):
    """first_touch gives each order's whole credit to one touch, so its credit on the truth is the
    share of orders whose first touch (fct_order_attribution) is in the true bucket."""
    for s in scored["result"].scores:
        if s.model == "first_touch":
            assert s.credit_on_truth == pytest.approx(scored["first_touch_hits"][s.store], abs=1e-9)


def test_a_driven_order_has_a_session_of_its_channel_in_the_warehouse(sample_warehouse):
    """The generator's guarantee (order_truth.py) through dbt's classification: an order driven by
    channel c whose generated journey shows c has an int_sessions row of channel c from the
    order's browser in the 31 days before it. Orders of the last 4 days are left out: 1 % of
    sessions arrive 2-4 days late, after the load."""
    sample = sample_warehouse.sample
    last = sample.end_date - dt.timedelta(days=4)
    with psycopg.connect(sample_warehouse.conninfo) as conn:
        conn.execute(f"create temporary table {TRUTH_TABLE}_rows (store_id text, order_id text, order_date date, "
                     f"driver text, journey_sessions int, driver_sessions int)")
        with conn.cursor().copy(f"copy {TRUTH_TABLE}_rows from stdin") as cp:
            for t in sample.order_truth():
                for row in t.rows(last):
                    cp.write_row(row)
        checked, missing = conn.execute(f"""
            with driven as (
                select distinct t.order_id, t.driver, o.visitor_id, o.created_at
                from {TRUTH_TABLE}_rows t join raw.orders o using (store_id, order_id)
                where t.driver <> %s and t.driver_sessions > 0)
            select count(*), count(*) filter (where not exists (
                select 1 from intermediate.int_sessions s
                where s.visitor_id = d.visitor_id and s.channel = d.driver and not s.is_removed
                  and s.started_at <= d.created_at and s.started_at >= d.created_at - interval '31 days'))
            from driven d""", (BASELINE,)).fetchone()
        # and every converting order is dated as the truth dates it (store-local day)
        wrong_day = conn.execute(f"""
            select count(*) from marts.fct_order_attribution o join {TRUTH_TABLE}_rows t using (store_id, order_id)
            where o.converted_date <> t.order_date""").fetchone()[0]
    assert checked > 50
    assert missing == 0
    assert wrong_day == 0


def test_load_truth_refills_its_table(sample_warehouse):
    truth = sample_warehouse.sample.order_truth()
    with psycopg.connect(sample_warehouse.conninfo, autocommit=True) as conn:
        n = load_truth(conn, truth)
        assert load_truth(conn, truth) == n  # a second load replaces, never doubles
        assert conn.execute(f"select count(*) from {TRUTH_TABLE}").fetchone()[0] == n == sum(t.n for t in truth)
