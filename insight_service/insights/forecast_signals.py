"""Signals from the stored forecasts (app.forecasts, fitted by the refresh): ``forecast_overspend`` (a
channel on track to spend over its month's budget) and ``forecast_revenue_miss`` (a channel, or the
store, projected to end the month below last month's revenue). Same columns as
marts.fct_insight_signals, so insights/store.py ranks them with the others.

The month is the one of the store's last data day; its projection is the month's actuals plus the
forecast of its remaining days, with an 80 % range from the days' interval half-widths added in
quadrature (api/dashboard/projections.py computes the same figures for the dashboard). A signal needs
at least ``MIN_DAYS_ELAPSED`` days of the month, at least one day left and a stored forecast of the series.
"""
from __future__ import annotations

from psycopg import sql

OVERSPEND_PCT = 110       # projected spend at least this share of the budget
MISS_PCT = 90             # projected revenue at most this share of last month's
MIN_DAYS_ELAPSED = 7

_FIGURE = ("jsonb_build_object('id', {id}, 'label', {label}, 'value', round(({value})::numeric, {places}), "
           "'unit', {unit})")


def _figure(fid: str, label: str, value: str, unit: str) -> sql.Composable:
    places = 0 if unit == "days" else 2
    return sql.SQL(_FIGURE).format(id=sql.Literal(fid), label=sql.Literal(label), value=sql.SQL(value),
                                   places=sql.Literal(places), unit=sql.Literal(unit))


def _evidence(signal_type: str, figures: list[tuple[str, str, str, str]]) -> sql.Composable:
    return sql.SQL(
        "jsonb_build_object('signal_type', {st}, 'store_id', fit.store_id, 'channel', p.channel, 'source', 'all', "
        "'currency', fit.currency, 'window', jsonb_build_object('start', fit.month_start, 'end', fit.last_day, "
        "'period', 'current_month', 'previous_start', null, 'previous_end', null), "
        "'forecast', jsonb_build_object('fitted_at', fit.fitted_at, 'month_end', fit.month_end), "
        "'figures', jsonb_build_array({figures}))"
    ).format(st=sql.Literal(signal_type), figures=sql.SQL(", ").join(_figure(*f) for f in figures))


def forecast_signals(m: sql.Composable, a: sql.Composable) -> sql.Composed:
    """A SELECT of the store ``%(store)s``'s forecast signals in fct_insight_signals' columns."""
    overspend = _evidence("forecast_overspend", [
        ("monthly_budget", "Monthly budget", "p.budget", "currency"),
        ("spent", "Spent so far this month", "p.cost_to_date", "currency"),
        ("projected_spend", "Forecast spend for the month", "p.cost_projected", "currency"),
        ("projected_spend_low", "Low end of the likely range of the month's spend", "p.cost_low", "currency"),
        ("projected_spend_high", "High end of the likely range of the month's spend", "p.cost_high", "currency"),
        ("projected_utilization_pct", "Forecast spend as a share of the budget",
         "100 * p.cost_projected / p.budget", "percent"),
        ("budget_gap", "Budget minus forecast spend", "p.budget - p.cost_projected", "currency"),
        ("days_elapsed", "Days of the month elapsed", "fit.days_elapsed", "days"),
        ("days_in_month", "Days in the month", "fit.days_in_month", "days"),
    ])
    miss = _evidence("forecast_revenue_miss", [
        ("previous_month_revenue", "Last month's revenue", "p.previous_revenue", "currency"),
        ("revenue_to_date", "Revenue so far this month", "p.revenue_to_date", "currency"),
        ("projected_revenue", "Forecast revenue for the month", "p.revenue_projected", "currency"),
        ("projected_revenue_low", "Low end of the likely range of the month's revenue", "p.revenue_low", "currency"),
        ("projected_revenue_high", "High end of the likely range of the month's revenue", "p.revenue_high",
         "currency"),
        ("shortfall", "Last month's revenue minus the forecast", "p.previous_revenue - p.revenue_projected",
         "currency"),
        ("shortfall_pct", "Forecast shortfall against last month",
         "100 * (p.previous_revenue - p.revenue_projected) / p.previous_revenue", "percent"),
        ("days_elapsed", "Days of the month elapsed", "fit.days_elapsed", "days"),
        ("days_in_month", "Days in the month", "fit.days_in_month", "days"),
    ])
    return sql.SQL(
        "with fit as (select f.store_id, f.fitted_at, f.last_data_date as last_day, "
        "  date_trunc('month', f.last_data_date)::date as month_start, "
        "  (date_trunc('month', f.last_data_date) + interval '1 month - 1 day')::date as month_end, "
        "  extract(day from f.last_data_date)::integer as days_elapsed, "
        "  extract(day from date_trunc('month', f.last_data_date) + interval '1 month - 1 day')::integer "
        "    as days_in_month, s.currency "
        "  from {a}.forecast_stores f left join {m}.dim_stores s on s.store_id = f.store_id "
        "  where f.store_id = %(store)s and f.status = 'ok'), "
        "ahead as (select fc.metric, fc.channel, sum(fc.value) as value, "
        "  sqrt(sum((fc.value - fc.lower_80) ^ 2)) as below, sqrt(sum((fc.upper_80 - fc.value) ^ 2)) as above "
        "  from {a}.forecasts fc join fit on fc.store_id = fit.store_id "
        "  where fc.metric in ('revenue', 'cost') and fc.day > fit.last_day and fc.day <= fit.month_end "
        "  group by 1, 2), "
        "to_date as (select u.channel, sum(u.revenue)::float8 as revenue, sum(u.cost)::float8 as cost "
        "  from {m}.fct_unified_metrics u join fit on u.store_id = fit.store_id "
        "  where u.period = 'daily' and u.source = 'all' and u.period_start between fit.month_start and fit.last_day "
        "  group by 1), "
        "previous as (select u.channel, sum(u.revenue)::float8 as revenue from {m}.fct_unified_metrics u "
        "  join fit on u.store_id = fit.store_id where u.period = 'daily' and u.source = 'all' "
        "  and u.period_start >= (fit.month_start - interval '1 month')::date and u.period_start < fit.month_start "
        "  group by 1), "
        "budget as (select b.channel, b.monthly_budget::float8 as budget from {m}.fct_budget_utilization b "
        "  join fit on b.store_id = fit.store_id where b.month_start = fit.month_start and b.monthly_budget > 0), "
        "p as (select c.channel, bu.budget, pr.revenue as previous_revenue, "
        "  ac.channel is not null as cost_forecast, ar.channel is not null as revenue_forecast, "
        "  coalesce(t.cost, 0) as cost_to_date, coalesce(t.cost, 0) + coalesce(ac.value, 0) as cost_projected, "
        "  coalesce(t.cost, 0) + greatest(coalesce(ac.value, 0) - coalesce(ac.below, 0), 0) as cost_low, "
        "  coalesce(t.cost, 0) + coalesce(ac.value, 0) + coalesce(ac.above, 0) as cost_high, "
        "  coalesce(t.revenue, 0) as revenue_to_date, "
        "  coalesce(t.revenue, 0) + coalesce(ar.value, 0) as revenue_projected, "
        "  coalesce(t.revenue, 0) + greatest(coalesce(ar.value, 0) - coalesce(ar.below, 0), 0) as revenue_low, "
        "  coalesce(t.revenue, 0) + coalesce(ar.value, 0) + coalesce(ar.above, 0) as revenue_high "
        "  from (select channel from budget union select channel from previous) c "
        "  left join budget bu on bu.channel = c.channel left join previous pr on pr.channel = c.channel "
        "  left join to_date t on t.channel = c.channel "
        "  left join ahead ac on ac.metric = 'cost' and ac.channel = c.channel "
        "  left join ahead ar on ar.metric = 'revenue' and ar.channel = c.channel) "
        "select fit.store_id, md5('forecast_overspend|' || fit.store_id || '|' || p.channel || '|' || fit.month_start) "
        "  as signal_id, 'forecast_overspend'::text as signal_type, p.channel, 'all'::text as source, "
        "  'current_month'::text as period, fit.month_start as period_start, fit.month_end as period_end, "
        "  'cost'::text as metric, p.cost_projected as current_value, p.budget as comparison_value, "
        "  'budget'::text as comparison_kind, 100 * (p.cost_projected - p.budget) / p.budget as change_pct, "
        "  p.cost_projected - p.budget as estimated_revenue_impact, "
        "  case when p.cost_low > p.budget then 'high' else 'medium' end::text as severity, {overspend} as evidence "
        "from p cross join fit where p.budget is not null and p.cost_forecast "
        "  and p.cost_projected >= {over} / 100.0 * p.budget "
        "  and fit.days_elapsed >= {min_days} and fit.last_day < fit.month_end "
        "union all "
        "select fit.store_id, md5('forecast_revenue_miss|' || fit.store_id || '|' || p.channel || '|' || "
        "  fit.month_start), 'forecast_revenue_miss', p.channel, 'all', 'current_month', fit.month_start, "
        "  fit.month_end, 'revenue', p.revenue_projected, p.previous_revenue, 'previous_month', "
        "  100 * (p.revenue_projected - p.previous_revenue) / p.previous_revenue, "
        "  p.previous_revenue - p.revenue_projected, "
        "  case when p.revenue_high < p.previous_revenue then 'high' else 'medium' end, {miss} "
        "from p cross join fit where p.previous_revenue > 0 and p.revenue_forecast "
        "  and p.revenue_projected <= {miss_pct} / 100.0 * "
        "  p.previous_revenue and fit.days_elapsed >= {min_days} and fit.last_day < fit.month_end"
    ).format(m=m, a=a, overspend=overspend, miss=miss, over=sql.Literal(OVERSPEND_PCT),
             miss_pct=sql.Literal(MISS_PCT), min_days=sql.Literal(MIN_DAYS_ELAPSED))
