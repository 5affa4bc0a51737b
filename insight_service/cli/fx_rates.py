"""``insights fx-rates import FILE``: refresh the FX seed from the ECB's eurofxref-hist download."""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from insight_service.cli import say, warn
from insight_service.fx_rates import FxFileError, default_seed_path, refresh


def _month(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text + "-01" if len(text) == 7 else text).replace(day=1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month (YYYY-MM)") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", type=Path, help="the ECB download: eurofxref-hist.zip or eurofxref-hist.csv")
    parser.add_argument("--seed", type=Path, default=None, help="seed file to rewrite (default seeds/fx_rates.csv)")
    parser.add_argument("--currencies", default=None,
                        help="comma-separated ISO codes (default: the currencies already in the seed)")
    parser.add_argument("--since", type=_month, default=None, help="first month to import (YYYY-MM)")
    parser.add_argument("--include-partial-month", action="store_true",
                        help="also import the month of the file's last date (may be incomplete)")


def run(args: argparse.Namespace) -> int:
    seed = args.seed or default_seed_path()
    currencies = [c.strip().upper() for c in args.currencies.split(",") if c.strip()] if args.currencies else None
    try:
        result = refresh(args.source, seed, currencies, args.since, args.include_partial_month)
    except (FxFileError, OSError) as exc:
        warn(f"insights: fx-rates import: {exc}")
        return 1
    if result.months == 0:
        warn(f"insights: fx-rates import: no complete month in {args.source}")
        return 1
    say(f"{seed}: {result.months} months {result.first_month:%Y-%m}..{result.last_month:%Y-%m} from the ECB file "
        f"({result.replaced} rows replaced, {result.added} added, {result.kept} kept)")
    if result.skipped_month:
        say(f"left out {result.skipped_month:%Y-%m}: the file's last month may be incomplete "
            f"(--include-partial-month imports it)")
    say("next: insights build --select fx_rates+")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """`insights fx-rates import FILE`: the seed refresh as a CLI command."""
    fx = sub.add_parser("fx-rates", help="refresh the FX seed (seeds/fx_rates.csv) from the ECB reference rates")
    actions = fx.add_subparsers(dest="fx_action", required=True)
    imp = actions.add_parser("import", help="monthly averages from the ECB's eurofxref-hist download")
    add_arguments(imp)
    imp.set_defaults(func=run)
