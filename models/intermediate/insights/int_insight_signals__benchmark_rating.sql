-- one row per roas_below_benchmark / cpa_above_benchmark signal of a store: a channel's last-28-day ROAS or CPA
-- rated poor against its band of fct_benchmark_comparison. Unioned into fct_insight_signals.

with

{{ insight_signal_windows() }},

stores as (
    -- the store's currency: a money value is converted from it into the band's currency
    select store_id, currency from {{ ref('dim_stores') }}
),

ranked_bands as (
    -- the store's band per (channel, metric) as fct_benchmark_comparison applies it (same for every period),
    -- its latest row first
    select
        store_id, channel, metric, industry, poor, average, good, excellent, direction, benchmark_currency,
        row_number() over (
            partition by store_id, channel, metric order by period_start desc, period asc
        ) as band_rank
    from {{ ref('fct_benchmark_comparison') }}
    where metric in ('roas', 'cpa')
),

bands as (
    -- one band per (store, channel, metric)
    select store_id, channel, metric, industry, poor, average, good, excellent, direction, benchmark_currency
    from ranked_bands
    where band_rank = 1
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
            else {{ precise_quotient('benchmark_converted.average', 'nullif(benchmark_converted.fx_rate, 0)', 10) }}
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
    -- the poor ratings of channels that spend enough, as signal columns with their evidence
    select
        store_id,
        (case metric when 'roas' then 'roas_below_benchmark' else 'cpa_above_benchmark' end) as signal_type,
        channel,
        'all'::{{ text_type() }}                                                                      as source,
        period,
        period_start,
        period_end,
        metric,
        value                                                                            as current_value,
        average_in_store_currency                                                        as comparison_value,
        'benchmark'::{{ text_type() }}                                                               as comparison_kind,
        round((value - average_in_store_currency) * 100 / nullif(average_in_store_currency, 0), 4) as change_pct,
        greatest(case metric
            -- revenue the same spend brings at the band's average ROAS, minus what it brought
            when 'roas' then cost * average - revenue
            -- conversions the same spend buys at the average CPA, minus those it bought, at the window's
            -- revenue per conversion
            -- (the quotient to 10 places on both engines: conversions cancel most of it, so its last
            -- digits decide the cents)
            else ({{ precise_quotient('cost', 'average_in_store_currency', 10) }} - conversions) * revenue / conversions
        end, 0)                                                                          as estimated_revenue_impact,
        severity_base,
        {%- set metric_unit = "case metric when 'roas' then 'ratio' else 'currency' end" %}
        {% call json_object() %}
            'figures', {% call json_array() %}
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
            {% endcall %},
            'metric_unit', {{ metric_unit }},
            'industry', industry,
            'direction', direction,
            -- the band as published and the conversion behind the store-currency figures (money metrics)
            'benchmark', {% call json_object() %}
                'currency', benchmark_currency, 'average', average, 'good', good, 'poor', poor,
                'fx_rate', fx_rate, 'fx_rate_date', fx_rate_date,
                'value_in_benchmark_currency', round(value_in_benchmark_currency, 4), 'rating', rating{% endcall %},
            'rows', {% call json_array() %}
                {% call json_object() %}'mart', 'fct_benchmark_comparison', 'store_id', store_id, 'channel', channel,
                                   'metric', metric, 'industry', industry{% endcall %},
                {% call json_object() %}'mart', 'fct_unified_metrics', 'store_id', store_id, 'channel', channel,
                                   'source', 'all', 'period', 'daily', 'period_start_from', period_start,
                                   'period_start_to', period_end{% endcall %}{% endcall %},
            'thresholds', {{ insight_thresholds(['insight_min_cost_share_pct']) }}
        {% endcall %}                                                                                as evidence,
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

{{ insight_signal_rows('benchmark_signals') }}
