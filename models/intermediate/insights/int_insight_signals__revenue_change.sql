-- one row per revenue_decline / revenue_growth signal of a store: a channel's revenue (or the store's, `overall`)
-- changed by the threshold vs the window before (last 7 and 28 days). Unioned into fct_insight_signals.

with

{{ insight_signal_windows() }},

revenue_changes as (
    -- the change of each channel's revenue vs the window before, with the store's bases
    select
        channel_windows.*,
        store_windows.store_revenue,
        store_windows.store_previous_revenue,
        store_windows.severity_base,
        round((channel_windows.revenue - channel_windows.previous_revenue) * 100
              / channel_windows.previous_revenue, 4)                                       as change_pct
    from channel_windows
    inner join store_windows
        on store_windows.store_id = channel_windows.store_id and store_windows.period = channel_windows.period
    where channel_windows.has_previous
      and channel_windows.previous_revenue > 0
),

revenue_signals as (
    -- the changes past the threshold on a material channel, as signal columns with their evidence
    select
        store_id,
        (case when change_pct < 0 then 'revenue_decline' else 'revenue_growth' end)   as signal_type,
        channel,
        'all'::{{ text_type() }}                                                                      as source,
        period,
        period_start,
        period_end,
        'revenue'::{{ text_type() }}                                                                  as metric,
        revenue                                                                          as current_value,
        previous_revenue                                                                 as comparison_value,
        'previous_period'::{{ text_type() }}                                                         as comparison_kind,
        change_pct,
        abs(revenue - previous_revenue)                                                  as estimated_revenue_impact,
        severity_base,
        {% call json_object() %}
            'figures', {% call json_array() %}
                {{ insight_figure('current_revenue', 'Revenue in the window', 'revenue', 'currency') }},
                {{ insight_figure('previous_revenue', 'Revenue in the previous window',
                                  'previous_revenue', 'currency') }},
                {{ insight_figure('revenue_change', 'Revenue change (current - previous)',
                                  'revenue - previous_revenue', 'currency') }},
                {{ insight_figure('change_pct', 'Revenue change vs the previous window', 'change_pct', 'percent') }},
                {{ insight_figure('window_days', 'Days in each window', 'days', 'days', 0) }},
                {{ insight_figure('threshold_change_pct', 'Change that raises the signal',
                                  insight_var('insight_revenue_change_pct'), 'percent') }}
            {% endcall %},
            'rows', {% call json_array() %}{% call json_object() %}
                'mart', 'fct_unified_metrics', 'store_id', store_id, 'channel', channel, 'source', 'all',
                'period', 'daily', 'period_start_from', previous_start, 'period_start_to', period_end{% endcall %}{% endcall %},
            'thresholds', {{ insight_thresholds(['insight_revenue_change_pct', 'insight_revenue_min_share_pct']) }}
        {% endcall %}                                                                                as evidence,
        previous_start,
        previous_end
    from revenue_changes
    where abs(change_pct) >= {{ insight_var('insight_revenue_change_pct') }}
      -- materiality: the channel holds at least this share of the store's revenue in one of the windows
      and greatest(
            revenue * 100 / nullif(store_revenue, 0),
            previous_revenue * 100 / nullif(store_previous_revenue, 0)
          ) >= {{ insight_var('insight_revenue_min_share_pct') }}
),

{{ insight_signal_rows('revenue_signals') }}
