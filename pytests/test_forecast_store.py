"""Forecasts stored in app.forecasts (migration 005) from the hand-written marts: a fit round-trips, a
refit replaces a store's rows and nobody else's, and the refresh step picks the stores to refit."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys

import numpy as np
import psycopg
import pytest

from insight_service.forecast import fit, store
from insight_service.forecast.models import MAX_HORIZON, RESELECT_DAYS, Calibration
from insight_service.pipeline.forecasts import fit_stores, selects, stores_to_fit
from pytests.api.fixtures import STORE_A, STORE_B, STORE_C, load_migrated_marts

SERIES = 4 * 8  # metrics x (channels + overall)


@pytest.fixture(scope="module")
def db(make_database):
    db = make_database("forecast_store")
    load_migrated_marts(db.conninfo)
    return db


def test_round_trip_and_replacement(db):
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        series = fit.load_store(conn, STORE_A)
        assert series.first_day == dt.date(2024, 1, 1) and series.last_day == dt.date(2024, 3, 31)
        assert len(series.values) == SERIES and all(len(v) == 91 for v in series.values.values())
        # the store rollup's daily revenue is the marts' own
        marts = conn.execute("select sum(revenue) from marts.fct_unified_metrics where store_id = %s and "
                             "channel = 'overall' and period = 'daily' and source = 'all'", (STORE_A,)).fetchone()[0]
        assert series.values[("revenue", "overall")].sum() == pytest.approx(float(marts))

        result = fit.forecast_store(conn, STORE_A)
        assert result.status == "ok" and len(result.series) == SERIES
        first = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        assert store.save(conn, result, fitted_at=first) == SERIES * MAX_HORIZON
        got = store.read(conn, STORE_A, "revenue", "overall", 30)
        expected = result.series[("revenue", "overall")]
        assert got["model"] == expected.model and got["fitted_at"] == first
        assert [d["day"] for d in got["days"]] == [dt.date(2024, 4, 1) + dt.timedelta(days=i) for i in range(30)]
        assert np.allclose([d["value"] for d in got["days"]], expected.value[:30])
        assert np.allclose([d["upper_95"] for d in got["days"]], expected.upper_95[:30])

        # a second store's fit, then a refit of the first: the first's rows are replaced, the second's stay
        store.save(conn, fit.forecast_store(conn, STORE_B))
        b_rows = conn.execute("select count(*), max(value) from app.forecasts where store_id = %s",
                              (STORE_B,)).fetchone()
        later = first + dt.timedelta(days=1)
        store.save(conn, result, fitted_at=later)
        assert conn.execute("select count(*), min(fitted_at), max(fitted_at) from app.forecast_series "
                            "where store_id = %s", (STORE_A,)).fetchone() == (SERIES, later, later)
        assert conn.execute("select count(*) from app.forecasts where store_id = %s",
                            (STORE_A,)).fetchone()[0] == SERIES * MAX_HORIZON
        assert conn.execute("select count(*), max(value) from app.forecasts where store_id = %s",
                            (STORE_B,)).fetchone() == b_rows


def test_store_without_data_or_enough_history(db):
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        nothing = fit.forecast_store(conn, STORE_C)
        assert nothing.status == "no_data" and not nothing.series
        store.save(conn, nothing)
        assert store.read(conn, STORE_C, "revenue", "overall", 30) is None
        # 40 days of history: too little for a forecast, recorded as such
        short = fit.StoreForecast(STORE_C, dt.date(2024, 2, 9), 40, {}, 0.1, status="insufficient_history")
        store.save(conn, short)
        assert conn.execute("select status, history_days from app.forecast_stores where store_id = %s",
                            (STORE_C,)).fetchone() == ("insufficient_history", 40)
        assert conn.execute("select count(*) from app.forecasts where store_id = %s", (STORE_C,)).fetchone()[0] == 0


def test_stores_to_fit_are_the_changed_ones_and_those_without_a_current_fit(db):
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        conn.execute("delete from app.forecast_stores")
        # nothing fitted yet: every store with data
        assert stores_to_fit(conn, [], "marts") == sorted(fit.store_ids(conn))
        results = fit_stores(conn, [STORE_A, STORE_B], "marts")
        assert [r["result"] for r in results] == ["ok", "ok"]
        assert stores_to_fit(conn, [], "marts") == []
        assert stores_to_fit(conn, [STORE_B], "marts") == [STORE_B]
        # a new data day for store_a moves its last data day: its fit is stale even without a stamp
        conn.execute("update app.forecast_stores set last_data_date = last_data_date - 1 where store_id = %s",
                     (STORE_A,))
        assert stores_to_fit(conn, [], "marts") == [STORE_A]
        before = dict(conn.execute("select store_id, fitted_at from app.forecast_stores").fetchall())
        fit_stores(conn, [STORE_A], "marts")
        after = dict(conn.execute("select store_id, fitted_at from app.forecast_stores").fetchall())
        assert after[STORE_A] > before[STORE_A] and after[STORE_B] == before[STORE_B]


def test_insights_forecast_command(db):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "INSIGHTS_"))}
    env.update(db.env)
    run = subprocess.run([sys.executable, "-m", "insight_service.cli", "forecast", "--store", STORE_B],
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"forecasts: {STORE_B}: ok, {SERIES} series" in run.stdout
    assert db.scalar("select count(*) from app.forecasts where store_id = %s", (STORE_B,)) == SERIES * MAX_HORIZON
    unknown = subprocess.run([sys.executable, "-m", "insight_service.cli", "forecast", "--store", "nope"],
                             env=env, capture_output=True, text=True, timeout=600)
    assert unknown.returncode != 0 and "nope" in unknown.stderr


def test_a_young_selection_is_refitted_alone_and_an_old_one_selected_again(db):
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        (first,) = fit_stores(conn, [STORE_A], "marts", reselect=True)
        assert first["result"] == "ok" and first["refitted"] == 0
        before = conn.execute("select metric, channel, day, value, lower_80, upper_80, lower_95, upper_95 "
                              "from app.forecasts where store_id = %s order by 1, 2, 3", (STORE_A,)).fetchall()
        selections = store.calibrations(conn, STORE_A)
        last_day = fit.data_range(conn, STORE_A)[1]
        # every series with data keeps its selection, made on the store's last data day
        assert len(selections) >= SERIES // 2 and {c.selected_on for c in selections.values()} == {last_day}

        # the next fit on the same data refits the stored models alone: the same forecasts
        (second,) = fit_stores(conn, [STORE_A], "marts")
        assert second["refitted"] == len(selections)
        after = conn.execute("select metric, channel, day, value, lower_80, upper_80, lower_95, upper_95 "
                             "from app.forecasts where store_id = %s order by 1, 2, 3", (STORE_A,)).fetchall()
        assert [r[:3] for r in after] == [r[:3] for r in before]
        assert np.allclose([r[3:] for r in after], [r[3:] for r in before])
        # a refit keeps the selection's day: the selection ages, it is not renewed by refits
        assert {c.selected_on for c in store.calibrations(conn, STORE_A).values()} == {last_day}

        # ... so the refresh's next fit needs no worker processes for this store
        assert selects(conn, STORE_A, "marts") is False

        # a selection RESELECT_DAYS old is made again
        conn.execute("update app.forecast_series set calibration = jsonb_set(calibration, '{selection,selected_on}', "
                     "to_jsonb(%s::text)) where store_id = %s",
                     ((last_day - dt.timedelta(days=RESELECT_DAYS)).isoformat(), STORE_A))
        assert selects(conn, STORE_A, "marts") is True
        (third,) = fit_stores(conn, [STORE_A], "marts")
        assert third["refitted"] == 0
        assert {c.selected_on for c in store.calibrations(conn, STORE_A).values()} == {last_day}


def test_a_stored_selection_that_does_not_parse_is_ignored():
    assert Calibration.from_json({"model": "ets"}) is None
    assert Calibration.from_json({"model": "ets", "offsets": {"80": [[-1, 1]]}, "factors": {"80": 1}}) is None
    good = Calibration("ets", {"ets": 1.5}, 120, {80: [(-0.5, 0.4)], 95: [(-0.9, 0.8)]}, {80: 1.0, 95: 1.2},
                       dt.date(2024, 3, 31))
    assert Calibration.from_json(good.to_json()) == good
    one_sided = dataclasses.replace(good, zero_floor=(80, 95))
    assert Calibration.from_json(one_sided.to_json()) == one_sided
    # a selection stored before one-sided intervals existed reads as two-sided
    older = {k: v for k, v in one_sided.to_json().items() if k != "zero_floor"}
    assert Calibration.from_json(older) == good
