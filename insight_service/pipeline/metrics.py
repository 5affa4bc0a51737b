"""The pipeline's and the warehouse's health as Prometheus metrics, computed when ``/metrics`` is scraped.

:class:`PipelineCollector` is a custom collector (registered by the service next to its own metrics)
that reads the last finished run of ``app.pipeline_runs`` (its columns and the details its steps
recorded: refresh.py, build.py, checks.py) and ``marts.mart_source_freshness``. Values are read at
scrape time, so every worker exports the same figures and nothing has to be pushed by ``insights
refresh``. A scrape never fails because of the warehouse: when it cannot be queried the collector
exports ``insights_warehouse_up 0`` and nothing else. A relation that does not exist yet (a warehouse
never migrated or never built) leaves its metrics out and the warehouse up.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from prometheus_client.core import GaugeMetricFamily
from psycopg import sql

from insight_service.core.errors import MartsUnavailable

if TYPE_CHECKING:
    from insight_service.core.warehouse import Warehouse

log = logging.getLogger("insight_service.pipeline.metrics")

RUN_STATUSES = ("success", "failed")  # the finished runs (skipped_locked rows are refusals, not runs)

# name -> help, in the order collect() yields them
METRICS = {
    "insights_warehouse_up": "1 when the collector could query the warehouse, else 0",
    "insights_pipeline_last_run_status": "1 on the status of the last finished refresh run (success | failed)",
    "insights_pipeline_last_run_timestamp_seconds": "Finish time of the last finished refresh run (Unix time)",
    "insights_pipeline_last_success_timestamp_seconds":
        "Finish time of the last successful refresh run (Unix time; 0 when no run ever succeeded)",
    "insights_pipeline_last_run_duration_seconds": "Wall time of the last finished refresh run",
    "insights_pipeline_last_run_rows_written": "Rows the dbt build of the last finished run wrote (0 without a build)",
    "insights_pipeline_last_run_test_failures": "dbt tests that failed or errored in the last finished run's build",
    "insights_pipeline_last_run_test_warnings": "dbt tests that warned in the last finished run's build",
    "insights_pipeline_last_run_quality_failures": "Failed checkpoint checks of the last finished run's validate step",
    "insights_pipeline_last_run_model_duration_seconds":
        "Execution time of the slowest models of the last finished run's build",
    "insights_source_freshness_age_seconds": "Age now of the freshest row of each raw source table",
    "insights_source_freshness_warn_after_seconds": "Age at which a raw source table's freshness warns",
    "insights_source_freshness_error_after_seconds": "Age at which a raw source table's freshness is an error",
}
LABELS = {
    "insights_pipeline_last_run_status": ["status"],
    "insights_pipeline_last_run_model_duration_seconds": ["model"],
    "insights_source_freshness_age_seconds": ["source_table"],
    "insights_source_freshness_warn_after_seconds": ["source_table"],
    "insights_source_freshness_error_after_seconds": ["source_table"],
}


def family(name: str) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, METRICS[name], labels=LABELS.get(name))


class PipelineCollector:
    """Exports the pipeline/warehouse gauges of ``METRICS`` from the warehouse, at every scrape."""

    def __init__(self, warehouse: Warehouse):
        self.warehouse = warehouse

    def describe(self) -> Iterator[GaugeMetricFamily]:
        # the names without their values: registering the collector must not query the warehouse
        for name in METRICS:
            yield family(name)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            families = [*self._runs(), *self._freshness()]
        except Exception as exc:  # a scrape must never fail: report the warehouse down instead
            log.warning("pipeline metrics: the warehouse could not be queried: %s", str(exc).splitlines()[0]
                        if str(exc) else type(exc).__name__)
            yield _value("insights_warehouse_up", 0)
            return
        yield _value("insights_warehouse_up", 1)
        yield from families

    # ---- app.pipeline_runs ----------------------------------------------------------------------

    def _runs(self) -> list[GaugeMetricFamily]:
        wh = self.warehouse
        try:
            # the predicates of the partial indexes of migration 003: one index row each, however long
            # the history
            last = wh.one(sql.SQL(
                "select run_id, status, finished_at, rows_written, steps, "
                "extract(epoch from finished_at) as finished_epoch, "
                "extract(epoch from finished_at - started_at) as duration_s "
                "from {a}.pipeline_runs where status in ('success', 'failed') "
                "order by finished_at desc limit 1").format(a=wh.a))
            success = wh.one(sql.SQL(
                "select extract(epoch from finished_at) as finished_epoch "
                "from {a}.pipeline_runs where status = 'success' order by run_id desc limit 1").format(a=wh.a))
        except MartsUnavailable:
            return []  # app schema not migrated: no run to report
        families = [_value("insights_pipeline_last_success_timestamp_seconds",
                           float((success or {}).get("finished_epoch") or 0))]
        if last is None:
            return families
        status = family("insights_pipeline_last_run_status")
        for name in RUN_STATUSES:
            status.add_metric([name], 1 if last["status"] == name else 0)
        facts = run_facts(last.get("steps") or [])
        families += [
            status,
            _value("insights_pipeline_last_run_timestamp_seconds", float(last["finished_epoch"])),
            _value("insights_pipeline_last_run_duration_seconds", max(0.0, float(last["duration_s"] or 0))),
            _value("insights_pipeline_last_run_rows_written", float(last["rows_written"] or 0)),
            _value("insights_pipeline_last_run_test_failures", facts["test_failures"]),
            _value("insights_pipeline_last_run_test_warnings", facts["test_warnings"]),
            _value("insights_pipeline_last_run_quality_failures", facts["quality_failures"]),
        ]
        models = family("insights_pipeline_last_run_model_duration_seconds")
        for model, seconds in facts["model_seconds"].items():
            models.add_metric([model], seconds)
        families.append(models)
        return families

    # ---- marts.mart_source_freshness ------------------------------------------------------------

    def _freshness(self) -> list[GaugeMetricFamily]:
        wh = self.warehouse
        try:
            rows = wh.fetch(sql.SQL(
                "select source_table, warn_after_hours, error_after_hours, "
                "extract(epoch from now() - last_loaded_at) as age_s "
                "from {m}.mart_source_freshness order by source_table").format(m=wh.m))
        except MartsUnavailable:
            return []  # marts not built yet
        age = family("insights_source_freshness_age_seconds")
        warn = family("insights_source_freshness_warn_after_seconds")
        error = family("insights_source_freshness_error_after_seconds")
        for row in rows:
            table = str(row["source_table"])
            if row["age_s"] is not None:  # an empty table has no freshest row
                age.add_metric([table], float(row["age_s"]))
            warn.add_metric([table], float(row["warn_after_hours"]) * 3600)
            error.add_metric([table], float(row["error_after_hours"]) * 3600)
        return [age, warn, error]


def run_facts(steps: list[dict[str, Any]]) -> dict[str, Any]:
    """What a run's ``steps`` JSON says about its build and its validation (zeros for a step it
    did not run, e.g. a run that found no new data). Pure, so it is tested without a warehouse."""
    by_name = {step.get("name"): step.get("details") or {} for step in steps}
    build = by_name.get("build", {})
    gx = by_name.get("validate", {}).get("gx") or {}
    model_seconds = {}
    for node in build.get("slowest_nodes") or []:
        kind, _, name = str(node.get("node", "")).partition(" ")
        if kind == "model" and name:
            model_seconds[name] = float(node.get("seconds") or 0)
    return {
        "test_failures": int(build.get("test_failures") or 0),
        "test_warnings": int(build.get("test_warnings") or 0),
        # failed_checks counts them all; runs recorded before it existed kept the (capped) list
        "quality_failures": int(gx.get("failed_checks", len(gx.get("failures") or []))),
        "model_seconds": model_seconds,
    }


def _value(name: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, METRICS[name], value=value)
