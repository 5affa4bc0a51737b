-- one row per marginal_efficiency_decline signal of a store: a channel's cost rose while the extra spend
-- brought little revenue (last 28 days vs the 28 before). Unioned into fct_insight_signals.

with

{{ insight_signal_windows() }},

marginal as (
    -- channels whose cost rose vs the window before: the cost change and the marginal ROAS
    select
        channel_windows.*,
        store_windows.store_cost,
        store_windows.severity_base,
        round((channel_windows.cost - channel_windows.previous_cost) * 100 / channel_windows.previous_cost, 4)
                                                                                           as cost_change_pct,
        round((channel_windows.revenue - channel_windows.previous_revenue)
              / (channel_windows.cost - channel_windows.previous_cost), 4)                 as marginal_roas,
        round(channel_windows.previous_revenue / channel_windows.previous_cost, 4)         as previous_roas
    from channel_windows
    inner join store_windows
        on store_windows.store_id = channel_windows.store_id and store_windows.period = channel_windows.period
    where channel_windows.period = 'last_28_days'
      and channel_windows.channel <> 'overall'
      and channel_windows.has_previous
      and channel_windows.previous_cost > 0
      and channel_windows.cost > channel_windows.previous_cost
),

marginal_signals as (
    -- the rises past the thresholds on a material channel, as signal columns with their evidence
    select
        store_id,
        'marginal_efficiency_decline'::{{ text_type() }}                                              as signal_type,
        channel,
        'all'::{{ text_type() }}                                                                      as source,
        period,
        period_start,
        period_end,
        'marginal_roas'::{{ text_type() }}                                                            as metric,
        marginal_roas                                                                    as current_value,
        previous_roas                                                                    as comparison_value,
        'previous_period'::{{ text_type() }}                                                         as comparison_kind,
        cost_change_pct                                                                  as change_pct,
        -- net money lost on the extra spend
        greatest((cost - previous_cost) - (revenue - previous_revenue), 0)               as estimated_revenue_impact,
        severity_base,
        {% call json_object() %}
            'figures', {% call json_array() %}
                {{ insight_figure('cost', 'Cost in the window', 'cost', 'currency') }},
                {{ insight_figure('previous_cost', 'Cost in the previous window', 'previous_cost', 'currency') }},
                {{ insight_figure('cost_change_pct', 'Cost change vs the previous window',
                                  'cost_change_pct', 'percent') }},
                {{ insight_figure('incremental_cost', 'Extra cost vs the previous window',
                                  'cost - previous_cost', 'currency') }},
                {{ insight_figure('revenue', 'Revenue in the window', 'revenue', 'currency') }},
                {{ insight_figure('previous_revenue', 'Revenue in the previous window',
                                  'previous_revenue', 'currency') }},
                {{ insight_figure('incremental_revenue', 'Revenue change vs the previous window',
                                  'revenue - previous_revenue', 'currency') }},
                {{ insight_figure('marginal_roas', 'Extra revenue per extra unit of cost',
                                  'marginal_roas', 'ratio', 4) }},
                {{ insight_figure('previous_roas', 'ROAS in the previous window', 'previous_roas', 'ratio', 4) }},
                {{ insight_figure('window_days', 'Days in each window', 'days', 'days', 0) }}
            {% endcall %},
            'rows', {% call json_array() %}{% call json_object() %}
                'mart', 'fct_unified_metrics', 'store_id', store_id, 'channel', channel, 'source', 'all',
                'period', 'daily', 'period_start_from', previous_start, 'period_start_to', period_end{% endcall %}{% endcall %},
            'thresholds', {{ insight_thresholds([
                'insight_marginal_cost_increase_pct', 'insight_marginal_roas_max',
                'insight_min_cost_share_pct'
            ]) }}
        {% endcall %}                                                                                as evidence,
        previous_start,
        previous_end
    from marginal
    where cost_change_pct >= {{ insight_var('insight_marginal_cost_increase_pct') }}
      and marginal_roas <= {{ insight_var('insight_marginal_roas_max') }}
      and cost * 100 / nullif(store_cost, 0) >= {{ insight_var('insight_min_cost_share_pct') }}
),

{{ insight_signal_rows('marginal_signals') }}
