"""``insights refresh`` and ``insights schedule``: the pipeline run once, or on a schedule; and
``insights budget-curves``, the refresh's budget-curve step on its own.

Exit codes of `insights refresh`: 0 success (also "no new data"), 1 failed (recorded, one
line on stderr), 75 another refresh holds the lock (EX_TEMPFAIL: try again later), 130
interrupted by SIGINT/SIGTERM (the run is recorded failed). `insights schedule` exits 0 when
stopped by SIGTERM/SIGINT and 75 when another scheduler already runs on the warehouse.
"""
from __future__ import annotations

import argparse

from insight_service.cli import CliError, say, warn
from insight_service.pipeline import EXIT_BUSY, EXIT_INTERRUPTED, EXIT_OK

# options of `refresh` itself; every other argument goes to `dbt build` as written
REFRESH_OPTIONS = ("--force", "--full-checks", "-v", "--verbose", "-h", "--help")

REFRESH_EPILOG = """\
Any other argument is passed to `dbt build` as written, e.g. `insights refresh --full-refresh`
(full rebuild and every data-quality suite) or `--select fct_unified_metrics+`.
Exit codes: 0 success (also when there was no new data), 1 failed (recorded in
app.pipeline_runs), 75 another refresh is running (skipped_locked), 130 interrupted."""

SCHEDULE_EPILOG = """\
Stops cleanly on SIGTERM or SIGINT (a running dbt build is interrupted and recorded failed, the
locks are released) and exits 0. Exits 75 when another scheduler runs on the same warehouse."""


def cmd_refresh(args: argparse.Namespace) -> int:
    from insight_service.pipeline.cancel import Cancel, stop_on_signals
    from insight_service.pipeline.refresh import RefreshOptions, refresh

    options = RefreshOptions(trigger="cli", dbt_args=list(args.dbt_args), force=args.force,
                             full_checks=args.full_checks, verbose=args.verbose)
    with stop_on_signals(Cancel()) as cancel:
        outcome = refresh(options, cancel=cancel, say=say)
    if outcome.status == "skipped_locked":
        warn(f"insights: {outcome.summary}")
        return EXIT_BUSY
    if outcome.exit_code == EXIT_INTERRUPTED:
        warn(f"insights: {outcome.summary}")
        return EXIT_INTERRUPTED
    if outcome.status != "success":
        raise CliError(outcome.summary)
    say(outcome.summary)
    return EXIT_OK


def cmd_schedule(args: argparse.Namespace) -> int:
    from insight_service.pipeline.cancel import Cancel, stop_on_signals
    from insight_service.pipeline.schedule import ScheduleOptions, Scheduler, parse_interval

    try:
        every = parse_interval(args.every)
        text = str(args.poll).strip().lower().rstrip("s")
        poll = 0.0 if text.replace(".", "", 1).isdigit() and float(text) == 0 else \
            parse_interval(args.poll, default_unit="s")
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    hour = None if args.no_daily_insights else args.insights_hour
    if hour is not None and not 0 <= hour <= 23:
        raise CliError(f"--insights-hour must be 0..23, got {hour}")
    options = ScheduleOptions(every_s=every, poll_s=poll, insights_hour=hour, verbose=args.verbose)
    with stop_on_signals(Cancel()) as cancel:
        return Scheduler(options, cancel, say).run()


def cmd_budget_curves(args: argparse.Namespace) -> int:
    from insight_service.pipeline.budget_curves import BusyError, run_budget_curves

    try:
        results = run_budget_curves(args.store, say=say)
    except BusyError as exc:
        warn(f"insights: {exc}")
        return EXIT_BUSY
    except LookupError as exc:
        raise CliError(str(exc)) from exc
    failed = [r["store_id"] for r in results if r["result"] == "failed"]
    if failed:
        raise CliError(f"budget curves failed for {', '.join(failed)}")
    say(f"budget curves stored for {sum(r['result'] == 'stored' for r in results)} of {len(results)} store(s)")
    return EXIT_OK


def cmd_forecast(args: argparse.Namespace) -> int:
    from insight_service.forecast.fit import store_ids
    from insight_service.pipeline.forecasts import fit_stores
    from insight_service.pipeline.per_store import fit_processes
    from insight_service.pipeline.refresh import connect, marts_schema
    from insight_service.warehouse.migrations import migrate

    schema = marts_schema()
    with connect() as conn:
        migrate(conn)
        known = store_ids(conn, schema)
        stores = args.store or known
        unknown = sorted(set(stores) - set(known))
        if unknown:
            raise CliError(f"no data in {schema}.fct_store_data_dates for store(s) {', '.join(unknown)}")
        results = fit_stores(conn, stores, schema, say=say, processes=fit_processes(), reselect=args.reselect)
    failed = [r["store_id"] for r in results if r["result"] != "ok"]
    if failed:
        raise CliError(f"forecasts failed for {', '.join(failed)}")
    say(f"forecasts: {len(results)} store(s) fitted")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> dict[str, tuple[str, ...]]:
    """Add `refresh` and `schedule`; returns {command: own options} of the commands whose other
    arguments pass through to dbt (see insight_service.cli.dbt.split_passthrough)."""
    r = sub.add_parser(
        "refresh", help="incremental build -> validation -> forecasts and insights of changed stores -> cache "
                        "invalidation "
                        "(one at a time; recorded in app.pipeline_runs)",
        epilog=REFRESH_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("--force", action="store_true", help="build even when no new data arrived")
    r.add_argument("--full-checks", action="store_true",
                   help="check everything: every data-quality suite (default: those of the marts the build "
                        "rebuilt whole) and the dbt tests on every row (default: the rows the run wrote)")
    r.add_argument("-v", "--verbose", action="store_true", help="show dbt's output instead of progress lines")
    r.add_argument("dbt_args", nargs=argparse.REMAINDER, metavar="DBT_ARGS", help="passed to `dbt build`")
    r.set_defaults(func=cmd_refresh)

    s = sub.add_parser(
        "schedule", help="long-running: refresh every interval (and when new raw data lands) and the daily "
                         "insights at a store-local hour; stops cleanly on SIGTERM",
        epilog=SCHEDULE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("--every", default="5m", help="refresh at least this often: 5m (default), 90s, 1h")
    s.add_argument("--poll", default="30", help="seconds between checks for new raw data (default 30; 0 = "
                                                 "strict --every cadence)")
    s.add_argument("--insights-hour", type=int, default=2,
                   help="store-local hour of the daily insight generation (default 2)")
    s.add_argument("--no-daily-insights", action="store_true", help="no daily insight generation")
    s.add_argument("-v", "--verbose", action="store_true", help="log every step of every run")
    s.set_defaults(func=cmd_schedule)

    b = sub.add_parser(
        "budget-curves", help="fit and store the budget optimizer's response curves (default 90-day lookback) "
                              "on the current build, for GET /budget/optimize; refresh does it for changed stores")
    b.add_argument("--store", action="append", metavar="STORE_ID", help="only this store (repeatable; default: all)")
    b.set_defaults(func=cmd_budget_curves)

    f = sub.add_parser("forecast", help="fit and store the daily forecasts (app.forecasts) now; `refresh` does "
                                        "it for the stores whose data changed")
    f.add_argument("--store", action="append", metavar="STORE_ID",
                   help="only this store (repeatable; default: every store with data)")
    f.add_argument("--reselect", action="store_true",
                   help="select every series' model again (default: a selection younger than 7 days is reused)")
    f.set_defaults(func=cmd_forecast)
    return {"refresh": REFRESH_OPTIONS}
