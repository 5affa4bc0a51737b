-- one row naming the dbt invocation that last rebuilt the marts: the service's cache key.
-- Built after every mart the service reads (the depends_on below), so that a response computed
-- while the build runs is never cached under the new build id with half the old data.
-- depends_on: {{ ref('fct_unified_metrics') }}
-- depends_on: {{ ref('fct_channel_attribution_daily') }}
-- depends_on: {{ ref('fct_markov_transitions') }}
-- depends_on: {{ ref('fct_benchmark_comparison') }}
-- depends_on: {{ ref('fct_budget_utilization') }}
-- depends_on: {{ ref('fct_marketing_calendar') }}
-- depends_on: {{ ref('fct_insight_signals') }}
-- depends_on: {{ ref('data_quality_summary') }}
-- depends_on: {{ ref('mart_source_freshness') }}
select
    '{{ invocation_id }}'::{{ text_type() }}                         as build_id,
    '{{ run_started_at.isoformat() }}'::{{ tstz_type() }}     as built_at,
    '{{ var("attribution_default_model") }}'::{{ text_type() }}      as attribution_default_model,
    {{ var("attribution_lookback_days") }}::integer     as attribution_lookback_days,
    {{ var("attribution_half_life_days") }}::{{ unbounded_numeric_type() }}    as attribution_half_life_days
