"""GET /budget/utilization: the month's rows of fct_budget_utilization, totals, the month parameter."""
from __future__ import annotations

import pytest

from insight_service.api.budget.schemas import UtilizationData
from pytests.api.fixtures import STORE_A, STORE_B_MARKERS

COLUMNS = ("channel", "monthly_budget", "spent", "utilization_pct", "projected_spend", "pacing", "days_elapsed",
           "days_in_month")


def data_of(response):
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["data"]
    UtilizationData.model_validate(data)
    return data


def mart_rows(db, store: str, month: str) -> list[dict]:
    rows = db.query(f"select {', '.join(COLUMNS)} from marts.fct_budget_utilization "
                    "where store_id = %s and month_start = %s", (store, f"{month}-01"))
    out = []
    for row in rows:
        item = dict(zip(COLUMNS, row))
        for name in ("monthly_budget", "spent", "utilization_pct", "projected_spend"):
            item[name] = None if item[name] is None else float(item[name])
        out.append(item)
    return out


def test_default_month_is_the_month_of_the_last_data_date(api_a, marts_db):
    data = data_of(api_a.get("/budget/utilization"))
    assert data["month"] == "2024-03"  # store_a's data ends on 2024-03-31
    want = {r["channel"]: r for r in mart_rows(marts_db, STORE_A, "2024-03")}
    assert {c["channel"]: c for c in data["channels"]} == want
    # channels in the vocabulary's order (seo, ..., ads, email)
    assert [c["channel"] for c in data["channels"]] == ["seo", "ads", "email"]
    assert data["totals"] == {
        "monthly_budget": sum(r["monthly_budget"] or 0 for r in want.values()),
        "spent": sum(r["spent"] for r in want.values()),
        "projected_spend": sum(r["projected_spend"] for r in want.values()),
    }
    email = next(c for c in data["channels"] if c["channel"] == "email")
    assert email["monthly_budget"] is None and email["utilization_pct"] is None and email["pacing"] is None


def test_an_earlier_month(api_a, marts_db):
    data = data_of(api_a.get("/budget/utilization", {"month": "2024-02"}))
    assert data["month"] == "2024-02"
    assert data["channels"] == mart_rows(marts_db, STORE_A, "2024-02")
    assert data["channels"][0]["spent"] == 4350.5 and data["channels"][0]["days_in_month"] == 29


def test_a_month_without_rows_is_empty(api_a, api_b, api_c):
    empty = data_of(api_a.get("/budget/utilization", {"month": "2023-12"}))
    assert empty == {"month": "2023-12", "channels": [],
                     "totals": {"monthly_budget": 0.0, "spent": 0.0, "projected_spend": 0.0}}
    # store_b's data ends in April, which has no row: its March row is never store_a's
    assert data_of(api_b.get("/budget/utilization"))["month"] == "2024-04"
    assert data_of(api_c.get("/budget/utilization"))["channels"] == []


def test_another_store_is_never_shown(api_a):
    text = api_a.get("/budget/utilization?month=2024-03&store_id=store_b").get_data(as_text=True)
    for marker in STORE_B_MARKERS:
        assert marker not in text


@pytest.mark.parametrize("month", ["2024-13", "2024-00", "2024-3", "March", "2024-03-01", "", "0999-01", "2024-1a"])
def test_invalid_month_is_400_naming_it(api_a, month):
    response = api_a.get("/budget/utilization", {"month": month})
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "invalid_parameter" and error["details"][0]["param"] == "month"


def test_needs_a_key(app):
    response = app.test_client().get("/api/marketing/analytics/budget/utilization")
    assert response.status_code == 401
