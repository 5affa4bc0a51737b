"""GET /budget/optimize on marts built by dbt from the generated sample (``sample_warehouse``).

Shape per the API contract, money that adds up to the cent, bounds and locks respected,
every bad input a 400 naming its parameter, tenancy (current_spend equals SQL on the store's
own marts), auth. The optimizer itself is tested in pytests/test_optimizer.py and against
the generator's true curves in pytests/test_optimizer_truth.py / bench/optimizer_truth.py.
"""
from __future__ import annotations

import datetime as dt
import math

import psycopg
import pytest

from insight_service.api.app import create_app
from insight_service.api.budget.schemas import BudgetData
from insight_service.api.web import auth
from insight_service.core.vocabulary import CHANNELS
from insight_service.warehouse.migrations import migrate
from pytests.api.conftest import BASE, Api, base_config

pytestmark = pytest.mark.dbt

PATH = "/budget/optimize"
CONTRACT_CHANNEL_KEYS = {"channel", "current_spend", "recommended_budget", "change_pct", "predicted_revenue", "roas",
                         "marginal_roas_current", "marginal_roas_recommended", "bound_hit", "fit"}
SCENARIOS = {"current", "proportional_roas", "recommended"}


@pytest.fixture(scope="module")
def built(sample_warehouse):
    db = sample_warehouse
    with psycopg.connect(db.conninfo) as conn:
        migrate(conn)
        stores = [r[0] for r in conn.execute(
            "select distinct store_id from marts.fct_unified_metrics order by 1").fetchall()]
        keys = {s: auth.create_key(conn, s, "budget test")[1] for s in stores}
        keys["no-such-store"] = auth.create_key(conn, "no-such-store", "budget test, no rows")[1]
    application = create_app(base_config(db))
    yield db, application, stores, keys
    application.extensions["insights"].close()


def current_spend_sql(db, store: str) -> dict[str, float]:
    """Cost of each channel over the 30 days ending at the store's last data date (negative days
    clipped, as the optimizer does), straight from the marts."""
    rows = db.query(
        "with last as (select max(period_start) as d from marts.fct_unified_metrics "
        "  where store_id = %(s)s and period = 'daily' and source = 'all' and channel = 'overall') "
        "select channel, sum(greatest(cost, 0)) from marts.fct_unified_metrics, last "
        "where store_id = %(s)s and period = 'daily' and source = 'all' "
        "and channel not in ('overall', 'unattributed') "
        "and period_start between last.d - 29 and last.d group by channel", {"s": store})
    return {c: float(x) for c, x in rows}


def stores_with_spend(built) -> list[str]:
    db, _, stores, _ = built
    return [s for s in stores if sum(current_spend_sql(db, s).values()) > 0]


def get(built, store, query=None, key=None):
    _, application, _, keys = built
    return Api(application, keys[store] if key is None else key).get(PATH, query)


def data_of(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    body = response.get_json()
    assert body["success"] is True and set(body) == {"success", "data"}
    BudgetData.model_validate(body["data"])  # the documented response model
    return body["data"]


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:1000]
    body = response.get_json()
    assert body["success"] is False and body["error"]["code"] == code, body
    return body["error"]


def cents(x: float) -> int:
    return round(x * 100)


# ---- happy path -----------------------------------------------------------------------------

def test_sample_has_stores_with_spend(built):
    assert len(stores_with_spend(built)) >= 3


def test_plan_shape_follows_the_contract(built):
    db = built[0]
    for store in stores_with_spend(built):
        spend = current_spend_sql(db, store)
        total = round(sum(spend.values()), 2)
        data = data_of(get(built, store, {"total_budget": f"{total:.2f}"}))
        assert data["total_budget"] == total
        assert data["mode"] == "fixed_budget"
        planned = [c["channel"] for c in data["channels"]]
        assert planned and len(set(planned)) == len(planned)
        assert set(planned) <= set(CHANNELS)
        # every channel with cost in the last 30 days is in the plan; cost-free ones are excluded
        assert {c for c, x in spend.items() if x > 0} <= set(planned)
        excluded = {e["channel"] for e in data["excluded"]}
        assert not excluded & set(planned)
        assert {"direct", "referral"} <= excluded, store  # never any cost in the sample
        assert all(e["reason"] == "no_spend" for e in data["excluded"])
        for ch in data["channels"]:
            assert set(ch) >= CONTRACT_CHANNEL_KEYS
            assert ch["recommended_budget"] >= 0 and ch["predicted_revenue"] >= 0
            assert ch["bound_hit"] in (None, "lower", "upper", "locked")
            assert ch["fit"]["kind"] in ("hill_adstock", "constant_roas")
            assert ch["fit"]["fallback_used"] == (ch["fit"]["kind"] == "constant_roas")
            if ch["current_spend"] > 0:
                # change_pct comes from the unrounded amounts; both shown amounts are rounded to the cent
                c, r = ch["current_spend"], ch["recommended_budget"]
                cent_slack = 100 * 0.005 * (1 / c + r / c**2)
                assert ch["change_pct"] == pytest.approx(100 * (r / c - 1), abs=0.0001 + cent_slack)
            else:
                assert ch["change_pct"] is None
            if ch["recommended_budget"] > 0:
                assert ch["roas"] == pytest.approx(ch["predicted_revenue"] / ch["recommended_budget"], rel=1e-3,
                                                   abs=1e-3)
        assert set(data["scenarios"]) == SCENARIOS
        assert data["lookback"]["requested_days"] == 90 and data["lookback"]["days"] <= 90
        assert data["attribution_model"] == db.scalar("select attribution_default_model from marts.mart_build_info")


def test_scenarios_split_the_same_budget_to_the_cent(built):
    for store in stores_with_spend(built):
        for total in ("1000", "2500.55", "123456.78", "0.07"):
            data = data_of(get(built, store, {"total_budget": total}))
            planned = [c["channel"] for c in data["channels"]]
            for name, scenario in data["scenarios"].items():
                alloc = scenario["allocation"]
                assert list(alloc) == planned, (store, name)
                assert all(x >= 0 and abs(x * 100 - cents(x)) < 1e-6 for x in alloc.values())
                assert sum(cents(x) for x in alloc.values()) == cents(float(total)), (store, total, name, alloc)
            # the channel list shows the recommended allocation
            assert {c["channel"]: c["recommended_budget"] for c in data["channels"]} == \
                data["scenarios"]["recommended"]["allocation"]


def test_recommended_predicts_at_least_the_current_split(built):
    db = built[0]
    for store in stores_with_spend(built):
        base = sum(current_spend_sql(db, store).values())
        for factor in (0.8, 1.0, 1.2):
            data = data_of(get(built, store, {"total_budget": f"{base * factor:.2f}"}))
            rec = data["scenarios"]["recommended"]["predicted_revenue"]
            cur = data["scenarios"]["current"]["predicted_revenue"]
            assert rec >= cur - 0.01, (store, factor)
            assert data["predicted_lift"] == pytest.approx(rec - cur, abs=0.02)


def test_default_and_explicit_bounds_are_respected(built):
    for store in stores_with_spend(built):
        data = data_of(get(built, store, {"total_budget": "5000"}))
        check_boxes(data, {}, ())
        planned = [c["channel"] for c in data["channels"] if c["current_spend"] > 0]
        lock = tuple(planned[:1])
        bounds = {c: (lo, hi) for c, (lo, hi) in zip(planned[1:], [(0.5, 1.5), (0.9, 1.1), (0.0, 2.0)])}
        query = {"total_budget": "5000", "lock": ",".join(lock),
                 "bounds": ",".join(f"{c}:{lo}:{hi}" for c, (lo, hi) in bounds.items())}
        data = data_of(get(built, store, query))
        check_boxes(data, bounds, lock)
        for c in lock:
            assert next(ch for ch in data["channels"] if ch["channel"] == c)["bound_hit"] == "locked"
            assert data["bounds_used"][c]["locked"] is True


def check_boxes(data: dict, bounds: dict[str, tuple[float, float]], lock: tuple[str, ...]) -> None:
    total = data["total_budget"]
    current = {c["channel"]: c["current_spend"] for c in data["channels"]}
    whole = sum(current.values())
    for ch in data["channels"]:
        c = ch["channel"]
        share = current[c] / whole
        budget = ch["recommended_budget"]
        tol = 0.011 + 1e-6 * total  # cents, and current_spend rounded to cents
        if c in lock:
            assert budget == pytest.approx(share * total, abs=tol), c
            continue
        lower, upper = bounds.get(c, (0.7, 1.3))
        assert lower * share * total - tol <= budget <= upper * share * total + tol, (c, budget, share, lower, upper)
        low, high = ch["bounds"]  # the effective box (fallback channels: within +-10% of the share)
        assert low - 0.011 <= budget <= high + 0.011


def test_target_roas_mode(built):
    db = built[0]
    store = stores_with_spend(built)[0]
    base = sum(current_spend_sql(db, store).values())
    data = data_of(get(built, store, {"target_roas": "0.5"}))
    assert data["mode"] == "target_marginal_roas" and data["target_marginal_roas"] == 0.5
    assert 0 < data["total_budget"] <= 3 * base + 0.01
    for scenario in data["scenarios"].values():
        assert sum(cents(x) for x in scenario["allocation"].values()) == cents(data["total_budget"])
    error = error_of(get(built, store, {"target_roas": "100000"}), 400, "target_unreachable")
    assert error["details"][0]["param"] == "target_roas" and "target" in error["message"]


def test_lookback_days_changes_the_fit_window(built):
    store = stores_with_spend(built)[0]
    data = data_of(get(built, store, {"total_budget": "1000", "lookback_days": "28"}))
    assert data["lookback"]["days"] == 28
    assert all(c["fit"]["n_days"] == 28 for c in data["channels"])
    end = dt.date.fromisoformat(data["lookback"]["end_date"])
    assert dt.date.fromisoformat(data["lookback"]["start_date"]) == end - dt.timedelta(days=27)


def test_repeated_request_is_served_from_the_cache(built):
    store = stores_with_spend(built)[0]
    first = get(built, store, {"total_budget": "4321"})
    second = get(built, store, {"total_budget": "4321"})
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()


# ---- errors ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query, param", [
    ({}, "total_budget"),
    ({"total_budget": "-100"}, "total_budget"),
    ({"total_budget": "0"}, "total_budget"),
    ({"total_budget": "nan"}, "total_budget"),
    ({"total_budget": "NaN"}, "total_budget"),
    ({"total_budget": "inf"}, "total_budget"),
    ({"total_budget": "-inf"}, "total_budget"),
    ({"total_budget": "1e400"}, "total_budget"),
    ({"total_budget": "1e13"}, "total_budget"),
    ({"total_budget": "abc"}, "total_budget"),
    ({"total_budget": "12,5"}, "total_budget"),
    ({"total_budget": ""}, "total_budget"),
    ({"total_budget": "100", "bounds": "ads"}, "bounds"),
    ({"total_budget": "100", "bounds": "ads:0.5"}, "bounds"),
    ({"total_budget": "100", "bounds": "ads:0.5:1.5:2"}, "bounds"),
    ({"total_budget": "100", "bounds": "ads:x:1"}, "bounds"),
    ({"total_budget": "100", "bounds": "ads:0.5:1.5,"}, "bounds"),
    ({"total_budget": "100", "bounds": "ads:-0.5:1"}, "bounds"),
    ({"total_budget": "100", "bounds": "ads:0.5:inf"}, "bounds"),
    ({"total_budget": "100", "bounds": "ads:1.5:0.5"}, "bounds"),  # lower > upper
    ({"total_budget": "100", "bounds": "ads:1.5:"}, "bounds"),  # lower > default upper 1.3
    ({"total_budget": "100", "bounds": "tiktok:0.5:1.5"}, "bounds"),  # unknown channel
    ({"total_budget": "100", "bounds": "direct:0.5:1.5"}, "bounds"),  # a channel without spend
    ({"total_budget": "100", "lock": "tiktok"}, "lock"),
    ({"total_budget": "100", "lock": "referral"}, "lock"),
    ({"total_budget": "100", "lock": "ads,,seo"}, "lock"),
    ({"total_budget": "100", "lock": "ads", "bounds": "ads:1:2"}, "lock"),
    ({"total_budget": "100", "target_roas": "2"}, "target_roas"),
    ({"target_roas": "0"}, "target_roas"),
    ({"target_roas": "nan"}, "target_roas"),
    ({"total_budget": "100", "lookback_days": "10"}, "lookback_days"),
    ({"total_budget": "100", "lookback_days": "400"}, "lookback_days"),
    ({"total_budget": "100", "lookback_days": "9.5"}, "lookback_days"),
])
def test_bad_parameters_are_400_naming_the_parameter(built, query, param):
    store = stores_with_spend(built)[0]
    error = error_of(get(built, store, query), 400, "invalid_parameter")
    assert error["details"][0]["param"] == param
    assert param in error["message"]
    if "channel" in error["message"]:
        named = (query.get("bounds") or query.get("lock") or "").split(":")[0].split(",")[0]
        assert named in error["message"]


def test_infeasible_bounds_are_400_with_the_optimizer_message(built):
    store = stores_with_spend(built)[0]
    data = data_of(get(built, store, {"total_budget": "100"}))
    planned = [c["channel"] for c in data["channels"]]
    too_high = ",".join(f"{c}:2:3" for c in planned)
    error = error_of(get(built, store, {"total_budget": "100", "bounds": too_high}), 400, "infeasible_bounds")
    assert error["details"][0]["param"] == "bounds"
    assert "lower bounds add up to" in error["message"] and planned[0] in error["message"]
    too_low = ",".join(f"{c}:0:0.5" for c in planned)
    error = error_of(get(built, store, {"total_budget": "100", "bounds": too_low}), 400, "infeasible_bounds")
    assert "upper bounds add up to" in error["message"]


def test_store_without_data_is_400_insufficient_data(built):
    error = error_of(get(built, "no-such-store", {"total_budget": "100"}), 400, "insufficient_data")
    assert "no daily data" in error["message"]


# ---- auth and tenancy ---------------------------------------------------------------------------

def test_each_key_sees_only_its_store(built):
    db = built[0]
    stores = stores_with_spend(built)
    seen = {}
    for store in stores:
        spend = current_spend_sql(db, store)
        data = data_of(get(built, store, {"total_budget": "1000", "store_id": stores[-1], "store": stores[-1]}))
        got = {c["channel"]: c["current_spend"] for c in data["channels"]}
        # a channel with spend earlier in the lookback but none in the last 30 days has no
        # daily rows in that window: its current spend is 0
        assert got == {c: pytest.approx(round(spend.get(c, 0.0), 2), abs=0.005) for c in got}, store
        assert {c for c, x in spend.items() if x > 0} <= set(got)
        seen[store] = got
    # the stores really differ (a leak would make them equal)
    assert len({tuple(sorted(g.items())) for g in seen.values()}) == len(stores)


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not-a-key"])
def test_without_a_valid_key_401(built, header):
    _, application, _, _ = built
    headers = {"Authorization": header} if header else {}
    response = application.test_client().get(f"{BASE}{PATH}?total_budget=100", headers=headers)
    error_of(response, 401, "unauthorized")


def test_openapi_documents_the_parameter_syntax(built):
    _, application, _, _ = built
    doc = application.test_client().get("/api/openapi.json").get_json()
    op = doc["paths"][f"{BASE}{PATH}"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert "ads:0.5:1.5" in params["bounds"]["description"] and "share" in params["bounds"]["description"]
    assert params["bounds"]["schema"]["type"] == "string"
    assert params["lock"]["schema"]["type"] == "string"
    assert params["lookback_days"]["schema"]["minimum"] == 28 and params["lookback_days"]["schema"]["maximum"] == 365
    assert "501" not in op["responses"]
    assert math.isfinite(params["total_budget"]["schema"]["maximum"])
