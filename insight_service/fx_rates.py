"""Refresh the ``fx_rates`` seed from the European Central Bank's reference rates.

The warehouse converts money metrics (cpc, cpa) into a benchmark band's currency before rating
them (fct_benchmark_comparison). Its rates are the ECB's monthly averages in
``seeds/fx_rates.csv`` (units of a currency per euro). This module turns the ECB's full history
download, ``eurofxref-hist.zip`` (or the ``eurofxref-hist.csv`` inside it: one row per TARGET
business day, one column per currency, ``N/A`` where a currency was not quoted), into those
monthly averages, the arithmetic mean of the month's daily reference rates, which is how the
ECB computes its own monthly averages:

    curl -LO https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip
    insights fx-rates import eurofxref-hist.zip
    insights build --select fx_rates+

Months the file holds replace the seed's rows (provenance ``ecb_eurofxref_hist``); other rows
are kept. The month of the file's last date is left out unless asked for: it may be incomplete.
Nothing here touches the network or the warehouse.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import zipfile
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path

from insight_service.paths import project_dir

BASE_CURRENCY = "EUR"
PROVENANCE = "ecb_eurofxref_hist"
SEED_HEADER = ("rate_month", "base_currency", "currency", "rate", "provenance")
PLACES = Decimal("0.000001")  # monthly averages kept to 6 decimals (the daily rates have 5 significant digits)
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_MISSING = {"", "N/A", "NA", "-"}


class FxFileError(ValueError):
    """The input is not an ECB reference-rate history (the message says where and why)."""


@dataclasses.dataclass(frozen=True, order=True)
class SeedRow:
    rate_month: dt.date
    currency: str
    rate: Decimal
    base_currency: str = BASE_CURRENCY
    provenance: str = PROVENANCE


@dataclasses.dataclass(frozen=True)
class RefreshResult:
    months: int          # months of the file turned into averages
    replaced: int        # seed rows whose value came from the file
    added: int           # rows the seed did not have
    kept: int            # seed rows for months the file does not hold
    first_month: dt.date | None
    last_month: dt.date | None
    skipped_month: dt.date | None  # the file's last (possibly incomplete) month, left out


# ---- reading -----------------------------------------------------------------------------------

def _text_of(path: Path) -> str:
    if not path.exists():
        raise FxFileError(f"{path}: no such file")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if len(names) != 1:
                raise FxFileError(f"{path}: expected one .csv inside the zip, found {len(names)}")
            data = archive.read(names[0])
    else:
        data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FxFileError(f"{path}: not a UTF-8 text file ({exc.reason})") from None


def read_daily_rates(path: Path) -> dict[str, dict[dt.date, Decimal]]:
    """currency -> {day: units per euro} from an ECB ``eurofxref-hist`` file (.csv or .zip)."""
    reader = csv.reader(io.StringIO(_text_of(path)))
    header = next(reader, None)
    if not header or header[0].strip() != "Date":
        raise FxFileError(f"{path}: line 1 must start with 'Date' (the ECB eurofxref-hist header), "
                          f"got {','.join(header or [])[:60]!r}")
    columns = [c.strip() for c in header[1:]]
    for name in columns:
        if name and not _CURRENCY.match(name):
            raise FxFileError(f"{path}: line 1: {name!r} is not an ISO 4217 currency code")
    daily: dict[str, dict[dt.date, Decimal]] = defaultdict(dict)
    rows = 0
    for line, record in enumerate(reader, start=2):
        if not record or not any(cell.strip() for cell in record):
            continue
        try:
            day = dt.date.fromisoformat(record[0].strip())
        except ValueError:
            raise FxFileError(f"{path}: line {line}: {record[0]!r} is not a date (YYYY-MM-DD)") from None
        for currency, cell in zip(columns, record[1:]):
            cell = cell.strip()
            if not currency or cell in _MISSING:
                continue
            try:
                rate = Decimal(cell)
            except InvalidOperation:
                raise FxFileError(f"{path}: line {line}: {currency} rate {cell!r} is not a number") from None
            if not rate.is_finite() or rate <= 0:
                raise FxFileError(f"{path}: line {line}: {currency} rate {cell!r} must be a positive number")
            if day in daily[currency] and daily[currency][day] != rate:
                raise FxFileError(f"{path}: line {line}: {day} appears twice with different {currency} rates")
            daily[currency][day] = rate
        rows += 1
    if rows == 0:
        raise FxFileError(f"{path}: no rate rows after the header")
    return dict(daily)


def monthly_averages(daily: dict[str, dict[dt.date, Decimal]], currencies: list[str],
                     include_partial_month: bool = False,
                     since: dt.date | None = None) -> tuple[list[SeedRow], dt.date | None]:
    """The mean of each month's daily rates per currency, rounded half-even to 6 decimals.

    Returns the rows and the month left out as possibly incomplete (the file's last month)."""
    missing = [c for c in currencies if c not in daily]
    if missing:
        quoted = ", ".join(sorted(daily)) or "none"
        raise FxFileError(f"no rates for {', '.join(missing)} in the file (it quotes: {quoted})")
    last_day = max(day for c in currencies for day in daily[c])
    skipped = last_day.replace(day=1) if not include_partial_month else None
    rows: list[SeedRow] = []
    for currency in currencies:
        by_month: dict[dt.date, list[Decimal]] = defaultdict(list)
        for day, rate in daily[currency].items():
            by_month[day.replace(day=1)].append(rate)
        for month, rates in by_month.items():
            if month == skipped or (since is not None and month < since):
                continue
            mean = (sum(rates, Decimal(0)) / len(rates)).quantize(PLACES, rounding=ROUND_HALF_EVEN)
            rows.append(SeedRow(month, currency, mean))
    return sorted(rows), skipped


# ---- the seed ----------------------------------------------------------------------------------

def default_seed_path() -> Path:
    return project_dir() / "seeds" / "fx_rates.csv"


def read_seed(path: Path) -> list[SeedRow]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != SEED_HEADER:
            raise FxFileError(f"{path}: header must be {','.join(SEED_HEADER)}")
        out = []
        for line, row in enumerate(reader, start=2):
            try:
                out.append(SeedRow(dt.date.fromisoformat(row["rate_month"]), row["currency"], Decimal(row["rate"]),
                                   row["base_currency"], row["provenance"]))
            except (ValueError, InvalidOperation):
                raise FxFileError(f"{path}: line {line}: not a seed row: {row}") from None
        return out


def write_seed(path: Path, rows: list[SeedRow]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SEED_HEADER)
    for row in sorted(rows):
        writer.writerow([row.rate_month.isoformat(), row.base_currency, row.currency,
                         format(row.rate.normalize(), "f"), row.provenance])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def merge(existing: list[SeedRow], fresh: list[SeedRow]) -> tuple[list[SeedRow], int, int, int]:
    """Fresh rows replace existing ones of the same (month, currency); returns rows, replaced, added, kept."""
    by_key = {(r.rate_month, r.currency): r for r in existing}
    replaced = sum(1 for r in fresh if (r.rate_month, r.currency) in by_key)
    added = len(fresh) - replaced
    fresh_keys = {(r.rate_month, r.currency) for r in fresh}
    kept = [r for r in existing if (r.rate_month, r.currency) not in fresh_keys]
    return sorted(kept + fresh), replaced, added, len(kept)


def refresh(source: Path, seed: Path, currencies: list[str] | None = None, since: dt.date | None = None,
            include_partial_month: bool = False) -> RefreshResult:
    """Rewrite ``seed`` with the monthly averages of ``source`` (an ECB eurofxref-hist file)."""
    existing = read_seed(seed)
    bases = {r.base_currency for r in existing}
    if bases - {BASE_CURRENCY}:
        raise FxFileError(f"{seed}: rows quoted per {', '.join(sorted(bases - {BASE_CURRENCY}))}; the ECB "
                          f"quotes per {BASE_CURRENCY}")
    wanted = sorted(set(currencies) if currencies else {r.currency for r in existing})
    if not wanted:
        raise FxFileError("no currencies: the seed is empty, name them with --currencies")
    bad = [c for c in wanted if not _CURRENCY.match(c) or c == BASE_CURRENCY]
    if bad:
        raise FxFileError(f"--currencies: {', '.join(bad)} (ISO 4217 codes other than the base {BASE_CURRENCY})")
    fresh, skipped = monthly_averages(read_daily_rates(source), wanted, include_partial_month, since)
    rows, replaced, added, kept = merge(existing, fresh)
    if fresh:  # a file without a complete month leaves the seed as it was
        write_seed(seed, rows)
    months = sorted({r.rate_month for r in fresh})
    return RefreshResult(len(months), replaced, added, kept, months[0] if months else None,
                         months[-1] if months else None, skipped)
