"""Run the suites of :mod:`insight_service.quality.suites` as one Great Expectations (GX Core 1.x) checkpoint.

* Ephemeral data context: suites, validation definitions and the checkpoint live in memory,
  built from code on every run; nothing but the data docs HTML is written to disk.
* The Postgres data source's connection string is the literal ``${INSIGHTS_GX_CONNECTION_STRING}``
  (GX substitutes the environment variable at run time). Its value carries no host, user or
  password: psycopg2/libpq read the standard PG* variables themselves, so no secret ever
  appears in a config, a log or the data docs.
* ``UpdateDataDocsAction`` writes the HTML site into ``docs_dir``.
* Analytics and progress bars are off.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from insight_service.quality.check import OFFENDER_LIMIT, Check, MartSuite, render

CONNECTION_ENV = "INSIGHTS_GX_CONNECTION_STRING"
DATASOURCE = "warehouse_marts"
SITE = "validation_docs"
CHECKPOINT = "marts_quality"


@dataclasses.dataclass
class CheckResult:
    mart: str
    check: str
    expectation: str
    description: str
    severity: str
    success: bool
    observed: str = ""
    offenders: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    error: str | None = None

    @property
    def qualified(self) -> str:
        return f"{self.mart}.{self.check}"

    def message(self) -> str:
        """One line naming the mart, the check and what was found."""
        level = "FAIL" if self.severity == "critical" else "WARN"
        text = f"{level} {self.qualified} [{self.expectation}]: {self.description}"
        if self.error:
            return f"{text} -- check errored: {self.error}"
        if self.observed:
            text += f" -- {self.observed}"
        if self.offenders:
            text += "; worst offenders: " + " | ".join(format_row(r) for r in self.offenders)
        return text


@dataclasses.dataclass
class SuiteResult:
    mart: str
    suite: str
    checks: list[CheckResult]
    missing: bool = False

    @property
    def passed(self) -> int:
        return sum(1 for c in self.checks if c.success)

    @property
    def failed(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.success and c.severity == "critical"]

    @property
    def warnings(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.success and c.severity != "critical"]


def format_value(value: Any) -> str:
    if value is None:
        return "null"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def format_row(row: dict[str, Any]) -> str:
    return ", ".join(f"{k}={format_value(v)}" for k, v in row.items())


def _quiet_gx() -> None:
    _keep_pyspark_connect_from_exiting()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    for name in ("great_expectations", "great_expectations.core", "great_expectations.data_context"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="great_expectations.*")


def _keep_pyspark_connect_from_exiting() -> None:
    """GX imports ``pyspark.sql.connect`` when pyspark is installed (the ``spark`` extra). Under a
    ``__main__`` with neither spec nor file (``python -c``, some embedders) pyspark takes that
    import for its own doctest run and calls ``sys.exit(0)`` when Spark Connect's extras are
    missing: a refresh would stop half-way with exit code 0. Make that import an ImportError
    instead, which GX handles (it only loses Spark Connect data frames, which we never use)."""
    main = sys.modules.get("__main__")
    looks_like_doctest = (main is not None and getattr(main, "__spec__", None) is None
                          and not hasattr(main, "__file__") and not hasattr(sys, "ps1"))
    if looks_like_doctest and "pyspark.sql.connect" not in sys.modules:
        sys.modules["pyspark.sql.connect"] = None  # type: ignore[assignment]


def _share_compiled_templates() -> None:
    """Data docs speed-up: GX builds a new Jinja environment for every page it renders (and
    UpdateDataDocsAction renders the index and two pages per suite), recompiling every
    template each time. Give those environments one in-memory bytecode cache. Pure
    optimisation: if GX's internals move, nothing is patched and the docs are just slower."""
    import jinja2

    try:
        from great_expectations.render.view import view as gx_view
    except ImportError:  # pragma: no cover - GX layout changed
        return
    base = getattr(gx_view, "Environment", None)
    if base is not jinja2.Environment:
        return

    class MemoryBytecodeCache(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self.store: dict[str, bytes] = {}

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            data = self.store.get(bucket.key)
            if data is not None:
                bucket.bytecode_from_string(data)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            self.store[bucket.key] = bucket.bytecode_to_string()

    cache = MemoryBytecodeCache()

    class SharedCacheEnvironment(jinja2.Environment):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("bytecode_cache", cache)
            super().__init__(*args, **kwargs)

    gx_view.Environment = SharedCacheEnvironment


def _exception_message(info: Any) -> str | None:
    """First line of the error a check raised (GX nests it per metric for query expectations)."""
    if not isinstance(info, dict):
        return None
    candidates = [info] + [v for v in info.values() if isinstance(v, dict)]
    for item in candidates:
        if item.get("raised_exception"):
            text = str(item.get("exception_message") or "exception").strip()
            text = text.split("[SQL:")[0].strip()  # SQLAlchemy appends the whole statement
            return " ".join(text.split())[:300]
    return None


def _observed(check: Check, result: dict[str, Any]) -> str:
    if not result:
        return ""
    if check.expectation in ("ExpectNoOffendingRows", "UnexpectedRowsExpectation"):
        n = result.get("observed_value")
        if n is None:
            return ""
        if (result.get("details") or {}).get("truncated"):
            return f"{n} or more offending rows"
        return f"{n} offending row{'s' if n != 1 else ''}"
    if "unexpected_count" in result:
        total = result.get("element_count")
        text = f"{result['unexpected_count']} of {total} rows unexpected"
        counts = result.get("partial_unexpected_counts") or []
        if counts:
            text += " (values: " + ", ".join(
                f"{format_value(c.get('value'))} x{c.get('count')}" for c in counts[:OFFENDER_LIMIT]) + ")"
        return text
    if "observed_value" in result:
        value = result["observed_value"]
        if isinstance(value, dict) and "details" in result:
            return f"observed {format_value(value)}"
        if isinstance(value, list):
            return f"observed columns: {len(value)}"
        return f"observed {format_value(value)}"
    return ""


def _build_expectation(gxe: Any, check: Check, suite: MartSuite, schema: str) -> Any:
    kwargs = dict(check.kwargs)
    if "unexpected_rows_query" in kwargs:
        kwargs["unexpected_rows_query"] = gx_query(kwargs["unexpected_rows_query"], schema)
    if check.expectation == "ExpectNoOffendingRows":
        from insight_service.quality.gx_expectations import ExpectNoOffendingRows as cls
    else:
        cls = getattr(gxe, check.expectation)
    return cls(**kwargs, description=f"{check.name}: {check.description}", severity=check.severity,
               meta={"mart": suite.mart, "check": check.name, "severity": check.severity})


def gx_query(text: str, schema: str) -> str:
    """A check's SQL as GX wants it: schema filled in, ``{batch}`` left for GX, and the alias of
    ``{batch}`` given only where GX does not add its own (queries with a JOIN)."""
    from great_expectations.expectations.metrics.query_metric_provider import _query_has_join_clause

    text = render(text, schema)
    return text.replace("{batch_alias}", " as batch_rows" if _query_has_join_clause(text) else "")


def fetch_offenders(conn: Any, check: Check, schema: str, mart: str) -> list[dict[str, Any]]:
    """The check's worst offending rows (at most OFFENDER_LIMIT), read with psycopg."""
    if not check.offenders:
        return []
    query = (render(check.offenders, schema).replace("{batch_alias}", " as batch_rows")
             .replace("{batch}", f"{schema}.{mart}") + f"\nlimit {OFFENDER_LIMIT}")
    try:
        with conn.transaction():
            cur = conn.execute(query)
            names = [d.name for d in cur.description or []]
            return [dict(zip(names, row)) for row in cur.fetchall()]
    except Exception as exc:  # an offender listing must never hide the failure itself
        return [{"offenders_query_failed": str(exc).splitlines()[0]}]


def load_gx() -> None:
    """Import Great Expectations (seconds of CPU) ahead of :func:`run_checkpoint`, e.g. while a
    dbt subprocess runs."""
    _quiet_gx()
    import great_expectations  # noqa: F401
    import great_expectations.checkpoint  # noqa: F401
    import great_expectations.expectations  # noqa: F401


def run_checkpoint(suites: Sequence[MartSuite], schema: str, docs_dir: Path, conn: Any,
                   say: Callable[[str], None] = print) -> tuple[list[SuiteResult], Path | None]:
    """Validate every suite in one GX checkpoint; returns the results and the data docs index."""
    present = {r[0] for r in conn.execute(
        "select table_name from information_schema.tables where table_schema = %s", (schema,)).fetchall()}
    conn.commit()
    runnable = [s for s in suites if s.mart in present]
    results: list[SuiteResult] = [
        SuiteResult(s.mart, s.suite_name, [CheckResult(
            s.mart, "mart_exists", "ExpectTableToExist", f"{schema}.{s.mart} exists (is the warehouse built?)",
            "critical", False, observed="table not found")], missing=True)
        for s in suites if s.mart not in present
    ]
    if not runnable:
        return results, None

    _quiet_gx()
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.data_context.types.base import ProgressBarsConfig

    _share_compiled_templates()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    for site in list(context.get_config().data_docs_sites or {}):
        context.delete_data_docs_site(site)
    docs_dir.mkdir(parents=True, exist_ok=True)
    context.add_data_docs_site(SITE, {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })

    # libpq reads PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE: the URL names only the driver
    os.environ[CONNECTION_ENV] = "postgresql+psycopg2://"
    datasource = context.data_sources.add_postgres(DATASOURCE, connection_string="${" + CONNECTION_ENV + "}")

    definitions = []
    by_suite: dict[str, MartSuite] = {}
    for suite in runnable:
        asset = datasource.add_table_asset(suite.mart, table_name=suite.mart, schema_name=schema)
        batch = asset.add_batch_definition_whole_table("whole_table")
        gx_suite = context.suites.add(gx.ExpectationSuite(
            name=suite.suite_name, meta={"mart": suite.mart, "grain": list(suite.grain),
                                         "notes": suite.description}))
        for check in suite.checks:
            gx_suite.add_expectation(_build_expectation(gxe, check, suite, schema))
        definitions.append(context.validation_definitions.add(
            gx.ValidationDefinition(name=f"validate {suite.suite_name}", data=batch, suite=gx_suite)))
        by_suite[suite.suite_name] = suite

    checkpoint = context.checkpoints.add(gx.Checkpoint(
        name=CHECKPOINT, validation_definitions=definitions,
        actions=[UpdateDataDocsAction(name="update_data_docs", site_names=[SITE])],
        result_format={"result_format": "SUMMARY", "partial_unexpected_count": OFFENDER_LIMIT},
    ))
    say(f"  running checkpoint {CHECKPOINT!r}: {len(definitions)} suites, "
        f"{sum(len(s.checks) for s in runnable)} expectations")
    outcome = checkpoint.run()

    for validation in outcome.run_results.values():
        suite = by_suite[validation.suite_name]
        checks_by_name = {c.name: c for c in suite.checks}
        suite_result = SuiteResult(suite.mart, suite.suite_name, [])
        for res in validation.results:
            meta = res.expectation_config.meta or {}
            check = checks_by_name[meta["check"]]
            error = _exception_message(res.exception_info)
            item = CheckResult(suite.mart, check.name, check.expectation, check.description, check.severity,
                               bool(res.success), observed=_observed(check, res.result or {}), error=error)
            if not item.success and not error:
                # query checks return their worst rows already; other checks get their offenders query
                sampled = ((res.result or {}).get("details") or {}).get("unexpected_rows")
                item.offenders = ([dict(r) for r in sampled[:OFFENDER_LIMIT]] if sampled
                                  else fetch_offenders(conn, check, schema, suite.mart))
            suite_result.checks.append(item)
        results.append(suite_result)

    order = {s.mart: i for i, s in enumerate(suites)}
    results.sort(key=lambda r: order[r.mart])
    index = None
    urls = context.get_docs_sites_urls(site_name=SITE)
    if urls and urls[0].get("site_url"):
        url = urls[0]["site_url"]
        index = Path(url.removeprefix("file://")) if url.startswith("file://") else docs_dir / "index.html"
    return results, index
