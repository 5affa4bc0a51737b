"""The budget optimizer scored against the generator's TRUE response curves.

Runs the optimizer exactly as GET /budget/optimize does (insight_service.api.budget.service: marts ->
ChannelHistory -> optimize()) on the default-scale sample (scale 1, seed 42, 5 months, built
by dbt in its own database) and evaluates each split of the same budget on the true curves
(``ResponseCurve.steady_state_revenue`` summed over channels). The full benchmark with the
regret table is bench/optimizer_truth.py.

At this scale the plan beats the naive proportional-to-ROAS split on every store, the plans
gain on average, their mean regret against the best split on the true curves is below issue 6's
2 % (1.86 % here; 1.49 % before the sample world ran on past its cutoff for appends), and no
store loses more than 1 % against keeping the current split.
"""
from __future__ import annotations

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import dict_row

from insight_service.api.budget.service import BudgetRequest, make_plan, read_histories, read_last_date
from insight_service.sample_data.truth.budget import relative_regret, true_optimum, true_revenue
from pytests.conftest import load_generated_sample
from pytests.support.warehouse import NO_UNIT_TESTS

MAX_LOSS = 0.01  # vs the current split, per store
MAX_MEAN_REGRET = 0.02  # issue 6's target (bench/optimizer_truth.py, DECISIONLOG.md)
FACTORS = (1.0, 1.2)  # total budget = factor x the current 30-day spend


@pytest.fixture(scope="module")
def scored(make_database):
    db = make_database("truth")
    data = load_generated_sample(db, months=5, scale=1.0, seed=42)
    db.dbt("build", "--select", "+fct_unified_metrics", "fct_store_data_dates", "--indirect-selection", "cautious",
           *NO_UNIT_TESTS)
    rows = []
    with psycopg.connect(db.conninfo, row_factory=dict_row, autocommit=True) as conn:
        def fetch(query, params=None):
            return conn.execute(query, params).fetchall()

        marts = sql.Identifier("marts")
        for store in data.store_ids:
            last = read_last_date(fetch, marts, store)
            histories = read_histories(fetch, marts, store, last, 90)
            current_total = sum(h.current_spend() for h in histories)
            if current_total <= 0:
                continue
            for factor in FACTORS:
                plan = make_plan(histories, BudgetRequest(total_budget=factor * current_total), bootstrap_samples=0)
                truth = data.truth[store]
                row = {
                    "store": store, "factor": factor,
                    "current": true_revenue(truth, plan.scenarios["current"].allocation),
                    "proportional": true_revenue(truth, plan.scenarios["proportional_roas"].allocation),
                    "plan": true_revenue(truth, plan.allocation),
                    "optimum": true_revenue(truth, true_optimum(truth, plan)),  # best split, same bounds
                    "predicted_lift": plan.predicted_lift,
                }
                row["regret"] = relative_regret(row["plan"], row["optimum"])
                row["current_regret"] = relative_regret(row["current"], row["optimum"])
                rows.append(row)
    assert len(rows) >= 3 * len(FACTORS)
    return rows


def test_plan_beats_the_proportional_roas_split_on_every_store(scored):
    for r in scored:
        assert r["plan"] > r["proportional"], r


def test_plans_gain_on_average_on_the_true_curves(scored):
    for factor in FACTORS:  # relative gains: the stores' currencies differ (JPY vs EUR...)
        gains = [r["plan"] / r["current"] - 1 for r in scored if r["factor"] == factor]
        assert sum(gains) / len(gains) > 0.005, gains


def test_no_store_loses_more_than_one_percent_against_the_current_split(scored):
    for r in scored:
        assert r["plan"] >= (1 - MAX_LOSS) * r["current"], r
        assert r["predicted_lift"] >= 0  # the model never recommends a predicted loss


def test_mean_regret_against_the_true_optimum_is_below_two_percent(scored):
    regrets = [r["regret"] for r in scored]
    assert min(regrets) >= -1e-6, regrets  # nothing beats the true optimum within the same bounds
    assert sum(regrets) / len(regrets) < MAX_MEAN_REGRET, regrets
    # and the plans close most of the gap that keeping the current split leaves open
    assert sum(regrets) < 0.5 * sum(r["current_regret"] for r in scored), scored
