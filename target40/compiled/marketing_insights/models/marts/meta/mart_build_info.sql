-- one row naming the dbt invocation that last rebuilt the marts: the service's cache key
select
    'd03cfaac-ad75-4115-915f-e8aed58e00c8'::text                         as build_id,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz     as built_at,
    'linear'::text      as attribution_default_model,
    30::integer     as attribution_lookback_days,
    7::numeric    as attribution_half_life_days