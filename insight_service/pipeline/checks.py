"""Validation of what a refresh's build changed.

* **dbt tests** ran inside the build (on incremental runs they check the rows the run wrote).
* **Source freshness**, always: ``marts.mart_source_freshness`` as this build computed it
  (the same ``_loaded_at`` ages as `dbt source freshness`, without a second dbt process); a
  table at ``error`` fails the run.
* **Great Expectations suites** (:func:`insight_service.quality.validate_marts`) of the marts
  the build rebuilt whole (table materializations: each is entirely "what changed"). The
  suites of incremental marts scan their whole history, so they run only on a full refresh
  (``--full-refresh``) or with ``--full-checks``; their new rows are covered by the dbt tests.
  A suite's reconciliations are its singular dbt tests: on an incremental run the build has just
  run them on every row of the marts rebuilt whole, so they are left out here; on a full refresh
  or with ``--full-checks`` `validate_marts` compiles them with every row in scope (one ``dbt
  compile``) and runs them with the rest of the suites.
  See DECISIONLOG.md (Operations) for the measurements behind this scope.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql


@dataclasses.dataclass
class FreshnessCheck:
    ok: bool
    tables: dict[str, str]              # source_table -> ok | warn | error
    error: str | None = None

    @property
    def stale(self) -> list[str]:
        return sorted(t for t, s in self.tables.items() if s == "error")

    def details(self) -> dict[str, Any]:
        by_status: dict[str, list[str]] = {}
        for table, status in sorted(self.tables.items()):
            by_status.setdefault(status, []).append(table)
        return {"ok": self.ok, "tables": {k: (v if k != "ok" else len(v)) for k, v in by_status.items()},
                **({"error": self.error} if self.error else {})}


def source_freshness(conn: psycopg.Connection, marts_schema: str = "marts") -> FreshnessCheck:
    try:
        with conn.transaction():
            rows = conn.execute(sql.SQL("select source_table, status from {}").format(
                sql.Identifier(marts_schema, "mart_source_freshness"))).fetchall()
    except (pg_errors.UndefinedTable, pg_errors.InvalidSchemaName):
        return FreshnessCheck(False, {}, f"{marts_schema}.mart_source_freshness does not exist (not built)")
    tables = {str(t): str(s) for t, s in rows}
    return FreshnessCheck(not any(s == "error" for s in tables.values()), tables)


def suites_to_run(materialized: dict[str, str], built: set[str], full: bool) -> tuple[list[str], list[str]]:
    """(marts whose suites run, marts whose suites are skipped) for a build.

    ``materialized``: model -> materialization from the manifest; ``built``: models the build
    ran successfully. Pure, so the scope rule is tested without a warehouse."""
    from insight_service.quality.suites import all_suites

    run, skipped = [], []
    for suite in all_suites():
        mart = suite.mart
        kind = materialized.get(mart)
        if full or (mart in built and kind is not None and kind != "incremental"):
            run.append(mart)
        else:
            skipped.append(mart)
    return run, skipped


@dataclasses.dataclass
class SuiteCheck:
    ok: bool
    marts: list[str]
    skipped: list[str]
    failures: list[str]
    warnings: int
    elapsed_s: float
    reason: str = ""

    def details(self) -> dict[str, Any]:
        return {"ok": self.ok, "suites": self.marts, "skipped_incremental": self.skipped,
                "failures": self.failures[:20], "failed_checks": len(self.failures), "warnings": self.warnings,
                "elapsed_s": round(self.elapsed_s, 1)}


def run_suites(marts: list[str], skipped: list[str], docs_dir: Path,
               say: Callable[[str], None] | None = None, marts_schema: str = "marts",
               singular_checks: bool = True) -> SuiteCheck:
    if not marts:
        return SuiteCheck(True, [], skipped, [], 0, 0.0)
    from insight_service.quality.validate import validate_marts

    report = validate_marts(schema=marts_schema, docs_dir=docs_dir, freshness=False, marts=marts, say=say,
                            singular_checks=singular_checks)
    return SuiteCheck(report.success, marts, skipped, [c.qualified for c in report.failures],
                      len(report.warnings), report.elapsed_s, report.reason)
