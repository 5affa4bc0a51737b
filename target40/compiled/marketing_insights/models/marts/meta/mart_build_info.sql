-- one row naming the dbt invocation that last rebuilt the marts: the service's cache key
select
    'fa6940bc-628b-473a-8ce2-4f6cceab73e1'::text                         as build_id,
    '2026-12-06T12:06:08.011693+00:00'::timestamptz     as built_at,
    'linear'::text      as attribution_default_model,
    30::integer     as attribution_lookback_days,
    7::numeric    as attribution_half_life_days