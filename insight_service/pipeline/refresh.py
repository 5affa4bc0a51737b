"""`insights refresh`: one exclusive, recorded, idempotent run of the pipeline.

    detect_changes -> build -> validate -> forecasts -> insights -> budget_curves -> invalidate_cache

* The run holds the refresh advisory lock (lock.py) on a connection kept open throughout; a
  second refresh records ``skipped_locked`` and returns at once (exit 75).
* ``detect_changes`` compares the raw/project signature (signature.py) with the last
  successful run's. Equal: the run is a success that says "no new data" and nothing else
  happens (no build, no insights, no cache invalidation). ``--full-refresh`` / ``force``
  always build.
* ``build``: ``dbt build`` (build.py), without the seeds when only raw data changed (seeds.py).
  A failed build fails the run (nothing after it but the cache step, if the build id changed
  anyway).
* ``validate`` (pipeline/checks.py): source freshness + the GX suites of the rebuilt marts. Failing
  it fails the run but keeps the build (dbt already committed it); insights are skipped.
* ``forecasts`` (pipeline/forecasts.py): refits the forecasts of the stores whose marts changed (and
  of stores without a current fit), before the insights, whose forecast signals read them; a store's
  failure fails the run, the other stores go on.
* ``insights``: for each store whose marts changed since the last success's watermark
  (changes.py); a store's failure is recorded and fails the run, the other stores go on.
* ``budget_curves`` (budget_curves.py): the budget optimizer's response curves of the stores
  whose marts changed, fitted and stored for ``GET /budget/optimize``; the other stores' curves
  move to the new build id. A store's failure fails the run, the other stores go on.
* ``invalidate_cache`` (cache.py): only when the build changed ``mart_build_info.build_id``.
"""
from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

from insight_service.pipeline import EXIT_BUSY, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK
from insight_service.pipeline.build import materializations, run_build, target_path
from insight_service.pipeline.cancel import Cancel, Cancelled
from insight_service.pipeline.changes import changed_stores
from insight_service.pipeline.checks import run_suites, source_freshness, suites_to_run
from insight_service.pipeline.lock import AdvisoryLock
from insight_service.pipeline.per_store import fit_processes
from insight_service.pipeline.runs import RunRecorder, last_success, running_run
from insight_service.pipeline.seeds import decide as seed_decision
from insight_service.pipeline.signature import Signature, current_signature


@dataclasses.dataclass
class RefreshOptions:
    trigger: str = "cli"
    dbt_args: list[str] = dataclasses.field(default_factory=list)
    force: bool = False          # build even when nothing is new
    full_checks: bool = False    # every GX suite, also on an incremental build
    verbose: bool = False        # echo dbt's output instead of progress lines


@dataclasses.dataclass
class RefreshOutcome:
    status: str                  # success | failed | skipped_locked
    run_id: int | None
    exit_code: int
    summary: str
    duration_s: float
    error: str | None = None
    no_new_data: bool = False
    rows_written: int = 0
    insight_stores: list[str] = dataclasses.field(default_factory=list)
    signature_digest: str | None = None


# node selection flags of dbt: a caller who selects nodes gets exactly what they asked for
SELECTION_FLAGS = ("--select", "-s", "--exclude", "--selector", "--models", "-m")


def selects_nodes(dbt_args: list[str]) -> bool:
    return any(a in SELECTION_FLAGS or a.split("=")[0] in SELECTION_FLAGS for a in dbt_args)


def build_args(options: RefreshOptions, skip_seeds: bool = False) -> list[str]:
    """dbt arguments of the build: the caller's; with --full-checks the var that makes the dbt
    tests check every row instead of the rows the run wrote (macros/incremental.sql); and,
    unless the caller selects nodes, no unit tests: they test the SQL, not the data, and run in
    `make test`, CI and `insights build` (23 nodes, a tenth of a refresh's dbt time); nor the
    seeds and their own tests when they are unchanged (pipeline/seeds.py)."""
    args = list(options.dbt_args)
    if options.full_checks and "--vars" not in args:
        args += ["--vars", '{"full_checks": true}']
    if not selects_nodes(args):
        args += ["--exclude", "test_type:unit"]
        if skip_seeds:
            args += ["resource_type:seed", "--indirect-selection", "cautious"]
    return args


def marts_schema() -> str:
    return os.environ.get("INSIGHTS_MARTS_SCHEMA") or "marts"


def _build_id(conn: psycopg.Connection, schema: str) -> str | None:
    try:
        with conn.transaction():
            row = conn.execute(sql.SQL("select build_id from {} order by built_at desc nulls last limit 1")
                               .format(sql.Identifier(schema, "mart_build_info"))).fetchone()
    except (pg_errors.UndefinedTable, pg_errors.InvalidSchemaName):
        return None
    return str(row[0]) if row and row[0] is not None else None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}".rstrip(": ")


def connect() -> psycopg.Connection:
    from insight_service.warehouse import connection

    connection.resolve_environment()
    return connection.connect(autocommit=True, connect_timeout=10, application_name="insights-refresh")


def refresh(options: RefreshOptions, *, cancel: Cancel | None = None,
            say: Callable[[str], None] | None = None) -> RefreshOutcome:
    """Run the pipeline once. Raises only when the warehouse cannot be reached or recorded to."""
    from insight_service.warehouse.migrations import migrate  # the app schema's migrator (no web imports)

    say = say or (lambda _m: None)
    cancel = cancel or Cancel()
    started = time.monotonic()
    conn = connect()
    try:
        migrate(conn)
        recorder = RunRecorder(conn, options.trigger, options.dbt_args)
        lock = AdvisoryLock(conn)
        if not lock.try_acquire():
            other = running_run(conn)
            what = (f"run {other['run_id']} ({other['trigger']}, started "
                    f"{other['started_at'].astimezone().strftime('%Y-%m-%d %H:%M:%S %Z')}, pid {other['pid']} "
                    f"on {other['host']})" if other else "another session")
            message = f"another refresh is running: {what} holds the pipeline lock"
            run_id = recorder.skipped_locked(message)
            return RefreshOutcome("skipped_locked", run_id, EXIT_BUSY, f"refresh run {run_id} skipped: {message}",
                                  time.monotonic() - started, error=message)
        try:
            recorder.start()
            abandoned = recorder.abandon_stale()
            say(f"refresh run {recorder.run_id} ({options.trigger})"
                + (f"; marked abandoned runs failed: {', '.join(map(str, abandoned))}" if abandoned else ""))
            return _Run(conn, recorder, options, cancel, say, started).execute()
        finally:
            lock.release()
    finally:
        conn.close()


class _Run:
    def __init__(self, conn: psycopg.Connection, recorder: RunRecorder, options: RefreshOptions,
                 cancel: Cancel, say: Callable[[str], None], started: float):
        self.conn = conn
        self.recorder = recorder
        self.options = options
        self.cancel = cancel
        self.say = say
        self.started = started
        self.schema = marts_schema()
        self.errors: list[str] = []
        self.rows_written = 0
        self.insight_stores: list[str] = []
        self.digest: str | None = None
        self.models_built = False

    def execute(self) -> RefreshOutcome:
        try:
            return self._steps()
        except Cancelled as exc:
            return self._finish_failed(f"interrupted ({exc})", EXIT_INTERRUPTED)
        except (psycopg.OperationalError, psycopg.InterfaceError):
            raise  # the warehouse is gone: nothing can be recorded; the next run marks this row abandoned
        except Exception as exc:  # record any other failure as the run's error, one line
            for step in self.recorder.steps:
                if step.result == "running":
                    step.finish("failed", error=_first_line(exc))
            return self._finish_failed(_first_line(exc), EXIT_FAILED)

    # ---- the steps -------------------------------------------------------------------------

    def _steps(self) -> RefreshOutcome:
        options, say = self.options, self.say
        step = self.recorder.step("detect_changes")
        signature = current_signature(self.conn, options.dbt_args)
        self.digest = signature.digest
        previous = last_success(self.conn)
        baseline = Signature.from_json(previous["raw_signature"]) if previous else None
        differences = signature.differences(baseline)
        forced = options.force or "--full-refresh" in options.dbt_args
        if not differences and not forced:
            step.finish("no_new_data", compared_with_run=previous["run_id"], raw_tables=len(signature.raw))
            summary = (f"refresh run {self.recorder.run_id} success in {self._elapsed():.1f}s: "
                       f"no new data since run {previous['run_id']}")
            self.recorder.finish("success", no_new_data=True, rows_written=0, raw_signature=signature.to_json(),
                                 signature_digest=signature.digest, marts_watermark=previous["marts_watermark"],
                                 build_id=previous["build_id"], summary=summary)
            return RefreshOutcome("success", self.recorder.run_id, EXIT_OK, summary, self._elapsed(),
                                  no_new_data=True, signature_digest=signature.digest)
        step.finish("changes" if differences else "forced", **differences,
                    **({"forced": True} if forced else {}))
        say(f"  detect changes: {_describe(differences, forced)} ({step.duration_s:.1f}s)")
        self.recorder.save_steps(raw_signature=signature.to_json(), signature_digest=signature.digest)
        self.cancel.check()

        watermark = None
        changed: list[str] = []
        build_before = _build_id(self.conn, self.schema)
        build = None
        try:
            build = self._build(previous, differences, forced)
            self.cancel.check()
            if build.success and self._validate(build, first_run=previous is None):
                self.cancel.check()
                self._forecasts(previous)  # first: the insights read the new forecasts' signals
                changed, watermark = self._insights(previous)
                self._budget_curves(changed, {build_before, previous["build_id"] if previous else None})
        finally:
            # whatever happened after it, a build that wrote the marts made cached responses stale
            self._invalidate(build_before, _build_id(self.conn, self.schema), self.models_built)
            self._vacuum(build.models if build else {})

        status = "failed" if self.errors else "success"
        if status == "success":
            summary = (f"refresh run {self.recorder.run_id} success in {self._elapsed():.1f}s: "
                       f"{self.rows_written:,} rows written, new insights for {len(self.insight_stores)} "
                       f"store{'s' if len(self.insight_stores) != 1 else ''}"
                       + (f" ({', '.join(self.insight_stores)})" if self.insight_stores else ""))
            self.recorder.finish("success", summary=summary, marts_watermark=watermark, changed_stores=changed)
            return RefreshOutcome("success", self.recorder.run_id, EXIT_OK, summary, self._elapsed(),
                                  rows_written=self.rows_written, insight_stores=self.insight_stores,
                                  signature_digest=self.digest)
        return self._finish_failed("; ".join(self.errors), EXIT_FAILED, changed_stores=changed)

    def _build(self, previous: dict[str, Any] | None, differences: dict[str, Any], forced: bool):
        step = self.recorder.step("build")
        target = target_path()
        seeds = seed_decision(self.conn, target, previous, differences, forced=forced,
                              selected=selects_nodes(self.options.dbt_args))
        self.say(f"  build: dbt build {' '.join(self.options.dbt_args)}".rstrip() + f" (target {target}; seeds "
                 f"{'left out' if seeds.skip else 'loaded'}: {seeds.reason})")
        result = run_build(build_args(self.options, skip_seeds=seeds.skip), cancel=self.cancel, say=self.say,
                           echo=self.options.verbose, target=target)
        self.target = target
        self.rows_written = result.rows_written
        self.models_built = any(m["status"] == "success" for m in result.models.values())
        outcome = "ok" if result.success else ("interrupted" if result.interrupted else "failed")
        kinds = materializations(target)
        # table models rewrite every row; the incremental ones say how much was new or redone
        incremental_rows = sum(m["rows"] for name, m in result.models.items() if kinds.get(name) == "incremental")
        step.finish(outcome, **result.details(), **seeds.details(), rows_written_incremental_models=incremental_rows,
                    **({"error": result.error} if result.error else {}))
        self.recorder.save_steps(dbt_invocation_id=result.invocation_id, rows_written=result.rows_written)
        counts = ", ".join(f"{n} {s}" for s, n in result.counts.items()) or "no results"
        self.say(f"  build: {outcome} in {result.elapsed_s:.1f}s ({counts}); {result.rows_written:,} rows written"
                 + (f"; invocation {result.invocation_id}" if result.invocation_id else ""))
        if not result.success and not result.interrupted:
            self.errors.append(result.error or "dbt build failed")
        return result

    def _validate(self, build, first_run: bool) -> bool:
        step = self.recorder.step("validate")
        freshness = source_freshness(self.conn, self.schema)
        # a first refresh may have built the incremental marts from scratch: check them all once
        full = build.full_refresh or self.options.full_checks or first_run
        built = {name for name, m in build.models.items() if m["status"] == "success"}
        marts, skipped = suites_to_run(materializations(self.target), built, full)
        self.say(f"  validate: source freshness {'ok' if freshness.ok else 'FAILED'}; "
                 f"GX suites of {len(marts)} mart(s){' (full checks)' if full else ''}")
        # the build ran the reconciliations (singular dbt tests) on the marts it rebuilt whole
        suites = run_suites(marts, skipped, self.target / "validation_docs", marts_schema=self.schema,
                            singular_checks=full)
        ok = freshness.ok and suites.ok
        step.finish("ok" if ok else "failed", freshness=freshness.details(), gx=suites.details(),
                    full_checks=full)
        self.say(f"  validate: {'ok' if ok else 'FAILED'} ({step.duration_s:.1f}s"
                 f"{', ' + str(suites.warnings) + ' warnings' if suites.warnings else ''})")
        if not freshness.ok:
            self.errors.append(freshness.error or f"source freshness error: {', '.join(freshness.stale)}")
        if not suites.ok:
            self.errors.append(f"validation: {suites.reason or ', '.join(suites.failures)}")
        self.recorder.save_steps()
        return ok

    def _insights(self, previous: dict[str, Any] | None) -> tuple[list[str], Any]:
        from insight_service.pipeline.store_insights import generate_for, service_generator

        step = self.recorder.step("insights")
        since = previous["marts_watermark"] if previous else None
        changes = changed_stores(self.conn, since, self.schema)
        stores = changes.store_ids
        if not stores:
            step.finish("skipped", reason="no store's marts changed", since=_iso(since))
            self.recorder.save_steps()
            return [], changes.watermark
        self.say(f"  insights: {len(stores)} store(s) whose marts changed since {_iso(since) or 'the start'}: "
                 f"{', '.join(stores)}")
        generate, close = service_generator()
        try:
            results = generate_for(stores, generate, cancel=self.cancel, say=self.say)
        finally:
            close()
        failed = [r["store_id"] for r in results if r["result"] == "failed"]
        self.insight_stores = [r["store_id"] for r in results if r["result"] == "ok"]
        step.finish("failed" if failed else ("cancelled" if self.cancel.is_set() else "ok"), since=_iso(since),
                    watermark=_iso(changes.watermark), stores=results)
        self.recorder.save_steps()
        if failed:
            self.errors.append(f"insight generation failed for {', '.join(failed)}")
        self.cancel.check()
        return stores, changes.watermark

    def _budget_curves(self, stores: list[str], unchanged_on: set[str | None]) -> None:
        from insight_service.pipeline.budget_curves import fit_stores, restamp

        step = self.recorder.step("budget_curves")
        build_id = _build_id(self.conn, self.schema)
        if build_id is None:
            step.finish("skipped", reason="the marts have no build id")
            self.recorder.save_steps()
            return
        restamped = restamp(self.conn, stores, unchanged_on, build_id)
        results = fit_stores(self.conn, stores, build_id, self.schema, is_cancelled=self.cancel.is_set, say=self.say,
                             processes=fit_processes())
        failed = [r["store_id"] for r in results if r["result"] == "failed"]
        step.finish("failed" if failed else ("cancelled" if self.cancel.is_set() else "ok"), build_id=build_id,
                    restamped_stores=restamped, stores=results)
        self.recorder.save_steps()
        if failed:
            self.errors.append(f"budget curves failed for {', '.join(failed)}")

    def _forecasts(self, previous: dict[str, Any] | None) -> None:
        from insight_service.pipeline.forecasts import fit_stores, stores_to_fit

        step = self.recorder.step("forecasts")
        since = previous["marts_watermark"] if previous else None
        stores = stores_to_fit(self.conn, changed_stores(self.conn, since, self.schema).store_ids, self.schema)
        if not stores:
            step.finish("skipped", reason="no store's marts changed", since=_iso(since))
            self.recorder.save_steps()
            return
        results = fit_stores(self.conn, stores, self.schema, cancel=self.cancel, say=self.say,
                             processes=fit_processes())
        failed = [r["store_id"] for r in results if r["result"] == "failed"]
        step.finish("failed" if failed else ("cancelled" if self.cancel.is_set() else "ok"), since=_iso(since),
                    stores=results)
        self.say(f"  forecasts: {len(results) - len(failed)} of {len(results)} store(s) fitted "
                 f"({step.duration_s:.1f}s)")
        self.recorder.save_steps()
        if failed:
            self.errors.append(f"forecasts failed for {', '.join(failed)}")
        self.cancel.check()

    def _invalidate(self, before: str | None, after: str | None, models_built: bool) -> None:
        moved = after is not None and after != before
        if not moved and not models_built:
            return  # nothing written to the marts: nothing cached is stale
        from insight_service.pipeline.cache import cache_settings, invalidate

        step = self.recorder.step("invalidate_cache")
        try:
            backend, prefix = cache_settings()
            # every entry, the new build id's too: those were computed while dbt was still
            # rewriting the marts (mart_build_info is rebuilt first), or, for a partial build
            # (--select without mart_build_info), under an unchanged build id
            details = invalidate(backend, prefix)
            step.finish(details.pop("result"), previous_build_id=before, build_id=after, **details)
        except Exception as exc:  # a cache outage must not fail a run whose marts are built
            step.finish("warning", previous_build_id=before, build_id=after, error=_first_line(exc))
        self.say(f"  cache: {step.result}: " + ", ".join(f"{k}={v}" for k, v in step.details.items()
                                                       if k in ("deleted", "backend", "error")))
        self.recorder.save_steps(build_id=after)

    def _vacuum(self, models: dict[str, dict[str, Any]]) -> None:
        """VACUUM the incremental tables this build wrote, and the service's own tables, whose dead rows
        passed the autovacuum rule when the server does not vacuum them (pipeline/vacuum.py). Last: the
        dashboard already shows the new data. A failure is a warning, never a failed run."""
        if not self.models_built or self.cancel.is_set():
            return
        from insight_service.pipeline.build import model_relations
        from insight_service.pipeline.vacuum import app_tables, vacuum_due

        step = self.recorder.step("vacuum")
        try:
            relations = model_relations(self.target)
            written = [relations[name] for name, m in models.items() if m["status"] == "success" and name in relations]
            details = vacuum_due(self.conn, written + app_tables(self.conn))
            step.finish(details.pop("result"), **details)
        except Exception as exc:  # a table is busy or gone: the next run tries again
            step.finish("warning", error=_first_line(exc))
        vacuumed = step.details.get("vacuumed") or []
        self.say(f"  vacuum: {step.result}: {len(vacuumed)} table(s)"
                 + (f" ({', '.join(v['table'] for v in vacuumed[:5])}{', ...' if len(vacuumed) > 5 else ''})"
                    if vacuumed else "") + (f"; {step.details['error']}" if "error" in step.details else ""))
        self.recorder.save_steps()

    # ---- endings -----------------------------------------------------------------------------

    def _elapsed(self) -> float:
        return time.monotonic() - self.started

    def _finish_failed(self, error: str, code: int, **columns: Any) -> RefreshOutcome:
        summary = f"refresh run {self.recorder.run_id} failed in {self._elapsed():.1f}s: {error}"
        self.recorder.finish("failed", error=error, summary=summary, **columns)
        return RefreshOutcome("failed", self.recorder.run_id, code, summary, self._elapsed(), error=error,
                              rows_written=self.rows_written, insight_stores=self.insight_stores,
                              signature_digest=self.digest)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _describe(differences: dict[str, Any], forced: bool) -> str:
    parts = []
    if differences.get("first_run"):
        parts.append("first run")
    if differences.get("raw_tables"):
        tables = differences["raw_tables"]
        parts.append("new raw data in " + ", ".join(tables[:5]) + (f" (+{len(tables) - 5})" if len(tables) > 5 else ""))
    if differences.get("project_changed"):
        parts.append("dbt project changed")
    if differences.get("args_changed"):
        parts.append("dbt arguments changed")
    if differences.get("env_changed"):
        parts.append("target changed")
    if forced:
        parts.append("forced")
    return "; ".join(parts) or "changes"
