"""The marts keep every column of ../shared/contracts/marts.md (they may grow, never shrink),
with the contract's units: checked on the built sample."""
from __future__ import annotations

import pytest

MARTS = {
    "fct_attribution_credits": "store_id, order_id, customer_id, model, touchpoint_id, channel, source, touched_at, "
                               "converted_at, touch_position, touch_count, credit_fraction, credited_conversions, "
                               "credited_revenue, credited_profit",
    "fct_order_attribution":
        "store_id, order_id, customer_id, converted_at, converted_date, revenue, profit, touch_count, "
        "first_touch_channel, first_touch_source, first_touch_at, last_touch_channel, "
        "last_touch_source, last_touch_at, days_to_convert, channel_path",
    "fct_channel_attribution_daily": "store_id, date, model, channel, attributed_conversions, attributed_revenue, "
                                     "attributed_profit",
    "fct_conversion_paths": "store_id, month_start, channel_path, conversions, conversion_value, null_conversions",
    "fct_unified_metrics": "store_id, channel, source, period, period_start, sessions, pageviews, unique_visitors, "
                           "avg_session_duration_s, bounce_rate, impressions, clicks, engagements, engagement_rate, "
                           "conversions, revenue, profit, cost, conversion_rate, cpc, cpa, roas, roi, "
                           "marketing_profit, poas",
    "dim_benchmarks": "channel, metric, industry, poor, average, good, excellent, direction",
    "fct_benchmark_comparison":
        "store_id, channel, metric, period, period_start, industry, value, poor, average, good, "
        "excellent, direction, rating, currency, benchmark_currency, fx_rate, fx_rate_date, "
        "value_in_benchmark_currency",
    "fct_budget_utilization": "store_id, channel, month_start, monthly_budget, spent, utilization_pct, days_elapsed, "
                              "days_in_month, projected_spend, pacing",
    "fct_marketing_calendar": "store_id, item_type, item_id, channel, title, scheduled_date, status",
    "data_quality_issues": "table_name, row_key, reason, detected_at",
}


@pytest.mark.parametrize("mart", sorted(MARTS))
def test_mart_has_every_contract_column(sample_warehouse, mart):
    have = {r[0] for r in sample_warehouse.query(
        "select column_name from information_schema.columns where table_schema = 'marts' and table_name = %s", (mart,))}
    expected = [c.strip() for c in MARTS[mart].split(",")]
    assert [c for c in expected if c not in have] == []
    assert sample_warehouse.scalar(f"select count(*) from marts.{mart}") > 0


def test_rates_are_percentages_and_roas_a_ratio(sample_warehouse):
    # bounce_rate is bounded by 100; a rate stored as a 0-1 fraction would never exceed 1
    row = sample_warehouse.query(
        "select max(bounce_rate), min(bounce_rate), max(engagement_rate) from marts.fct_unified_metrics "
        "where period = 'monthly' and source = 'all' and channel = 'overall'")[0]
    assert 1 < row[0] <= 100 and row[1] >= 0
    # ratios recomputed from sums: roas = revenue / cost wherever cost > 0, null where cost = 0
    bad = sample_warehouse.scalar(
        "select count(*) from marts.fct_unified_metrics where (cost = 0 and roas is not null) "
        "or (cost <> 0 and abs(roas - revenue / cost) > 0.0001)")
    assert bad == 0


def test_profit_after_marketing_units(sample_warehouse):
    # marketing_profit is money (profit - cost, can be negative); poas a ratio like roas, null where cost = 0
    row = sample_warehouse.query(
        "select count(*) filter (where marketing_profit <> profit - cost), "
        "count(*) filter (where cost = 0 and poas is not null), "
        "count(*) filter (where cost <> 0 and abs(poas - profit / cost) > 0.0001), "
        "count(*) filter (where marketing_profit < 0), count(*) filter (where poas > 1) "
        "from marts.fct_unified_metrics")[0]
    assert row[:3] == (0, 0, 0)
    assert row[3] > 0 and row[4] > 0  # both sides of break-even occur in the sample


def test_default_target_uses_plain_schemas(sample_warehouse):
    schemas = {r[0] for r in sample_warehouse.query("select schema_name from information_schema.schemata")}
    assert {"raw", "staging", "intermediate", "marts", "seeds"} <= schemas


def test_every_mart_and_column_is_documented(sample_warehouse):
    import json

    manifest = json.loads((sample_warehouse._tmp / "target" / "manifest.json").read_text())
    marts = [n for n in manifest["nodes"].values()
             if n["resource_type"] == "model" and n["original_file_path"].startswith("models/marts/")]
    assert len(marts) >= len(MARTS)
    undocumented = [n["name"] for n in marts if not n["description"].strip()]
    undocumented += [f"{n['name']}.{c}" for n in marts for c, col in n["columns"].items()
                     if not col["description"].strip()]
    assert undocumented == []
    # contracts are enforced on every mart, so its YAML lists every column it builds
    assert [n["name"] for n in marts if not n["config"]["contract"]["enforced"]] == []


@pytest.fixture(scope="module")
def catalog(sample_warehouse):
    """`dbt docs generate` on the built sample: the columns every relation really has."""
    import json

    sample_warehouse.dbt("docs", "generate")
    return json.loads((sample_warehouse._tmp / "target" / "catalog.json").read_text())


def test_dbt_docs_generate_catalogues_every_mart(catalog):
    tables = {n["metadata"]["name"]: n for n in catalog["nodes"].values() if n["metadata"]["schema"] == "marts"}
    assert [m for m in MARTS if m not in tables] == []
    # the catalogue reads the real columns from the database, so the contract columns are there too
    cols = {c.lower() for c in tables["fct_unified_metrics"]["columns"]}
    assert {"roas", "period_start", "channel"} <= cols
    assert catalog.get("errors") in (None, [])


def test_every_model_column_is_documented(sample_warehouse, catalog):
    """Every column every model builds (staging, quarantine, intermediate views and tables, marts)
    is declared in its YAML with a description, and the YAML declares no column that is not built.
    test_dbt_hygiene.py checks the declared ones, sources and grain tests without a database."""
    import json

    manifest = json.loads((sample_warehouse._tmp / "target" / "manifest.json").read_text())
    problems = []
    for uid, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] != "model":
            continue
        built = catalog["nodes"].get(uid)
        if built is None:
            problems.append(f"{node['name']}: not in the catalog")
            continue
        declared = {name.lower(): column for name, column in node["columns"].items()}
        built_columns = {name.lower() for name in built["columns"]}
        problems += [f"{node['name']}.{name}: built, not documented" for name in sorted(built_columns)
                     if name not in declared or not declared[name]["description"].strip()]
        problems += [f"{node['name']}.{name}: documented, not built" for name in sorted(declared)
                     if name not in built_columns]
    assert problems == []
