"""GET /budget/optimize on curves the refresh fitted (issue 18, part 4; pipeline/budget_curves.py).

The same plan whether the curves were fitted at request time or read from app.budget_curves
(every field, to the cent: the stored numbers read back exactly); the request falls back to
fitting for another lookback, a store not fitted and a stale build, and says so; the stored
set of a store is replaced whole; each key reads its own store's curves. The refresh step
itself (changed stores only, re-stamping the others) is tested in pytests/test_refresh.py.
"""
from __future__ import annotations

import copy
import json
import time

import psycopg
import pytest
from psycopg import sql

from insight_service.api.app import create_app
from insight_service.api.budget.service import BudgetRequest, optimize_store, stored_fit
from insight_service.api.web import auth
from insight_service.core.errors import DomainError
from insight_service.pipeline.budget_curves import conn_fetch, fit_stores, restamp, write_fit
from insight_service.warehouse.migrations import migrate
from pytests.api.conftest import Api, base_config
from pytests.conftest import load_generated_sample
from pytests.support.warehouse import NO_UNIT_TESTS

pytestmark = pytest.mark.dbt

PATH = "/budget/optimize"
MARTS, APP = sql.Identifier("marts"), sql.Identifier("app")
SCALE = 0.5


def build_id(conn) -> str:
    return conn.execute("select build_id from marts.mart_build_info").fetchone()[0]


@pytest.fixture(scope="module")
def fitted(make_database):
    """A sample large enough for saturating curves (at the shared sample's 0.05 scale every channel
    falls back to constant ROAS), the marts the endpoint reads, every store's curves stored as the
    refresh stores them, and an app without a response cache."""
    db = make_database("budget_curves")
    load_generated_sample(db, months=4, scale=SCALE, seed=42)
    db.dbt("build", "--select", "+fct_unified_metrics", "fct_store_data_dates", "mart_build_info",
           "--indirect-selection", "cautious", *NO_UNIT_TESTS)
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        migrate(conn)
        stores = [r[0] for r in conn.execute("select store_id from marts.fct_store_data_dates order by 1")]
        keys = {s: auth.create_key(conn, s, "budget curves test")[1] for s in stores}
        keys["no-such-store"] = auth.create_key(conn, "no-such-store", "budget curves test")[1]
        results = fit_stores(conn, stores, build_id(conn))
    application = create_app(base_config(db, cache_backend="none"))
    yield db, application, keys, results
    application.extensions["insights"].close()


def planned_stores(fitted) -> list[str]:
    return [r["store_id"] for r in fitted[3] if r["result"] == "stored"]


def both_ways(conn, store: str, req: BudgetRequest) -> tuple[object, object]:
    """(request-time fit, stored curves) of the same request: each a response dict or the error."""
    fetch = conn_fetch(conn)
    last = conn.execute("select last_data_date from marts.fct_store_data_dates where store_id = %s",
                        (store,)).fetchone()[0]
    stored, start, why = stored_fit(fetch, APP, store, req.lookback_days, build_id=build_id(conn), last_date=last)
    assert stored is not None, why
    out = []
    for kwargs in ({}, {"stored": stored, "stored_window": (start, last)}):
        try:
            out.append(optimize_store(fetch, MARTS, store, req, last, attribution_model="linear", **kwargs))
        except DomainError as exc:
            out.append((type(exc).__name__, exc.code, str(exc)))
    return out[0], out[1]


def requests_for(plan: dict) -> list[BudgetRequest]:
    channels = [c["channel"] for c in plan["channels"]]
    current = plan["diagnostics"]["current_total_spend"]
    reqs = [BudgetRequest(total_budget=t) for t in (1000.0, round(current, 2), 1.5 * current, 123456.78)]
    reqs.append(BudgetRequest(total_budget=current, bounds={channels[0]: (0.2, 2.5)}))
    reqs.append(BudgetRequest(total_budget=0.8 * current, lock=(channels[-1],)))
    if len(channels) > 2:
        reqs.append(BudgetRequest(total_budget=2 * current, bounds={channels[1]: (None, 3.0)}, lock=(channels[0],)))
    reqs.append(BudgetRequest(total_budget=None, target_roas=1.0))
    reqs.append(BudgetRequest(total_budget=current, bounds={c: (2.0, 3.0) for c in channels}))  # infeasible
    return reqs


def test_every_store_with_spend_was_fitted(fitted):
    results = fitted[3]
    assert len(planned_stores(fitted)) >= 3
    assert all(r["result"] in ("stored", "no_plan") for r in results), results
    with psycopg.connect(fitted[0].conninfo) as conn:
        sets = conn.execute("select store_id, build_id, lookback_days, bootstrap_samples from app.budget_curve_sets "
                            "order by 1").fetchall()
        assert [s[0] for s in sets] == planned_stores(fitted)
        assert {s[1:] for s in sets} == {(build_id(conn), 90, 200)}
        # every Hill curve carries its 200 refits, every constant-ROAS curve 200 ROAS draws
        widths = conn.execute("select kind, draw_width, cardinality(draws) from app.budget_curves").fetchall()
        assert {(k, w, n) for k, w, n in widths} <= {("hill_adstock", 4, 800), ("constant_roas", 1, 200)}
        assert any(k == "hill_adstock" for k, _, _ in widths)


def test_stored_curves_give_the_same_answer_as_fitting_now(fitted):
    compared = 0
    with psycopg.connect(fitted[0].conninfo, autocommit=True) as conn:
        for store in planned_stores(fitted)[:3]:  # three stores: each request fits its curves anew (seconds)
            base, _ = both_ways(conn, store, BudgetRequest(total_budget=1000.0))
            for req in requests_for(base):
                now, stored = both_ways(conn, store, req)
                # every field: money to the cent, revenue, intervals, bound hits, fit reasons, scenarios
                assert now == stored, (store, req)
                compared += 1
                if isinstance(now, dict):
                    assert now["lift_interval"] is not None and now["scenarios"]["recommended"]["allocation"]
    assert compared >= 3 * 8


def test_the_endpoint_allocates_on_the_stored_curves(fitted):
    db, application, keys, _ = fitted
    store = planned_stores(fitted)[0]
    response = Api(application, keys[store]).get(PATH, {"total_budget": "2500"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["X-Budget-Curves"] == "precomputed"
    data = response.get_json()["data"]
    assert data.pop("curves") == {"source": "precomputed", "reason": None}
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        now, _ = both_ways(conn, store, BudgetRequest(total_budget=2500.0))
    now["attribution_model"] = data["attribution_model"]
    assert data == json.loads(json.dumps(now))


def test_another_lookback_is_fitted_at_request_time(fitted):
    _, application, keys, _ = fitted
    store = planned_stores(fitted)[0]
    response = Api(application, keys[store]).get(PATH, {"total_budget": "1000", "lookback_days": "60"})
    assert response.status_code == 200
    assert response.headers["X-Budget-Curves"] == "fitted"
    curves = response.get_json()["data"]["curves"]
    assert curves["source"] == "fitted" and "lookback_days 60" in curves["reason"]
    assert response.get_json()["data"]["lookback"]["days"] == 60


def test_a_stale_build_falls_back_to_fitting_with_the_same_answer(fitted):
    db, application, keys, _ = fitted
    store = planned_stores(fitted)[1]
    api = Api(application, keys[store])
    before = api.get(PATH, {"total_budget": "1500"})
    assert before.headers["X-Budget-Curves"] == "precomputed"
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        current = build_id(conn)
        conn.execute("update app.budget_curve_sets set build_id = 'an-older-build' where store_id = %s", (store,))
        try:
            after = api.get(PATH, {"total_budget": "1500"})
        finally:
            conn.execute("update app.budget_curve_sets set build_id = %s where store_id = %s", (current, store))
    assert after.status_code == 200 and after.headers["X-Budget-Curves"] == "fitted"
    stale, fresh = after.get_json()["data"], before.get_json()["data"]
    assert "an-older-build" in stale.pop("curves")["reason"]
    fresh.pop("curves")
    assert stale == fresh


def test_each_key_reads_its_own_stores_curves(fitted):
    db, application, keys, _ = fitted
    stores = planned_stores(fitted)
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        own = {s: {r[0]: r[1] for r in conn.execute(
            "select channel, current_spend from app.budget_curves where store_id = %s", (s,))} for s in stores}
    for store in stores:
        response = Api(application, keys[store]).get(PATH, {"total_budget": "1000", "store_id": stores[0]})
        data = response.get_json()["data"]
        assert response.headers["X-Budget-Curves"] == "precomputed"
        assert {c["channel"]: c["current_spend"] for c in data["channels"]} == {
            c: round(x, 2) for c, x in own[store].items()}, store
    assert len({tuple(sorted(v.items())) for v in own.values()}) == len(stores)  # the stores differ
    # a key of a store without data or curves gets the request-time answer: no plan
    response = Api(application, keys["no-such-store"]).get(PATH, {"total_budget": "1000"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "insufficient_data"


def test_a_store_set_is_replaced_whole(fitted):
    db = fitted[0]
    store = planned_stores(fitted)[0]
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        fetch = conn_fetch(conn)
        last = conn.execute("select last_data_date from marts.fct_store_data_dates where store_id = %s",
                            (store,)).fetchone()[0]
        stored, start, _ = stored_fit(fetch, APP, store, 90, build_id=build_id(conn), last_date=last)

        def snapshot():
            return conn.execute("select s.fitted_at, c.channel, c.draws from app.budget_curve_sets s "
                                "join app.budget_curves c using (store_id, lookback_days) "
                                "where store_id = %s order by c.position", (store,)).fetchall()

        old = snapshot()
        broken = copy.deepcopy(stored)
        broken.fits[-1].channel = broken.fits[0].channel  # the last channel's insert breaks the primary key
        with pytest.raises(psycopg.errors.UniqueViolation):
            write_fit(conn, store, broken, build_id=build_id(conn), window=(start, last), fit_seconds=0.0)
        assert snapshot() == old  # the failed replacement left the old set, whole
        time.sleep(0.01)
        write_fit(conn, store, stored, build_id=build_id(conn), window=(start, last), fit_seconds=0.0)
        new = snapshot()
        assert [r[1:] for r in new] == [r[1:] for r in old] and new[0][0] > old[0][0]
        sets = conn.execute("select count(*) from app.budget_curve_sets where store_id = %s", (store,)).fetchone()
        assert sets[0] == 1


def test_a_database_without_the_curve_tables_still_answers_by_fitting(fitted):
    db, application, keys, _ = fitted
    store = planned_stores(fitted)[0]
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        conn.execute("alter table app.budget_curve_sets rename to budget_curve_sets_away")
        try:
            response = Api(application, keys[store]).get(PATH, {"total_budget": "777"})
        finally:
            conn.execute("alter table app.budget_curve_sets_away rename to budget_curve_sets")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["X-Budget-Curves"] == "fitted"
    assert "migration 006" in response.get_json()["data"]["curves"]["reason"]


def test_restamp_moves_only_unchanged_stores_on_a_valid_build(fitted):
    db = fitted[0]
    a, b, c, d = planned_stores(fitted)[:4]
    with psycopg.connect(db.conninfo, autocommit=True) as conn:
        current = build_id(conn)
        stamps = {a: "build-before-the-run", b: "last-success-build", c: "an-ancient-build", d: "last-success-build"}
        for store, stamp in stamps.items():
            conn.execute("update app.budget_curve_sets set build_id = %s where store_id = %s", (stamp, store))
        try:
            moved = restamp(conn, [d], {"build-before-the-run", "last-success-build", None}, current)
            after = dict(conn.execute("select store_id, build_id from app.budget_curve_sets "
                                      "where store_id = any(%s)", ([a, b, c, d],)).fetchall())
        finally:
            conn.execute("update app.budget_curve_sets set build_id = %s", (current,))
    assert moved == 2
    # d changed (it is refitted instead), c's set predates the last success: both stay as they were
    assert after == {a: current, b: current, c: "an-ancient-build", d: "last-success-build"}
