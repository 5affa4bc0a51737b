-- one row naming the dbt invocation that last rebuilt the marts: the service's cache key
select
    '{{ invocation_id }}'::text                         as build_id,
    '{{ run_started_at.isoformat() }}'::timestamptz     as built_at,
    '{{ var("attribution_default_model") }}'::text      as attribution_default_model,
    {{ var("attribution_lookback_days") }}::integer     as attribution_lookback_days,
    {{ var("attribution_half_life_days") }}::numeric    as attribution_half_life_days
