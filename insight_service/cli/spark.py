"""``insights publish``: copy the marts of a Spark build into the PostgreSQL warehouse (README "Spark")."""
from __future__ import annotations

import argparse
import time

from insight_service.cli import CliError, say
from insight_service.warehouse import connection


def cmd_publish(args: argparse.Namespace) -> int:
    from insight_service.spark.publish import publish
    from insight_service.spark.session import get_session, spark_dir

    env = connection.resolve_environment()
    started = time.monotonic()
    say(f"publishing the Spark database {args.schema!r} of {spark_dir()} into {connection.describe(env)} "
        f"(starting a Spark session: about 20 s)")
    spark = get_session()
    try:
        with connection.connect() as conn:
            counts = publish(spark, conn, schema=args.schema, tables=args.table or None, full=args.full,
                             progress=lambda table, rows, done, _: say(f"  {table:<32} {rows:>12,} rows  ({done})"))
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    finally:
        spark.stop()
    say(f"published {len(counts)} table(s), {sum(counts.values()):,} rows copied in {time.monotonic() - started:.1f}s")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("publish", help="copy the marts of the Spark build (DBT_TARGET=spark) into the PostgreSQL "
                                       "warehouse, where the service reads them")
    p.add_argument("--schema", default="marts", help="the Spark database and PostgreSQL schema (default marts)")
    p.add_argument("--table", action="append", metavar="NAME", help="only this table (repeatable; default all)")
    p.add_argument("--full", action="store_true",
                   help="replace every table whole (default: only the store partitions that changed since the "
                        "last publish)")
    p.set_defaults(func=cmd_publish)
