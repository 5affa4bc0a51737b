"""``insights validate``: the data-quality checkpoint on the marts.

Runs the data-quality checkpoint on the marts, prints a summary table, the worst offenders of
every failed check, the quarantine summary and `dbt source freshness`; writes the GX data docs.
Exit 0 when every critical check passes and no source is at error freshness; otherwise exit 1
with a one-line reason on stderr.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from insight_service.cli import CliError, say


def cmd_validate(args: argparse.Namespace) -> int:
    from insight_service.warehouse import connection

    started = time.monotonic()
    env = connection.resolve_environment()
    say(f"validating the marts of {connection.describe(env)}")

    def progress(msg: str) -> None:
        say(f"[{time.monotonic() - started:5.1f}s]{msg}")

    from insight_service.quality.validate import validate_marts

    try:
        report = validate_marts(schema=args.schema, docs_dir=Path(args.docs_dir) if args.docs_dir else None,
                                freshness=not args.no_freshness, marts=args.mart or None, say=progress)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    say(report.render())
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")
        say(f"report written to {args.json}")
    if not report.success:
        raise CliError(f"validate failed: {report.reason}")
    if args.dbt_tests:
        _dbt_tests_in_full(progress)
    return 0


def _dbt_tests_in_full(progress) -> None:
    """`dbt test` with every test on every row (an incremental build's tests check only the rows
    it wrote: macros/incremental.sql full_checks())."""
    import subprocess

    from insight_service.dbt_runner import run_dbt

    progress(" dbt tests on every row (dbt test --vars '{full_checks: true}')")
    try:
        run_dbt(["test", "--vars", '{"full_checks": true}'])
    except subprocess.CalledProcessError as exc:
        raise CliError(f"validate failed: dbt test exited {exc.returncode} "
                       "(full checks; see its output above)") from exc


def register(sub: argparse._SubParsersAction) -> None:
    """Add `validate` to the `insights` subcommands."""
    v = sub.add_parser("validate", help="data-quality checkpoint on the marts (Great Expectations); "
                                        "non-zero exit on failure")
    v.add_argument("--schema", default=None, help="marts schema (default INSIGHTS_MARTS_SCHEMA or marts)")
    v.add_argument("--docs-dir", default=None,
                   help="folder for the data docs HTML "
                        "(default INSIGHTS_VALIDATION_DOCS_DIR or <project>/validation_docs)")
    v.add_argument("--mart", action="append", metavar="NAME",
                   help="validate only this mart (repeatable), e.g. --mart fct_order_attribution")
    v.add_argument("--no-freshness", action="store_true", help="skip `dbt source freshness`")
    v.add_argument("--json", metavar="PATH", help="also write the report as JSON")
    v.add_argument("--dbt-tests", action="store_true",
                   help="also run the dbt tests on every row (after an incremental build they checked "
                        "only the rows it wrote)")
    v.set_defaults(func=cmd_validate)

