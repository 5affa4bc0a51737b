"""marts.fct_insight_signals on the generated sample built by dbt (``sample_warehouse``): the
signals exist and every figure is what SQL over the marts gives; the dbt unit tests of the
thresholds (models/intermediate/insights/int_insight_signals__unit_tests.yml, each on its signal family
model) ran in that build;
the templates of every real signal pass the grounding check; POST /insights/generate works
end to end on them (template path, and LLM path through a local fake server)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from decimal import Decimal

import psycopg
import pytest
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from insight_service.insights import llm, templates
from insight_service.insights.config import LLMConfig
from insight_service.insights.service import verdict_for

UNIT_TESTS = ["insight_revenue_change_at_threshold", "insight_severity_at_thresholds",
              "insight_benchmark_poor_at_band_average", "insight_budget_pacing_at_thresholds",
              "insight_marginal_efficiency_at_thresholds", "insight_outsized_source_at_thresholds",
              "insight_sessions_drop_at_thresholds", "insight_cpa_of_a_jpy_store_judged_in_usd"]
# defaults of the vars (macros/insight_signals.sql)
REVENUE_CHANGE_PCT = 15
MIN_SHARE_PCT = 5
SEVERITY_HIGH, SEVERITY_MEDIUM = 10, 3


@pytest.fixture(scope="module")
def signals(sample_warehouse) -> list[dict]:
    with psycopg.connect(sample_warehouse.conninfo, row_factory=dict_row) as conn:
        return conn.execute("select * from marts.fct_insight_signals order by store_id, signal_id").fetchall()


@pytest.fixture(scope="module")
def anchors(sample_warehouse) -> dict[str, tuple[dt.date, dt.date]]:
    rows = sample_warehouse.query(
        "select store_id, min(period_start), max(period_start) from marts.fct_unified_metrics "
        "where period = 'daily' and channel = 'overall' and source = 'all' group by store_id")
    return {store: (first, last) for store, first, last in rows}


def fig(signal: dict, fid: str) -> float | None:
    for item in signal["evidence"]["figures"]:
        if item["id"] == fid:
            return item["value"]
    return None


def q4(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.0001"))


def window_sum(db, store, channel, source, column, start, end) -> Decimal:
    return db.scalar(
        f"select coalesce(sum({column}), 0) from marts.fct_unified_metrics where store_id = %s and channel = %s "
        "and source = %s and period = 'daily' and period_start between %s and %s",
        (store, channel, source, start, end))


def test_unit_tests_of_the_thresholds_ran_in_the_build(sample_warehouse):
    output = sample_warehouse.build_output
    for name in UNIT_TESTS:
        assert re.search(rf"PASS int_insight_signals__\w+::{name}\b", output), name
    assert re.search(r"OK created sql table model marts\.fct_insight_signals\b", output)


def test_signals_exist_for_every_store_and_several_types(signals, anchors):
    assert {s["store_id"] for s in signals} == set(anchors)
    types = {s["signal_type"] for s in signals}
    # which types fire depends on the generated sample; the revenue ones always do on its noisy data
    assert len(types) >= 3 and types & {"revenue_decline", "revenue_growth"}
    for s in signals:
        key = "|".join((s["signal_type"], s["store_id"], s["channel"], s["source"], s["period"]))
        assert s["signal_id"] == hashlib.md5(key.encode()).hexdigest()
        assert s["severity"] in ("high", "medium", "low")
        assert s["evidence"]["figures"] and s["evidence"]["store_id"] == s["store_id"]
        for item in s["evidence"]["figures"]:
            assert set(item) == {"id", "label", "value", "unit"}


def test_windows_end_at_the_stores_latest_data_date(signals, anchors):
    for s in signals:
        first, last = anchors[s["store_id"]]
        assert s["period_end"] == last
        if s["period"] == "last_28_days":
            assert s["period_start"] == last - dt.timedelta(days=27)
        elif s["period"] == "last_7_days":
            assert s["period_start"] == last - dt.timedelta(days=6)
        else:
            assert s["period"] == "current_month" and s["period_start"] == last.replace(day=1)
        window = s["evidence"]["window"]
        assert (window["start"], window["end"]) == (s["period_start"].isoformat(), last.isoformat())


def test_revenue_signals_equal_sql_over_the_unified_mart(sample_warehouse, signals):
    revenue = [s for s in signals if s["signal_type"] in ("revenue_decline", "revenue_growth")]
    assert revenue
    for s in revenue:
        days = (s["period_end"] - s["period_start"]).days + 1
        prev_start, prev_end = s["period_start"] - dt.timedelta(days=days), s["period_start"] - dt.timedelta(days=1)
        current = window_sum(sample_warehouse, s["store_id"], s["channel"], "all", "revenue",
                             s["period_start"], s["period_end"])
        previous = window_sum(sample_warehouse, s["store_id"], s["channel"], "all", "revenue", prev_start, prev_end)
        change = (current - previous) * 100 / previous
        assert (q4(s["current_value"]), q4(s["comparison_value"])) == (q4(current), q4(previous))
        assert s["change_pct"] == q4(change)
        assert abs(s["change_pct"]) >= REVENUE_CHANGE_PCT
        assert (s["signal_type"] == "revenue_decline") == (change < 0)
        assert s["estimated_revenue_impact"] == abs(current - previous).quantize(Decimal("0.01"))
        assert fig(s, "current_revenue") == pytest.approx(float(current))
        assert fig(s, "change_pct") == pytest.approx(float(change), abs=0.006)
        # materiality: the channel holds >= 5 % of the store's revenue in one of the windows
        store_now = window_sum(sample_warehouse, s["store_id"], "overall", "all", "revenue",
                               s["period_start"], s["period_end"])
        store_before = window_sum(sample_warehouse, s["store_id"], "overall", "all", "revenue", prev_start, prev_end)
        shares = [c * 100 / t for c, t in ((current, store_now), (previous, store_before)) if t]
        assert max(shares) >= MIN_SHARE_PCT


def test_a_channel_below_the_change_threshold_has_no_revenue_signal(sample_warehouse, signals, anchors):
    flagged = {(s["store_id"], s["channel"], s["period"]) for s in signals
               if s["signal_type"] in ("revenue_decline", "revenue_growth")}
    checked = 0
    for store, (_first, last) in anchors.items():
        start, prev_start, prev_end = last - dt.timedelta(days=27), last - dt.timedelta(days=55), \
            last - dt.timedelta(days=28)
        for (channel,) in sample_warehouse.query(
                "select distinct channel from marts.fct_unified_metrics where store_id = %s and source = 'all'",
                (store,)):
            current = window_sum(sample_warehouse, store, channel, "all", "revenue", start, last)
            previous = window_sum(sample_warehouse, store, channel, "all", "revenue", prev_start, prev_end)
            if previous > 0 and abs((current - previous) * 100 / previous) < REVENUE_CHANGE_PCT:
                assert (store, channel, "last_28_days") not in flagged
                checked += 1
    assert checked > 0


def test_benchmark_signals_match_the_band_and_the_window(sample_warehouse, signals):
    rated = [s for s in signals if s["signal_type"] in ("roas_below_benchmark", "cpa_above_benchmark")]
    assert rated
    for s in rated:
        revenue, cost, conversions = (window_sum(sample_warehouse, s["store_id"], s["channel"], "all", c,
                                                 s["period_start"], s["period_end"])
                                      for c in ("revenue", "cost", "conversions"))
        average, direction, band_currency, currency = sample_warehouse.query(
            "select distinct average, direction, benchmark_currency, currency from marts.fct_benchmark_comparison "
            "where store_id = %s and channel = %s and metric = %s", (s["store_id"], s["channel"], s["metric"]))[0]
        # a money band (cpa) is in its own currency: the store's value is converted at the rate as of the
        # window's first day, and the signal shows the band in the store's currency (issue 16)
        rate = Decimal(1) if band_currency is None or band_currency == currency else sample_warehouse.scalar(
            "select rate from marts.dim_fx_rates where from_currency = %s and to_currency = %s and rate_month <= %s "
            "order by rate_month desc limit 1", (currency, band_currency, s["period_start"]))
        value = revenue / cost if s["metric"] == "roas" else cost / conversions
        assert s["current_value"] == q4(value) and s["comparison_value"] == q4(average / rate)
        converted = s["current_value"] * rate
        assert (converted < average) if direction == "higher_is_better" else (converted > average)
        assert s["evidence"]["benchmark"]["fx_rate"] == (None if band_currency is None else float(rate))
        assert s["estimated_revenue_impact"] >= 0


def test_budget_signals_match_the_current_month(sample_warehouse, signals):
    budget = [s for s in signals if s["signal_type"].startswith("budget_")]
    assert budget
    for s in budget:
        spend, planned = sample_warehouse.query(
            "select projected_spend, monthly_budget from marts.fct_budget_utilization "
            "where store_id = %s and channel = %s and month_start = %s",
            (s["store_id"], s["channel"], s["period_start"]))[0]
        assert (s["current_value"], s["comparison_value"]) == (q4(spend), q4(planned))
        utilization = spend * 100 / planned
        assert utilization <= 80 if s["signal_type"] == "budget_underutilized" else utilization >= 120


def test_marginal_efficiency_signals_equal_sql(sample_warehouse, signals):
    for s in (s for s in signals if s["signal_type"] == "marginal_efficiency_decline"):
        start, end = s["period_start"], s["period_end"]
        prev_start, prev_end = start - dt.timedelta(days=28), start - dt.timedelta(days=1)
        cost, revenue = (window_sum(sample_warehouse, s["store_id"], s["channel"], "all", c, start, end)
                         for c in ("cost", "revenue"))
        prev_cost, prev_revenue = (window_sum(sample_warehouse, s["store_id"], s["channel"], "all", c,
                                              prev_start, prev_end) for c in ("cost", "revenue"))
        assert s["change_pct"] == q4((cost - prev_cost) * 100 / prev_cost) >= 20
        assert s["current_value"] == q4((revenue - prev_revenue) / (cost - prev_cost)) <= 1
        assert s["comparison_value"] == q4(prev_revenue / prev_cost)


def test_outsized_sources_are_exactly_the_sources_over_the_thresholds(sample_warehouse, signals):
    """Every article / campaign with >= 40 % of its channel's 28-day revenue in a channel with >= 3
    active such sources is a signal, and nothing else is (SQL over the unified mart)."""
    candidates = set(sample_warehouse.query("""
        with anchors as (
            select store_id, max(period_start) as last_day from marts.fct_unified_metrics
            where period = 'daily' and channel = 'overall' and source = 'all' group by store_id),
        sources as (
            select u.store_id, u.channel, u.source, sum(u.revenue) as revenue
            from marts.fct_unified_metrics u join anchors a using (store_id)
            where u.period = 'daily' and u.period_start > a.last_day - 28
              and (u.source like 'article:%' or u.source like 'campaign:%')
            group by 1, 2, 3),
        channels as (
            select u.store_id, u.channel, sum(u.revenue) as revenue
            from marts.fct_unified_metrics u join anchors a using (store_id)
            where u.period = 'daily' and u.source = 'all' and u.period_start > a.last_day - 28
            group by 1, 2)
        select s.store_id, s.source from sources s join channels c using (store_id, channel)
        where s.revenue > 0 and c.revenue <> 0 and s.revenue * 100 / c.revenue >= 40
          and (select count(*) from sources o where o.store_id = s.store_id and o.channel = s.channel) >= 3
    """))
    sources = [s for s in signals if s["signal_type"] == "outsized_source_revenue"]
    assert {(s["store_id"], s["source"]) for s in sources} == candidates
    for s in sources:
        own = window_sum(sample_warehouse, s["store_id"], s["channel"], s["source"], "revenue",
                         s["period_start"], s["period_end"])
        channel = window_sum(sample_warehouse, s["store_id"], s["channel"], "all", "revenue",
                             s["period_start"], s["period_end"])
        assert (s["current_value"], s["comparison_value"]) == (q4(own), q4(channel))
        if s["source"].startswith("article:"):  # the title comes from the calendar mart
            title = sample_warehouse.scalar(
                "select title from marts.fct_marketing_calendar where item_type = 'seo_article' and item_id = %s",
                (s["source"].split(":", 1)[1],))
            assert s["evidence"].get("source_title") == title


def test_severity_follows_the_impact_share(signals):
    for s in signals:
        share = s["impact_share_pct"]
        expected = ("low" if share is None else "high" if share >= SEVERITY_HIGH
                    else "medium" if share >= SEVERITY_MEDIUM else "low")
        assert s["severity"] == expected, s["signal_id"]


def test_templates_of_every_sample_signal_are_grounded(signals):
    for s in signals:
        text = templates.render(s)
        verdict = verdict_for(s, text.title, text.description, text.suggested_action, [])
        assert verdict.ok, (s["signal_type"], verdict.reason, text)
        assert "n/a" not in text.description


# ---- end to end: the API on the sample's signals -------------------------------------------------

@pytest.fixture(scope="module")
def e2e(make_database, sample_warehouse, signals):
    """A database of its own holding the sample's signals (the sample stays read-only), the app
    schema and a key for the sample store with the most signals."""
    from insight_service.api.app import create_app
    from insight_service.api.web import auth
    from insight_service.warehouse.migrations import migrate
    from pytests.api.conftest import base_config

    db = make_database("ins_e2e")
    store = max({s["store_id"] for s in signals}, key=lambda st: sum(1 for s in signals if s["store_id"] == st))
    columns = list(signals[0])
    with psycopg.connect(db.conninfo) as conn:
        conn.execute("create schema marts")
        ddl = ", ".join(f"{name} {type_}" for name, type_ in sample_warehouse.query(
            "select attname, format_type(atttypid, atttypmod) from pg_attribute "
            "where attrelid = 'marts.fct_insight_signals'::regclass and attnum > 0 and not attisdropped "
            "order by attnum"))
        conn.execute(f"create table marts.fct_insight_signals ({ddl})")
        for row in signals:
            conn.execute(f"insert into marts.fct_insight_signals ({', '.join(columns)}) "
                         f"values ({', '.join(['%s'] * len(columns))})",
                         [Jsonb(row[c]) if c == "evidence" else row[c] for c in columns])
        migrate(conn)
        key = auth.create_key(conn, store, "e2e")[1]
    app = create_app(base_config(db))
    yield app, key, store, db
    app.extensions["insights"].close()


def test_generate_on_the_sample_template_path(e2e, signals):
    app, key, store, db = e2e
    app.extensions["insights_llm"] = LLMConfig()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}"}
    # the default job flow: 202 with a job id, polled until done (the result is the synchronous call's data)
    response = client.post("/api/marketing/analytics/insights/generate?limit=20", headers=headers)
    assert response.status_code == 202, response.get_data(as_text=True)
    job_path = f"/api/marketing/analytics/jobs/{response.get_json()['data']['job_id']}"
    deadline = time.monotonic() + 60
    while (job := client.get(job_path, headers=headers).get_json()["data"])["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    assert job["status"] == "done", job
    data = job["result"]
    own = sorted((s for s in signals if s["store_id"] == store),
                 key=lambda s: ({"high": 0, "medium": 1, "low": 2}[s["severity"]],
                                -(s["estimated_revenue_impact"] if s["estimated_revenue_impact"] is not None
                                  else Decimal("-1e18")), s["signal_id"]))
    assert [i["signal_id"] for i in data["insights"]] == [s["signal_id"] for s in own][:20]
    assert data["path"] == "template" and data["reason"] == "no_api_key"
    listed = client.get("/api/marketing/analytics/insights", headers=headers).get_json()["data"]["insights"]
    assert len(listed) == len(data["insights"])
    db.execute("truncate app.marketing_insights")


def test_generate_on_the_sample_llm_path(e2e, httpserver):
    """A fake model that quotes the display texts it is sent: every insight is the LLM's."""
    app, key, store, db = e2e
    seen = []

    def handler(request):
        from werkzeug import Response

        body = request.get_json()
        seen.append(body)
        user = body["messages"][1]["content"]
        block = json.loads(user.split(llm.DATA_START, 1)[1].split(llm.DATA_END, 1)[0])
        items = []
        for sig in block["signals"]:
            f1, f2 = sig["figures"][0], sig["figures"][1]
            items.append({"signal_id": sig["signal_id"], "title": f"{sig['channel_name']}: {f1['display']}",
                          "description": f"{f1['label']}: {f1['display']}. {f2['label']}: {f2['display']}.",
                          "suggested_action": "Look into it.",
                          "cited_figures": [{"figure_id": f1["figure_id"], "value": f1["value"]}]})
        answer = {"id": "c", "object": "chat.completion", "created": 1, "model": "m",
                  "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                               "message": {"role": "assistant", "content": json.dumps({"insights": items}),
                                           "refusal": None}}]}
        return Response(json.dumps(answer), content_type="application/json")

    httpserver.expect_request("/v1/chat/completions", method="POST").respond_with_handler(handler)
    app.extensions["insights_llm"] = LLMConfig(api_key="sk-test", base_url=httpserver.url_for("/v1"),
                                               model="m", timeout_s=10, max_retries=0)
    response = app.test_client().post("/api/marketing/analytics/insights/generate?wait=true",  # synchronous
                                      headers={"Authorization": f"Bearer {key}"}, json={"limit": 10})
    data = response.get_json()["data"]
    assert response.status_code == 201 and data["path"] == "llm", data["reason"]
    assert len(seen) == 1 and len(data["insights"]) == min(10, data["signals_considered"])
    db.execute("truncate app.marketing_insights")
