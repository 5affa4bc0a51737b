"""Data quality of the marts (issue 8): the GX suites pass on the built sample, and every kind
of breakage is caught by the right check, named with its offending keys, with a non-zero exit.

The broken warehouse is a copy of the built sample (CREATE DATABASE ... TEMPLATE, or a fresh
build when the sample database is busy) that is then tampered with:
  marts:  a duplicated order, a negative spend, a touch after its conversion (future session),
          a conversion in the future, an unknown channel, credits that no longer add up to the
          order revenue;
  raw:    a negative ad spend row (-> quarantine) and old `_loaded_at` values (-> freshness),
          followed by a rebuild of staging, the quarantine and mart_source_freshness.
"""
from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
from pathlib import Path

import pytest
from psycopg import sql

from insight_service.cli import main as cli
from insight_service.quality.suites import all_suites
from insight_service.warehouse.raw_schema import RAW_TABLES
from pytests.conftest import copy_database

PG_KEYS = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE")


@contextlib.contextmanager
def warehouse_env(db, tmp: Path):
    """PG* variables of ``db`` (and dbt's target/log folders) for in-process `insights` runs."""
    with pytest.MonkeyPatch.context() as mp:
        for key in PG_KEYS:
            mp.delenv(key, raising=False)
        for key, value in db.env.items():
            mp.setenv(key, value)
        mp.setenv("DBT_TARGET_PATH", str(tmp / "target"))
        mp.setenv("DBT_LOG_PATH", str(tmp / "logs"))
        mp.setenv("GX_ANALYTICS_ENABLED", "False")
        yield


@dataclasses.dataclass
class Run:
    code: int
    out: str
    err: str
    tmp: Path


def run_validate(db, tmp: Path, *args: str) -> Run:
    """`insights validate` in this process against ``db``; stdout/stderr captured."""
    out, err = io.StringIO(), io.StringIO()
    with warehouse_env(db, tmp), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["validate", "--docs-dir", str(tmp / "docs"), "--json", str(tmp / "report.json"), *args])
    return Run(code, out.getvalue(), err.getvalue(), tmp)


# ---- the clean sample passes ----------------------------------------------------------------

@pytest.fixture(scope="module")
def clean_run(sample_warehouse, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dq_clean")
    from insight_service.quality.validate import validate_marts

    with warehouse_env(sample_warehouse, tmp):
        report = validate_marts(docs_dir=tmp / "docs")
    return report, tmp


def test_every_suite_passes_on_the_built_sample(clean_run):
    report, tmp = clean_run
    assert {s.mart for s in report.suites} == {s.mart for s in all_suites()}
    assert not [s.mart for s in report.suites if s.missing]
    failures = [c.message() for c in report.failures]
    assert not failures, "\n".join(failures)
    assert report.freshness is not None and report.freshness.ok, report.freshness
    assert len(report.freshness.sources) == len(RAW_TABLES)
    assert report.success and report.reason == ""
    # every contract mart has a suite with uniqueness at its grain and the per-store row check
    for suite in all_suites():
        names = {c.name for c in suite.checks}
        assert "contract_columns" in names, suite.mart
        if suite.mart.startswith("fct_"):  # store-level facts
            assert {"rows_per_store", "known_stores", "unique_grain"} <= names, suite.mart


def test_data_docs_are_written_without_secrets(clean_run):
    report, tmp = clean_run
    assert report.docs_index is not None and report.docs_index.exists()
    assert report.docs_index.resolve() == (tmp / "docs" / "index.html").resolve()
    pages = list((tmp / "docs").rglob("*.html"))
    assert len(pages) > len(all_suites())  # index + a validation page and a suite page per mart
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in pages[:40])
    assert "fct_attribution_credits" in text
    password = os.environ.get("PGPASSWORD")
    if password:
        assert password not in text


def test_quarantine_summary_matches_sql(clean_run, sample_warehouse):
    report, _ = clean_run
    expected = sample_warehouse.query(
        "select table_name, reason, count(*) from marts.data_quality_issues group by 1, 2 order by 1, 2")
    assert [(q.table_name, q.reason, q.rows) for q in report.quarantine] == [tuple(r) for r in expected]


# ---- a warehouse broken on purpose -------------------------------------------------------------

@pytest.fixture(scope="module")
def broken(make_database, sample_warehouse, tmp_path_factory):
    db = copy_database(make_database, sample_warehouse.template, "dq_broken")
    tmp = tmp_path_factory.mktemp("dq_broken")
    keys: dict[str, tuple] = {}
    with db.connect() as conn:
        # raw: a negative ad spend (quarantined) and stale loads (freshness warn / error)
        store, platform, campaign, name = conn.execute(
            "select store_id, platform, campaign_id, campaign_name from raw.ad_campaign_daily "
            "where campaign_id is not null order by store_id, campaign_id limit 1").fetchone()
        conn.execute(
            "insert into raw.ad_campaign_daily (store_id, platform, campaign_id, campaign_name, date, impressions, "
            "clicks, spend, platform_conversions, _loaded_at) values (%s, %s, %s, %s, date '2025-06-29', 10, 1, "
            "-250.00, 0, now())", (store, platform, campaign, name))
        keys["raw_negative_spend"] = (store, f"{platform}|{campaign}|2025-06-29")
        conn.execute("update raw.orders set _loaded_at = now() - interval '50 hours'")
        conn.execute("update raw.web_sessions set _loaded_at = now() - interval '200 hours'")
        conn.commit()
    # staging, the quarantine and the freshness mart see the raw changes; the other marts do not.
    # A full refresh: moving _loaded_at back in time is no new delivery for the incremental staging
    db.dbt("run", "--select", "+mart_source_freshness", "--full-refresh")

    with db.connect() as conn:
        def one(query: str, params=None):
            return conn.execute(query, params).fetchone()

        # 1. a duplicate order (the mart's unique index would refuse it: drop it, as a broken model would)
        for (constraint,) in conn.execute(
                "select conname from pg_constraint where conrelid = 'marts.fct_order_attribution'::regclass "
                "and contype in ('u', 'p')").fetchall():
            conn.execute(sql.SQL("alter table marts.fct_order_attribution drop constraint {}").format(
                sql.Identifier(constraint)))
        for (index,) in conn.execute(
                "select indexrelid::regclass::text from pg_index "
                "where indrelid = 'marts.fct_order_attribution'::regclass and indisunique").fetchall():
            conn.execute(sql.SQL("drop index {}").format(sql.SQL(index)))
        (order_dup,) = one("select order_id from marts.fct_order_attribution order by order_id limit 1")
        conn.execute("insert into marts.fct_order_attribution select * from marts.fct_order_attribution "
                     "where order_id = %s", (order_dup,))
        keys["duplicate_order"] = order_dup
        # 2. a negative spend in the budget mart
        budget_key = one("select store_id, channel, month_start from marts.fct_budget_utilization "
                         "where spent > 0 order by store_id, channel, month_start limit 1")
        conn.execute("update marts.fct_budget_utilization set spent = -123.45 "
                     "where store_id = %s and channel = %s and month_start = %s", budget_key)
        keys["negative_spend"] = budget_key
        # 3. a future session: a touch three days after the conversion it is credited for
        order_touch, touchpoint = one(
            "select order_id, touchpoint_id from marts.fct_attribution_credits where touchpoint_id is not null "
            "and order_id <> %s order by order_id desc, touchpoint_id limit 1", (order_dup,))
        conn.execute("update marts.fct_attribution_credits set touched_at = converted_at + interval '3 days' "
                     "where order_id = %s and touchpoint_id = %s", (order_touch, touchpoint))
        keys["future_session"] = (order_touch, touchpoint)
        # 3b. a conversion in the future
        (order_future,) = one("select order_id from marts.fct_order_attribution where order_id not in (%s, %s) "
                              "order by converted_at desc, order_id limit 1", (order_dup, order_touch))
        conn.execute("update marts.fct_order_attribution set converted_at = now() + interval '30 days' "
                     "where order_id = %s", (order_future,))
        keys["future_conversion"] = order_future
        # 4. an unknown channel
        channel_key = one("select store_id, date, model, channel from marts.fct_channel_attribution_daily "
                          "where channel = 'seo' order by store_id, date, model limit 1")
        conn.execute("update marts.fct_channel_attribution_daily set channel = 'tiktok_organic' "
                     "where store_id = %s and date = %s and model = %s and channel = %s", channel_key)
        keys["unknown_channel"] = channel_key
        # 5. credits that no longer add up to the order revenue
        (order_mismatch,) = one(
            "select order_id from marts.fct_order_attribution where order_id not in (%s, %s, %s) and revenue > 0 "
            "order by order_id limit 1 offset 5", (order_dup, order_touch, order_future))
        conn.execute("update marts.fct_attribution_credits set credited_revenue = credited_revenue + 10 "
                     "where ctid = (select ctid from marts.fct_attribution_credits "
                     "where order_id = %s and model = 'linear' limit 1)", (order_mismatch,))
        keys["revenue_mismatch"] = order_mismatch
        conn.commit()

    run = run_validate(db, tmp)
    return db, keys, run


def _line(out: str, qualified: str) -> str:
    lines = [line for line in out.splitlines() if f" {qualified} [" in line]
    assert lines, f"no report line for {qualified}:\n{out[-4000:]}"
    return lines[0].strip()


def test_broken_marts_exit_non_zero_with_one_line_reason(broken):
    db, keys, run = broken
    code, out, err = run.code, run.out, run.err
    assert code == 1
    reason = [line for line in err.splitlines() if line.startswith("insights: ")]
    assert len(reason) == 1 and reason[0].startswith("insights: validate failed: "), err
    assert "data-quality checks failed" in reason[0]
    assert "validation FAILED" in out


def test_duplicate_order_is_caught_by_uniqueness(broken):
    db, keys, run = broken
    _code, out, _err = run.code, run.out, run.err
    line = _line(out, "fct_order_attribution.unique_grain")
    assert line.startswith("FAIL") and f"order_id={keys['duplicate_order']}" in line and "copies=2" in line


def test_negative_spend_is_caught(broken):
    db, keys, run = broken
    _code, out, _err = run.code, run.out, run.err
    store, channel, month = keys["negative_spend"]
    line = _line(out, "fct_budget_utilization.spent_equals_unified_cost")
    assert line.startswith("FAIL")
    assert f"store_id={store}, channel={channel}, month_start={month.isoformat()}, spent=-123.45" in line
    assert "spent=-123.45" in _line(out, "fct_budget_utilization.net_negative_spend")  # and flagged as a warning


def test_future_session_and_conversion_are_caught(broken):
    db, keys, run = broken
    _code, out, _err = run.code, run.out, run.err
    order, touchpoint = keys["future_session"]
    line = _line(out, "fct_attribution_credits.touch_before_conversion")
    assert line.startswith("FAIL") and f"order_id={order}" in line and f"touchpoint_id={touchpoint}" in line
    line = _line(out, "fct_order_attribution.no_future:converted_at")
    assert line.startswith("FAIL") and f"order_id={keys['future_conversion']}" in line


def test_unknown_channel_is_caught_by_accepted_values(broken):
    db, keys, run = broken
    _code, out, _err = run.code, run.out, run.err
    store, day, model, _ = keys["unknown_channel"]
    line = _line(out, "fct_channel_attribution_daily.accepted_values:channel")
    assert line.startswith("FAIL") and "channel=tiktok_organic" in line
    assert f"store_id={store}, date={day.isoformat()}, model={model}" in line


def test_revenue_mismatch_is_caught_by_the_reconciliation(broken):
    db, keys, run = broken
    _code, out, _err = run.code, run.out, run.err
    order = keys["revenue_mismatch"]
    line = _line(out, "fct_attribution_credits.credits_sum_to_order_revenue")
    assert line.startswith("FAIL") and f"order_id={order}, model=linear" in line
    revenue = db.scalar("select revenue from marts.fct_order_attribution where order_id = %s", (order,))
    assert f"order_revenue={revenue}" in line and f"credited_revenue={revenue + 10}" in line


def test_untouched_checks_still_pass(broken):
    """Each breakage is caught by its own checks, not by everything at once."""
    db, keys, run = broken
    report = json.loads((run.tmp / "report.json").read_text())
    failed = {c["mart"] + "." + c["check"] for s in report["suites"] for c in s["checks"]
              if c["severity"] == "critical"}
    expected_somewhere = {
        "fct_order_attribution.unique_grain", "fct_budget_utilization.spent_equals_unified_cost",
        "fct_attribution_credits.touch_before_conversion", "fct_order_attribution.no_future:converted_at",
        "fct_channel_attribution_daily.accepted_values:channel",
        "fct_attribution_credits.credits_sum_to_order_revenue",
    }
    assert expected_somewhere <= failed
    # suites whose marts were not touched stay green
    untouched = {"marts.dim_stores", "marts.dim_channels", "marts.dim_benchmarks", "marts.fct_marketing_calendar",
                 "marts.fct_benchmark_comparison", "marts.mart_build_info", "marts.mart_source_freshness"}
    for suite in report["suites"]:
        if suite["suite"] in untouched:
            assert suite["failed"] == 0, suite


def test_raw_negative_spend_is_quarantined_and_reported(broken):
    db, keys, run = broken
    _code, out, _err = run.code, run.out, run.err
    store, row_key = keys["raw_negative_spend"]
    assert db.scalar("select reason from marts.data_quality_issues where table_name = 'ad_campaign_daily' "
                     "and row_key = %s and reason <> 'duplicate'", (row_key,)) == "negative_value"
    summary = [line.split() for line in out.splitlines() if line.strip().startswith("ad_campaign_daily")]
    counts = {parts[1]: int(parts[2]) for parts in summary}
    expected = db.scalar("select count(*) from marts.data_quality_issues where table_name = 'ad_campaign_daily' "
                         "and reason = 'negative_value'")
    assert counts["negative_value"] == expected


def test_stale_sources_are_reported_by_freshness(broken):
    db, keys, run = broken
    _code, out, err = run.code, run.out, run.err
    assert any(line.strip().startswith("WARN") and "shop.orders" in line for line in out.splitlines()), out[-3000:]
    assert any(line.strip().startswith("ERROR") and "web.web_sessions" in line for line in out.splitlines())
    assert "source freshness error: web.web_sessions" in err
    rows = dict(db.query("select source_table, status from marts.mart_source_freshness"))
    assert rows["web_sessions"] == "error" and rows["orders"] == "warn" and rows["stores"] == "ok"


def test_python_api_names_the_check_and_the_offender(broken, tmp_path):
    db, keys, _ = broken
    from insight_service.quality.validate import validate_marts

    with warehouse_env(db, tmp_path):
        report = validate_marts(docs_dir=tmp_path / "docs", freshness=False, marts=["fct_order_attribution"])
    assert not report.success and report.freshness is None
    item = report.find("unique_grain", "fct_order_attribution")
    assert item is not None and not item.success and item.severity == "critical"
    assert item.offenders[0]["order_id"] == keys["duplicate_order"] and item.offenders[0]["copies"] == 2
    assert "fct_order_attribution.unique_grain" in report.reason


def test_missing_mart_fails_its_suite(broken, tmp_path):
    db, keys, _ = broken
    from insight_service.quality.validate import validate_marts

    with warehouse_env(db, tmp_path):
        report = validate_marts(schema="no_such_schema", docs_dir=tmp_path / "docs", freshness=False,
                                marts=["dim_stores"])
    assert [s.missing for s in report.suites] == [True]
    assert "dim_stores.mart_exists" in report.reason


def test_validate_runs_the_dbt_tests_on_every_row_when_asked(sample_warehouse, tmp_path):
    """`insights validate --dbt-tests`: after the GX suites, every dbt test on every row (an
    incremental build's tests check only what it wrote)."""
    run = run_validate(sample_warehouse, tmp_path, "--no-freshness", "--mart", "dim_stores", "--dbt-tests")
    assert run.code == 0, run.err
    assert "dbt tests on every row" in run.out
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())
    tests = [r for r in results["results"] if r["unique_id"].startswith("test.")]
    assert len(tests) > 100 and all(r["status"] in ("pass", "warn") for r in tests)
    assert results["args"]["vars"] == {"full_checks": True}


def test_gx_imports_under_python_c_with_pyspark_installed():
    """GX imports pyspark.sql.connect when pyspark is installed; under `python -c` pyspark takes
    that for a doctest run and exits 0 unless the import is kept from it (a refresh once stopped
    silently half-way that way)."""
    import subprocess
    import sys

    code = ("from insight_service.quality.gx_runner import load_gx; load_gx(); "
            "import great_expectations.checkpoint; print('gx imported')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "gx imported" in done.stdout, done.stderr
