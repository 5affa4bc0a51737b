-- one row per budget_underutilized / budget_overpacing signal of a store: the current month's projected spend
-- of a channel is under or over its budget by the thresholds. Unioned into fct_insight_signals.

with

{{ insight_signal_windows() }},

budget_current as (
    -- the current month's budget row of each channel, with its projected utilisation and recent ROAS
    select
        budget.store_id,
        budget.channel,
        budget.month_start,
        budget.monthly_budget,
        budget.spent,
        budget.days_elapsed,
        budget.days_in_month,
        budget.projected_spend,
        anchors.as_of_date,
        round(budget.projected_spend * 100 / budget.monthly_budget, 4)                  as projected_utilization_pct,
        -- ROAS of the channel over the last 28 days (prices the unspent budget); none when the window's
        -- cost is not positive (ledger credits can make it negative)
        round(case when recent.cost > 0 then recent.revenue / recent.cost end, 4)          as recent_roas,
        store_windows.severity_base
    from {{ ref('fct_budget_utilization') }} as budget
    inner join anchors
        on anchors.store_id = budget.store_id
       and budget.month_start = date_trunc('month', anchors.as_of_date::timestamp)::date
    left join channel_windows as recent
        on recent.store_id = budget.store_id and recent.channel = budget.channel and recent.period = 'last_28_days'
    left join store_windows
        on store_windows.store_id = budget.store_id and store_windows.period = 'last_28_days'
    where budget.monthly_budget > 0
      and budget.days_elapsed >= {{ insight_var('insight_budget_min_days_elapsed') }}
),

budget_signals as (
    -- the channels under or over the pacing thresholds, as signal columns with their evidence
    select
        store_id,
        (case when projected_utilization_pct <= {{ insight_var('insight_budget_under_pct') }}
              then 'budget_underutilized' else 'budget_overpacing' end)                  as signal_type,
        channel,
        'all'::{{ text_type() }}                                                                      as source,
        'current_month'::{{ text_type() }}                                                            as period,
        month_start                                                                      as period_start,
        as_of_date                                                                       as period_end,
        'projected_spend'::{{ text_type() }}                                                          as metric,
        projected_spend                                                                  as current_value,
        monthly_budget                                                                   as comparison_value,
        'budget'::{{ text_type() }}                                                                  as comparison_kind,
        round(projected_utilization_pct - 100, 4)                                        as change_pct,
        (case when projected_utilization_pct <= {{ insight_var('insight_budget_under_pct') }}
              -- the unspent budget at the channel's recent ROAS (never below 0; null without a ROAS)
              then case when recent_roas is not null
                        then greatest((monthly_budget - projected_spend) * recent_roas, 0) end
              -- the projected overspend (money at stake is cost here)
              else projected_spend - monthly_budget end)                                 as estimated_revenue_impact,
        severity_base,
        {% call json_object() %}
            'figures', {% call json_array() %}
                {{ insight_figure('monthly_budget', 'Monthly budget', 'monthly_budget', 'currency') }},
                {{ insight_figure('spent', 'Spent so far this month', 'spent', 'currency') }},
                {{ insight_figure('projected_spend', 'Projected spend at the current pace',
                                  'projected_spend', 'currency') }},
                {{ insight_figure('projected_utilization_pct', 'Projected spend as a share of the budget',
                                  'projected_utilization_pct', 'percent') }},
                {{ insight_figure('budget_gap', 'Budget minus projected spend',
                                  'monthly_budget - projected_spend', 'currency') }},
                {{ insight_figure('days_elapsed', 'Days of the month elapsed', 'days_elapsed', 'days', 0) }},
                {{ insight_figure('days_in_month', 'Days in the month', 'days_in_month', 'days', 0) }},
                {{ insight_figure('recent_roas', 'Channel ROAS over the last 28 days', 'recent_roas', 'ratio', 4) }}
            {% endcall %},
            'rows', {% call json_array() %}{% call json_object() %}
                'mart', 'fct_budget_utilization', 'store_id', store_id, 'channel', channel,
                'month_start', month_start{% endcall %}{% endcall %},
            'thresholds', {{ insight_thresholds([
                'insight_budget_under_pct', 'insight_budget_over_pct',
                'insight_budget_min_days_elapsed'
            ]) }}
        {% endcall %}                                                                                as evidence,
        null::date                                                                       as previous_start,
        null::date                                                                       as previous_end
    from budget_current
    where projected_utilization_pct <= {{ insight_var('insight_budget_under_pct') }}
       or projected_utilization_pct >= {{ insight_var('insight_budget_over_pct') }}
),

{{ insight_signal_rows('budget_signals') }}
