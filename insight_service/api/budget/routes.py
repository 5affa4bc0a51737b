"""The budget optimizer view."""
from __future__ import annotations

from flask import Response

from insight_service.api.budget import bp
from insight_service.api.budget.schemas import (
    BUDGET_SYNTAX,
    BudgetData,
    BudgetQuery,
    UtilizationData,
    UtilizationQuery,
)
from insight_service.api.budget.utilization import utilization_data
from insight_service.api.web.context import ok_raw, query
from insight_service.api.web.openapi import RouteSpec, api_route


@bp.get("/budget/optimize")
@api_route(RouteSpec(
    summary="Budget split for the next 30 days that maximises predicted revenue",
    query=BudgetQuery, response=BudgetData,
    description="Fits a saturating response curve (Hill on adstocked spend, or a constant-ROAS fallback) "
                "to each channel's daily cost and attributed revenue (fct_unified_metrics, the marts' "
                "default attribution model) over `lookback_days` ending at the store's last data date, "
                "and splits `total_budget` to maximise predicted revenue within per-channel bounds "
                "(default 0.7-1.3x each channel's current share). " + BUDGET_SYNTAX + " Or give "
                "`target_roas` instead of `total_budget` for the largest budget whose marginal ROAS "
                "stays >= target_roas. Scenarios compare the current split, a split proportional to "
                "average ROAS and the plan for the same budget. Infeasible bounds -> 400 "
                "`infeasible_bounds`; a store without spend -> 400 `insufficient_data`."))
def budget_optimize() -> Response:
    from insight_service.api.budget.service import budget_data  # numpy/scipy: on first use, not at worker boot

    q = query(BudgetQuery)
    return ok_raw(budget_data(q))


@bp.get("/budget/utilization")
@api_route(RouteSpec(
    summary="The month's budget, spend and pace per channel",
    query=UtilizationQuery, response=UtilizationData,
    description="The store's rows of fct_budget_utilization for `month` (default: the month of its last data "
                "date), channels in the usual order; `totals` sums budget (a channel without one counts 0), spent "
                "and projected spend. A month without rows has no channels and zero totals."))
def budget_utilization() -> Response:
    q = query(UtilizationQuery)
    return ok_raw(utilization_data(q.month, raw=True))
