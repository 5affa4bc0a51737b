"""The data-quality run behind `insights validate`: the GX checkpoint over every mart suite,
the quarantine summary, `dbt source freshness`, and one verdict.

Python API::

    from insight_service.quality import validate_marts
    report = validate_marts()          # PG* variables name the warehouse
    report.success, report.reason      # verdict and its one-line reason
    report.failures                    # CheckResult: mart, check, message(), offenders
    print(report.render())             # the text `insights validate` prints
"""
from __future__ import annotations

import dataclasses
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from insight_service.paths import project_dir
from insight_service.quality.check import MartSuite
from insight_service.quality.compiled_tests import with_compiled_tests
from insight_service.quality.freshness import FreshnessReport, run_source_freshness
from insight_service.quality.gx_runner import CheckResult, SuiteResult, format_value, load_gx, run_checkpoint
from insight_service.quality.suites import all_suites

SCHEMA_RE = re.compile(r"[a-z_][a-z0-9_]{0,62}")
DOCS_ENV = "INSIGHTS_VALIDATION_DOCS_DIR"


def default_docs_dir() -> Path:
    """Where the data docs HTML goes: $INSIGHTS_VALIDATION_DOCS_DIR, else <project>/validation_docs."""
    env = os.environ.get(DOCS_ENV)
    return Path(env).resolve() if env else project_dir() / "validation_docs"


def default_schema() -> str:
    return os.environ.get("INSIGHTS_MARTS_SCHEMA") or "marts"


def _project_var(name: str, default: Any) -> Any:
    """A var of dbt_project.yml (the checks use the same thresholds as the models)."""
    try:
        import yaml

        data = yaml.safe_load((project_dir() / "dbt_project.yml").read_text(encoding="utf-8")) or {}
        value = (data.get("vars") or {}).get(name, default)
        return type(default)(value)
    except Exception:
        return default


@dataclasses.dataclass
class QuarantineRow:
    table_name: str
    reason: str
    rows: int
    stores: int
    last_detected_at: Any


@dataclasses.dataclass
class ValidationReport:
    schema: str
    suites: list[SuiteResult]
    quarantine: list[QuarantineRow]
    freshness: FreshnessReport | None
    docs_index: Path | None
    elapsed_s: float
    quarantine_error: str | None = None

    @property
    def failures(self) -> list[CheckResult]:
        return [c for s in self.suites for c in s.failed]

    @property
    def warnings(self) -> list[CheckResult]:
        return [c for s in self.suites for c in s.warnings]

    @property
    def success(self) -> bool:
        return not self.failures and (self.freshness is None or self.freshness.ok)

    @property
    def reason(self) -> str:
        """One line: why the run failed (empty when it passed)."""
        parts = []
        if self.failures:
            names = [c.qualified for c in self.failures]
            shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
            parts.append(f"{len(names)} data-quality check{'s' if len(names) != 1 else ''} failed: {shown}")
        if self.freshness is not None and self.freshness.error:
            parts.append(self.freshness.error)
        elif self.freshness is not None and self.freshness.errors:
            stale = ", ".join(f"{s.source} ({s.age_hours:g} h)" if s.age_hours is not None else
                              f"{s.source} ({s.status})" for s in self.freshness.errors)
            parts.append(f"source freshness error: {stale}")
        return "; ".join(parts)

    def find(self, check: str, mart: str | None = None) -> CheckResult | None:
        for suite in self.suites:
            for item in suite.checks:
                if item.check == check and (mart is None or item.mart == mart):
                    return item
        return None

    def to_dict(self) -> dict[str, Any]:
        def clean(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: clean(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [clean(v) for v in value]
            if isinstance(value, (str, int, float, bool)) or value is None:
                return value
            return format_value(value)

        return clean({
            "success": self.success, "reason": self.reason, "schema": self.schema,
            "elapsed_s": round(self.elapsed_s, 1),
            "docs_index": str(self.docs_index) if self.docs_index else None,
            "suites": [{"suite": s.suite, "mart": s.mart, "passed": s.passed, "failed": len(s.failed),
                        "warnings": len(s.warnings),
                        "checks": [dataclasses.asdict(c) | {"message": c.message()} for c in s.checks
                                   if not c.success]} for s in self.suites],
            "quarantine": [dataclasses.asdict(q) for q in self.quarantine],
            "freshness": dataclasses.asdict(self.freshness) if self.freshness else None,
        })

    def render(self) -> str:
        lines: list[str] = []
        lines.append("")
        lines.append(f"{'suite':<38}{'checks':>7}{'passed':>8}{'failed':>8}{'warn':>6}  status")
        for s in self.suites:
            status = "FAILED" if s.failed else ("warn" if s.warnings else "ok")
            if s.missing:
                status = "MISSING"
            counts = f"{len(s.checks):>7}{s.passed:>8}{len(s.failed):>8}{len(s.warnings):>6}"
            lines.append(f"{s.suite:<38}{counts}  {status}")
        total = sum(len(s.checks) for s in self.suites)
        passed = sum(s.passed for s in self.suites)
        lines.append(f"{'total':<38}{total:>7}{passed:>8}{len(self.failures):>8}{len(self.warnings):>6}")
        problems = self.failures + self.warnings
        if problems:
            lines.append("")
            lines.append("failed checks (worst offenders first, at most 5 rows each):")
            for item in problems:
                lines.append("  " + item.message())
        lines.append("")
        if self.quarantine_error:
            lines.append(f"quarantine ({self.schema}.data_quality_issues): not readable: {self.quarantine_error}")
        else:
            kept = sum(q.rows for q in self.quarantine if q.reason != "duplicate")
            dupes = sum(q.rows for q in self.quarantine if q.reason == "duplicate")
            lines.append(f"quarantine ({self.schema}.data_quality_issues): {kept} bad raw rows excluded from the "
                         f"marts, {dupes} superseded duplicates")
            if self.quarantine:
                lines.append(f"  {'table':<24}{'reason':<20}{'rows':>8}{'stores':>8}")
                for q in self.quarantine:
                    lines.append(f"  {q.table_name:<24}{q.reason:<20}{q.rows:>8}{q.stores:>8}")
        lines.append("")
        if self.freshness is None:
            lines.append("source freshness: skipped")
        elif self.freshness.error:
            lines.append(f"source freshness: {self.freshness.error}")
        else:
            f = self.freshness
            lines.append(f"source freshness (dbt source freshness, {f.elapsed_s:.1f}s): "
                         f"{len(f.sources) - len(f.warnings) - len(f.errors)} pass, {len(f.warnings)} warn, "
                         f"{len(f.errors)} error")
            for s in f.sources:
                if s.status != "pass":
                    age = f"{s.age_hours:g} h old" if s.age_hours is not None else (s.error or "")
                    lines.append(f"  {s.status.upper():<6} {s.source:<32} last loaded {s.max_loaded_at}  ({age})")
        lines.append("")
        lines.append(f"data docs: {self.docs_index}" if self.docs_index else "data docs: not written")
        verdict = "PASSED" if self.success else "FAILED"
        lines.append(f"validation {verdict} in {self.elapsed_s:.1f}s"
                     + (f": {self.reason}" if not self.success else ""))
        return "\n".join(lines)


def quarantine_summary(conn: Any, schema: str) -> list[QuarantineRow]:
    from psycopg import sql

    with conn.transaction():
        rows = conn.execute(sql.SQL(
            "select table_name, reason, count(*) as n, count(distinct store_id) as stores, "
            "max(detected_at) as last_detected_at from {}.data_quality_issues "
            "group by table_name, reason order by table_name, reason").format(sql.Identifier(schema))).fetchall()
    return [QuarantineRow(r[0], r[1], int(r[2]), int(r[3]), r[4]) for r in rows]


def validate_marts(schema: str | None = None, docs_dir: Path | None = None, freshness: bool = True,
                   marts: Sequence[str] | None = None, say: Callable[[str], None] | None = None,
                   suites: Sequence[MartSuite] | None = None, singular_checks: bool = True) -> ValidationReport:
    """Run the checkpoint (and `dbt source freshness`) against the warehouse the PG* variables name.

    ``singular_checks=False`` leaves out the reconciliations (the singular dbt tests): for a caller
    whose dbt build has just run those tests on every row of the marts it validates."""
    from insight_service.warehouse import connection

    say = say or (lambda _msg: None)
    schema = schema or default_schema()
    if not SCHEMA_RE.fullmatch(schema):
        raise ValueError(f"invalid marts schema name {schema!r}")
    docs_dir = Path(docs_dir) if docs_dir else default_docs_dir()
    started = time.monotonic()

    chosen = list(suites) if suites is not None else all_suites(
        future_tolerance_hours=_project_var("future_tolerance_hours", 24))
    if marts:
        unknown = sorted(set(marts) - {s.mart for s in chosen})
        if unknown:
            raise ValueError(f"no suite for mart(s) {', '.join(unknown)}; known: "
                             f"{', '.join(s.mart for s in chosen)}")
        chosen = [s for s in chosen if s.mart in set(marts)]
    if not singular_checks:
        chosen = [dataclasses.replace(s, checks=tuple(c for c in s.checks if not c.dbt_test)) for s in chosen]

    with connection.connect(connect_timeout=10) as conn:  # fail fast, before starting dbt
        # dbt parses the project for several seconds: run it beside the checkpoint
        fresh_box: dict[str, FreshnessReport] = {}
        worker = None
        if freshness:
            def run_fresh() -> None:
                try:
                    fresh_box["report"] = run_source_freshness()
                except Exception as exc:  # reported, never raised from the thread
                    fresh_box["report"] = FreshnessReport([], error=f"dbt source freshness failed: {exc}")

            worker = threading.Thread(target=run_fresh, name="dbt-source-freshness", daemon=True)
            worker.start()
            say("  dbt source freshness: running in the background")

        # the reconciliations are singular dbt tests: their SQL comes from one dbt compile, which
        # runs while Great Expectations is imported here
        say("  compiling the singular dbt tests of the suites (dbt compile), loading Great Expectations")
        with ThreadPoolExecutor(1, thread_name_prefix="dbt-compile") as pool:
            compiling = pool.submit(with_compiled_tests, chosen)
            load_gx()
            chosen = compiling.result()
        say(f"  compiled at {time.monotonic() - started:.1f}s")
        say(f"  building {len(chosen)} suites ({schema} schema)")
        results, index = run_checkpoint(chosen, schema, docs_dir, conn, say=say)
        say(f"  checkpoint done at {time.monotonic() - started:.1f}s")
        quarantine, quarantine_error = [], None
        try:
            quarantine = quarantine_summary(conn, schema)
        except Exception as exc:  # missing quarantine mart is already a failed suite
            quarantine_error = str(exc).strip().splitlines()[0]

    fresh = None
    if worker is not None:
        worker.join()
        fresh = fresh_box.get("report")
        say(f"  dbt source freshness done ({fresh.elapsed_s:.1f}s)" if fresh else "  dbt source freshness: no result")
    return ValidationReport(schema, results, quarantine, fresh, index, time.monotonic() - started,
                            quarantine_error=quarantine_error)
