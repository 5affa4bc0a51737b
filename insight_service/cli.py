"""`insights` command line: manage the warehouse, load sample data, build, validate, serve.

Every command reads the same connection (PG* variables; embedded server when PGHOST is
unset), exits non-zero with a one-line reason on failure, and reports progress.
"""
from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time

from insight_service.paths import project_dir, warehouse_dir
from insight_service.warehouse import connection


class CliError(Exception):
    """A failure the user can act on: printed as one line, exit code 1."""


def _say(msg: str) -> None:
    print(msg, flush=True)


# --- warehouse -------------------------------------------------------------------------

def cmd_warehouse(args: argparse.Namespace) -> int:
    from insight_service.warehouse import embedded

    if args.action == "up":
        if not connection.uses_embedded():
            with connection.connect(connect_timeout=5) as conn:
                conn.execute("select 1")
            _say(f"PGHOST is set: using the external warehouse {connection.describe()} (reachable)")
            return 0
        started = time.monotonic()
        env = embedded.up()
        _say(f"embedded PostgreSQL ready in {time.monotonic() - started:.1f}s: {connection.describe(env)}")
        _say(f"data folder: {embedded.pgdata_dir()}")
    elif args.action == "down":
        _say("embedded PostgreSQL stopped" if embedded.down() else "embedded PostgreSQL was not running")
    elif args.action == "status":
        if not connection.uses_embedded():
            _say(f"external warehouse (PGHOST set): {connection.describe()}")
            with connection.connect(connect_timeout=5) as conn:
                _say(conn.execute("select version()").fetchone()[0])
            return 0
        st = embedded.status()
        if st.running:
            _say(f"running: pid {st.pid}, socket {st.socket_dir}, port {st.port}, data {st.pgdata}")
        else:
            _say(f"stopped (data folder {st.pgdata})")
            return 3
    elif args.action == "env":
        env = connection.resolve_environment()
        for key, value in env.items():
            _say(f"export {key}={value}")
    return 0


# --- sample data ------------------------------------------------------------------------

def cmd_load_sample(args: argparse.Namespace) -> int:
    if args.append_days is not None:
        return _append_sample(args)
    from insight_service.sample_data.generator import generate
    from insight_service.sample_data.loader import load_sample, write_artifacts

    env = connection.resolve_environment()
    _say(f"warehouse: {connection.describe(env)}")
    end_date = dt.date.fromisoformat(args.end_date) if args.end_date else None
    started = time.monotonic()
    data = generate(seed=_given(args.seed, 42), scale=_given(args.scale, 1.0), end_date=end_date,
                    months=_given(args.months, 19), loaded_at=dt.datetime.now(dt.timezone.utc),
                    reserve_days=_given(args.reserve_days, LOAD_SAMPLE_RESERVE_DAYS))
    last = {"t": 0.0}

    def progress(table: str, rows: int, elapsed: float) -> None:
        if elapsed - last["t"] >= 2.0 or rows == 0:
            last["t"] = elapsed
            _say(f"  {table:<24} {rows:>12,} rows  {elapsed:7.1f}s")

    with connection.connect() as conn:
        report = load_sample(conn, data, schema=args.schema, replace=True, progress=progress)
    artifacts = warehouse_dir()
    artifacts.mkdir(parents=True, exist_ok=True)
    write_artifacts(data, artifacts)
    for table, rows in report["rows"].items():
        _say(f"  {table:<24} {rows:>12,} rows")
    total = sum(report["rows"].values())
    _say(f"loaded {total:,} rows into schema {args.schema!r} in {time.monotonic() - started:.1f}s "
         f"({report['rows_per_second']:,.0f} rows/s during COPY)")
    _say(f"data {data.start_date} .. {data.end_date}; the simulated world runs on to {data.world_end_date}: "
         f"`insights load-sample --append-days N` delivers the next days")
    _say(f"true response curves, what drove each order and the dirty-row manifest: {artifacts}/true_curves.json, "
         f"true_order_drivers.csv, sample_manifest.json")
    return 0


LOAD_SAMPLE_RESERVE_DAYS = 92  # generator.DEFAULT_RESERVE_DAYS (not imported: keeps --help fast)


def _given(value, default):
    return default if value is None else value


def _append_sample(args: argparse.Namespace) -> int:
    """`load-sample --append-days N`: the next N days of the sample already in the schema."""
    from insight_service.sample_data.append import AppendRefused, append_days
    from insight_service.sample_data.loader import merge_append_report

    given = [f"--{n.replace('_', '-')}" for n in ("scale", "seed", "months", "end_date", "reserve_days")
             if getattr(args, n) is not None]
    if given:
        raise CliError(f"--append-days continues the sample already loaded, with its own parameters: "
                       f"drop {', '.join(given)}")
    env = connection.resolve_environment()
    _say(f"warehouse: {connection.describe(env)}")
    last = {"t": 0.0}

    def progress(table: str, rows: int, elapsed: float) -> None:
        if elapsed - last["t"] >= 2.0:
            last["t"] = elapsed
            _say(f"  {table:<24} {rows:>12,} rows  {elapsed:7.1f}s")

    _say(f"appending {args.append_days} day(s) to the sample in schema {args.schema!r} "
         f"(regenerating its world: a few seconds per million rows it holds)")
    try:
        with connection.connect() as conn:
            report = append_days(conn, args.append_days, schema=args.schema, progress=progress)
    except AppendRefused as exc:
        raise CliError(str(exc)) from exc
    for table, rows in report["rows"].items():
        if rows:
            _say(f"  {table:<24} {rows:>12,} rows")
    _say(f"appended {report['total_rows']:,} rows for {report['from_date']} .. {report['end_date']} in "
         f"{report['seconds']:.1f}s: {report['late_sessions']:,} late sessions, "
         f"{report['status_changes_total']:,} changed rows (statuses, metrics), {report['redeliveries_total']:,} "
         f"unchanged re-deliveries, {len(report['dirty_rows']):,} dirty rows ({report['newest_bad_keys']:,} keys whose "
         f"newest delivery is bad)")
    _say(f"the world ends on {report['world_end_date']}; append report: {merge_append_report(warehouse_dir(), report)}")
    return 0


# --- dbt --------------------------------------------------------------------------------

def _dbt(args: list[str]) -> int:
    from insight_service.dbt_runner import run_dbt

    connection.resolve_environment()
    try:
        run_dbt(args)
    except subprocess.CalledProcessError as exc:
        raise CliError(f"dbt {args[0]} failed (exit {exc.returncode}); see the dbt output above") from exc
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    started = time.monotonic()
    code = _dbt(["build", *args.dbt_args])
    _say(f"dbt build finished in {time.monotonic() - started:.1f}s")
    return code


def cmd_dbt(args: argparse.Namespace) -> int:
    if not args.dbt_args:
        raise CliError("give a dbt command, e.g. `insights dbt show --select fct_order_attribution`")
    return _dbt(list(args.dbt_args))


# Commands whose arguments go to dbt as written -> the options they keep for themselves.
# argparse cannot do this (REMAINDER refuses a leading option: `build --full-refresh` was
# "unrecognized arguments"), so main() splits these command lines before parsing.
PASSTHROUGH: dict[str, tuple[str, ...]] = {"build": (), "dbt": ()}


def split_passthrough(tokens: list[str], own: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(the command's own options, the dbt arguments in their order). A ``--`` ends the own
    options: everything after it goes to dbt (so `insights build -- --help` reaches dbt)."""
    mine: list[str] = []
    rest: list[str] = []
    for i, token in enumerate(tokens):
        if token == "--":
            rest.extend(tokens[i + 1:])
            break
        (mine if token in own else rest).append(token)
    return mine, rest


# --- parser -----------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="insights", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    wh = sub.add_parser("warehouse", help="manage the embedded PostgreSQL (pgserver)")
    wh.add_argument("action", choices=["up", "down", "status", "env"])
    wh.set_defaults(func=cmd_warehouse)

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
    ls.add_argument("--schema", default="raw")
    ls.set_defaults(func=cmd_load_sample)

    b = sub.add_parser("build", help="dbt build with the project's profiles (every argument passed to dbt as written)")
    b.add_argument("dbt_args", nargs=argparse.REMAINDER, metavar="DBT_ARGS")
    b.set_defaults(func=cmd_build)

    d = sub.add_parser("dbt", help="any dbt command against the resolved warehouse (e.g. `insights dbt show ...`)")
    d.add_argument("dbt_args", nargs=argparse.REMAINDER, metavar="DBT_COMMAND_AND_ARGS")
    d.set_defaults(func=cmd_dbt)

    # --- insight API: `keys` and `serve` (insight_service/api/cli_commands.py) ---
    from insight_service.api.cli_commands import register as register_api_commands
    register_api_commands(sub)
    from insight_service.quality.cli import register as register_quality_commands  # `validate`
    register_quality_commands(sub)
    from insight_service.fx_rates import register as register_fx_commands  # `fx-rates import`
    register_fx_commands(sub)
    # --- operations: `refresh` and `schedule` (insight_service/pipeline/cli.py) ---
    from insight_service.pipeline.cli import register as register_pipeline_commands
    PASSTHROUGH.update(register_pipeline_commands(sub))
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse a command line; the arguments of pass-through commands reach dbt as written."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in PASSTHROUGH:
        own, dbt_args = split_passthrough(argv[1:], PASSTHROUGH[argv[0]])
        args = parser.parse_args([argv[0], *own])
        args.dbt_args = dbt_args
        return args
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"insights: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("insights: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one line, never a traceback wall, for an operator
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"insights: {args.command} failed: {type(exc).__name__}: {first}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
