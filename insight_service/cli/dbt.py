"""``insights build`` and ``insights dbt``: dbt with the project's profiles, arguments passed as written."""
from __future__ import annotations

import argparse
import os
import subprocess
import time

from insight_service.cli import CliError, say
from insight_service.warehouse import connection


def run(args: list[str]) -> int:
    from insight_service.dbt_runner import run_dbt

    if os.environ.get("DBT_TARGET") == "spark":
        # the Spark target needs no PostgreSQL; dbt's profile reads the absolute folder from the environment
        from insight_service.spark.session import export_spark_dir

        export_spark_dir()
    else:
        connection.resolve_environment()
    try:
        run_dbt(args)
    except subprocess.CalledProcessError as exc:
        raise CliError(f"dbt {args[0]} failed (exit {exc.returncode}); see the dbt output above") from exc
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    started = time.monotonic()
    code = run(["build", *args.dbt_args])
    say(f"dbt build finished in {time.monotonic() - started:.1f}s")
    return code


def cmd_dbt(args: argparse.Namespace) -> int:
    if not args.dbt_args:
        raise CliError("give a dbt command, e.g. `insights dbt show --select fct_order_attribution`")
    return run(list(args.dbt_args))


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


def register(sub: argparse._SubParsersAction) -> dict[str, tuple[str, ...]]:
    """Add `build` and `dbt`; returns {command: its own options}: every other argument goes to dbt."""
    b = sub.add_parser("build", help="dbt build with the project's profiles (every argument passed to dbt as written)")
    b.add_argument("dbt_args", nargs=argparse.REMAINDER, metavar="DBT_ARGS")
    b.set_defaults(func=cmd_build)

    d = sub.add_parser("dbt", help="any dbt command against the resolved warehouse (e.g. `insights dbt show ...`)")
    d.add_argument("dbt_args", nargs=argparse.REMAINDER, metavar="DBT_COMMAND_AND_ARGS")
    d.set_defaults(func=cmd_dbt)
    return {"build": (), "dbt": ()}
