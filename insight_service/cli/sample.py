"""``insights load-sample``: generate the sample and load it into the raw schema, or append its next days."""
from __future__ import annotations

import argparse
import datetime as dt
import time

from insight_service.cli import CliError, given, say
from insight_service.paths import warehouse_dir
from insight_service.warehouse import connection

LOAD_SAMPLE_RESERVE_DAYS = 92  # generator.DEFAULT_RESERVE_DAYS (not imported: keeps --help fast)


def _progress(every_s: float = 2.0, first: bool = True):
    """A COPY progress callback that prints at most one line per ``every_s`` seconds."""
    last = {"t": 0.0}

    def progress(table: str, rows: int, elapsed: float) -> None:
        if elapsed - last["t"] >= every_s or (first and rows == 0):
            last["t"] = elapsed
            say(f"  {table:<24} {rows:>12,} rows  {elapsed:7.1f}s")

    return progress


def _loaded_at(args: argparse.Namespace) -> dt.datetime:
    """The load's `_loaded_at` instant: --loaded-at (ISO 8601, UTC when it names no offset), else now."""
    if not args.loaded_at:
        return dt.datetime.now(dt.UTC)
    try:
        instant = dt.datetime.fromisoformat(args.loaded_at)
    except ValueError as exc:
        raise CliError(f"--loaded-at: {args.loaded_at!r} is not an ISO 8601 instant "
                       f"(e.g. 2025-07-01T05:00:00Z)") from exc
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)


def cmd_load_sample(args: argparse.Namespace) -> int:
    if args.append_days is not None and args.append_days < 1:
        raise CliError(f"--append-days must be at least 1 (got {args.append_days})")
    if args.target == "spark":
        return _load_sample_spark(args)
    if args.append_days is not None:
        return _append_sample(args)
    from insight_service.sample_data.generator import generate
    from insight_service.sample_data.loader import load_sample, write_artifacts

    env = connection.resolve_environment()
    say(f"warehouse: {connection.describe(env)}")
    end_date = dt.date.fromisoformat(args.end_date) if args.end_date else None
    started = time.monotonic()
    data = generate(seed=given(args.seed, 42), scale=given(args.scale, 1.0), end_date=end_date,
                    months=given(args.months, 19), loaded_at=_loaded_at(args),
                    reserve_days=given(args.reserve_days, LOAD_SAMPLE_RESERVE_DAYS))
    with connection.connect() as conn:
        report = load_sample(conn, data, schema=args.schema, replace=True, progress=_progress())
    artifacts = warehouse_dir()
    artifacts.mkdir(parents=True, exist_ok=True)
    write_artifacts(data, artifacts)
    for table, rows in report["rows"].items():
        say(f"  {table:<24} {rows:>12,} rows")
    total = sum(report["rows"].values())
    say(f"loaded {total:,} rows into schema {args.schema!r} in {time.monotonic() - started:.1f}s "
        f"({report['rows_per_second']:,.0f} rows/s during COPY)")
    say(f"data {data.start_date} .. {data.end_date}; the simulated world runs on to {data.world_end_date}: "
        f"`insights load-sample --append-days N` delivers the next days")
    say(f"true response curves, what drove each order and the dirty-row manifest: {artifacts}/true_curves.json, "
        f"true_order_drivers.csv, sample_manifest.json")
    return 0


def _load_sample_spark(args: argparse.Namespace) -> int:
    """`load-sample --target spark`: the sample as Parquet tables of the local Spark warehouse."""
    if args.append_days is not None:
        return _append_sample(args)
    from insight_service.sample_data.generator import generate
    from insight_service.sample_data.loader import write_artifacts
    from insight_service.spark.raw_loader import load_sample_spark
    from insight_service.spark.session import get_session, spark_dir

    end_date = dt.date.fromisoformat(args.end_date) if args.end_date else None
    started = time.monotonic()
    say(f"warehouse: Spark, local, in {spark_dir()} (starting a Spark session: about 20 s)")
    data = generate(seed=given(args.seed, 42), scale=given(args.scale, 1.0), end_date=end_date,
                    months=given(args.months, 19), loaded_at=_loaded_at(args),
                    reserve_days=given(args.reserve_days, LOAD_SAMPLE_RESERVE_DAYS))
    spark = get_session()
    report = load_sample_spark(spark, data, schema=args.schema, progress=_progress(every_s=0))
    artifacts = warehouse_dir()
    artifacts.mkdir(parents=True, exist_ok=True)
    write_artifacts(data, artifacts)
    total = sum(report["rows"].values())
    say(f"loaded {total:,} rows into Spark database {args.schema!r} in {time.monotonic() - started:.1f}s; "
        f"data {data.start_date} .. {data.end_date}; next: DBT_TARGET=spark insights build")
    return 0


def _append_sample(args: argparse.Namespace) -> int:
    """`load-sample --append-days N`: the next N days of the sample already in the schema."""
    from insight_service.sample_data.append import AppendRefused, append_days
    from insight_service.sample_data.loader import merge_append_report

    named = [f"--{n.replace('_', '-')}" for n in ("scale", "seed", "months", "end_date", "reserve_days")
             if getattr(args, n) is not None]
    if named:
        raise CliError(f"--append-days continues the sample already loaded, with its own parameters: "
                       f"drop {', '.join(named)}")
    spark = args.target == "spark"
    if spark:
        from insight_service.spark.session import spark_dir
        say(f"warehouse: Spark, local, in {spark_dir()} (starting a Spark session: about 20 s)")
    else:
        say(f"warehouse: {connection.describe(connection.resolve_environment())}")
    say(f"appending {args.append_days} day(s) to the sample in {'database' if spark else 'schema'} {args.schema!r} "
        f"(regenerating its world: a few seconds per million rows it holds)")
    try:
        if spark:
            report = _append_sample_spark(args)
        else:
            with connection.connect() as conn:
                report = append_days(conn, args.append_days, schema=args.schema, loaded_at=_append_instant(args),
                                     progress=_progress(first=False))
    except AppendRefused as exc:
        raise CliError(str(exc)) from exc
    for table, rows in report["rows"].items():
        if rows:
            say(f"  {table:<24} {rows:>12,} rows")
    say(f"appended {report['total_rows']:,} rows for {report['from_date']} .. {report['end_date']} in "
        f"{report['seconds']:.1f}s: {report['late_sessions']:,} late sessions, "
        f"{report['status_changes_total']:,} changed rows (statuses, metrics), {report['redeliveries_total']:,} "
        f"unchanged re-deliveries, {len(report['dirty_rows']):,} dirty rows ({report['newest_bad_keys']:,} keys "
        f"whose newest delivery is bad)")
    say(f"the world ends on {report['world_end_date']}; append report: {merge_append_report(warehouse_dir(), report)}")
    return 0


def _append_instant(args: argparse.Namespace) -> dt.datetime | None:
    """--loaded-at of an append: the instant its last row lands at the latest (default now)."""
    return _loaded_at(args) if args.loaded_at else None


def _append_sample_spark(args: argparse.Namespace) -> dict:
    from insight_service.sample_data.append import append_days_spark
    from insight_service.spark.session import get_session

    spark = get_session()
    try:
        return append_days_spark(spark, args.append_days, schema=args.schema, loaded_at=_append_instant(args),
                                 progress=_progress(every_s=0))
    finally:
        spark.stop()


def register(sub: argparse._SubParsersAction) -> None:
    ls = sub.add_parser("load-sample", help="create the raw schema if needed and load generated sample data, "
                                             "or append the next days of it (--append-days)")
    ls.add_argument("--scale", type=float, help="volume factor (1 = demo, 40 = 1M orders; default 1)")
    ls.add_argument("--seed", type=int, help="default 42")
    ls.add_argument("--months", type=int, help="months of history (default 19)")
    ls.add_argument("--end-date", help="last day of generated history (default: yesterday, UTC)")
    ls.add_argument("--reserve-days", type=int,
                    help=f"days the simulated world runs past --end-date, for later appends "
                         f"(default {LOAD_SAMPLE_RESERVE_DAYS})")
    ls.add_argument("--append-days", type=int, metavar="N",
                    help="append the next N days to the sample already in the schema (late sessions, status "
                         "changes, re-deliveries) instead of replacing it")
    ls.add_argument("--loaded-at", metavar="INSTANT",
                    help="the _loaded_at of the loaded rows (ISO 8601; default now): the same seed, scale, dates "
                         "and instant give the same rows on every target; with --append-days, the instant the "
                         "appended rows land by")
    ls.add_argument("--schema", default="raw")
    ls.add_argument("--target", choices=("postgres", "spark"), default="postgres",
                    help="postgres (default): the raw schema of the warehouse; spark: Parquet tables of the local "
                         "Spark warehouse (INSIGHTS_SPARK_DIR, default .warehouse/spark), for DBT_TARGET=spark")
    ls.set_defaults(func=cmd_load_sample)
