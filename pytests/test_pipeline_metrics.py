"""The pipeline's metrics (insight_service/pipeline/metrics.py) and its step log records.

On a real warehouse (the small generated sample, real `insights refresh` runs): the collector's
values are those of ``app.pipeline_runs`` after a successful run, after a failed build and after a
run whose sources are stale; a database without runs or marts, and one that is down, never fail a
scrape. About two minutes (one full refresh, two short ones)."""
from __future__ import annotations

import datetime as dt
import logging
import time

import psycopg
import pytest
from prometheus_client import CollectorRegistry, generate_latest

from insight_service.core.settings import Settings
from insight_service.core.warehouse import Warehouse
from insight_service.pipeline.build import parse_run_results
from insight_service.pipeline.metrics import METRICS, PipelineCollector, run_facts
from insight_service.pipeline.runs import RunRecorder
from pytests.conftest import load_generated_sample
from pytests.test_refresh import cli


def values(collector: PipelineCollector) -> dict[tuple[str, tuple[str, ...]], float]:
    """(sample name, label values) -> value of one scrape."""
    return {(s.name, tuple(s.labels.values())): s.value for fam in collector.collect() for s in fam.samples}


def value(scrape: dict, name: str, *labels: str) -> float:
    return scrape[(name, labels)]


def warehouse(conninfo: str, **settings) -> Warehouse:
    return Warehouse(Settings(conninfo=conninfo, pool_size=2, pool_min_size=0, **settings))


def last_run(db) -> dict:
    with db.connect() as conn:
        return conn.cursor(row_factory=psycopg.rows.dict_row).execute(
            "select *, extract(epoch from finished_at)::float8 as finished_epoch, "
            "extract(epoch from finished_at - started_at)::float8 as duration "
            "from app.pipeline_runs where status in ('success', 'failed') order by finished_at desc limit 1"
        ).fetchone()


def step(run: dict, name: str) -> dict:
    return next(s for s in run["steps"] if s["name"] == name)


# ---- pure parts -----------------------------------------------------------------------------

def test_run_facts_read_the_build_and_validate_steps():
    steps = [
        {"name": "detect_changes", "details": {"first_run": True}},
        {"name": "build", "details": {"test_failures": 2, "test_warnings": 1, "slowest_nodes": [
            {"node": "model fct_a", "seconds": 4.5, "rows": 10}, {"node": "model dim_b", "seconds": 1.25},
            {"node": "test not_null_x", "seconds": 3.0}]}},
        {"name": "validate", "details": {"gx": {"failures": ["a.b"] * 20, "failed_checks": 23}}},
    ]
    assert run_facts(steps) == {"test_failures": 2, "test_warnings": 1, "quality_failures": 23,
                                "model_seconds": {"fct_a": 4.5, "dim_b": 1.25}}
    # a run that found no new data built and validated nothing
    assert run_facts([{"name": "detect_changes", "details": {}}]) == {
        "test_failures": 0, "test_warnings": 0, "quality_failures": 0, "model_seconds": {}}


def test_run_results_count_failed_and_warning_tests():
    results = [{"unique_id": uid, "status": status, "execution_time": 0.1, "adapter_response": {}}
               for uid, status in [("test.p.a.1", "fail"), ("test.p.b.2", "error"), ("test.p.c.3", "warn"),
                                   ("unit_test.p.m.d", "fail"), ("test.p.e.4", "pass"), ("model.p.m", "error")]]
    facts = parse_run_results({"results": results})
    assert (facts["test_failures"], facts["test_warnings"]) == (3, 1)  # a model's error is not a test's


def test_registering_the_collector_does_not_query_the_warehouse():
    down = warehouse("host=127.0.0.1 port=1 dbname=x connect_timeout=1", pool_timeout_s=30)
    try:
        started = time.monotonic()
        registry = CollectorRegistry()
        registry.register(PipelineCollector(down))
        assert time.monotonic() - started < 1
    finally:
        down.close()


# ---- a warehouse without runs, and one that is down -----------------------------------------

def test_a_database_that_is_down_exports_warehouse_up_0_and_nothing_else():
    down = warehouse("host=127.0.0.1 port=1 dbname=x connect_timeout=1", pool_timeout_s=1)
    try:
        registry = CollectorRegistry()
        registry.register(PipelineCollector(down))
        text = generate_latest(registry).decode()  # the scrape itself does not fail
        assert values(PipelineCollector(down)) == {("insights_warehouse_up", ()): 0.0}
    finally:
        down.close()
    assert "insights_warehouse_up 0.0" in text


def test_a_warehouse_never_migrated_nor_built_is_up_without_pipeline_metrics(make_database):
    db = make_database("pipemetrics_empty")
    wh = warehouse(db.conninfo)
    try:
        assert values(PipelineCollector(wh)) == {("insights_warehouse_up", ()): 1.0}
    finally:
        wh.close()


def test_each_finished_step_is_one_log_record(make_database, caplog):
    from insight_service.warehouse.migrations import migrate

    db = make_database("pipemetrics_log")
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        migrate(conn)
        recorder = RunRecorder(conn, "cli", [])
        run_id = recorder.start()
        with caplog.at_level(logging.INFO, logger="insight_service.pipeline"):
            first = recorder.step("detect_changes")
            first.finish("changes")
            recorder.step("build")  # saving the next step records the finished one
            recorder.steps[-1].finish("failed", error="dbt build exited 2")
            recorder.finish("failed", error="dbt build exited 2")
            recorder.save_steps()  # a finished step is logged once
    records = [r for r in caplog.records if r.name == "insight_service.pipeline"]
    fields = [(r.run_id, r.step, r.status, type(r.duration_s)) for r in records]
    assert fields == [(run_id, "detect_changes", "changes", float), (run_id, "build", "failed", float),
                      (run_id, "run", "failed", float)]
    assert all(r.levelno == logging.INFO for r in records)


# ---- the collector on refreshed warehouses ---------------------------------------------------

@pytest.fixture(scope="module")
def wh(make_database, tmp_path_factory):
    db = make_database("pipemetrics")
    load_generated_sample(db, months=3)
    db.target = tmp_path_factory.mktemp("pipemetrics_dbt_target")
    db.warehouse = warehouse(db.conninfo)
    yield db
    db.warehouse.close()


@pytest.fixture(scope="module")
def refreshed(wh):
    result = cli(wh, "refresh")
    assert result.returncode == 0, result.stdout + result.stderr
    return {"run": last_run(wh), "scrape": values(PipelineCollector(wh.warehouse))}


def test_after_a_successful_refresh_the_metrics_are_the_run_s(wh, refreshed):
    run, scrape = refreshed["run"], refreshed["scrape"]
    assert run["status"] == "success"
    assert value(scrape, "insights_warehouse_up") == 1
    assert value(scrape, "insights_pipeline_last_run_status", "success") == 1
    assert value(scrape, "insights_pipeline_last_run_status", "failed") == 0
    assert value(scrape, "insights_pipeline_last_run_timestamp_seconds") == pytest.approx(run["finished_epoch"])
    assert value(scrape, "insights_pipeline_last_success_timestamp_seconds") == pytest.approx(run["finished_epoch"])
    assert value(scrape, "insights_pipeline_last_run_duration_seconds") == pytest.approx(run["duration"])
    assert value(scrape, "insights_pipeline_last_run_rows_written") == run["rows_written"] > 1000
    build = step(run, "build")["details"]
    assert value(scrape, "insights_pipeline_last_run_test_failures") == build["test_failures"] == 0
    assert value(scrape, "insights_pipeline_last_run_test_warnings") == build["test_warnings"]
    assert value(scrape, "insights_pipeline_last_run_quality_failures") == 0
    slowest = {n["node"].split(" ", 1)[1]: n["seconds"] for n in build["slowest_nodes"]
               if n["node"].startswith("model ")}
    models = {labels[0]: v for (name, labels), v in scrape.items()
              if name == "insights_pipeline_last_run_model_duration_seconds"}
    assert models == slowest and models


def test_source_freshness_ages_are_now_minus_the_freshest_row(wh, refreshed):
    scrape = refreshed["scrape"]
    rows = wh.query("select source_table, extract(epoch from now() - last_loaded_at)::float8, "
                    "warn_after_hours, error_after_hours from marts.mart_source_freshness")
    assert rows
    for table, age, warn_h, error_h in rows:
        # the sample was loaded an hour before the refresh; the scrape was a moment ago
        assert value(scrape, "insights_source_freshness_age_seconds", table) == pytest.approx(age, abs=120)
        assert 3600 <= value(scrape, "insights_source_freshness_age_seconds", table) < 3 * 3600
        assert value(scrape, "insights_source_freshness_warn_after_seconds", table) == warn_h * 3600
        assert value(scrape, "insights_source_freshness_error_after_seconds", table) == error_h * 3600


def test_after_a_failed_build_the_metrics_say_failed(wh, refreshed):
    result = cli(wh, "refresh", "--no-such-dbt-flag")
    assert result.returncode == 1
    run = last_run(wh)
    assert run["status"] == "failed"
    scrape = values(PipelineCollector(wh.warehouse))
    assert value(scrape, "insights_pipeline_last_run_status", "failed") == 1
    assert value(scrape, "insights_pipeline_last_run_status", "success") == 0
    assert value(scrape, "insights_pipeline_last_run_timestamp_seconds") == pytest.approx(run["finished_epoch"])
    assert value(scrape, "insights_pipeline_last_run_duration_seconds") == pytest.approx(run["duration"])
    # the last success is still the first run
    assert value(scrape, "insights_pipeline_last_success_timestamp_seconds") == pytest.approx(
        refreshed["run"]["finished_epoch"])
    assert value(scrape, "insights_pipeline_last_run_rows_written") == (run["rows_written"] or 0)
    assert not any(name == "insights_pipeline_last_run_model_duration_seconds" for name, _ in scrape)


def test_stale_sources_show_their_age_over_the_thresholds(wh, refreshed):
    # thresholds of 0 hours: every source is stale, the run fails its validation
    result = cli(wh, "refresh", "--select", "mart_source_freshness",
                 "--vars", "{freshness_warn_after_hours: 0, freshness_error_after_hours: 0}")
    assert result.returncode == 1, result.stdout
    assert "source freshness error" in last_run(wh)["error"]
    scrape = values(PipelineCollector(wh.warehouse))
    assert value(scrape, "insights_pipeline_last_run_status", "failed") == 1
    tables = [labels[0] for name, labels in scrape if name == "insights_source_freshness_age_seconds"]
    assert sorted(tables) == sorted(r[0] for r in wh.query("select source_table from marts.mart_source_freshness"))
    loaded = dict(wh.query("select source_table, last_loaded_at from marts.mart_source_freshness"))
    now = dt.datetime.now(dt.UTC)
    for table in tables:
        age = value(scrape, "insights_source_freshness_age_seconds", table)
        assert age == pytest.approx((now - loaded[table]).total_seconds(), abs=120)
        assert age > value(scrape, "insights_source_freshness_error_after_seconds", table) == 0


def test_every_metric_the_collector_exports_is_described(wh, refreshed):
    names = {name for name, _ in refreshed["scrape"]}
    assert names == set(METRICS)
    assert {m.name for m in PipelineCollector(wh.warehouse).describe()} == set(METRICS)
