"""The ``insights`` parser and entry point: every command group registers its subcommands here.

Commands whose arguments go to dbt as written (``build``, ``dbt``, ``refresh``) keep a few
options for themselves; argparse cannot split those (REMAINDER refuses a leading option:
`build --full-refresh` was "unrecognized arguments"), so :func:`parse_args` splits such command
lines before parsing.
"""
from __future__ import annotations

import argparse
import os
import sys

from insight_service.cli import CliError, dbt, fx_rates, keys, pipeline, sample, serve, spark, validate, warehouse
from insight_service.cli.dbt import split_passthrough
from insight_service.telemetry import logs, sentry

DESCRIPTION = "`insights` command line: manage the warehouse, load sample data, build, validate, serve."

CLI_LOG_LEVEL = "WARNING"

# the order of `insights --help`
GROUPS = (warehouse, sample, dbt, keys, serve, validate, fx_rates, pipeline, spark)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, tuple[str, ...]]]:
    """The parser, and {pass-through command: the options it keeps for itself}."""
    parser = argparse.ArgumentParser(prog="insights", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)
    passthrough: dict[str, tuple[str, ...]] = {}
    for group in GROUPS:
        passthrough.update(group.register(sub) or {})
    return parser, passthrough


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse a command line; the arguments of pass-through commands reach dbt as written."""
    parser, passthrough = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in passthrough:
        own, dbt_args = split_passthrough(argv[1:], passthrough[argv[0]])
        args = parser.parse_args([argv[0], *own])
        args.dbt_args = dbt_args
        return args
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # log records as JSON lines on stderr; the progress lines of the commands stay plain on stdout. From
    # WARNING up unless INSIGHTS_LOG_LEVEL says otherwise: a failing command keeps its one-line stderr
    logs.configure((os.environ.get("INSIGHTS_LOG_LEVEL") or CLI_LOG_LEVEL).strip().upper())
    sentry.init_from_env()
    try:
        return args.func(args)
    except CliError as exc:
        print(f"insights: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("insights: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one line, never a traceback wall, for an operator
        sentry.capture(exc)
        sentry.flush()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"insights: {args.command} failed: {type(exc).__name__}: {first}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
