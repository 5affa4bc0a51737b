-- one row per deterministic marketing signal of a store (issue 7): what the insight service turns into
-- insights. Windows end at the store's latest data date (see the YAML for every rule and threshold).
{{ config(
    materialized='table',
    indexes=[
        {'columns': ['signal_id'], 'unique': true},
        {'columns': ['store_id', 'severity']},
    ],
) }}

with

unified as (
    -- daily rows of the unified mart (store-local days); rollups (`all`, `overall`) and source rows
    select store_id, channel, source, period_start as day, sessions, conversions, revenue, cost
    from {{ ref('fct_unified_metrics') }}
    where period = 'daily'
),

stores as (
    select store_id, currency from {{ ref('dim_stores') }}
),

anchors as (
    -- a store's data range (fct_store_data_dates): its latest day with data ends every window (as the API's default)
    select store_id, first_data_date as first_day, last_data_date as as_of_date
    from {{ ref('fct_store_data_dates') }}
),

windows as (
    -- the last complete 7-day and 28-day windows ending at as_of_date, and the window of equal length before
    select
        anchors.store_id,
        anchors.first_day,
        anchors.as_of_date,
        lengths.period,
        lengths.days,
        anchors.as_of_date - lengths.days + 1     as period_start,
        anchors.as_of_date                        as period_end,
        anchors.as_of_date - 2 * lengths.days + 1 as previous_start,
        anchors.as_of_date - lengths.days         as previous_end
    from anchors
    cross join (values ('last_7_days'::text, 7), ('last_28_days'::text, 28)) as lengths (period, days)
),

channel_windows as (
    -- channel rollups (source `all`, and the store rollup `overall`) summed over each window and the one
    -- before; a day without a row had nothing (the mart does not zero-fill)
    select
        windows.store_id,
        windows.period,
        windows.days,
        windows.period_start,
        windows.period_end,
        windows.previous_start,
        windows.previous_end,
        windows.first_day <= windows.previous_start                                           as has_previous,
        unified.channel,
        coalesce(sum(unified.revenue) filter (where unified.day >= windows.period_start), 0)      as revenue,
        coalesce(sum(unified.revenue) filter (where unified.day < windows.period_start), 0)       as previous_revenue,
        coalesce(sum(unified.cost) filter (where unified.day >= windows.period_start), 0)         as cost,
        coalesce(sum(unified.cost) filter (where unified.day < windows.period_start), 0)          as previous_cost,
        coalesce(sum(unified.conversions) filter (where unified.day >= windows.period_start), 0)  as conversions,
        coalesce(sum(unified.conversions) filter (where unified.day < windows.period_start), 0)
                                                                                                as previous_conversions
    from windows
    inner join unified
        on unified.store_id = windows.store_id
       and unified.source = 'all'
       and unified.day between windows.previous_start and windows.period_end
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9
),

store_windows as (
    -- the store rollup of each window: the materiality and severity bases
    select
        store_id,
        period,
        revenue                               as store_revenue,
        previous_revenue                      as store_previous_revenue,
        cost                                  as store_cost,
        greatest(revenue, previous_revenue)   as severity_base
    from channel_windows
    where channel = 'overall'
),

-- ---- 1. revenue decline / growth vs the previous window ------------------------------------------

revenue_changes as (
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
    select
        store_id,
        (case when change_pct < 0 then 'revenue_decline' else 'revenue_growth' end)   as signal_type,
        channel,
        'all'::text                                                                      as source,
        period,
        period_start,
        period_end,
        'revenue'::text                                                                  as metric,
        revenue                                                                          as current_value,
        previous_revenue                                                                 as comparison_value,
        'previous_period'::text                                                          as comparison_kind,
        change_pct,
        abs(revenue - previous_revenue)                                                  as estimated_revenue_impact,
        severity_base,
        jsonb_build_object(
            'figures', jsonb_build_array(
                {{ insight_figure('current_revenue', 'Revenue in the window', 'revenue', 'currency') }},
                {{ insight_figure('previous_revenue', 'Revenue in the previous window',
                                  'previous_revenue', 'currency') }},
                {{ insight_figure('revenue_change', 'Revenue change (current - previous)',
                                  'revenue - previous_revenue', 'currency') }},
                {{ insight_figure('change_pct', 'Revenue change vs the previous window', 'change_pct', 'percent') }},
                {{ insight_figure('window_days', 'Days in each window', 'days', 'days', 0) }},
                {{ insight_figure('threshold_change_pct', 'Change that raises the signal',
                                  insight_var('insight_revenue_change_pct'), 'percent') }}
            ),
            'rows', jsonb_build_array(jsonb_build_object(
                'mart', 'fct_unified_metrics', 'store_id', store_id, 'channel', channel, 'source', 'all',
                'period', 'daily', 'period_start_from', previous_start, 'period_start_to', period_end)),
            'thresholds', {{ insight_thresholds(['insight_revenue_change_pct', 'insight_revenue_min_share_pct']) }}
        )                                                                                as evidence,
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

-- ---- 2. ROAS / CPA rated poor against the benchmark band (last 28 days) ---------------------------

bands as (
    -- the store's band per (channel, metric) as fct_benchmark_comparison applies it (same for every period)
    select distinct on (store_id, channel, metric)
        store_id, channel, metric, industry, poor, average, good, excellent, direction, benchmark_currency
    from {{ ref('fct_benchmark_comparison') }}
    where metric in ('roas', 'cpa')
    order by store_id asc, channel asc, metric asc, period_start desc, period asc
),

benchmark_windows as (
    -- the window's value in the store's unit, rounded to the 4 places it is shown with
    select
        channel_windows.*,
        bands.metric,
        bands.industry,
        bands.poor,
        bands.average,
        bands.good,
        bands.excellent,
        bands.direction,
        bands.benchmark_currency,
        stores.currency,
        store_windows.store_cost,
        store_windows.severity_base,
        round(case bands.metric
                  when 'roas' then channel_windows.revenue / nullif(channel_windows.cost, 0)
                  when 'cpa' then channel_windows.cost / nullif(channel_windows.conversions, 0)
              end, 4)                                                                      as value
    from channel_windows
    inner join bands
        on bands.store_id = channel_windows.store_id and bands.channel = channel_windows.channel
    inner join store_windows
        on store_windows.store_id = channel_windows.store_id and store_windows.period = channel_windows.period
    left join stores on stores.store_id = channel_windows.store_id
    where channel_windows.period = 'last_28_days'
      and channel_windows.channel <> 'overall'
),

benchmark_fx as (
    -- the rate from the store's currency into a money band's, as of the window's first day (macros/benchmarks.sql)
    select
        benchmark_windows.*,
        {{ benchmark_fx_rate('benchmark_windows.currency', 'benchmark_windows.benchmark_currency', 'fx.fx_rate') }}
            as fx_rate,
        {{ benchmark_fx_rate_date('benchmark_windows.currency', 'benchmark_windows.benchmark_currency',
                                  'fx.fx_rate_date') }} as fx_rate_date
    from benchmark_windows
    left join lateral (
        {{ fx_rate_as_of(ref('dim_fx_rates'), 'benchmark_windows.currency', 'benchmark_windows.benchmark_currency',
                         'benchmark_windows.period_start') }}
    ) as fx on true
),

benchmark_converted as (
    -- the value the band is compared with (money converted, ratios as they are)
    select
        benchmark_fx.*,
        {{ benchmark_converted_value('benchmark_fx.value', 'benchmark_fx.benchmark_currency', 'benchmark_fx.fx_rate') }}
            as value_in_benchmark_currency
    from benchmark_fx
),

benchmark_values as (
    -- rated by the one rule; the band also in the store's currency, the unit of the signal's figures and impact
    select
        benchmark_converted.*,
        {{ benchmark_rating('benchmark_converted.value_in_benchmark_currency', 'benchmark_converted.direction',
                            'benchmark_converted.average', 'benchmark_converted.good',
                            'benchmark_converted.excellent') }} as rating,
        (case
            when benchmark_converted.benchmark_currency is null then benchmark_converted.average
            else benchmark_converted.average / nullif(benchmark_converted.fx_rate, 0)
        end) as average_in_store_currency,
        (case
            when benchmark_converted.benchmark_currency is null then benchmark_converted.good
            else benchmark_converted.good / nullif(benchmark_converted.fx_rate, 0)
        end) as good_in_store_currency,
        (case
            when benchmark_converted.benchmark_currency is null then benchmark_converted.poor
            else benchmark_converted.poor / nullif(benchmark_converted.fx_rate, 0)
        end) as poor_in_store_currency
    from benchmark_converted
),

benchmark_signals as (
    select
        store_id,
        (case metric when 'roas' then 'roas_below_benchmark' else 'cpa_above_benchmark' end) as signal_type,
        channel,
        'all'::text                                                                      as source,
        period,
        period_start,
        period_end,
        metric,
        value                                                                            as current_value,
        average_in_store_currency                                                        as comparison_value,
        'benchmark'::text                                                                as comparison_kind,
        round((value - average_in_store_currency) * 100 / nullif(average_in_store_currency, 0), 4) as change_pct,
        greatest(case metric
            -- revenue the same spend brings at the band's average ROAS, minus what it brought
            when 'roas' then cost * average - revenue
            -- conversions the same spend buys at the average CPA, minus those it bought, at the window's
            -- revenue per conversion
            else (cost / average_in_store_currency - conversions) * revenue / conversions
        end, 0)                                                                          as estimated_revenue_impact,
        severity_base,
        jsonb_build_object(
            'figures', jsonb_build_array(
                {%- set metric_unit = "case metric when 'roas' then 'ratio' else 'currency' end" %}
                {{ insight_figure('value', 'Channel value in the window', 'value', none, 4, metric_unit) }},
                {{ insight_figure('benchmark_average', 'Benchmark average (worse than it = poor)',
                                  'average_in_store_currency', none, 4, metric_unit) }},
                {{ insight_figure('benchmark_good', 'Benchmark good',
                                  'good_in_store_currency', none, 4, metric_unit) }},
                {{ insight_figure('benchmark_poor', 'Benchmark typical poor value',
                                  'poor_in_store_currency', none, 4, metric_unit) }},
                {{ insight_figure('gap_pct', 'Difference from the benchmark average',
                                  '(value - average_in_store_currency) * 100 / nullif(average_in_store_currency, 0)',
                                  'percent') }},
                {{ insight_figure('cost', 'Cost in the window', 'cost', 'currency') }},
                {{ insight_figure('revenue', 'Revenue in the window', 'revenue', 'currency') }},
                {{ insight_figure('conversions', 'Conversions in the window', 'conversions', 'count') }},
                {{ insight_figure('window_days', 'Days in the window', 'days', 'days', 0) }}
            ),
            'metric_unit', {{ metric_unit }},
            'industry', industry,
            'direction', direction,
            -- the band as published and the conversion behind the store-currency figures (money metrics)
            'benchmark', jsonb_build_object(
                'currency', benchmark_currency, 'average', average, 'good', good, 'poor', poor,
                'fx_rate', fx_rate, 'fx_rate_date', fx_rate_date,
                'value_in_benchmark_currency', round(value_in_benchmark_currency, 4), 'rating', rating),
            'rows', jsonb_build_array(
                jsonb_build_object('mart', 'fct_benchmark_comparison', 'store_id', store_id, 'channel', channel,
                                   'metric', metric, 'industry', industry),
                jsonb_build_object('mart', 'fct_unified_metrics', 'store_id', store_id, 'channel', channel,
                                   'source', 'all', 'period', 'daily', 'period_start_from', period_start,
                                   'period_start_to', period_end)),
            'thresholds', {{ insight_thresholds(['insight_min_cost_share_pct']) }}
        )                                                                                as evidence,
        null::date                                                                       as previous_start,
        null::date                                                                       as previous_end
    from benchmark_values
    where value is not null
      and cost > 0  -- a ratio over a non-positive cost (ledger credits) is not rated
      and average is not null
      and average <> 0
      and rating = 'poor'  -- no FX rate for a money value: insufficient_data, never a warning
      and cost * 100 / nullif(store_cost, 0) >= {{ insight_var('insight_min_cost_share_pct') }}
),

-- ---- 3. budget under-utilised / over-paced (current month) ----------------------------------------

budget_current as (
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
    select
        store_id,
        (case when projected_utilization_pct <= {{ insight_var('insight_budget_under_pct') }}
              then 'budget_underutilized' else 'budget_overpacing' end)                  as signal_type,
        channel,
        'all'::text                                                                      as source,
        'current_month'::text                                                            as period,
        month_start                                                                      as period_start,
        as_of_date                                                                       as period_end,
        'projected_spend'::text                                                          as metric,
        projected_spend                                                                  as current_value,
        monthly_budget                                                                   as comparison_value,
        'budget'::text                                                                   as comparison_kind,
        round(projected_utilization_pct - 100, 4)                                        as change_pct,
        (case when projected_utilization_pct <= {{ insight_var('insight_budget_under_pct') }}
              -- the unspent budget at the channel's recent ROAS (never below 0; null without a ROAS)
              then case when recent_roas is not null
                        then greatest((monthly_budget - projected_spend) * recent_roas, 0) end
              -- the projected overspend (money at stake is cost here)
              else projected_spend - monthly_budget end)                                 as estimated_revenue_impact,
        severity_base,
        jsonb_build_object(
            'figures', jsonb_build_array(
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
            ),
            'rows', jsonb_build_array(jsonb_build_object(
                'mart', 'fct_budget_utilization', 'store_id', store_id, 'channel', channel,
                'month_start', month_start)),
            'thresholds', {{ insight_thresholds([
                'insight_budget_under_pct', 'insight_budget_over_pct',
                'insight_budget_min_days_elapsed'
            ]) }}
        )                                                                                as evidence,
        null::date                                                                       as previous_start,
        null::date                                                                       as previous_end
    from budget_current
    where projected_utilization_pct <= {{ insight_var('insight_budget_under_pct') }}
       or projected_utilization_pct >= {{ insight_var('insight_budget_over_pct') }}
),

-- ---- 4. falling marginal efficiency while spend rises (last 28 days vs the 28 before) --------------

marginal as (
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
    select
        store_id,
        'marginal_efficiency_decline'::text                                              as signal_type,
        channel,
        'all'::text                                                                      as source,
        period,
        period_start,
        period_end,
        'marginal_roas'::text                                                            as metric,
        marginal_roas                                                                    as current_value,
        previous_roas                                                                    as comparison_value,
        'previous_period'::text                                                          as comparison_kind,
        cost_change_pct                                                                  as change_pct,
        -- net money lost on the extra spend
        greatest((cost - previous_cost) - (revenue - previous_revenue), 0)               as estimated_revenue_impact,
        severity_base,
        jsonb_build_object(
            'figures', jsonb_build_array(
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
            ),
            'rows', jsonb_build_array(jsonb_build_object(
                'mart', 'fct_unified_metrics', 'store_id', store_id, 'channel', channel, 'source', 'all',
                'period', 'daily', 'period_start_from', previous_start, 'period_start_to', period_end)),
            'thresholds', {{ insight_thresholds([
                'insight_marginal_cost_increase_pct', 'insight_marginal_roas_max',
                'insight_min_cost_share_pct'
            ]) }}
        )                                                                                as evidence,
        previous_start,
        previous_end
    from marginal
    where cost_change_pct >= {{ insight_var('insight_marginal_cost_increase_pct') }}
      and marginal_roas <= {{ insight_var('insight_marginal_roas_max') }}
      and cost * 100 / nullif(store_cost, 0) >= {{ insight_var('insight_min_cost_share_pct') }}
),

-- ---- 5. an article or influencer campaign driving outsized revenue (last 28 days) ------------------

source_windows as (
    select
        windows.store_id,
        windows.period,
        windows.days,
        windows.period_start,
        windows.period_end,
        unified.channel,
        unified.source,
        sum(unified.revenue) as revenue,
        sum(unified.cost)    as cost
    from windows
    inner join unified
        on unified.store_id = windows.store_id
       and unified.day between windows.period_start and windows.period_end
    where windows.period = 'last_28_days'
      and (unified.source like 'article:%' or unified.source like 'campaign:%')
    group by 1, 2, 3, 4, 5, 6, 7
),

source_shares as (
    select
        source_windows.*,
        channel_windows.revenue                                                           as channel_revenue,
        store_windows.severity_base,
        count(*) over (partition by source_windows.store_id, source_windows.channel)     as channel_sources,
        avg(source_windows.revenue) over (partition by source_windows.store_id, source_windows.channel)
                                                                                          as mean_source_revenue,
        round(source_windows.revenue * 100 / nullif(channel_windows.revenue, 0), 4)      as share_pct
    from source_windows
    inner join channel_windows
        on channel_windows.store_id = source_windows.store_id
       and channel_windows.period = source_windows.period
       and channel_windows.channel = source_windows.channel
    inner join store_windows
        on store_windows.store_id = source_windows.store_id and store_windows.period = source_windows.period
),

source_titles as (
    select store_id, 'article:' || item_id as source, title
    from {{ ref('fct_marketing_calendar') }}
    where item_type = 'seo_article'
    union all
    select store_id, 'campaign:' || campaign_id as source, campaign_name as title
    from {{ ref('stg_influencer__campaigns') }}
),

source_signals as (
    select
        source_shares.store_id,
        'outsized_source_revenue'::text                                                   as signal_type,
        source_shares.channel,
        source_shares.source,
        source_shares.period,
        source_shares.period_start,
        source_shares.period_end,
        'revenue'::text                                                                   as metric,
        source_shares.revenue                                                             as current_value,
        source_shares.channel_revenue                                                     as comparison_value,
        'channel_share'::text                                                             as comparison_kind,
        null::numeric                                                                     as change_pct,
        greatest(source_shares.revenue - source_shares.mean_source_revenue, 0)           as estimated_revenue_impact,
        source_shares.severity_base,
        jsonb_build_object(
            'figures', jsonb_build_array(
                {{ insight_figure('source_revenue', 'Revenue attributed to the source in the window',
                                  'source_shares.revenue', 'currency') }},
                {{ insight_figure('channel_revenue', 'Revenue of its channel in the window',
                                  'source_shares.channel_revenue', 'currency') }},
                {{ insight_figure('share_pct', 'Share of the channel revenue', 'source_shares.share_pct', 'percent') }},
                {{ insight_figure('channel_sources', 'Sources of the channel with activity in the window',
                                  'source_shares.channel_sources', 'count', 0) }},
                {{ insight_figure('mean_source_revenue', 'Average revenue per source of the channel',
                                  'source_shares.mean_source_revenue', 'currency') }},
                {{ insight_figure('source_cost', 'Cost of the source in the window',
                                  'source_shares.cost', 'currency') }},
                {{ insight_figure('window_days', 'Days in the window', 'source_shares.days', 'days', 0) }}
            ),
            'source_title', source_titles.title,
            'rows', jsonb_build_array(
                jsonb_build_object('mart', 'fct_unified_metrics', 'store_id', source_shares.store_id,
                                   'channel', source_shares.channel, 'source', source_shares.source, 'period', 'daily',
                                   'period_start_from', source_shares.period_start,
                                   'period_start_to', source_shares.period_end),
                jsonb_build_object('mart', 'fct_unified_metrics', 'store_id', source_shares.store_id,
                                   'channel', source_shares.channel, 'source', 'all', 'period', 'daily',
                                   'period_start_from', source_shares.period_start,
                                   'period_start_to', source_shares.period_end)),
            'thresholds', {{ insight_thresholds(['insight_source_share_pct', 'insight_source_min_sources']) }}
        )                                                                                 as evidence,
        null::date                                                                        as previous_start,
        null::date                                                                        as previous_end
    from source_shares
    left join source_titles
        on source_titles.store_id = source_shares.store_id and source_titles.source = source_shares.source
    where source_shares.revenue > 0
      and source_shares.share_pct >= {{ insight_var('insight_source_share_pct') }}
      and source_shares.channel_sources >= {{ insight_var('insight_source_min_sources') }}
),

-- ---- 6. sudden drop of a channel's sessions (last 7 days vs the trailing weeks) --------------------

week_blocks as (
    -- block 0 = the last 7 days, blocks 1..max = the 7-day blocks before it that lie inside the store's data
    select
        anchors.store_id,
        blocks.k,
        anchors.as_of_date - 7 * blocks.k - 6 as block_start,
        anchors.as_of_date - 7 * blocks.k     as block_end
    from anchors
    cross join generate_series(0, {{ insight_var('insight_sessions_max_weeks') }}::integer) as blocks (k)
    where anchors.as_of_date - 7 * blocks.k - 6 >= anchors.first_day
),

block_channels as (
    select distinct unified.store_id, unified.channel
    from unified
    inner join anchors on anchors.store_id = unified.store_id
    where unified.source = 'all'
      and unified.day > anchors.as_of_date - 7 * ({{ insight_var('insight_sessions_max_weeks') }}::integer + 1)
),

channel_blocks as (
    select
        week_blocks.store_id,
        block_channels.channel,
        week_blocks.k,
        week_blocks.block_start,
        week_blocks.block_end,
        coalesce(sum(unified.sessions), 0) as sessions,
        coalesce(sum(unified.revenue), 0)  as revenue
    from week_blocks
    inner join block_channels on block_channels.store_id = week_blocks.store_id
    left join unified
        on unified.store_id = week_blocks.store_id
       and unified.channel = block_channels.channel
       and unified.source = 'all'
       and unified.day between week_blocks.block_start and week_blocks.block_end
    group by 1, 2, 3, 4, 5
),

session_stats as (
    select
        store_id,
        channel,
        max(sessions) filter (where k = 0)                                       as current_sessions,
        min(block_start) filter (where k = 0)                                    as period_start,
        max(block_end) filter (where k = 0)                                      as period_end,
        min(block_start) filter (where k > 0)                                    as trailing_start,
        max(block_end) filter (where k > 0)                                      as trailing_end,
        count(*) filter (where k > 0)                                            as trailing_weeks,
        avg(sessions) filter (where k > 0)                                       as mean_sessions,
        stddev_samp(sessions) filter (where k > 0)                               as sd_sessions,
        sum(revenue) filter (where k > 0)
            / nullif(sum(sessions) filter (where k > 0), 0)                      as revenue_per_session,
        jsonb_agg(sessions order by k) filter (where k > 0)                      as weekly_sessions
    from channel_blocks
    group by store_id, channel
),

session_scores as (
    select
        session_stats.*,
        round((session_stats.current_sessions - session_stats.mean_sessions)
              / nullif(session_stats.sd_sessions, 0), 4)                        as z_score,
        round((session_stats.current_sessions - session_stats.mean_sessions) * 100
              / nullif(session_stats.mean_sessions, 0), 4)                      as change_pct,
        store_windows.severity_base
    from session_stats
    inner join store_windows
        on store_windows.store_id = session_stats.store_id and store_windows.period = 'last_7_days'
    where session_stats.current_sessions is not null
),

session_signals as (
    select
        store_id,
        'sessions_drop'::text                                                            as signal_type,
        channel,
        'all'::text                                                                      as source,
        'last_7_days'::text                                                              as period,
        period_start,
        period_end,
        'sessions'::text                                                                 as metric,
        current_sessions::numeric                                                        as current_value,
        mean_sessions                                                                    as comparison_value,
        'trailing_weeks'::text                                                           as comparison_kind,
        change_pct,
        -- the missing sessions at the channel's revenue per session of the trailing weeks
        greatest((mean_sessions - current_sessions) * revenue_per_session, 0)           as estimated_revenue_impact,
        severity_base,
        jsonb_build_object(
            'figures', jsonb_build_array(
                {{ insight_figure('current_sessions', 'Sessions in the last 7 days', 'current_sessions', 'count', 0) }},
                {{ insight_figure('mean_sessions', 'Average sessions per 7-day block of the trailing weeks',
                                  'mean_sessions', 'count', 2) }},
                {{ insight_figure('sd_sessions', 'Standard deviation of those weekly sessions',
                                  'sd_sessions', 'count', 2) }},
                {{ insight_figure('z_score', 'Standard deviations from the trailing mean', 'z_score', 'score', 2) }},
                {{ insight_figure('change_pct', 'Change vs the trailing mean', 'change_pct', 'percent') }},
                {{ insight_figure('trailing_weeks', 'Trailing 7-day blocks compared', 'trailing_weeks', 'count', 0) }},
                {{ insight_figure('window_days', 'Days in the window', '7', 'days', 0) }},
                {{ insight_figure('revenue_per_session', 'Revenue per session in the trailing weeks',
                                  'revenue_per_session', 'currency') }}
            ),
            'weekly_sessions', weekly_sessions,
            'trailing_window', jsonb_build_object('start', trailing_start, 'end', trailing_end),
            'rows', jsonb_build_array(jsonb_build_object(
                'mart', 'fct_unified_metrics', 'store_id', store_id, 'channel', channel, 'source', 'all',
                'period', 'daily', 'period_start_from', trailing_start, 'period_start_to', period_end)),
            'thresholds', {{ insight_thresholds([
                'insight_sessions_drop_z', 'insight_sessions_min_weeks',
                'insight_sessions_max_weeks', 'insight_sessions_min_weekly'
            ]) }}
        )                                                                                as evidence,
        trailing_start                                                                   as previous_start,
        trailing_end                                                                     as previous_end
    from session_scores
    where trailing_weeks >= {{ insight_var('insight_sessions_min_weeks') }}
      and mean_sessions >= {{ insight_var('insight_sessions_min_weekly') }}
      and z_score <= -{{ insight_var('insight_sessions_drop_z') }}
),

all_signals as (
    select * from revenue_signals
    union all
    select * from benchmark_signals
    union all
    select * from budget_signals
    union all
    select * from marginal_signals
    union all
    select * from source_signals
    union all
    select * from session_signals
),

rated as (
    select
        all_signals.*,
        round(all_signals.estimated_revenue_impact * 100 / nullif(all_signals.severity_base, 0), 4) as impact_share_pct
    from all_signals
)

select
    rated.store_id::text                                                              as store_id,
    md5(concat_ws('|', rated.signal_type, rated.store_id, rated.channel, rated.source, rated.period))::text
                                                                                      as signal_id,
    rated.signal_type::text                                                           as signal_type,
    rated.channel::text                                                               as channel,
    rated.source::text                                                                as source,
    rated.period::text                                                                as period,
    rated.period_start::date                                                          as period_start,
    rated.period_end::date                                                            as period_end,
    rated.metric::text                                                                as metric,
    round(rated.current_value, 4)::numeric(20,4)                                      as current_value,
    round(rated.comparison_value, 4)::numeric(20,4)                                   as comparison_value,
    rated.comparison_kind::text                                                       as comparison_kind,
    round(rated.change_pct, 4)::numeric(20,4)                                         as change_pct,
    round(rated.estimated_revenue_impact, 2)::numeric(18,2)                           as estimated_revenue_impact,
    (case
        when rated.impact_share_pct >= {{ insight_var('insight_severity_high_pct') }} then 'high'
        when rated.impact_share_pct >= {{ insight_var('insight_severity_medium_pct') }} then 'medium'
        else 'low'
    end)::text                                                                        as severity,
    (rated.evidence || jsonb_build_object(
        'signal_type', rated.signal_type,
        'store_id', rated.store_id,
        'channel', rated.channel,
        'source', rated.source,
        'currency', stores.currency,
        'window', jsonb_build_object(
            'period', rated.period, 'start', rated.period_start, 'end', rated.period_end,
            'previous_start', rated.previous_start, 'previous_end', rated.previous_end),
        'severity_base', round(rated.severity_base, 2),
        'impact_share_pct', rated.impact_share_pct
    ))::jsonb                                                                         as evidence,
    rated.impact_share_pct::numeric(20,4)                                             as impact_share_pct,
    rated.severity_base::numeric(18,2)                                                as severity_base
from rated
left join stores on stores.store_id = rated.store_id
