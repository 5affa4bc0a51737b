"""bench/forecast_backtest.py on the generated sample's dbt-built marts (a small run: one store, two
origins): it prints the table of issue 18 with one row per scored series and the targets line."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.dbt

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "forecast_backtest.py"


def load_script():
    spec = importlib.util.spec_from_file_location("forecast_backtest", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_backtest_script_prints_the_table(sample_warehouse, capsys):
    script = load_script()
    store_id = sample_warehouse.scalar("select min(store_id) from marts.fct_store_data_dates")
    code = script.main(["--dsn", sample_warehouse.conninfo, "--origins", "2", "--horizon", "30",
                        "--stores", store_id])
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if re.match(r"\| (revenue|cost|conversions|sessions) \|", line)]
    # every metric's store rollup is scored on 2 origins x 30 days
    for metric in ("revenue", "cost", "conversions", "sessions"):
        row = next(r for r in rows if r.startswith(f"| {metric} | overall |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[6] == "60", row
        assert 0 <= float(cells[4].strip("*")) <= 100 and 0 <= float(cells[5].strip("*")) <= 100
    assert "targets missed (bold):" in out
    assert code == (0 if "targets missed (bold): none" in out else 1)


def test_store_series_carry_the_influencer_contracts_known_before_their_terms(sample_warehouse):
    """The regressor's input from the sample's staging tables: every contract is known (accepted) before
    its posts can start, the influencer visits get it and cost does not; without staging tables, none."""
    import numpy as np
    import psycopg

    from insight_service.forecast import fit, plans

    with psycopg.connect(sample_warehouse.conninfo, autocommit=True) as conn:
        store_id = fit.store_ids(conn)[0]
        data = fit.load_store(conn, store_id)
        contracts = data.contracts
        assert contracts is not None and len(contracts.fee) >= 3
        assert np.all(contracts.known < contracts.first) and np.all(contracts.first <= contracts.last)
        assert np.all(contracts.fee > 0)
        assert data.regressor("sessions", "influencer") is not None
        assert data.regressor("cost", "influencer") is None and data.regressor("sessions", "ads") is None
        # the fees spread over the terms (those begun before the first data day only in part); nothing is
        # known before the first acceptance
        total = contracts.intensity(data.days + 1, data.days + 400).sum()
        assert 0.5 * contracts.fee.sum() < total <= contracts.fee.sum() + 1e-6
        assert contracts.intensity(int(contracts.known.min()), data.days).sum() == 0
        assert plans.read_contracts(conn, store_id, data.first_day, marts_schema="nope_marts") is None
