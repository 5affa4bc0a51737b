"""The FX seed and its refresh (issue 16): `insights fx-rates import` turns the ECB's
eurofxref-hist download into monthly averages (on a tiny copy of that file's format), and the
shipped seeds/fx_rates.csv covers the sample stores' currencies over a contiguous span of months."""
from __future__ import annotations

import csv
import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from insight_service.cli import main as cli
from insight_service.fx_rates import FxFileError, SeedRow, read_daily_rates, read_seed, refresh, write_seed
from insight_service.sample_data.stores import STORES

ROOT = Path(__file__).resolve().parents[1]
TINY = Path(__file__).with_name("data") / "eurofxref-hist-tiny.csv"
SEED = ROOT / "seeds" / "fx_rates.csv"
JAN, FEB, MAR = dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)


def rates(rows: list[SeedRow]) -> dict[tuple[dt.date, str], tuple[Decimal, str]]:
    return {(r.rate_month, r.currency): (r.rate, r.provenance) for r in rows}


@pytest.fixture()
def seed(tmp_path) -> Path:
    path = tmp_path / "fx_rates.csv"
    write_seed(path, [SeedRow(dt.date(2023, 12, 1), "USD", Decimal("1.0903"), provenance="offline_estimate"),
                      SeedRow(JAN, "USD", Decimal("1.0905"), provenance="offline_estimate")])
    return path


def test_daily_file_is_read_with_missing_quotes_skipped():
    daily = read_daily_rates(TINY)
    assert set(daily) == {"USD", "JPY", "BGN", "AUD", "BRL"}  # CYP is N/A on every day, the trailing column empty
    assert daily["USD"][dt.date(2024, 2, 29)] == Decimal("1.0800")
    assert dt.date(2024, 2, 28) not in daily["BRL"]  # N/A


def test_import_replaces_the_months_the_file_holds_and_keeps_the_others(seed):
    result = refresh(TINY, seed)
    got = rates(read_seed(seed))
    # the seed's currencies only (USD); January and February are the means of their days
    assert got == {
        (dt.date(2023, 12, 1), "USD"): (Decimal("1.0903"), "offline_estimate"),   # not in the file: kept
        (JAN, "USD"): (Decimal("1.08415"), "ecb_eurofxref_hist"),                 # (1.0837 + 1.0846) / 2
        (FEB, "USD"): (Decimal("1.082"), "ecb_eurofxref_hist"),                   # (1.08 + 1.082 + 1.084) / 3
    }
    assert (result.replaced, result.added, result.kept) == (1, 1, 1)
    assert result.skipped_month == MAR  # the file's last month may be incomplete
    with seed.open() as handle:
        assert next(csv.reader(handle)) == ["rate_month", "base_currency", "currency", "rate", "provenance"]


def test_import_from_the_zip_with_named_currencies_and_the_partial_month(seed, tmp_path):
    archive = tmp_path / "eurofxref-hist.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(TINY, "eurofxref-hist.csv")
    refresh(archive, seed, currencies=["JPY", "BRL"], include_partial_month=True, since=FEB)
    got = rates(read_seed(seed))
    assert got[(FEB, "JPY")] == (Decimal("162.666667"), "ecb_eurofxref_hist")  # 488 / 3, half-even to 6 places
    assert got[(FEB, "BRL")] == (Decimal("5.365"), "ecb_eurofxref_hist")       # the N/A day is not a zero
    assert got[(MAR, "JPY")] == (Decimal("162.45"), "ecb_eurofxref_hist")
    assert (JAN, "JPY") not in got                                               # before --since
    assert got[(JAN, "USD")] == (Decimal("1.0905"), "offline_estimate")          # other currencies untouched


@pytest.mark.parametrize("content, message", [
    ("Day,USD\n2024-01-02,1.1\n", "must start with 'Date'"),
    ("Date,USD\n2024-13-02,1.1\n", "line 2: '2024-13-02' is not a date"),
    ("Date,USD\n2024-01-02,1,1\n2024-01-03,abc\n", "line 3: USD rate 'abc' is not a number"),
    ("Date,USD\n2024-01-02,-1.1\n", "must be a positive number"),
    ("Date,usd\n2024-01-02,1.1\n", "'usd' is not an ISO 4217 currency code"),
    ("Date,USD\n", "no rate rows"),
])
def test_a_file_that_is_not_the_ecb_history_is_refused_with_the_reason(tmp_path, seed, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    before = seed.read_text()
    with pytest.raises(FxFileError, match=message.replace("(", r"\(")):
        refresh(bad, seed)
    assert seed.read_text() == before


def test_cli_names_a_currency_the_file_does_not_quote(tmp_path, seed, capsys):
    before = seed.read_text()
    code = cli.main(["fx-rates", "import", str(TINY), "--seed", str(seed), "--currencies", "CHF"])
    err = capsys.readouterr().err
    assert code == 1 and "no rates for CHF" in err and "USD" in err and len(err.strip().splitlines()) == 1
    assert seed.read_text() == before
    assert cli.main(["fx-rates", "import", str(TINY), "--seed", str(seed)]) == 0
    assert "2024-01..2024-02" in capsys.readouterr().out


def test_shipped_seed_covers_the_sample_currencies_month_by_month():
    rows = read_seed(SEED)
    assert rows and {r.base_currency for r in rows} == {"EUR"}
    keys = [(r.rate_month, r.currency) for r in rows]
    assert len(keys) == len(set(keys))
    currencies = {s.currency for s in STORES} - {"EUR"}
    months = sorted({r.rate_month for r in rows})
    assert months[0] <= dt.date(2019, 1, 1) and months[-1] >= dt.date(2025, 6, 1)
    expected_months = [dt.date(y, m, 1) for y in range(months[0].year, months[-1].year + 1) for m in range(1, 13)
                       if months[0] <= dt.date(y, m, 1) <= months[-1]]
    by_currency = {c: {r.rate_month: r.rate for r in rows if r.currency == c} for c in currencies}
    for currency, series in by_currency.items():
        assert sorted(series) == expected_months, currency  # no gap: a gap would silently use a stale rate
        ordered = [series[m] for m in expected_months]
        # a typo (a digit dropped or doubled) shows as a jump no month of 2019-2025 had
        assert all(abs(b / a - 1) < Decimal("0.2") for a, b in zip(ordered, ordered[1:])), currency


def test_shipped_seed_agrees_with_the_sample_generators_usd_prices():
    """The generator quotes USD prices at fixed rates (StoreSpec.fx: units per USD); the seed's
    last month must be within 10 % of them, or a currency's rows are in the wrong unit."""
    rows = read_seed(SEED)
    last = max(r.rate_month for r in rows)
    per_eur = {r.currency: r.rate for r in rows if r.rate_month == last}
    per_eur["EUR"] = Decimal(1)
    for store in STORES:
        per_usd = per_eur[store.currency] / per_eur["USD"]
        assert abs(per_usd / Decimal(str(store.fx)) - 1) < Decimal("0.1"), (store.currency, per_usd, store.fx)
