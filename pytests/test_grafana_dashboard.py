"""The Grafana health dashboard (ops/grafana/insights-health.json) is valid against the repository's
schema of Grafana's dashboard model (ops/grafana/dashboard.schema.json, a strict subset), and every
metric its panel queries name is one ``/metrics`` exposes: the service's
(insight_service/telemetry/metrics.py) or the pipeline collector's (insight_service/pipeline/metrics.py),
histograms with their _bucket/_count/_sum series."""
from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import jsonschema
import pytest

from insight_service.pipeline.metrics import PipelineCollector

GRAFANA = Path(__file__).resolve().parents[1] / "ops" / "grafana"
DASHBOARD = GRAFANA / "insights-health.json"
SCHEMA = GRAFANA / "dashboard.schema.json"

# Prometheus's own series a panel may use (the scrape target's health)
PROMETHEUS_SERIES = {"up"}

# The service's metrics as issue 19 fixes them (name -> type): telemetry/metrics.py must define them.
SERVICE_CONTRACT = {
    "insights_http_requests_total": "counter",
    "insights_http_request_duration_seconds": "histogram",
    "insights_cache_requests_total": "counter",
    "insights_db_pool_connections": "gauge",
    "insights_db_pool_wait_seconds": "histogram",
    "insights_db_errors_total": "counter",
    "insights_rate_limited_total": "counter",
    "insights_circuit_breaker_state": "gauge",
    "insights_llm_calls_total": "counter",
    "insights_llm_call_duration_seconds": "histogram",
    "insights_optimizer_fits_total": "counter",
    "insights_optimizer_fit_duration_seconds": "histogram",
}

SUFFIXES = {"counter": ("_total", "_created"), "histogram": ("_bucket", "_count", "_sum", "_created"),
            "summary": ("_count", "_sum", "_created"), "gauge": ("",), "info": ("_info",)}

# PromQL words that are not metric names; functions and aggregations are followed by "("
PROMQL_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
                "offset", "inf", "nan"}


def series_names(family: str, kind: str) -> set[str]:
    base = family.removesuffix("_total") if kind == "counter" else family
    return {base + suffix for suffix in SUFFIXES[kind]}


def service_families() -> dict[str, str]:
    """Metric family -> type of the service's metrics, as insight_service/telemetry/metrics.py defines them."""
    from prometheus_client.metrics import MetricWrapperBase

    module = importlib.import_module("insight_service.telemetry.metrics")

    families = {}
    for obj in vars(module).values():
        if isinstance(obj, MetricWrapperBase):
            for metric in obj.describe():
                families[metric.name + ("_total" if metric.type == "counter" else "")] = metric.type
    return families


def exposed_series() -> set[str]:
    names = set(PROMETHEUS_SERIES)
    for family, kind in service_families().items():
        names |= series_names(family, kind)
    for metric in PipelineCollector(warehouse=None).describe():
        names |= series_names(metric.name, metric.type)
    return names


def metric_names(expr: str) -> set[str]:
    """The series a PromQL expression selects (label matchers, grouping labels, ranges, strings and
    function names left out)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)                     # strings
    text = re.sub(r"\{[^}]*\}", "", text)                               # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)                              # range and subquery selectors
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    text = re.sub(r"\$\{?\w+\}?", "", text)                             # Grafana variables ($__rate_interval)
    names = set()
    for match in re.finditer(r"(?<![\w.])([A-Za-z_:][\w:]*)(\s*\()?", text):
        word, call = match.group(1), match.group(2)
        if not call and word.lower() not in PROMQL_WORDS:
            names.add(word)
    return names


def panel_exprs(dashboard: dict) -> list[tuple[str, str]]:
    return [(panel["title"], target["expr"]) for panel in dashboard["panels"] for target in panel.get("targets", [])]


def unknown_metrics(dashboard: dict, known: set[str]) -> dict[str, set[str]]:
    found = {}
    for title, expr in panel_exprs(dashboard):
        unknown = metric_names(expr) - known
        if unknown:
            found[title] = unknown
    return found


@pytest.fixture(scope="module")
def dashboard() -> dict:
    return json.loads(DASHBOARD.read_text())


def test_the_dashboard_is_valid_against_the_schema(dashboard):
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(dashboard), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


def test_panel_ids_are_unique_and_panels_do_not_overlap(dashboard):
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    cells = {}
    for panel in dashboard["panels"]:
        g = panel["gridPos"]
        assert g["x"] + g["w"] <= 24, panel["title"]
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                assert (x, y) not in cells, f"{panel['title']} overlaps {cells[(x, y)]}"
                cells[(x, y)] = panel["title"]


def test_every_panel_query_names_a_metric_the_service_exposes(dashboard):
    known = exposed_series()
    assert unknown_metrics(dashboard, known) == {}
    used = set().union(*(metric_names(expr) for _, expr in panel_exprs(dashboard)))
    # what the dashboard is for (issue 19): every family of the service and of the pipeline is on it
    families = set(service_families()) | {m.name for m in PipelineCollector(warehouse=None).describe()}
    shown = {f for f in families if any(name in used for name in series_names(f, "histogram") | {f})}
    assert sorted(families - shown) == []


def test_the_check_catches_an_unknown_metric():
    assert metric_names('sum by (route, le) (rate(insights_x_bucket{status=~"5..", le="+Inf"}[5m])) '
                        '/ on (job) group_left insights_y offset 5m > bool 0.5 and time() - z') == {
        "insights_x_bucket", "insights_y", "z"}
    broken = {"panels": [{"title": "typo", "targets": [{"expr": "rate(insights_http_request_total[5m])"}]}]}
    assert unknown_metrics(broken, exposed_series()) == {"typo": {"insights_http_request_total"}}


def test_the_service_defines_the_metrics_of_the_contract():
    families = service_families()
    assert {name: families.get(name) for name in SERVICE_CONTRACT} == SERVICE_CONTRACT
